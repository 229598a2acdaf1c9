// The BSD-style socket calls with Winsock's semantics. State checks Linux does not make (listen on an
// unbound socket, getsockname before bind, connect while connecting) use SocketState; data moves in io.cc.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "caller_memory.h"
#include "entry.h"
#include "io.h"
#include "poller.h"
#include "recorder.h"
#include "sockaddr.h"
#include "socket_state.h"
#include "sys/sys.h"
#include "trace.h"

namespace {

std::atomic<int> g_startup_count{0};

Napi::Value CloseSocketRef(const Napi::CallbackInfo& info, SocketRef sock);

// ---- WSAStartup / WSACleanup ---------------------------------------------------------------------

// WSAStartup(wVersionRequested, lpWSAData) -> 0 or a WSA code (returned, not set as last error).
Napi::Value WSAStartup(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAStartup(wVersionRequested, lpWSAData)";
  uint32_t requested = ArgUint32(info, 0, kUsage, "wVersionRequested") & 0xFFFF;
  Napi::Object data = ArgBox(info, 1, kUsage, "lpWSAData");
  if (data.IsEmpty()) return Ok(info, WSAEFAULT);
  const uint32_t major = requested & 0xFF, minor = (requested >> 8) & 0xFF;
  // Versions 1.0 through 2.2 are supported; a higher request is granted 2.2.
  const bool supported = major >= 1;
  const uint32_t granted = (major > 2 || (major == 2 && minor > 2)) ? 0x0202 : requested;
  data.Set("wVersion", supported ? granted : 0x0202);
  data.Set("wHighVersion", 0x0202);
  data.Set("szDescription", "WinSock 2.0");
  data.Set("szSystemStatus", "Running");
  data.Set("iMaxSockets", 0);
  data.Set("iMaxUdpDg", 0);
  if (!supported) return Ok(info, WSAVERNOTSUPPORTED);
  g_startup_count.fetch_add(1);
  return Ok(info, 0);
}

// WSACleanup() -> 0 or SOCKET_ERROR. The last matching call closes every socket of the process.
Napi::Value WSACleanup(const Napi::CallbackInfo& info) {
  int count = g_startup_count.load();
  do {
    if (count <= 0) return Fail(info, WSANOTINITIALISED);
  } while (!g_startup_count.compare_exchange_weak(count, count - 1));
  if (count == 1)
    for (SocketRef& sock : UnregisterAllSockets()) CloseSocketRef(info, sock);
  return Ok(info);
}

// ---- socket / closesocket ------------------------------------------------------------------------

// socket(af, type, protocol) -> SOCKET or INVALID_SOCKET.
Napi::Value Socket(const Napi::CallbackInfo& info) {
  static const char* kUsage = "socket(af, type, protocol)";
  int32_t af = ArgInt32(info, 0, kUsage, "af");
  int32_t type = ArgInt32(info, 1, kUsage, "type");
  int32_t protocol = ArgInt32(info, 2, kUsage, "protocol");
  if (!WinsockStarted()) return Fail(info, WSANOTINITIALISED);
  int naf = ToNative(ConstGroup::AF, af);
  if (naf != AF_INET && naf != AF_INET6) return Fail(info, WSAEAFNOSUPPORT);
  int ntype = ToNative(ConstGroup::SOCK, type);
  if (ntype < 0) return Fail(info, WSAESOCKTNOSUPPORT);
  int want = ntype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  int nproto = protocol == 0 ? want : ToNative(ConstGroup::PROTO, protocol);
  if (nproto != want) return Fail(info, WSAEPROTONOSUPPORT);

  // Always O_NONBLOCK underneath: Winsock's blocking mode is emulated (io.cc), which lets one
  // descriptor serve blocking calls, readiness watchers and the overlapped engine at once.
  const int fd = sys::Socket(naf, ntype, nproto);
  if (fd < 0) return Fail(info, WsaFromErrno(-fd));
  int one = 1;
  // Windows lets a listener rebind a port whose old connections sit in TIME_WAIT; Linux needs this.
  if (ntype == SOCK_STREAM) {
    if (int r = sys::SetOption(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one))) {
      sys::Close(fd);
      return Fail(info, WsaFromErrno(-r));
    }
  }
  // Winsock's IPv6 sockets are IPv6-only by default.
  if (naf == AF_INET6) {
    if (int r = sys::SetOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) {
      sys::Close(fd);
      return Fail(info, WsaFromErrno(-r));
    }
  }
  RegisterSocket(fd, naf, ntype, nproto);
  return Ok(info, fd);
}

