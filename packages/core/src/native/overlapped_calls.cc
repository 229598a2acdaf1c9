// The overlapped calls: WSASend/WSARecv (one-buffer and WSABUF-array forms), AcceptEx, ConnectEx,
// WSAGetOverlappedResult's wait, and the TypeScript face's setup. See overlapped.h for the contract.
#include <sys/socket.h>

#include <cerrno>
#include <vector>

#include "args.h"
#include "io.h"
#include "overlapped_attempts.h"
#include "overlapped_engine.h"
#include "process_memory.h"
#include "recorder.h"
#include "sockaddr.h"
#include "wsabuf.h"

namespace ovl {
namespace {

// Queued: the call fails with WSA_IO_PENDING and the slot stays with the engine until completion.
Napi::Value IoPending(const Napi::CallbackInfo& info, OverlappedEngine* engine, double failure = kSocketError) {
  engine->KeepSlot();
  return Fail(info, WSA_IO_PENDING, failure);
}

// An operation that failed at once: the call reports the error and nothing is signalled (no routine,
// no hEvent), as Winsock does for an immediate failure. The WSAOVERLAPPED still records the error.
Napi::Value FailAtOnce(const Napi::CallbackInfo& info, OverlappedEngine* engine, Op* op, int error, size_t bytes,
                       double failure = kSocketError) {
  op->has_routine = false;
  op->event = 0;
  op->port = {};
  engine->Complete(op, error, bytes, 0, /*in_js=*/true, /*in_call=*/true);
  return Fail(info, error, failure);
}

// Completed at once: the call reports it (bytes and flags through holds.ts's opResult), and the
// completion is signalled all the same.
Napi::Value DoneAtOnce(const Napi::CallbackInfo& info, OverlappedEngine* engine, Op* op, const Attempt& a,
                       double success = 0, double failure = kSocketError) {
  double* result = engine->result();
  result[kBytes] = static_cast<double>(a.bytes);
  result[kFlags] = a.out_flags;
  result[kReported] = 1;
  engine->Complete(op, a.error, a.bytes, a.out_flags, /*in_js=*/true, /*in_call=*/true);
  if (a.error) return Fail(info, a.error, failure);
  return Ok(info, success);
}

// ---- issuing ----------------------------------------------------------------------------------------

// The overlapped part of a call: the WSAOVERLAPPED's memory, the slot holding the structure (and the
// routine) in holds.ts, and whether there is a routine.
struct OverlappedArg {
  Napi::Value mem;
  uint32_t slot = 0;
  bool routine = false;
};

// As the TypeScript face passes it at the end of the arguments: (ovMem, slot, hasRoutine) from `first`.
OverlappedArg OverlappedArgAt(const Napi::CallbackInfo& info, const char* usage, size_t first) {
  return {info[first], ArgUint32(info, first + 1, usage, "(internal) slot"), info[first + 2].ToBoolean().Value()};
}

// The socket number and the overlapped part of a WSASend/WSARecv. One-buffer forms (`one`, the
// engine's overlappedArgs): the numbers from there, ovMem as argument 1. WSABUF-array forms: s as
// argument 0, (ovMem, slot, hasRoutine) from argument 4. Reading the overlapped part throws for no
// JavaScript value a caller chooses (slot is internal), so the order of TypeErrors is the arguments'.
struct DataCallArgs {
  int64_t s;
  OverlappedArg ov;
};
DataCallArgs ReadDataCallArgs(const Napi::CallbackInfo& info, const char* usage, const double* one) {
  if (one)
    return {SocketFromNumber(one[kArgSocket]), {info[1], static_cast<uint32_t>(one[kArgSlot]), one[kArgRoutine] != 0}};
  return {ArgSocket(info, 0, usage), OverlappedArgAt(info, usage, 4)};
}

// Reads the overlapped argument into op and marks the structure pending. Returns a WSA code (WSAEFAULT
// for memory too short, WSAEINVAL for a structure already in use by a pending operation).
int TakeOverlapped(const Napi::CallbackInfo& info, const char* usage, const OverlappedArg& arg, Op* op) {
  bool shared = false;
  Bytes mem = BytesOf(arg.mem, &shared);
  if (!mem.present) ThrowUsage(info, usage, "lpOverlapped must be a WSAOVERLAPPED");
  if (mem.length < kOverlappedSize) return WSAEFAULT;
  if (GetPtr(mem.data, layout::OV_INTERNAL) == kStatusPending) return WSAEINVAL;
  op->slot = arg.slot;
  op->has_routine = arg.routine;
  op->event = static_cast<int64_t>(GetPtr(mem.data, layout::OV_HEVENT) & ~uint64_t{1});  // the low bit is a flag (iocp.h)
  op->ov_mem = mem.data;
  // A SharedArrayBuffer's memory (WSAOVERLAPPED's own) stays where it is while it is kept (by the
  // holds, or by this reference when the realm has none); any other is found again by Locate before
  // each later use.
  op->ov_fixed = shared;
  if (!EngineOf(Realm(info.Env()))->has_holds()) op->ov_view = Napi::Reference<Napi::Value>::New(arg.mem, 1);
  PutPtr(mem.data, layout::OV_INTERNAL, kStatusPending);
  PutPtr(mem.data, layout::OV_INTERNAL_HIGH, 0);
  // The provider resets hEvent when the request is issued; with a routine, hEvent is the caller's.
  if (!arg.routine && op->event) ResetEventHandle(op->event);
  return 0;
}

// References the buffers the engine must find again later (Locate): the WSABUF-array form's, in iov
// order (an empty reference for a null buf), or a single buffer the holds do not keep.
void KeepBuffers(Op* op, const std::vector<Napi::Value>& buffers) {
  op->keep.reserve(buffers.size());
  for (const Napi::Value& b : buffers)
    op->keep.push_back(b.IsEmpty() ? Napi::Reference<Napi::Value>() : Napi::Reference<Napi::Value>::New(b, 1));
}

// A single buffer the holds keep at the operation's slot when the realm has them (holds.ts);
// otherwise the engine references it itself.
void KeepSingleBuffer(OverlappedEngine* engine, Op* op, const Napi::Value& buffer) {
  if (engine->has_holds()) op->buffer_held = true;
  else KeepBuffers(op, {buffer});
}

// The buffers of a call: the WSABUF-array form (lpBuffers, dwBufferCount at args 1, 2), whose buffers
// the engine references, or the one-buffer form (buf at arg 0, its length in overlappedArgs), whose
// buffer holds.ts holds. The iovecs are good until JavaScript next runs (caller_memory.h).
int ReadBuffers(const Napi::CallbackInfo& info, const char* usage, const double* one, Op* op,
                std::vector<Napi::Value>* buffers) {
  if (!one) return ReadWsabufs(info, usage, 1, ArgLength(info, 2, usage, "dwBufferCount"), op->iov, buffers);
  Bytes buf = ArgBytes(info, 0, usage, "lpBuffers[0].buf");
  const double len = one[kArgLen];
  if (!FitsIn(len, buf.length)) return WSAEFAULT;
  iovec* iov = op->iov.Resize(1);
  iov->iov_base = buf.data;
  iov->iov_len = static_cast<size_t>(len);
  return 0;
}

// overlappedRecv(s, lpBuffers, dwBufferCount, lpFlagsIn, ovMem, slot, hasRoutine, lpFrom, lpFromlen)
// lpFlagsIn: lpFlags.value, or null for a null lpFlags.
// overlappedRecvOne(buf, ovMem), with overlappedArgs = [s, len, lpFlags.value or -1 for null, slot,
// hasRoutine].
Napi::Value OverlappedIssueRecv(const Napi::CallbackInfo& info, bool one_buffer) {
  static const char* kUsage =
      "WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpOverlapped, lpCompletionRoutine)";
  RealmState* realm = Realm(info.Env());
  OverlappedEngine* engine = EngineOf(realm);
  const double* one = one_buffer ? engine->args() : nullptr;
  const auto [s, ov] = ReadDataCallArgs(info, kUsage, one);
  const bool has_flags = one ? one[kArgFlags] >= 0 : !IsNullish(info[3]);
  const uint32_t flags_in = !has_flags ? 0
      : one ? static_cast<uint32_t>(one[kArgFlags]) : ArgUint32(info, 3, kUsage, "lpFlags.value");
  Bytes from = one ? Bytes{} : ArgBytes(info, 7, kUsage, "lpFrom");
  Napi::Object fromlen = one ? Napi::Object() : ArgBox(info, 8, kUsage, "lpFromlen");
  // JavaScript that reading may run (lpFromlen's getter here, WSABUF getters in ReadBuffers) runs
  // before any pointer is taken (caller_memory.h).
  const double fromlen_in = from.present && !fromlen.IsEmpty() ? BoxValue(fromlen) : 0;
  Op* op = engine->NewOp();
  std::vector<Napi::Value> buffers;
  int error = ReadBuffers(info, kUsage, one, op, one ? nullptr : &buffers);
  if (from.present) from = BytesOf(info[7]);
  SocketRef sock = error ? nullptr : Lookup(s, &error);
  if (!WinsockStarted()) error = WSANOTINITIALISED;
  if (!error && !has_flags) error = WSAEFAULT;
  double need = 0;
  if (!error && from.present) {
    need = WinsockSockaddrSize(sock->family);
    if (fromlen.IsEmpty() || fromlen_in < need || from.length < need) error = WSAEFAULT;
  }
  if (!error) error = TakeOverlapped(info, kUsage, ov, op);
  if (error) {
    engine->Release(op);
    return Fail(info, error);
  }
  op->kind = OpKind::kRecv;
  if (!op->has_routine) op->port = IocpTargetOf(*sock, op->ov_mem);
  op->flags = flags_in;
  op->total = IovTotal(op->iov.data(), op->iov.count());
  if (from.present) {
    op->from = from;
    op->from_need = static_cast<size_t>(need);
    op->from_view = Napi::Reference<Napi::Value>::New(info[7], 1);
    op->fromlen = Napi::Persistent(fromlen);
  }
  if (one) KeepSingleBuffer(engine, op, info[0]);
  else KeepBuffers(op, buffers);
  engine->AddPending();
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->TraceSignal());

