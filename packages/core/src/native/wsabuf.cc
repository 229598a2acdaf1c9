// WSABUF arrays <-> iovec, and the synchronous WSASend / WSARecv / WSASendTo / WSARecvFrom.
// Winsock's uv_buf_t contract (libuv: uv_buf_t[] casts to WSABUF[] on Windows and to struct iovec on
// Unix) is the same idea: a WSABUF { len, buf } is an iovec whose length comes first.
#include <sys/uio.h>

#include <climits>
#include <vector>

#include "caller_memory.h"
#include "entry.h"
#include "io.h"
#include "recorder.h"
#include "sockaddr.h"
#include "wsabuf.h"

namespace {

// The overlapped parameters are handled by the overlapped engine's faces; here they must be null.
void RequireNoOverlapped(const Napi::CallbackInfo& info, const char* usage, size_t first) {
  for (size_t i = first; i < info.Length(); ++i)
    if (!IsNullish(info[i])) ThrowUsage(info, usage, "this entry point takes no lpOverlapped or lpCompletionRoutine");
}

Napi::Value Finish(const Napi::CallbackInfo& info, const IoResult& r, Napi::Object& bytes_box,
                   Napi::Object* flags_box) {
  // Winsock writes the count on success and, for a truncated datagram, the bytes it did deliver.
  if (r.error == 0 || r.error == WSAEMSGSIZE) {
    SetBoxValue(bytes_box, static_cast<double>(r.bytes));
    if (flags_box) SetBoxValue(*flags_box, r.out_flags);
  }
  if (r.error) return Fail(info, r.error);
  SetLastError(Realm(info.Env()), 0);  // as current Windows does after a successful call (winsock-spec §2.1)
  return Ok(info);
}

// WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags) and
// WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen).
Napi::Value WsabufSend(const Napi::CallbackInfo& info, bool with_address) {
  const char* usage = with_address ? "WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen)"
                                   : "WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags)";
  int64_t s = ArgSocket(info, 0, usage);
  double count = ArgLength(info, 2, usage, "dwBufferCount");
  Napi::Object sent = ArgBox(info, 3, usage, "lpNumberOfBytesSent");
  int32_t flags = ArgInt32(info, 4, usage, "dwFlags");
  Bytes to;
  double tolen = 0;
  if (with_address) {
    to = ArgBytes(info, 5, usage, "lpTo");
    tolen = ArgLength(info, 6, usage, "iTolen");
  }
  RequireNoOverlapped(info, usage, with_address ? 7 : 5);
  IovList iov;
  std::vector<Napi::Value> views;
  int error = ReadWsabufs(info, usage, 1, count, iov, &views);
  SocketRef sock = error ? nullptr : Lookup(s, &error);
  if (!sock) {
    if (!WinsockStarted()) error = WSANOTINITIALISED;
    return Fail(info, error);
  }
  if (sent.IsEmpty()) return Fail(info, WSAEFAULT);
  sockaddr_storage ss;
  socklen_t sslen = 0;
  const bool use_to = to.present && !sock->is_stream();  // a stream socket ignores lpTo: WSASend
  if (use_to) {
    if (int e = SockaddrForFamily(sock->family, to.data, to.length, tolen, &ss, &sslen, WSAEAFNOSUPPORT))
      return Fail(info, e);
  }
  CallerBuffers memory(info.Env());
  AddWsabufs(memory, views, iov);
  SendRequest req{iov.data(), iov.count(), flags, use_to ? reinterpret_cast<sockaddr*>(&ss) : nullptr, sslen};
  req.memory = &memory;
  IoResult r = SendOn(*sock, req);
  return Finish(info, r, sent, nullptr);
}

// WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags) and
// WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen).
Napi::Value WsabufRecv(const Napi::CallbackInfo& info, bool with_address) {
  const char* usage = with_address ? "WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen)"
                                   : "WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags)";
  int64_t s = ArgSocket(info, 0, usage);
  double count = ArgLength(info, 2, usage, "dwBufferCount");
  Napi::Object recvd = ArgBox(info, 3, usage, "lpNumberOfBytesRecvd");
  Napi::Object flags = ArgBox(info, 4, usage, "lpFlags");
  Bytes from;
  Napi::Object fromlen;
  if (with_address) {
    from = ArgBytes(info, 5, usage, "lpFrom");
    fromlen = ArgBox(info, 6, usage, "lpFromlen");
  }
  RequireNoOverlapped(info, usage, with_address ? 7 : 5);
  // The boxes' values first: their getters may detach buffers (caller_memory.h).
  const double flags_in = flags.IsEmpty() ? 0 : BoxValue(flags);
  const double fromlen_in = fromlen.IsEmpty() ? 0 : BoxValue(fromlen);
  IovList iov;
  std::vector<Napi::Value> views;
  // The buffers are judged before the socket, but the socket is looked up for a refused call too: a
  // receive refused with WSAEFAULT re-enables FD_READ in message mode all the same (recorder.h).
  int error = ReadWsabufs(info, usage, 1, count, iov, &views);
  if (with_address) from = BytesOf(info[5]);
  int lookup_error = 0;
  SocketRef sock = Lookup(s, &lookup_error);  // null, with WSANOTINITIALISED, before WSAStartup
  if (!error || lookup_error == WSANOTINITIALISED) error = lookup_error;
  if (!error && (recvd.IsEmpty() || flags.IsEmpty())) error = WSAEFAULT;
  if (!error && from.present) {
    double need = WinsockSockaddrSize(sock->family);
    if (fromlen.IsEmpty() || fromlen_in < need || from.length < need) error = WSAEFAULT;
  }
  if (error) {
    if (error == WSAEFAULT && sock) ReenableRecvAfterFault(*sock);
    return Fail(info, error);
  }
  sockaddr_storage ss{};
  CallerBuffers memory(info.Env());
  AddWsabufs(memory, views, iov);
  RecvRequest req{iov.data(), iov.count(), static_cast<int64_t>(static_cast<uint32_t>(flags_in)),
                  from.present ? &ss : nullptr};
  req.memory = &memory;
  IoResult r = RecvOn(*sock, req);
  if (from.present && (r.error == 0 || r.error == WSAEMSGSIZE) && ss.ss_family != AF_UNSPEC) {
    double len = BoxValue(fromlen);
    from = BytesOf(info[5]);  // the wait and the getter may have run JavaScript
    if (SockaddrToWinsock(ss, from.data, from.length, &len) == 0) SetBoxValue(fromlen, len);
  }
  return Finish(info, r, recvd, &flags);
}

Napi::Value WSASend(const Napi::CallbackInfo& info) { return WsabufSend(info, false); }
Napi::Value WSASendTo(const Napi::CallbackInfo& info) { return WsabufSend(info, true); }
Napi::Value WSARecv(const Napi::CallbackInfo& info) { return WsabufRecv(info, false); }
Napi::Value WSARecvFrom(const Napi::CallbackInfo& info) { return WsabufRecv(info, true); }

}  // namespace