// Drops the socket from every realm and lets the descriptor close (see socket_table.h).
Napi::Value CloseSocketRef(const Napi::CallbackInfo& info, SocketRef sock) {
  TRACE(kClose, sock->fd);
  bool wake;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    sock->closed = true;
    wake = sock->blocked_callers.load() > 0;
    DropNetworkRecordLocked(*sock);  // no notification survives closesocket, even if the number is reused
  }
  // A thread blocked in poll() on this descriptor would not notice a close(); shutdown wakes it.
  if (wake) sys::Shutdown(sock->fd, SHUT_RDWR);
  CloseWatches(Realm(info.Env()), sock);
  return Ok(info);
}

Napi::Value CloseSocket(const Napi::CallbackInfo& info) {
  int64_t s = ArgSocket(info, 0, "closesocket(s)");
  if (!WinsockStarted()) return Fail(info, WSANOTINITIALISED);
  SocketRef sock = UnregisterSocket(s);
  if (!sock) return Fail(info, WSAENOTSOCK);
  return CloseSocketRef(info, std::move(sock));
}

// ---- bind / listen / accept / connect -------------------------------------------------------------

Napi::Value Bind(const Napi::CallbackInfo& info) {
  static const char* kUsage = "bind(s, name, namelen)";
  int64_t s = ArgSocket(info, 0, kUsage);
  Bytes name = ArgBytes(info, 1, kUsage, "name");
  double namelen = ArgLength(info, 2, kUsage, "namelen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  sockaddr_storage ss;
  socklen_t sslen;
  if (int e = SockaddrForFamily(sock->family, name.data, name.length, namelen, &ss, &sslen, WSAEFAULT))
    return Fail(info, e);
  std::lock_guard<std::mutex> lock(sock->mu);
  if (sock->bound) return Fail(info, WSAEINVAL);
  // A TCP address another socket holds is refused here, not at listen (socket_table.h). An explicit
  // port is claimed before binding; a port the kernel picks, after.
  if (int e = ClaimBoundAddressLocked(*sock, ss)) return Fail(info, e);
  if (int r = sys::Bind(sock->fd, reinterpret_cast<sockaddr*>(&ss), sslen)) {
    ReleaseBoundAddress(*sock);
    return Fail(info, WsaFromErrno(-r));
  }
  sockaddr_storage actual{};
  socklen_t actual_len = sizeof(actual);
  if (sys::LocalAddress(sock->fd, &actual, &actual_len) == 0 &&
      reinterpret_cast<sockaddr_in&>(ss).sin_port == 0)
    ClaimBoundAddressLocked(*sock, actual);  // a fresh ephemeral port: nobody else holds it
  sock->bound = true;
  NoteSocketStateLocked(*sock);  // a registered datagram socket may record FD_WRITE now
  return Ok(info);
}

Napi::Value Listen(const Napi::CallbackInfo& info) {
  static const char* kUsage = "listen(s, backlog)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int32_t backlog = ArgInt32(info, 1, kUsage, "backlog");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (!sock->is_stream()) return Fail(info, WSAEOPNOTSUPP);
  std::lock_guard<std::mutex> lock(sock->mu);
  RefreshConnectLocked(*sock);
  if (sock->connected || sock->connecting) return Fail(info, WSAEISCONN);
  if (!sock->bound) return Fail(info, WSAEINVAL);  // Linux would bind an ephemeral port instead
  if (backlog < 0) backlog = 0;
  if (int r = sys::Listen(sock->fd, backlog)) return Fail(info, WsaFromErrno(-r));
  sock->listening = true;
  NoteSocketStateLocked(*sock);
  return Ok(info);
}

// Writes a Linux address into a Winsock (name, namelen box) pair; returns a WSA code. Reading the box
// may run a getter, so the name's memory is found after it (caller_memory.h).
int WriteAddress(const sockaddr_storage& ss, const Napi::Value& out_view, const Napi::Object& lenbox) {
  double len = BoxValue(lenbox);
  Bytes out = BytesOf(out_view);
  if (int e = SockaddrToWinsock(ss, out.data, out.length, &len)) return e;
  SetBoxValue(lenbox, len);
  return 0;
}

// accept(s, addr, addrlen) -> SOCKET or INVALID_SOCKET. addr and addrlen may be null together.
Napi::Value Accept(const Napi::CallbackInfo& info) {
  static const char* kUsage = "accept(s, addr, addrlen)";
  int64_t s = ArgSocket(info, 0, kUsage);
  Bytes addr = ArgBytes(info, 1, kUsage, "addr");
  Napi::Object addrlen = ArgBox(info, 2, kUsage, "addrlen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (!sock->is_stream()) return Fail(info, WSAEOPNOTSUPP);
  if (addr.present && addrlen.IsEmpty()) return Fail(info, WSAEFAULT);
  if (addr.present) {
    // Checked before accepting, so a short buffer never costs the caller a connection.
    double need = WinsockSockaddrSize(sock->family);
    double have = BoxValue(addrlen);
    addr = BytesOf(info[1]);  // the getter of addrlen.value may have detached it
    if (have < need || addr.length < need) return Fail(info, WSAEFAULT);
  }
  bool nonblocking;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    if (!sock->listening) return Fail(info, WSAEINVAL);
    nonblocking = sock->nonblocking;
  }
  for (;;) {
    sockaddr_storage ss{};
    socklen_t sslen = sizeof(ss);
    const int fd = sys::Accept(sock->fd, &ss, &sslen);  // skips connections reset while queued
    if (fd >= 0) {
      SocketRef child = RegisterSocket(fd, sock->family, sock->type, sock->protocol);
      {
        std::lock_guard<std::mutex> lock(child->mu);
        child->bound = child->connected = true;
        // An accepted socket takes on the listening socket's properties.
        std::lock_guard<std::mutex> plock(sock->mu);
        child->nonblocking = sock->nonblocking;
        child->oob_inline = sock->oob_inline;
        child->reuse_addr = sock->reuse_addr;
        child->rcv_timeout_ms = sock->rcv_timeout_ms;
        child->snd_timeout_ms = sock->snd_timeout_ms;
        child->sndbuf = sock->sndbuf;  // Linux gives the child the listener's buffers; the sizes read back follow
        child->rcvbuf = sock->rcvbuf;
      }
      if (addr.present) WriteAddress(ss, info[1], addrlen);  // sizes were checked above
      TRACE(kAccept, sock->fd, fd);
      ReenableAccept(Realm(info.Env()), *sock, child);  // FD_ACCEPT again; the child inherits the registration
      return Ok(info, fd);
    }
    const int err = -fd;
    if (err == EAGAIN) {
      if (nonblocking) {
        ReenableAccept(Realm(info.Env()), *sock, nullptr);
        return Fail(info, WSAEWOULDBLOCK);
      }
      if (int w = WaitForSocket(*sock, POLLIN, 0)) return Fail(info, w);
      continue;
    }
    return Fail(info, err == EINVAL ? WSAEINVAL : WsaFromErrno(err));
  }
}

// Whether a connect's name asks a datagram socket to drop its default peer: AF_UNSPEC, or an address of
// the socket's family that is all zeros (address and port) (Microsoft's connect page; Wine's tests).
bool IsDisconnectAddress(int family, const Bytes& name, double namelen) {
  if (!name.present || !(namelen >= 2) || namelen > static_cast<double>(name.length)) return false;
  uint16_t af;
  std::memcpy(&af, name.data, 2);
  if (af == WS_AF_UNSPEC) return true;
  sockaddr_storage ss;
  socklen_t sslen;
  if (SockaddrForFamily(family, name.data, name.length, namelen, &ss, &sslen, WSAEAFNOSUPPORT) != 0) return false;
  if (family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(ss);
    return sin.sin_port == 0 && sin.sin_addr.s_addr == 0;
  }
  const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
  return sin6.sin6_port == 0 && IN6_IS_ADDR_UNSPECIFIED(&sin6.sin6_addr);
}

// connect(AF_UNSPEC) on a datagram socket: the default peer goes (send is WSAENOTCONN again), the local
// address stays.
Napi::Value DissolveAssociation(const Napi::CallbackInfo& info, SocketState& sock) {
  std::lock_guard<std::mutex> lock(sock.mu);
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  if (int r = sys::Connect(sock.fd, &unspec, sizeof(unspec))) return Fail(info, WsaFromErrno(-r));
  sock.connected = false;
  return Ok(info);
}

Napi::Value Connect(const Napi::CallbackInfo& info) {
  static const char* kUsage = "connect(s, name, namelen)";
  int64_t s = ArgSocket(info, 0, kUsage);
  Bytes name = ArgBytes(info, 1, kUsage, "name");
  double namelen = ArgLength(info, 2, kUsage, "namelen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (!sock->is_stream() && IsDisconnectAddress(sock->family, name, namelen)) return DissolveAssociation(info, *sock);
  sockaddr_storage ss;
  socklen_t sslen;
  if (int e = SockaddrForFamily(sock->family, name.data, name.length, namelen, &ss, &sslen, WSAEAFNOSUPPORT))
    return Fail(info, e);
  bool nonblocking;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    RefreshConnectLocked(*sock);
    if (sock->listening) return Fail(info, WSAEINVAL);
    if (sock->is_stream()) {
      if (sock->connected) return Fail(info, WSAEISCONN);
      if (sock->connecting) return Fail(info, WSAEALREADY);
    }
    nonblocking = sock->nonblocking;
    const ConnectStarted started = StartConnectRecordedLocked(*sock, reinterpret_cast<sockaddr*>(&ss), sslen);
    if (started == ConnectStarted::kConnected) return Ok(info);
    // connect() itself reports the failure, so SO_ERROR does not repeat it (as after a blocking one).
    if (started == ConnectStarted::kFailed) return Fail(info, sock->connect_error);
  }
  if (nonblocking) return Fail(info, WSAEWOULDBLOCK);
  if (int w = WaitForSocket(*sock, POLLOUT, 0)) return Fail(info, w);
  std::lock_guard<std::mutex> lock(sock->mu);
  RefreshConnectLocked(*sock);
  if (sock->connecting) return Fail(info, WSAETIMEDOUT);  // unreachable: POLLOUT settles a connect
  if (!sock->connected) {
    // Told to its caller: SO_ERROR reads 0 afterwards, while select still shows it in exceptfds
    // (winsock-spec §3.1 "Connect failure details" [observed]).
    sock->so_error = 0;
    return Fail(info, sock->connect_error);
  }
  return Ok(info);
}

Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  static const char* kUsage = "shutdown(s, how)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int32_t how = ArgInt32(info, 1, kUsage, "how");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  int nhow = ToNative(ConstGroup::SD, how);
  if (nhow < 0) return Fail(info, WSAEINVAL);
  std::lock_guard<std::mutex> lock(sock->mu);
  RefreshConnectLocked(*sock);
  if (sock->is_stream() && !sock->connected) return Fail(info, WSAENOTCONN);
  if (int r = sys::Shutdown(sock->fd, nhow); r != 0 && r != -ENOTCONN) return Fail(info, WsaFromErrno(-r));
  if (how == WS_SD_RECEIVE || how == WS_SD_BOTH) sock->rd_shutdown = true;
  if (how == WS_SD_SEND || how == WS_SD_BOTH) sock->wr_shutdown = true;
  NoteSocketStateLocked(*sock);
  return Ok(info);
}