  OverlappedSocket* os = engine->For(sock);
  if (os->reads.empty() && os->maybe_readable) {
    Attempt a = TryRecv(engine, op, *sock);
    os->NoteReceive(op, a);
    if (a.error != WSAEWOULDBLOCK) {
      Napi::Value r = a.error == 0 || a.error == WSAEMSGSIZE ? DoneAtOnce(info, engine, op, a)
                                                            : FailAtOnce(info, engine, op, a.error, 0);
      engine->FlushBoxWrites(/*in_js=*/true);  // done with the memory: lpFromlen's setter may run now
      return r;
    }
  }
  os->PushRead(op);
  os->Rearm();
  return IoPending(info, engine);
}

// overlappedSend(s, lpBuffers, dwBufferCount, dwFlags, ovMem, slot, hasRoutine, lpTo, iTolen)
// overlappedSendOne(buf, ovMem), with overlappedArgs = [s, len, dwFlags (as int32), slot, hasRoutine].
Napi::Value OverlappedIssueSend(const Napi::CallbackInfo& info, bool one_buffer) {
  static const char* kUsage =
      "WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpOverlapped, lpCompletionRoutine)";
  RealmState* realm = Realm(info.Env());
  OverlappedEngine* engine = EngineOf(realm);
  const double* one = one_buffer ? engine->args() : nullptr;
  const auto [s, ov] = ReadDataCallArgs(info, kUsage, one);
  const int32_t dwflags = one ? static_cast<int32_t>(one[kArgFlags]) : ArgInt32(info, 3, kUsage, "dwFlags");
  Bytes to = one ? Bytes{} : ArgBytes(info, 7, kUsage, "lpTo");
  double tolen = one || IsNullish(info[8]) ? 0 : ArgLength(info, 8, kUsage, "iTolen");
  Op* op = engine->NewOp();
  std::vector<Napi::Value> buffers;
  int error = ReadBuffers(info, kUsage, one, op, one ? nullptr : &buffers);
  if (to.present) to = BytesOf(info[7]);  // WSABUF getters may have detached it
  SocketRef sock = error ? nullptr : Lookup(s, &error);
  if (!WinsockStarted()) error = WSANOTINITIALISED;
  if (!error && to.present && !sock->is_stream()) {  // a stream socket ignores lpTo: WSASend
    error = SockaddrForFamily(sock->family, to.data, to.length, tolen, &op->addr, &op->addrlen, WSAEAFNOSUPPORT);
    op->has_addr = !error;
  }
  if (!error) error = TakeOverlapped(info, kUsage, ov, op);
  if (error) {
    engine->Release(op);
    return Fail(info, error);
  }
  op->kind = OpKind::kSend;
  if (!op->has_routine) op->port = IocpTargetOf(*sock, op->ov_mem);
  op->flags = dwflags;
  op->total = IovTotal(op->iov.data(), op->iov.count());
  if (one) KeepSingleBuffer(engine, op, info[0]);
  else KeepBuffers(op, buffers);
  engine->AddPending();
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->TraceSignal());

