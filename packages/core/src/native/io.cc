#include "io.h"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <vector>

#include "socket_state.h"
#include "sys/sys.h"
#include "trace.h"
#include "wsa.h"

namespace {

// Winsock MSG_* flags a send accepts, translated; -1 for a flag Winsock refuses here.
int NativeSendFlags(int64_t ws) {
  if (ws & ~(WS_MSG_OOB | WS_MSG_DONTROUTE | WS_MSG_PUSH_IMMEDIATE)) return -1;
  int f = 0;
  if (ws & WS_MSG_OOB) f |= MSG_OOB;
  if (ws & WS_MSG_DONTROUTE) f |= MSG_DONTROUTE;
  return f;
}

int NativeRecvFlags(int64_t ws) {
  if (ws & ~(WS_MSG_OOB | WS_MSG_PEEK | WS_MSG_WAITALL | WS_MSG_PUSH_IMMEDIATE)) return -1;
  int f = 0;
  if (ws & WS_MSG_OOB) f |= MSG_OOB;
  if (ws & WS_MSG_PEEK) f |= MSG_PEEK;
  if (ws & WS_MSG_WAITALL) f |= MSG_WAITALL;
  return f;
}

}  // namespace

void AdvanceIovecs(iovec*& iov, int& iovcnt, size_t n) {
  while (iovcnt > 0 && n >= iov->iov_len) {
    n -= iov->iov_len;
    ++iov;
    --iovcnt;
  }
  if (iovcnt > 0 && n > 0) {
    iov->iov_base = static_cast<uint8_t*>(iov->iov_base) + n;
    iov->iov_len -= n;
  }
}

namespace {
std::atomic<BlockingPoll> g_blocking_poll{[](pollfd* own, int wait_ms) { return sys::Poll(own, 1, wait_ms); }};
}  // namespace

void SetBlockingPoll(BlockingPoll poll) { g_blocking_poll.store(poll); }

int WaitForSocket(SocketState& s, short events, uint32_t timeout_ms, short* revents) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  // Counted while blocked (closesocket wakes such callers); also when a routine run by an
  // alertable wait throws out of it.
  struct Blocked {
    SocketState& s;
    explicit Blocked(SocketState& st) : s(st) { s.blocked_callers.fetch_add(1); }
    ~Blocked() { s.blocked_callers.fetch_sub(1); }
  } blocked(s);
  const BlockingPoll poll_once = g_blocking_poll.load();
  int result = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(s.mu);
      if (s.closed) { result = WSAEINTR; break; }
    }
    int wait_ms = -1;
    if (timeout_ms) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) { result = WSAETIMEDOUT; break; }
      wait_ms = left > INT_MAX ? INT_MAX : static_cast<int>(left);
    }
    pollfd p{s.fd, events, 0};
    int r = poll_once(&p, wait_ms);
    if (r == kPollRealmGone) { result = WSAEINTR; break; }
    if (r == -EINTR) continue;
    if (r < 0) { result = WsaFromErrno(-r); break; }
    if (r == 0) continue;  // the deadline check above decides
    // POLLERR/POLLHUP also end the wait: the call that follows reports what happened.
    if (revents) *revents = p.revents;
    std::lock_guard<std::mutex> lock(s.mu);
    result = s.closed ? WSAEINTR : 0;
    break;
  }
  return result;
}

int DataErrorFromErrno(SocketState& s, int err, bool sending) {
  std::lock_guard<std::mutex> lock(s.mu);
  switch (err) {
    case EPIPE:
      // Linux says EPIPE both after the local shutdown(SD_SEND) and after the peer reset; Winsock
      // tells them apart.
      if (s.wr_shutdown) return WSAESHUTDOWN;
      s.reset = true;
      return WSAECONNRESET;
    case ECONNRESET:
      s.reset = true;
      return WSAECONNRESET;
    case EDESTADDRREQ:
      return sending ? WSAENOTCONN : WSAEDESTADDRREQ;  // Winsock: send on unconnected UDP
    default:
      return WsaFromErrno(err);
  }
}