// ---- send / recv / sendto / recvfrom --------------------------------------------------------------

// Success of a call that current Windows answers with a last error of 0 (send, recv and their kin,
// getsockopt, setsockopt: Wine's tests assert it; winsock-spec §2.1). Other calls leave it alone.
Napi::Value OkCleared(const Napi::CallbackInfo& info, double value = 0) {
  SetLastError(Realm(info.Env()), 0);
  return Ok(info, value);
}

Napi::Value SendResult(const Napi::CallbackInfo& info, const IoResult& r) {
  if (r.error) return Fail(info, r.error);
  return OkCleared(info, static_cast<double>(r.bytes));
}

// send(s, buf, len, flags) and sendto(s, buf, len, flags, to, tolen).
Napi::Value SocketSend(const Napi::CallbackInfo& info, bool with_address) {
  const char* usage = with_address ? "sendto(s, buf, len, flags, to, tolen)" : "send(s, buf, len, flags)";
  int64_t s = ArgSocket(info, 0, usage);
  Bytes buf = ArgBytes(info, 1, usage, "buf");
  double len = ArgLength(info, 2, usage, "len");
  int32_t flags = ArgInt32(info, 3, usage, "flags");
  Bytes to;
  double tolen = 0;
  if (with_address) {
    to = ArgBytes(info, 4, usage, "to");
    tolen = ArgLength(info, 5, usage, "tolen");
  }
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (!FitsIn(len, buf.length)) return Fail(info, WSAEFAULT);
  sockaddr_storage ss;
  socklen_t sslen = 0;
  // A connection-oriented socket ignores the destination, however malformed: sendto is send there.
  const bool use_to = to.present && !sock->is_stream();
  if (use_to) {
    if (int e = SockaddrForFamily(sock->family, to.data, to.length, tolen, &ss, &sslen, WSAEAFNOSUPPORT))
      return Fail(info, e);
  }
  iovec iov{buf.data, static_cast<size_t>(len)};
  CallerBuffers memory(info.Env());
  memory.Add(info[1], iov.iov_len);
  SendRequest req{&iov, 1, flags, use_to ? reinterpret_cast<sockaddr*>(&ss) : nullptr, sslen};
  req.memory = &memory;
  return SendResult(info, SendOn(*sock, req));
}