  OverlappedSocket* os = engine->For(sock);
  if (os->writes.empty()) {
    Attempt a = TrySend(op, *sock);
    if (a.error == 0) return DoneAtOnce(info, engine, op, a);
    if (a.error != WSAEWOULDBLOCK) return FailAtOnce(info, engine, op, a.error, 0);
  }
  os->writes.push(op);
  os->Rearm();
  return IoPending(info, engine);
}

Napi::Value OverlappedRecv(const Napi::CallbackInfo& info) { return OverlappedIssueRecv(info, false); }
Napi::Value OverlappedRecvOne(const Napi::CallbackInfo& info) { return OverlappedIssueRecv(info, true); }
Napi::Value OverlappedSend(const Napi::CallbackInfo& info) { return OverlappedIssueSend(info, false); }
Napi::Value OverlappedSendOne(const Napi::CallbackInfo& info) { return OverlappedIssueSend(info, true); }

// ---- AcceptEx / ConnectEx -------------------------------------------------------------------------

// AcceptEx(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
//          dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped) -> TRUE, or FALSE with the last error
//          (WSA_IO_PENDING when it completes later). Native arguments: (sListenSocket, sAcceptSocket,
//          lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, dwRemoteAddressLength, ovMem, slot);
//          holds.ts holds lpOutputBuffer.
Napi::Value AcceptEx(const Napi::CallbackInfo& info) {
  static const char* kUsage =
      "AcceptEx(sListenSocket, sAcceptSocket, lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength, "
      "dwRemoteAddressLength, lpdwBytesReceived, lpOverlapped)";
  int64_t ls = ArgSocket(info, 0, kUsage);
  int64_t as = ArgSocket(info, 1, kUsage);
  Bytes output = ArgBytes(info, 2, kUsage, "lpOutputBuffer");
  double recv_len = ArgLength(info, 3, kUsage, "dwReceiveDataLength");
  double local_len = ArgLength(info, 4, kUsage, "dwLocalAddressLength");
  double remote_len = ArgLength(info, 5, kUsage, "dwRemoteAddressLength");
  int error = 0;
  SocketRef listener = Lookup(ls, &error);
  if (!listener) return Fail(info, error, 0);
  SocketRef accepted = Lookup(as, &error);
  if (!accepted) return Fail(info, error, 0);
  const double min_addr = WinsockSockaddrSize(listener->family) + 16;
  if (!FitsIn(recv_len, output.length) || !FitsIn(local_len, output.length) || !FitsIn(remote_len, output.length) ||
      recv_len + local_len + remote_len > static_cast<double>(output.length))
    return Fail(info, WSAEFAULT, 0);
  if (local_len < min_addr || remote_len < min_addr) return Fail(info, WSAEINVAL, 0);
  {
    std::lock_guard<std::mutex> lock(listener->mu);
    if (!listener->listening) return Fail(info, WSAEINVAL, 0);
  }
  {
    std::lock_guard<std::mutex> lock(accepted->mu);
    if (accepted.get() == listener.get() || !accepted->is_stream() || accepted->family != listener->family ||
        accepted->bound || accepted->connected || accepted->connecting || accepted->listening)
      return Fail(info, WSAEINVAL, 0);
  }
  RealmState* realm = Realm(info.Env());
  OverlappedEngine* engine = EngineOf(realm);
  Op* op = engine->NewOp();
  if (int e = TakeOverlapped(info, kUsage, OverlappedArgAt(info, kUsage, 6), op)) {
    engine->Release(op);
    return Fail(info, e, 0);
  }
  // The accept socket's number is about to refer to another connection: nothing may watch it.
  CloseWatches(realm, accepted);
  op->kind = OpKind::kAccept;
  if (!op->has_routine) op->port = IocpTargetOf(*listener, op->ov_mem);
  op->listener = listener;
  op->accepted = accepted;
  op->output = output.data;
  KeepSingleBuffer(engine, op, info[2]);
  op->recv_len = static_cast<uint32_t>(recv_len);
  op->local_len = static_cast<uint32_t>(local_len);
  op->remote_len = static_cast<uint32_t>(remote_len);
  iovec* iov = op->iov.Resize(1);
  iov->iov_base = output.data;
  iov->iov_len = op->recv_len;
  op->total = op->recv_len;
  engine->AddPending();
  TRACE(kIssued, ls, static_cast<int>(op->kind), op->slot, op->TraceSignal(), as);

  OverlappedSocket* los = engine->For(listener);
  if (los->reads.empty()) {
    Attempt a = TryAccept(op);
    if (a.error == 0 && op->recv_len == 0) {
      WriteAcceptAddresses(op);
      return DoneAtOnce(info, engine, op, a, 1, 0);
    }
    if (a.error == 0) {
      op->kind = OpKind::kAcceptData;
      OverlappedSocket* child = engine->For(accepted);
      child->PushRead(op);
      child->Rearm();
      return IoPending(info, engine, 0);
    }
    if (a.error != WSAEWOULDBLOCK) return FailAtOnce(info, engine, op, a.error, 0, 0);
  }
  los->PushRead(op);
  los->Rearm();
  return IoPending(info, engine, 0);
}