IoResult SendData(SocketState& s, SendRequest& req) {
  IoResult res;
  int flags = NativeSendFlags(req.ws_flags);
  if (flags < 0 || ((req.ws_flags & WS_MSG_OOB) && !s.is_stream())) { res.error = WSAEOPNOTSUPP; return res; }
  bool nonblocking;
  uint32_t timeout;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    res.connect_settled = SettleConnectLocked(s);
    if (s.wr_shutdown) { res.error = WSAESHUTDOWN; return res; }
    if (s.reset) { res.error = WSAECONNRESET; return res; }
    if (s.is_stream() && !s.connected) { res.error = WSAENOTCONN; return res; }
    if (!s.is_stream() && !req.to && !s.connected) { res.error = WSAENOTCONN; return res; }
    nonblocking = s.nonblocking || req.never_block;
    timeout = s.snd_timeout_ms;
  }
  // A destination on a connected stream socket is ignored, as Winsock does.
  const sockaddr* to = s.is_stream() ? nullptr : req.to;
  const size_t total = IovTotal(req.iov, req.iovcnt);
  iovec* iov = req.iov;
  int iovcnt = req.iovcnt;
  for (;;) {
    const ssize_t n = sys::Send(s.fd, iov, iovcnt, to, req.tolen, flags);
    if (n >= 0) {
      if (to) {
        std::lock_guard<std::mutex> lock(s.mu);
        s.bound = true;  // the kernel bound an unbound datagram socket for this send
      }
      res.bytes += static_cast<size_t>(n);
      if (res.bytes >= total || nonblocking || !s.is_stream()) return res;
      AdvanceIovecs(iov, iovcnt, static_cast<size_t>(n));
      continue;
    }
    const int err = static_cast<int>(-n);
    if (err == EAGAIN) {
      if (nonblocking) {
        if (res.bytes == 0) res.error = WSAEWOULDBLOCK;
        return res;
      }
      int w = WaitForSocket(s, POLLOUT, timeout);
      if (w) { res.error = w; return res; }
      if (req.memory) {  // the wait may have run JavaScript: find the buffers again
        if (int e = req.memory->Locate(req.iov, req.iovcnt)) { res.error = e; return res; }
        iov = req.iov;
        iovcnt = req.iovcnt;
        AdvanceIovecs(iov, iovcnt, res.bytes);
      }
      continue;
    }
    res.error = DataErrorFromErrno(s, err, /*sending=*/true);
    return res;
  }
}

IoResult RecvData(SocketState& s, RecvRequest& req) {
  IoResult res;
  int flags = NativeRecvFlags(req.ws_flags);
  const bool oob = req.ws_flags & WS_MSG_OOB;
  if (flags < 0 || (oob && !s.is_stream())) { res.error = WSAEOPNOTSUPP; return res; }
  bool nonblocking;
  uint32_t timeout;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    res.connect_settled = SettleConnectLocked(s);
    if (oob && s.oob_inline) { res.error = WSAEINVAL; return res; }
    if (s.rd_shutdown) { res.error = WSAESHUTDOWN; return res; }
    if (s.reset) { res.error = WSAECONNRESET; return res; }
    if (s.is_stream() && !s.connected) { res.error = WSAENOTCONN; return res; }
    if (!s.is_stream() && !s.bound) { res.error = WSAEINVAL; return res; }
    nonblocking = s.nonblocking || req.never_block;
    timeout = s.rcv_timeout_ms;
  }
  const size_t total = IovTotal(req.iov, req.iovcnt);
  // MSG_WAITALL on a blocking stream socket gathers until the buffers are full (or the peer closes);
  // the descriptor is non-blocking, so the loop below does what the kernel flag would.
  const bool wait_all = (flags & MSG_WAITALL) && s.is_stream() && !nonblocking;
  flags &= ~MSG_WAITALL;
  iovec* iov = req.iov;
  int iovcnt = req.iovcnt;
  for (;;) {
    bool truncated = false;
    const ssize_t n = sys::Recv(s.fd, iov, iovcnt, req.from, flags, s.is_stream(), &truncated);
    if (n >= 0) {
      res.bytes += static_cast<size_t>(n);
      if (!s.is_stream() && truncated) {
        // The datagram did not fit: the buffers hold its first part, the rest is gone. No MSG_PARTIAL:
        // Winsock sets it only for providers that support partial messages, never for UDP.
        res.error = WSAEMSGSIZE;
        return res;
      }
      if (wait_all && n > 0 && res.bytes < total) {
        AdvanceIovecs(iov, iovcnt, static_cast<size_t>(n));
        continue;
      }
      return res;
    }
    const int err = static_cast<int>(-n);
    // Linux answers recv(MSG_OOB) with EINVAL when no urgent byte waits; Winsock waits for one
    // (blocking) or says WSAEWOULDBLOCK.
    const bool no_urgent = oob && err == EINVAL;
    if (err == EAGAIN || no_urgent) {
      if (res.bytes > 0) return res;
      if (nonblocking) { res.error = WSAEWOULDBLOCK; return res; }
      short revents = 0;
      int w = WaitForSocket(s, oob ? POLLPRI : POLLIN, timeout, &revents);
      if (w) { res.error = w; return res; }
      // The connection ended while waiting for an urgent byte that never came: end of stream.
      if (oob && (revents & (POLLHUP | POLLERR)) && !(revents & POLLPRI)) return res;
      if (req.memory) {  // the wait may have run JavaScript: find the buffers again
        if (int e = req.memory->Locate(req.iov, req.iovcnt)) { res.error = e; return res; }
        iov = req.iov;
        iovcnt = req.iovcnt;
        AdvanceIovecs(iov, iovcnt, res.bytes);
      }
      continue;
    }
    res.error = DataErrorFromErrno(s, err, /*sending=*/false);
    return res;
  }
}