Napi::Value Send(const Napi::CallbackInfo& info) { return SocketSend(info, false); }
Napi::Value SendTo(const Napi::CallbackInfo& info) { return SocketSend(info, true); }

// recv(s, buf, len, flags) and recvfrom(s, buf, len, flags, from, fromlen).
Napi::Value SocketRecv(const Napi::CallbackInfo& info, bool with_address) {
  const char* usage = with_address ? "recvfrom(s, buf, len, flags, from, fromlen)" : "recv(s, buf, len, flags)";
  int64_t s = ArgSocket(info, 0, usage);
  Bytes buf = ArgBytes(info, 1, usage, "buf");
  double len = ArgLength(info, 2, usage, "len");
  int32_t flags = ArgInt32(info, 3, usage, "flags");
  Bytes from;
  Napi::Object fromlen;
  if (with_address) {
    from = ArgBytes(info, 4, usage, "from");
    fromlen = ArgBox(info, 5, usage, "fromlen");
  }
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  bool fault = !FitsIn(len, buf.length);
  if (!fault && from.present) {
    double need = WinsockSockaddrSize(sock->family);
    fault = fromlen.IsEmpty() || BoxValue(fromlen) < need;
    from = BytesOf(info[4]);  // the getter of fromlen.value may have detached it
    fault = fault || from.length < need;
  }
  if (fault) {
    ReenableRecvAfterFault(*sock);
    return Fail(info, WSAEFAULT);
  }
  sockaddr_storage ss{};
  iovec iov{};
  CallerBuffers memory(info.Env());
  memory.Add(info[1], static_cast<size_t>(len));
  // fromlen's getter (above) may have detached buf: its memory is found only now.
  if (memory.Locate(&iov, 1)) {
    ReenableRecvAfterFault(*sock);
    return Fail(info, WSAEFAULT);
  }
  RecvRequest req{&iov, 1, flags, from.present ? &ss : nullptr};
  req.memory = &memory;
  IoResult r = RecvOn(*sock, req);
  if (from.present && (r.error == 0 || r.error == WSAEMSGSIZE) && ss.ss_family != AF_UNSPEC)
    WriteAddress(ss, info[4], fromlen);
  if (r.error) return Fail(info, r.error);
  return OkCleared(info, static_cast<double>(r.bytes));
}