// ConnectEx(s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent, lpOverlapped) -> TRUE,
// or FALSE with the last error (WSA_IO_PENDING when it completes later). s must be bound, as Winsock
// requires. Native arguments: (s, name, namelen, lpSendBuffer, dwSendDataLength, ovMem, slot); holds.ts
// holds lpSendBuffer.
Napi::Value ConnectEx(const Napi::CallbackInfo& info) {
  static const char* kUsage = "ConnectEx(s, name, namelen, lpSendBuffer, dwSendDataLength, lpdwBytesSent, lpOverlapped)";
  int64_t s = ArgSocket(info, 0, kUsage);
  Bytes name = ArgBytes(info, 1, kUsage, "name");
  double namelen = ArgLength(info, 2, kUsage, "namelen");
  Bytes data = ArgBytes(info, 3, kUsage, "lpSendBuffer");
  double data_len = ArgLength(info, 4, kUsage, "dwSendDataLength");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error, 0);
  if (!sock->is_stream()) return Fail(info, WSAEINVAL, 0);
  if (!FitsIn(data_len, data.length)) return Fail(info, WSAEFAULT, 0);
  RealmState* realm = Realm(info.Env());
  OverlappedEngine* engine = EngineOf(realm);
  Op* op = engine->NewOp();
  if (int e = SockaddrFromWinsock(name.data, name.length, namelen, &op->addr, &op->addrlen)) {
    engine->Release(op);
    return Fail(info, e, 0);
  }
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    RefreshConnectLocked(*sock);
    int refuse = 0;
    if (op->addr.ss_family != sock->family) refuse = WSAEAFNOSUPPORT;
    else if (sock->connected) refuse = WSAEISCONN;
    else if (sock->connecting) refuse = WSAEALREADY;
    else if (!sock->bound || sock->listening) refuse = WSAEINVAL;
    if (refuse) {
      engine->Release(op);
      return Fail(info, refuse, 0);
    }
  }
  if (int e = TakeOverlapped(info, kUsage, OverlappedArgAt(info, kUsage, 5), op)) {
    engine->Release(op);
    return Fail(info, e, 0);
  }
  op->kind = OpKind::kConnect;
  if (!op->has_routine) op->port = IocpTargetOf(*sock, op->ov_mem);
  iovec* iov = op->iov.Resize(1);
  iov->iov_base = data.data;
  iov->iov_len = static_cast<size_t>(data_len);
  op->total = static_cast<size_t>(data_len);
  KeepSingleBuffer(engine, op, info[3]);
  engine->AddPending();
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->TraceSignal());

  int connect_error = 0;
  bool in_progress = false;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    const ConnectStarted started = StartConnectRecordedLocked(*sock, reinterpret_cast<sockaddr*>(&op->addr), op->addrlen);
    in_progress = started == ConnectStarted::kUnderWay;
    if (started == ConnectStarted::kFailed) connect_error = sock->connect_error;  // ConnectEx itself reports it
  }
  if (connect_error) return FailAtOnce(info, engine, op, connect_error, 0, 0);
  OverlappedSocket* os = engine->For(sock);
  if (!in_progress) {
    op->kind = OpKind::kSend;
    Attempt a = TrySend(op, *sock);
    if (a.error == 0) return DoneAtOnce(info, engine, op, a, 1, 0);
    if (a.error != WSAEWOULDBLOCK) return FailAtOnce(info, engine, op, a.error, a.bytes, 0);
  }
  os->writes.push(op);
  os->Rearm();
  return IoPending(info, engine, 0);
}