// Reads lpBuffers[0 .. dwBufferCount) into iovecs. lpBuffers is an array of WSABUF, or one WSABUF
// (C's &wsabuf with a count of 1). Returns a WSA code: WSAEINVAL for a count of 0 (lpBuffers NULL or
// not, as Windows [observed]), WSAEFAULT for a
// count the array does not hold (negative counts included: C would read past it) or a len past its buf.
int ReadWsabufs(const Napi::CallbackInfo& info, const char* usage, size_t arg, double count, IovList& out,
                std::vector<Napi::Value>* buffers) {
  Napi::Value v = info[arg];
  if (std::isfinite(count) && count == 0) return WSAEINVAL;  // before the array: also for lpBuffers NULL
  if (IsNullish(v)) return WSAEFAULT;
  if (!v.IsObject() || IsBytes(v)) ThrowUsage(info, usage, "lpBuffers must be an array of WSABUF, or a WSABUF");
  const bool is_array = v.IsArray();
  const size_t available = is_array ? v.As<Napi::Array>().Length() : 1;
  if (!FitsIn(count, available)) return WSAEFAULT;
  const size_t n = static_cast<size_t>(count);
  if (n > kMaxBuffers) return WSAENOBUFS;
  // Two passes (caller_memory.h): every element, len and buf is read first — reading them may run
  // getters, which may detach any buffer — and only then is any buffer's memory taken.
  constexpr size_t kInline = 8;  // the common call allocates nothing
  double lens_inline[kInline];
  Napi::Value bufs_inline[kInline];
  std::vector<double> lens_heap(n > kInline ? n : 0);
  std::vector<Napi::Value> bufs_heap(n > kInline ? n : 0);
  double* lens = n > kInline ? lens_heap.data() : lens_inline;
  Napi::Value* bufs = n > kInline ? bufs_heap.data() : bufs_inline;
  for (size_t i = 0; i < n; ++i) {
    Napi::Value item = is_array ? v.As<Napi::Array>().Get(static_cast<uint32_t>(i)) : v;
    if (!item.IsObject() || IsBytes(item)) ThrowUsage(info, usage, "each WSABUF must be an object { len, buf }");
    Napi::Object wsabuf = item.As<Napi::Object>();
    Napi::Value len = GetKey(wsabuf, Key::kLen);
    Napi::Value buf = GetKey(wsabuf, Key::kBuf);
    if (!len.IsNumber()) ThrowUsage(info, usage, "WSABUF.len must be a number");
    if (!IsNullish(buf) && !IsBytes(buf)) ThrowUsage(info, usage, "WSABUF.buf must be a Uint8Array or null");
    lens[i] = len.As<Napi::Number>().DoubleValue();
    bufs[i] = buf;
  }
  iovec* iov = out.Resize(n);
  for (size_t i = 0; i < n; ++i) {
    Bytes bytes = IsNullish(bufs[i]) ? Bytes{} : BytesOf(bufs[i]);
    if (!FitsIn(lens[i], bytes.length)) return WSAEFAULT;  // checked for every buffer before any I/O
    if (buffers) buffers->push_back(bytes.present ? bufs[i] : Napi::Value());
    iov[i].iov_base = bytes.data;
    iov[i].iov_len = static_cast<size_t>(lens[i]);
  }
  return 0;
}

// The buffers ReadWsabufs read, as a blocking call's memory source.
void AddWsabufs(CallerBuffers& memory, const std::vector<Napi::Value>& views, IovList& iov) {
  const iovec* at = iov.data();
  for (size_t i = 0; i < views.size(); ++i) memory.Add(views[i].IsEmpty() ? nullptr : napi_value(views[i]), at[i].iov_len);
}

void InitWsabuf(Napi::Env env, Napi::Object exports) {
  exports.Set("WSASend", Napi::Function::New(env, WSASend, "WSASend"));
  exports.Set("WSASendTo", Napi::Function::New(env, WSASendTo, "WSASendTo"));
  exports.Set("WSARecv", Napi::Function::New(env, WSARecv, "WSARecv"));
  exports.Set("WSARecvFrom", Napi::Function::New(env, WSARecvFrom, "WSARecvFrom"));
}