Napi::Value Recv(const Napi::CallbackInfo& info) { return SocketRecv(info, false); }
Napi::Value RecvFrom(const Napi::CallbackInfo& info) { return SocketRecv(info, true); }

// ---- names -----------------------------------------------------------------------------------------

Napi::Value NameCommon(const Napi::CallbackInfo& info, bool peer) {
  const char* usage = peer ? "getpeername(s, name, namelen)" : "getsockname(s, name, namelen)";
  int64_t s = ArgSocket(info, 0, usage);
  Bytes name = ArgBytes(info, 1, usage, "name");
  Napi::Object namelen = ArgBox(info, 2, usage, "namelen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    RefreshConnectLocked(*sock);
    if (peer && !sock->connected) return Fail(info, WSAENOTCONN);
    if (!peer && !sock->bound) return Fail(info, WSAEINVAL);  // Linux would answer 0.0.0.0:0
  }
  if (!name.present || namelen.IsEmpty()) return Fail(info, WSAEFAULT);
  sockaddr_storage ss{};
  socklen_t sslen = sizeof(ss);
  const int r = peer ? sys::PeerAddress(sock->fd, &ss, &sslen) : sys::LocalAddress(sock->fd, &ss, &sslen);
  if (r != 0) return Fail(info, WsaFromErrno(-r));
  if (int e = WriteAddress(ss, info[1], namelen)) return Fail(info, e);
  return Ok(info);
}

Napi::Value GetSockName(const Napi::CallbackInfo& info) { return NameCommon(info, false); }
Napi::Value GetPeerName(const Napi::CallbackInfo& info) { return NameCommon(info, true); }

// ---- ioctlsocket -----------------------------------------------------------------------------------

// ioctlsocket(s, cmd, argp): FIONBIO reads argp.value; FIONREAD and SIOCATMARK write it.
Napi::Value IoctlSocket(const Napi::CallbackInfo& info) {
  static const char* kUsage = "ioctlsocket(s, cmd, argp)";
  int64_t s = ArgSocket(info, 0, kUsage);
  uint32_t cmd = ArgUint32(info, 1, kUsage, "cmd");
  Napi::Object argp = ArgBox(info, 2, kUsage, "argp");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (argp.IsEmpty()) return Fail(info, WSAEFAULT);
  if (cmd == static_cast<uint32_t>(WS_FIONBIO)) {
    bool on = BoxValue(argp) != 0;
    std::lock_guard<std::mutex> lock(sock->mu);
    // WSAAsyncSelect/WSAEventSelect own the mode while registered: leaving non-blocking is refused.
    if (!on && sock->select_registered) return Fail(info, WSAEINVAL);
    sock->nonblocking = on;
    return Ok(info);
  }
  if (cmd == static_cast<uint32_t>(WS_FIONREAD)) {
    int n = 0;
    bool listening;
    {
      std::lock_guard<std::mutex> lock(sock->mu);
      listening = sock->listening;
    }
    if (!listening) {
      if (int r = sys::BytesQueued(sock->fd, &n)) return Fail(info, WsaFromErrno(-r));
    }
    SetBoxValue(argp, n);  // a listening socket has nothing to read (Linux would fail)
    return Ok(info);
  }
  if (cmd == static_cast<uint32_t>(WS_SIOCATMARK)) {
    // Winsock's answer is inverted from BSD's: TRUE means no urgent byte waits to be read.
    bool inline_oob;
    {
      std::lock_guard<std::mutex> lock(sock->mu);
      inline_oob = sock->oob_inline;
    }
    pollfd p{sock->fd, POLLPRI, 0};
    if (int r = sys::PollNow(&p, 1); r < 0) return Fail(info, WsaFromErrno(-r));
    SetBoxValue(argp, (inline_oob || !(p.revents & POLLPRI)) ? 1 : 0);
    return Ok(info);
  }
  return Fail(info, WSAEINVAL);
}