// isSocket(s) -> true when s names one of our sockets (WSAGetOverlappedResult's first check).
Napi::Value IsSocket(const Napi::CallbackInfo& info) {
  int64_t s = ArgSocket(info, 0, "isSocket(s)");
  return Napi::Boolean::New(info.Env(), WinsockStarted() && FindSocket(s) != nullptr);
}

// overlappedWait(s, ovMem) -> a Promise that settles when the pending operation using that
// WSAOVERLAPPED memory completes, or undefined when none in this realm does (it completed already).
Napi::Value OverlappedWait(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags)";
  int64_t s = ArgSocket(info, 0, kUsage);
  Bytes mem = BytesOf(info[1]);
  if (!mem.present) ThrowUsage(info, kUsage, "lpOverlapped must be a WSAOVERLAPPED");
  RealmState* realm = Realm(info.Env());
  SocketRef sock = FindSocket(s);
  if (!sock || !realm->overlapped) return info.Env().Undefined();
  Op* op = EngineOf(realm)->FindOp(mem.data);
  if (!op) return info.Env().Undefined();
  // Every wait on the same request shares one promise, settled when it completes.
  if (!op->waiter) {
    napi_value promise;
    if (napi_create_promise(info.Env(), &op->waiter, &promise) != napi_ok) {
      op->waiter = nullptr;
      throw Napi::Error::New(info.Env(), "WSAGetOverlappedResult: cannot create a promise");
    }
    op->waiter_promise = Napi::Persistent(Napi::Value(info.Env(), promise));
    realm->Hold();
  }
  return op->waiter_promise.Value();
}