// ---- setsockopt / getsockopt ----------------------------------------------------------------------

struct OptionTarget {
  int error = 0;      // WSA code when the (level, optname) pair is refused
  int level = 0;      // Linux level
  int name = 0;       // Linux option, or kEmulated
  int64_t ws_name = 0;
};

OptionTarget ResolveOption(const SocketState& sock, int32_t level, int32_t optname) {
  OptionTarget t;
  t.ws_name = optname;
  ConstGroup group;
  if (level == WS_SOL_SOCKET) { group = ConstGroup::SO; t.level = SOL_SOCKET; }
  else if (level == WS_IPPROTO_TCP) { group = ConstGroup::TCPOPT; t.level = IPPROTO_TCP; }
  else if (level == WS_IPPROTO_IP) { group = ConstGroup::IPOPT; t.level = IPPROTO_IP; }
  else if (level == WS_IPPROTO_IPV6) { group = ConstGroup::IPV6OPT; t.level = IPPROTO_IPV6; }
  else { t.error = WSAEINVAL; return t; }
  t.name = ToNative(group, optname);
  if (t.name == kUnknown || t.name == kUnsupported) t.error = WSAENOPROTOOPT;
  else if (group == ConstGroup::TCPOPT && !sock.is_stream()) t.error = WSAENOPROTOOPT;
  else if (group == ConstGroup::IPOPT && sock.family != AF_INET) t.error = WSAEINVAL;
  else if (group == ConstGroup::IPV6OPT && sock.family != AF_INET6) t.error = WSAEINVAL;
  return t;
}

int32_t ReadInt32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// setsockopt(s, level, optname, optval, optlen): optval is the option's memory (TypeScript turns a
// { value } box or a LINGER into it).
Napi::Value SetSockOpt(const Napi::CallbackInfo& info) {
  static const char* kUsage = "setsockopt(s, level, optname, optval, optlen)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int32_t level = ArgInt32(info, 1, kUsage, "level");
  int32_t optname = ArgInt32(info, 2, kUsage, "optname");
  Bytes optval = ArgBytes(info, 3, kUsage, "optval");
  double optlen = ArgLength(info, 4, kUsage, "optlen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  OptionTarget t = ResolveOption(*sock, level, optname);
  if (t.error) return Fail(info, t.error);
  if (!optval.present || !FitsIn(optlen, optval.length) || optlen < 4) return Fail(info, WSAEFAULT);
  const int32_t value = ReadInt32(optval.data);

  if (t.ws_name == WS_SO_LINGER || t.ws_name == WS_SO_DONTLINGER) {
    linger l{};
    if (t.ws_name == WS_SO_LINGER) {
      uint16_t onoff, secs;  // Winsock's LINGER is two u_shorts
      std::memcpy(&onoff, optval.data, 2);
      std::memcpy(&secs, optval.data + 2, 2);
      l.l_onoff = onoff != 0;
      l.l_linger = secs;
    } else {
      socklen_t len = sizeof(l);
      if (int r = sys::GetOption(sock->fd, SOL_SOCKET, SO_LINGER, &l, &len)) return Fail(info, WsaFromErrno(-r));
      l.l_onoff = value == 0;
    }
    if (int r = sys::SetOption(sock->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l))) return Fail(info, WsaFromErrno(-r));
    return OkCleared(info);
  }
  if (t.ws_name == WS_SO_RCVTIMEO || t.ws_name == WS_SO_SNDTIMEO) {
    // Applied by the emulated blocking waits (io.cc), in milliseconds as Winsock's DWORD.
    std::lock_guard<std::mutex> lock(sock->mu);
    (t.ws_name == WS_SO_RCVTIMEO ? sock->rcv_timeout_ms : sock->snd_timeout_ms) = static_cast<uint32_t>(value);
    return OkCleared(info);
  }
  if (t.name == kEmulated || t.ws_name == WS_SO_ACCEPTCONN) return Fail(info, WSAENOPROTOOPT);  // read-only
  if (t.ws_name == WS_SO_REUSEADDR) {
    // Winsock's flag, checked by bind (socket_table.h). A stream descriptor keeps Linux's SO_REUSEADDR
    // on whatever is asked; a datagram one takes the request, which shares a port as Windows does.
    std::lock_guard<std::mutex> lock(sock->mu);
    if (!sock->is_stream()) {
      if (int r = sys::SetOption(sock->fd, SOL_SOCKET, SO_REUSEADDR, &value, sizeof(value)))
        return Fail(info, WsaFromErrno(-r));
    }
    sock->reuse_addr = value != 0;
    return OkCleared(info);
  }
  if (t.ws_name == WS_SO_SNDBUF || t.ws_name == WS_SO_RCVBUF) {
    // Linux clamps to its own minimum and maximum; Winsock reads back what was set [observed].
    if (value < 0) return Fail(info, WSAEINVAL);
    if (int r = sys::SetOption(sock->fd, t.level, t.name, &value, sizeof(value))) return Fail(info, WsaFromErrno(-r));
    std::lock_guard<std::mutex> lock(sock->mu);
    (t.ws_name == WS_SO_SNDBUF ? sock->sndbuf : sock->rcvbuf) = value;
    return OkCleared(info);
  }
  if (int r = sys::SetOption(sock->fd, t.level, t.name, &value, sizeof(value))) return Fail(info, WsaFromErrno(-r));
  if (t.level == SOL_SOCKET && t.name == SO_OOBINLINE) {
    std::lock_guard<std::mutex> lock(sock->mu);
    sock->oob_inline = value != 0;
  }
  return OkCleared(info);
}

// getsockopt(s, level, optname, optval, optlen): optlen is a { value } box, in and out.
Napi::Value GetSockOpt(const Napi::CallbackInfo& info) {
  static const char* kUsage = "getsockopt(s, level, optname, optval, optlen)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int32_t level = ArgInt32(info, 1, kUsage, "level");
  int32_t optname = ArgInt32(info, 2, kUsage, "optname");
  Bytes optval = ArgBytes(info, 3, kUsage, "optval");
  Napi::Object optlen = ArgBox(info, 4, kUsage, "optlen");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  OptionTarget t = ResolveOption(*sock, level, optname);
  if (t.error) return Fail(info, t.error);
  if (!optval.present || optlen.IsEmpty()) return Fail(info, WSAEFAULT);
  double have = BoxValue(optlen);
  optval = BytesOf(info[3]);  // the getter of optlen.value may have detached it
  if (!FitsIn(have, optval.length) || have < 4) return Fail(info, WSAEFAULT);

  int32_t value = 0;
  if (t.ws_name == WS_SO_LINGER || t.ws_name == WS_SO_DONTLINGER) {
    linger l{};
    socklen_t len = sizeof(l);
    if (int r = sys::GetOption(sock->fd, SOL_SOCKET, SO_LINGER, &l, &len)) return Fail(info, WsaFromErrno(-r));
    if (t.ws_name == WS_SO_LINGER) {
      uint16_t onoff = l.l_onoff ? 1 : 0, secs = static_cast<uint16_t>(l.l_linger);
      std::memcpy(optval.data, &onoff, 2);
      std::memcpy(optval.data + 2, &secs, 2);
      SetBoxValue(optlen, 4);
      return OkCleared(info);
    }
    value = l.l_onoff ? 0 : 1;
  } else if (t.ws_name == WS_SO_ERROR) {
    std::lock_guard<std::mutex> lock(sock->mu);
    RefreshConnectLocked(*sock);
    value = sock->so_error;  // the WSA code; Linux's SO_ERROR is consumed by io.cc only
  } else if (t.ws_name == WS_SO_TYPE) {
    value = static_cast<int32_t>(FromNative(ConstGroup::SOCK, sock->type));
  } else if (t.ws_name == WS_SO_RCVTIMEO || t.ws_name == WS_SO_SNDTIMEO) {
    std::lock_guard<std::mutex> lock(sock->mu);
    value = static_cast<int32_t>(t.ws_name == WS_SO_RCVTIMEO ? sock->rcv_timeout_ms : sock->snd_timeout_ms);
  } else if (t.ws_name == WS_SO_REUSEADDR) {
    std::lock_guard<std::mutex> lock(sock->mu);
    value = sock->reuse_addr ? 1 : 0;
  } else if ((t.ws_name == WS_SO_SNDBUF && sock->sndbuf >= 0) || (t.ws_name == WS_SO_RCVBUF && sock->rcvbuf >= 0)) {
    std::lock_guard<std::mutex> lock(sock->mu);
    value = t.ws_name == WS_SO_SNDBUF ? sock->sndbuf : sock->rcvbuf;
  } else {
    socklen_t len = sizeof(value);
    if (int r = sys::GetOption(sock->fd, t.level, t.name, &value, &len)) return Fail(info, WsaFromErrno(-r));
    if (t.level == SOL_SOCKET && (t.name == SO_SNDBUF || t.name == SO_RCVBUF)) {
      // Never set: Linux's default, which it keeps doubled (bookkeeping); report the usable half.
      value /= 2;
    }
  }
  std::memcpy(optval.data, &value, 4);
  SetBoxValue(optlen, 4);
  return OkCleared(info);
}