// setOverlappedRetirer(retire): the TypeScript function that releases the slots of operations
// completed without a routine, called as retire(count) with the slots in overlappedRetired.
Napi::Value SetOverlappedRetirer(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) ThrowUsage(info, "setOverlappedRetirer(retire)", "retire must be a function");
  EngineOf(Realm(info.Env()))->SetRetirer(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// setOverlappedHolds(held): the TypeScript face's holds array (holds.ts), where the engine finds a
// pending operation's WSAOVERLAPPED and single buffer again (kHeldFields per slot).
Napi::Value SetOverlappedHolds(const Napi::CallbackInfo& info) {
  if (!info[0].IsArray()) ThrowUsage(info, "setOverlappedHolds(held)", "held must be an array");
  EngineOf(Realm(info.Env()))->SetHolds(info[0].As<Napi::Array>());
  return info.Env().Undefined();
}

}  // namespace
}  // namespace ovl

using namespace ovl;

void InitOverlapped(Napi::Env env, Napi::Object exports) {
  SetBlockingPoll(PollAlertably);  // the same for every realm: it finds the caller's
  exports.Set("overlappedRecv", Napi::Function::New(env, OverlappedRecv, "WSARecv"));
  exports.Set("overlappedRecvOne", Napi::Function::New(env, OverlappedRecvOne, "WSARecv"));
  exports.Set("overlappedSend", Napi::Function::New(env, OverlappedSend, "WSASend"));
  exports.Set("overlappedSendOne", Napi::Function::New(env, OverlappedSendOne, "WSASend"));
  exports.Set("setOverlappedRetirer", Napi::Function::New(env, SetOverlappedRetirer, "setOverlappedRetirer"));
  exports.Set("setOverlappedHolds", Napi::Function::New(env, SetOverlappedHolds, "setOverlappedHolds"));
  OverlappedEngine* engine = EngineOf(Realm(env));
  exports.Set("overlappedResult", engine->ResultArray());
  exports.Set("overlappedArgs", engine->ArgsArray());
  exports.Set("overlappedRetired", engine->RetiredArray());
  exports.Set("AcceptEx", Napi::Function::New(env, AcceptEx, "AcceptEx"));
  exports.Set("ConnectEx", Napi::Function::New(env, ConnectEx, "ConnectEx"));
  exports.Set("overlappedWait", Napi::Function::New(env, OverlappedWait, "overlappedWait"));
  exports.Set("isSocket", Napi::Function::New(env, IsSocket, "isSocket"));
  // socketFlags() -> Uint8Array over the shared socket flags (socket_table.h).
  exports.Set("socketFlags", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return ProcessMemoryView<uint8_t>(info.Env(), SharedSocketFlags(), kSharedSocketFlags);
  }, "socketFlags"));
}