// ---- address text ----------------------------------------------------------------------------------

// inet_pton(Family, pszAddrString, pAddrBuf) -> 1, 0 (not an address), or -1 with WSAEAFNOSUPPORT.
Napi::Value InetPton(const Napi::CallbackInfo& info) {
  static const char* kUsage = "inet_pton(Family, pszAddrString, pAddrBuf)";
  int32_t family = ArgInt32(info, 0, kUsage, "Family");
  if (!info[1].IsString()) ThrowUsage(info, kUsage, "pszAddrString must be a string");
  std::string text = info[1].As<Napi::String>().Utf8Value();
  Bytes out = ArgBytes(info, 2, kUsage, "pAddrBuf");
  int naf = family == WS_AF_INET ? AF_INET : family == WS_AF_INET6 ? AF_INET6 : -1;
  if (naf < 0) return Fail(info, WSAEAFNOSUPPORT);
  size_t need = naf == AF_INET ? 4 : 16;
  if (!out.present || out.length < need) return Fail(info, WSAEFAULT);
  if (text.find('\0') != std::string::npos) return Ok(info, 0);
  unsigned char tmp[16];
  int r = ::inet_pton(naf, text.c_str(), tmp);
  if (r != 1) return Ok(info, 0);
  std::memcpy(out.data, tmp, need);
  return Ok(info, 1);
}

// inet_ntop(Family, pAddr) -> the text, or null with WSAEAFNOSUPPORT / WSAEFAULT. (The TypeScript
// face adds C's output buffer and size.)
Napi::Value InetNtop(const Napi::CallbackInfo& info) {
  static const char* kUsage = "inet_ntop(Family, pAddr)";
  int32_t family = ArgInt32(info, 0, kUsage, "Family");
  Bytes in = ArgBytes(info, 1, kUsage, "pAddr");
  int naf = family == WS_AF_INET ? AF_INET : family == WS_AF_INET6 ? AF_INET6 : -1;
  if (naf < 0) {
    SetLastError(Realm(info.Env()), WSAEAFNOSUPPORT);
    return info.Env().Null();
  }
  size_t need = naf == AF_INET ? 4 : 16;
  if (!in.present || in.length < need) {
    SetLastError(Realm(info.Env()), WSAEFAULT);
    return info.Env().Null();
  }
  char text[INET6_ADDRSTRLEN];
  if (int r = sys::AddressToText(naf, in.data, text, sizeof(text))) {
    SetLastError(Realm(info.Env()), WsaFromErrno(-r));
    return info.Env().Null();
  }
  return Napi::String::New(info.Env(), text);
}

}  // namespace

bool WinsockStarted() { return g_startup_count.load() > 0; }

void InitSockets(Napi::Env env, Napi::Object exports) {
  exports.Set("WSAStartup", Napi::Function::New(env, WSAStartup, "WSAStartup"));
  exports.Set("WSACleanup", Napi::Function::New(env, WSACleanup, "WSACleanup"));
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("closesocket", Napi::Function::New(env, CloseSocket, "closesocket"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("recv", Napi::Function::New(env, Recv, "recv"));
  exports.Set("sendto", Napi::Function::New(env, SendTo, "sendto"));
  exports.Set("recvfrom", Napi::Function::New(env, RecvFrom, "recvfrom"));
  exports.Set("getsockname", Napi::Function::New(env, GetSockName, "getsockname"));
  exports.Set("getpeername", Napi::Function::New(env, GetPeerName, "getpeername"));
  exports.Set("ioctlsocket", Napi::Function::New(env, IoctlSocket, "ioctlsocket"));
  exports.Set("setsockopt", Napi::Function::New(env, SetSockOpt, "setsockopt"));
  exports.Set("getsockopt", Napi::Function::New(env, GetSockOpt, "getsockopt"));
  exports.Set("inet_pton", Napi::Function::New(env, InetPton, "inet_pton"));
  exports.Set("inet_ntop", Napi::Function::New(env, InetNtop, "inet_ntop"));
}
