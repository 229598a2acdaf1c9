// The overlapped-operation engine. See overlapped.h for the contract and its invariants.
#include "overlapped.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "apc.h"
#include "caller_memory.h"
#include "entry.h"
#include "events.h"
#include "io.h"
#include "iocp.h"
#include "poller.h"
#include "sockaddr.h"
#include "trace.h"
#include "wsabuf.h"

namespace {

enum class OpKind : uint8_t {
  kRecv,        // WSARecv / WSARecvFrom
  kSend,        // WSASend / WSASendTo
  kAccept,      // AcceptEx waiting for a connection (queued on the listener)
  kAcceptData,  // AcceptEx with dwReceiveDataLength > 0, waiting for the first data (on the new socket)
  kConnect,     // ConnectEx waiting for the connection, then its optional data as a send
};

// One operation. Pooled per realm: released operations are reused, never freed while the realm lives.
//
// Caller memory (caller_memory.h): an operation keeps views, never pointers, from one loop turn to
// the next. Its WSAOVERLAPPED's memory and a single buffer (one-WSABUF calls, AcceptEx's output,
// ConnectEx's data) are the TypeScript face's holds at `slot`; the buffers of the WSABUF-array form
// and WSARecvFrom's lpFrom are referenced here. OverlappedEngine::Locate finds them again just before
// each attempt and each completion, and the operation fails with WSAEFAULT when the program has
// detached or shrunk any of them meanwhile, instead of the kernel writing into freed memory.
struct Op {
  OpKind kind = OpKind::kRecv;
  Op* next = nullptr;
  IovList iov;              // as the call gave it (lengths); bases are valid only right after Locate
  size_t total = 0;         // bytes asked for
  size_t done = 0;          // bytes moved so far
  int64_t flags = 0;        // Winsock MSG_* flags in
  sockaddr_storage addr{};  // WSASendTo / ConnectEx destination
  socklen_t addrlen = 0;
  bool has_addr = false;
  // WSARecvFrom: lpFrom (its memory after Locate) and how much of it the call must have.
  Napi::Reference<Napi::Value> from_view;
  Bytes from;
  size_t from_need = 0;
  Napi::ObjectReference fromlen;
  // The buffers of the WSABUF-array form, in iov order (an empty reference for a null buf); also
  // the single buffer and the WSAOVERLAPPED (ov_view) when the realm has no TypeScript holds.
  std::vector<Napi::Reference<Napi::Value>> keep;
  Napi::Reference<Napi::Value> ov_view;
  bool buffer_held = false;  // the single buffer is the holds' (not in keep)
  uint32_t slot = 0;         // the operation's slot in the TypeScript face's holds
  bool has_routine = false;  // completion goes to the APC queue, not to hEvent
  IocpTarget port;           // the socket's completion port, decided at issue (iocp.h); empty: none
  // The WSAOVERLAPPED's 32 bytes (Internal, InternalHigh, Offset, OffsetHigh, hEvent) as last found:
  // written only right after Locate (or inside the issuing call); null when it could not be found.
  // Also the operation's identity for WSAGetOverlappedResult's wait.
  uint8_t* ov_mem = nullptr;
  bool ov_fixed = false;  // ov_mem is a SharedArrayBuffer's: it cannot move or go while held
  int64_t event = 0;
  napi_deferred waiter = nullptr;  // WSAGetOverlappedResult(fWait=TRUE)
  Napi::Reference<Napi::Value> waiter_promise;
  // AcceptEx
  SocketRef listener;
  SocketRef accepted;
  uint8_t* output = nullptr;  // lpOutputBuffer after Locate (iov[0] is its data part)
  uint32_t recv_len = 0, local_len = 0, remote_len = 0;
  sockaddr_storage peer{};

  void Reset() {
    kind = OpKind::kRecv;
    next = nullptr;
    total = done = 0;
    flags = 0;
    addrlen = 0;
    has_addr = false;
    from_view.Reset();
    from = Bytes{};
    from_need = 0;
    fromlen.Reset();
    keep.clear();
    ov_view.Reset();
    buffer_held = false;
    slot = 0;
    has_routine = false;
    port = {};
    ov_mem = nullptr;
    ov_fixed = false;
    event = 0;
    waiter = nullptr;
    waiter_promise.Reset();
    listener.reset();
    accepted.reset();
    output = nullptr;
    recv_len = local_len = remote_len = 0;
  }
};

struct OpQueue {
  Op* head = nullptr;
  Op* tail = nullptr;
  bool empty() const { return head == nullptr; }
  void push(Op* op) {
    op->next = nullptr;
    if (tail) tail->next = op; else head = op;
    tail = op;
  }
  Op* pop() {
    Op* op = head;
    if (op) {
      head = op->next;
      if (!head) tail = nullptr;
      op->next = nullptr;
    }
    return op;
  }
};

// overlappedResult's elements, as holds.ts names them (KEPT, BYTES, FLAGS, REPORTED).
enum ResultIndex : size_t { kKept = 0, kBytes = 1, kFlags = 2, kReported = 3 };
// overlappedArgs' elements, as holds.ts names them (ARG_S, ARG_LEN, ARG_FLAGS, ARG_SLOT, ARG_ROUTINE):
// the numbers of a one-buffer WSASend/WSARecv, written by TypeScript so that the call crosses with
// two arguments (the buffer and the WSAOVERLAPPED) and no Node-API call per number.
enum ArgIndex : size_t { kArgSocket = 0, kArgLen = 1, kArgFlags = 2, kArgSlot = 3, kArgRoutine = 4, kArgCount = 5 };

// WSAOVERLAPPED's C layout (64-bit): ULONG_PTR Internal @0, ULONG_PTR InternalHigh @8, DWORD Offset
// @16, DWORD OffsetHigh @20, HANDLE hEvent @24. Values here fit 32 bits; the high halves are zeroed.
constexpr size_t kOverlappedSize = 32;
void PutPtr(uint8_t* mem, size_t offset, uint32_t v) {
  uint64_t wide = v;
  std::memcpy(mem + offset, &wide, 8);
}
void PutDword(uint8_t* mem, size_t offset, uint32_t v) { std::memcpy(mem + offset, &v, 4); }
uint64_t GetPtr(const uint8_t* mem, size_t offset) {
  uint64_t v;
  std::memcpy(&v, mem + offset, 8);
  return v;
}

struct Attempt {
  int error = 0;       // WSA code; WSAEWOULDBLOCK: not yet
  size_t bytes = 0;
  int out_flags = 0;
};


// The engine's view of one socket in one realm: the receive-side and send-side FIFOs.
class OverlappedSocket : public ReadinessSubscriber {
 public:
  OverlappedSocket(OverlappedEngine* engine, RealmState* realm, SocketRef sock)
      : engine_(engine), sock_(std::move(sock)), watch_(FdWatch::For(realm, sock_)) {}

  int WantedEvents() override {
    return (reads.empty() ? 0 : loop::kReadable) | (writes.empty() ? 0 : loop::kWritable);
  }
  void OnReady(int status, int events) override { Progress(status, events, /*in_js=*/false); }
  void OnSocketClosed() override;
  // Runs the queues as far as the socket allows, completing what it can. in_js: called inside a
  // JavaScript call (a blocking call's alertable wait), not from the loop.
  void Progress(int status, int events, bool in_js);

  void Watch() { watch_->Subscribe(this); }
  void Rearm() { watch_->Update(); }
  SocketState& sock() { return *sock_; }
  const SocketRef& ref() const { return sock_; }

  OpQueue reads;   // kRecv, kAccept, kAcceptData: use PushRead/PopRead
  OpQueue writes;  // kSend, kConnect

  // The receive-side queue, counted in SocketState::overlapped_reads for the network-event recorder.
  void PushRead(Op* op) {
    reads.push(op);
    std::lock_guard<std::mutex> lock(sock_->mu);
    sock_->overlapped_reads++;
  }
  Op* PopRead() {
    Op* op = reads.pop();
    if (op) {
      std::lock_guard<std::mutex> lock(sock_->mu);
      sock_->overlapped_reads--;
    }
    return op;
  }

  // False once a stream receive came back short or empty (the socket buffer is, as good as certain,
  // drained); true again when epoll reports the socket readable. A receive issued while it is false
  // queues without first trying recvmsg, which would only say EAGAIN: one syscall saved per
  // request-response. Data that arrives in between completes the request on the next loop turn, as
  // data arriving just after the call would. A MSG_PEEK or MSG_OOB receive drains nothing: it leaves
  // the flag alone.
  bool maybe_readable = true;
  void NoteReceive(const Op* op, const Attempt& a) {
    if (!sock_->is_stream() || (op->flags & (WS_MSG_PEEK | WS_MSG_OOB))) return;
    if (a.error == WSAEWOULDBLOCK || (a.error == 0 && a.bytes > 0 && a.bytes < op->total)) maybe_readable = false;
  }

 private:
  OverlappedEngine* engine_;
  SocketRef sock_;
  FdWatch* watch_;
};

}  // namespace

// The realm's overlapped engine (RealmState::overlapped): its sockets' queues and a pool of operations.
class OverlappedEngine {
 public:
  explicit OverlappedEngine(RealmState* realm)
      : realm_(realm), check_(loop::Check::New(realm->loop, &OverlappedEngine::OnCheck, this)) {
    Napi::Env env = realm->env;
    Napi::Float64Array result = Napi::Float64Array::New(env, 4);
    Napi::Uint32Array retired = Napi::Uint32Array::New(env, kRetireBatch);
    Napi::Float64Array args = Napi::Float64Array::New(env, kArgCount);
    result_array_ = Napi::Persistent(result);
    args_array_ = Napi::Persistent(args);
    args_ = args.Data();
    retired_array_ = Napi::Persistent(retired);
    result_ = result.Data();
    retired_out_ = retired.Data();
  }
  ~OverlappedEngine() {
    for (auto& [state, os] : sockets_) {
      while (Op* op = os->PopRead()) delete op;  // the socket may live on in another realm: uncount
      while (Op* op = os->writes.pop()) delete op;
      delete os;
    }
    for (Op* op : pool_) delete op;
    check_->Close();
  }

  // Calls f(socket, poll(2) events its queues wait for) for every socket with an operation pending.
  template <typename F>
  void ForEachPending(F&& f) {
    for (auto& [state, os] : sockets_) {
      const short events = static_cast<short>((os->reads.empty() ? 0 : POLLIN | POLLRDHUP) |
                                              (os->writes.empty() ? 0 : POLLOUT));
      if (events) f(os, events);
    }
  }
  size_t pending() const { return pending_; }

  // What a call reports besides its return value (holds.ts, opResult), indexed by ResultIndex.
  double* result() { return result_; }
  Napi::Value ResultArray() const { return result_array_.Value(); }
  // The numbers of a one-buffer call, indexed by ArgIndex.
  const double* args() const { return args_; }
  Napi::Value ArgsArray() const { return args_array_.Value(); }
  Napi::Value RetiredArray() const { return retired_array_.Value(); }
  void SetRetirer(Napi::Function fn) { retirer_ = Napi::Persistent(fn); }
  // The TypeScript face's holds (holds.ts): kHeldFields per slot.
  void SetHolds(Napi::Array held) { holds_ = Napi::Persistent(held); }
  bool has_holds() const { return !holds_.IsEmpty(); }

  // Finds the operation's caller memory as it is now (see Op): the WSAOVERLAPPED always (op->ov_mem,
  // null when it is gone), the buffers too when `buffers` (op->iov's bases, op->from, op->output).
  // Returns 0, or WSAEFAULT when any of it no longer holds what the call was given. Needs an open
  // handle scope, and no JavaScript may run between this and the use of the pointers.
  int Locate(Op* op, bool buffers);

  // WSARecvFrom's *lpFromlen for an operation completed on the loop: written once the engine is done
  // with the socket (FlushBoxWrites), since a setter is JavaScript and may close it.
  void DeferBoxWrite(Op* op, double value) { box_writes_.push_back({std::move(op->fromlen), value}); }
  void FlushBoxWrites(bool in_js);

  RealmState* realm() const { return realm_; }

  Op* NewOp() {
    if (pool_.empty()) return new Op();
    Op* op = pool_.back();
    pool_.pop_back();
    return op;
  }
  void Release(Op* op) {
    op->Reset();
    pool_.push_back(op);
  }

  // Every call looks its socket up here: a table indexed by descriptor number answers first (the
  // SocketState pointer tells a reused number from its predecessor), the map holds them all.
  OverlappedSocket* For(const SocketRef& sock) {
    const size_t fd = static_cast<size_t>(sock->fd);
    if (fd < by_fd_.size() && by_fd_[fd] && &by_fd_[fd]->sock() == sock.get()) return by_fd_[fd];
    auto it = sockets_.find(sock.get());
    OverlappedSocket* os;
    if (it != sockets_.end()) {
      os = it->second;
    } else {
      os = new OverlappedSocket(this, realm_, sock);
      sockets_.emplace(sock.get(), os);
      os->Watch();
    }
    if (fd < kDirectFds) {
      if (fd >= by_fd_.size()) by_fd_.resize(fd + 1, nullptr);
      by_fd_[fd] = os;
    }
    return os;
  }
  void Forget(OverlappedSocket* os) {
    const size_t fd = static_cast<size_t>(os->sock().fd);
    if (fd < by_fd_.size() && by_fd_[fd] == os) by_fd_[fd] = nullptr;
    sockets_.erase(&os->sock());
  }

  // The pending operation whose WSAOVERLAPPED memory is `mem`, wherever it waits (AcceptEx's data
  // stage waits on the accepted socket, not the one the caller names).
  Op* FindOp(const uint8_t* mem) {
    for (auto& [state, os] : sockets_)
      for (OpQueue* q : {&os->reads, &os->writes})
        for (Op* op = q->head; op; op = op->next)
          if (op->ov_mem == mem) return op;
    return nullptr;
  }

  // Writes the result into the WSAOVERLAPPED (found by the caller's Locate, or by the issuing call;
  // nothing is written when it is gone) and signals it: the routine goes to the APC queue, otherwise
  // hEvent is set. in_js false (the loop's readiness callback, where no JavaScript scope need be open)
  // lets the event's waits end in one batch after the poll phase.
  // in_call: the issuing call itself completes it, and that call's caller gets the slot back unless
  // the routine's APC took it.
  void Complete(Op* op, int error, size_t bytes, int out_flags, bool in_js = true, bool in_call = false) {
    TRACE(kCompleted, -1, error, bytes, op->slot, static_cast<int>(op->kind) | (op->has_routine ? 256 : 0) | (in_call ? 512 : 0));
    if (op->ov_mem) {
      PutPtr(op->ov_mem, 0, static_cast<uint32_t>(error));
      PutPtr(op->ov_mem, 8, static_cast<uint32_t>(bytes));
      PutDword(op->ov_mem, 16, static_cast<uint32_t>(out_flags));
    }
    if (op->waiter) {  // a scope is open: a JavaScript call, or Progress's JsEntry
      ResolveDeferredUndefined(realm_, op->waiter);
      op->waiter = nullptr;
      realm_->Release();
    }
    if (op->has_routine) {
      ApcRecord r;
      r.slot = op->slot;
      r.error = static_cast<uint32_t>(error);
      r.bytes = static_cast<uint32_t>(bytes);
      r.flags = static_cast<uint32_t>(out_flags);
      ApcOf(realm_)->Push(r);
      if (in_call) result_[kKept] = 1;
    } else {
      // A socket associated with a completion port: the packet goes to the port, not to hEvent.
      if (op->port) IocpQueue(op->port, static_cast<uint32_t>(error), static_cast<uint32_t>(bytes));
      // A handle closed meanwhile signals nothing, as Windows would fail to set a closed handle.
      else if (op->event)
        if (EventRef ev = FindEvent(op->event)) SignalEvent(ev, in_js);
      if (!in_call) Retire(op->slot);
    }
    pending_--;
    if (pending_ == 0) realm_->Release();
    Release(op);
  }

  // The operation stays pending: its slot stays with the engine.
  void KeepSlot() { result_[kKept] = 1; }

  // A pending operation holds the loop open, as a pending read does in `net`.
  void AddPending() {
    if (pending_++ == 0) realm_->Hold();
  }

 private:
  static constexpr uint32_t kRetireBatch = 1024;

  // Slots of operations that completed without a routine go back to the TypeScript face once per
  // loop turn (the check phase), in one call, rather than one call per completion.
  void Retire(uint32_t slot) {
    if (retirer_.IsEmpty()) return;  // no TypeScript face: nothing holds the slot
    if (retired_.empty()) check_->Start();
    retired_.push_back(slot);
  }
  static void OnCheck(void* self) {
    OverlappedEngine* engine = static_cast<OverlappedEngine*>(self);
    engine->check_->Stop();
    // The retirer only releases slots (it runs no Winsock call), so the list cannot grow while it
    // runs; promise continuations run when `scope` closes, after the list is cleared. When the
    // realm's JavaScript is gone the slots go with it.
    std::vector<uint32_t> list;
    list.swap(engine->retired_);
    JsEntry scope(engine->realm_);
    if (!scope.ok()) return;
    napi_env env = engine->realm_->env;
    napi_value retirer = engine->retirer_.Value();
    for (size_t at = 0; at < list.size(); at += kRetireBatch) {
      const size_t n = std::min<size_t>(kRetireBatch, list.size() - at);
      std::memcpy(engine->retired_out_, list.data() + at, n * sizeof(uint32_t));
      napi_value count;
      if (napi_create_uint32(env, static_cast<uint32_t>(n), &count) != napi_ok) return;
      if (!CallFromLoop(engine->realm_, retirer, 1, &count)) return;
    }
  }

  static constexpr size_t kDirectFds = 65536;

  RealmState* realm_;
  std::unordered_map<SocketState*, OverlappedSocket*> sockets_;
  std::vector<OverlappedSocket*> by_fd_;  // a cache of sockets_ by descriptor number (below kDirectFds)
  std::vector<Op*> pool_;
  size_t pending_ = 0;
  loop::Check* check_;  // pending operations hold the realm, not this
  Napi::Reference<Napi::Float64Array> result_array_;
  Napi::Reference<Napi::Float64Array> args_array_;
  const double* args_;
  Napi::Reference<Napi::Uint32Array> retired_array_;
  double* result_;
  uint32_t* retired_out_;
  Napi::FunctionReference retirer_;  // (count) => void: releases overlappedRetired[0 .. count)
  std::vector<uint32_t> retired_;
  Napi::Reference<Napi::Array> holds_;
  struct BoxWrite {
    Napi::ObjectReference box;
    double value;
  };
  std::vector<BoxWrite> box_writes_;
};

// The holds' fields per slot (holds.ts, HELD_FIELDS): lpOverlapped (or dwData), the function, the
// single buffer, the WSAOVERLAPPED's memory.
constexpr uint32_t kHeldFields = 4, kHeldBuffer = 2, kHeldOverlapped = 3;

int OverlappedEngine::Locate(Op* op, bool buffers) {
  napi_env env = realm_->env;
  napi_value held = nullptr;
  auto held_at = [&](uint32_t field) -> napi_value {
    napi_value v = nullptr;
    if (!held && napi_get_reference_value(env, holds_, &held) != napi_ok) return nullptr;
    if (!held || napi_get_element(env, held, kHeldFields * op->slot + field, &v) != napi_ok) return nullptr;
    return v;
  };
  if (!op->ov_fixed) {
    napi_value ov = op->ov_view.IsEmpty() ? held_at(kHeldOverlapped) : op->ov_view.Value();
    Bytes mem = ov ? ViewNow(env, ov) : Bytes{};
    op->ov_mem = mem.length >= kOverlappedSize ? mem.data : nullptr;
  }
  if (!op->ov_mem) return WSAEFAULT;
  if (!buffers) return 0;
  iovec* iov = op->iov.data();
  if (op->buffer_held) {
    // One buffer: AcceptEx's output holds its data part (iov[0]) and both addresses after it.
    const size_t need = op->kind == OpKind::kAccept || op->kind == OpKind::kAcceptData
                            ? size_t{op->recv_len} + op->local_len + op->remote_len : iov[0].iov_len;
    uint8_t* base;
    if (int e = SpanNow(env, held_at(kHeldBuffer), need, &base)) return e;
    iov[0].iov_base = base;
    op->output = base;
  } else {
    for (size_t i = 0; i < op->keep.size(); ++i) {
      uint8_t* base;
      napi_value view = op->keep[i].IsEmpty() ? nullptr : napi_value(op->keep[i].Value());
      if (int e = SpanNow(env, view, iov[i].iov_len, &base)) return e;
      iov[i].iov_base = base;
    }
    if (op->kind == OpKind::kAccept || op->kind == OpKind::kAcceptData) op->output = static_cast<uint8_t*>(iov[0].iov_base);
  }
  if (!op->from_view.IsEmpty()) {
    op->from = ViewNow(env, op->from_view.Value());
    if (op->from.length < op->from_need) return WSAEFAULT;
  }
  return 0;
}

void OverlappedEngine::FlushBoxWrites(bool in_js) {
  if (box_writes_.empty()) return;
  std::vector<BoxWrite> writes;
  writes.swap(box_writes_);
  std::optional<JsEntry> scope;
  if (!in_js) {
    scope.emplace(realm_);
    if (!scope->ok()) return;
  }
  for (BoxWrite& w : writes) {
    if (in_js) {  // inside a call: a setter's exception propagates from it
      SetBoxValue(w.box.Value(), w.value);
      continue;
    }
    try {
      SetBoxValue(w.box.Value(), w.value);
    } catch (const Napi::Error& e) {
      realm_->Defer(e.Value());  // a setter that threw: reported as any callback's exception
    }
  }
}

namespace {

OverlappedEngine* EngineOf(RealmState* realm) {
  if (!realm->overlapped) realm->overlapped = new OverlappedEngine(realm);
  return realm->overlapped;
}

// ---- the attempts ---------------------------------------------------------------------------------


// One receive attempt into the operation's buffers, as Locate last found them.
Attempt TryRecv(OverlappedEngine* engine, Op* op, SocketState& s) {
  Attempt a;
  if (op->total == 0) {
    // All buffers empty: Winsock completes with 0 bytes once data is there, consuming nothing.
    pollfd p{s.fd, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, 0); while (r < 0 && errno == EINTR);
    if (r == 0) a.error = WSAEWOULDBLOCK;
    return a;
  }
  sockaddr_storage from{};
  const bool with_from = !op->from_view.IsEmpty();
  RecvRequest req{op->iov.data(), op->iov.count(), op->flags, with_from ? &from : nullptr};
  req.never_block = true;
  IoResult r = RecvOn(s, req);
  a.error = r.error;
  a.bytes = r.bytes;
  a.out_flags = r.out_flags;
  if (with_from && (r.error == 0 || r.error == WSAEMSGSIZE) && from.ss_family != AF_UNSPEC) {
    double len = op->from_need;  // *lpFromlen as the call read it
    if (SockaddrToWinsock(from, op->from.data, op->from.length, &len) == 0) engine->DeferBoxWrite(op, len);
  }
  return a;
}

// One step of a send: moves what the socket takes now, from the first byte not yet taken (the
// buffers as Locate last found them, advanced past `done`).
Attempt TrySend(Op* op, SocketState& s) {
  Attempt a;
  if (op->total == op->done) return a;
  IovList rest;
  iovec* cursor = rest.Resize(static_cast<size_t>(op->iov.count()));
  std::memcpy(cursor, op->iov.data(), sizeof(iovec) * static_cast<size_t>(op->iov.count()));
  int count = op->iov.count();
  AdvanceIovecs(cursor, count, op->done);
  SendRequest req{cursor, count, op->flags, op->has_addr ? reinterpret_cast<sockaddr*>(&op->addr) : nullptr,
                  op->addrlen};
  req.never_block = true;
  IoResult r = SendOn(s, req);
  op->done += r.bytes;
  a.bytes = op->done;
  a.error = r.error;
  if (!a.error && op->done < op->total) a.error = WSAEWOULDBLOCK;  // taken in part: wait for room
  return a;
}

// Writes AcceptEx's addresses (Winsock layout) after the received data, where GetAcceptExSockaddrs
// reads them: the local address at dwReceiveDataLength, the remote one dwLocalAddressLength later.
void WriteAcceptAddresses(Op* op) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  if (::getsockname(op->accepted->fd, reinterpret_cast<sockaddr*>(&local), &len) == 0) {
    double room = op->local_len;
    SockaddrToWinsock(local, op->output + op->recv_len, op->local_len, &room);
  }
  double room = op->remote_len;
  SockaddrToWinsock(op->peer, op->output + op->recv_len + op->local_len, op->remote_len, &room);
}

// Takes a pending connection from the listener and makes sAcceptSocket's number refer to it.
Attempt TryAccept(Op* op) {
  Attempt a;
  socklen_t len = sizeof(op->peer);
  int fd;
  for (;;) {
    fd = ::accept4(op->listener->fd, reinterpret_cast<sockaddr*>(&op->peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) break;
    if (errno == EINTR || errno == ECONNABORTED) continue;
    a.error = errno == EAGAIN ? WSAEWOULDBLOCK : WsaFromErrno(errno);
    return a;
  }
  {
    std::lock_guard<std::mutex> lock(op->accepted->mu);
    if (op->accepted->closed) {
      ::close(fd);
      a.error = WSA_OPERATION_ABORTED;
      return a;
    }
    // dup3 swaps the connection in under the accept socket's number atomically; the descriptor
    // number never changes hands, so nothing else can be given it meanwhile.
    if (::dup3(fd, op->accepted->fd, O_CLOEXEC) < 0) {
      int err = errno;
      ::close(fd);
      a.error = WsaFromErrno(err);
      return a;
    }
    ::close(fd);
    op->accepted->bound = op->accepted->connected = true;
  }
  return a;
}

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
  if (GetPtr(mem.data, 0) == kStatusPending) return WSAEINVAL;
  op->slot = arg.slot;
  op->has_routine = arg.routine;
  op->event = static_cast<int64_t>(GetPtr(mem.data, 24) & ~uint64_t{1});  // the low bit is a flag (iocp.h)
  op->ov_mem = mem.data;
  // A SharedArrayBuffer's memory (WSAOVERLAPPED's own) stays where it is while it is kept (by the
  // holds, or by this reference when the realm has none); any other is found again by Locate before
  // each later use.
  op->ov_fixed = shared;
  if (!EngineOf(Realm(info.Env()))->has_holds()) op->ov_view = Napi::Reference<Napi::Value>::New(arg.mem, 1);
  PutPtr(mem.data, 0, kStatusPending);
  PutPtr(mem.data, 8, 0);
  // The provider resets hEvent when the request is issued; with a routine, hEvent is the caller's.
  if (!arg.routine && op->event)
    if (EventRef ev = FindEvent(op->event)) ResetEvent(ev);
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
Napi::Value RecvCommon(const Napi::CallbackInfo& info, bool one_buffer) {
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
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->has_routine);

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
Napi::Value SendCommon(const Napi::CallbackInfo& info, bool one_buffer) {
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
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->has_routine);

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

Napi::Value OverlappedRecv(const Napi::CallbackInfo& info) { return RecvCommon(info, false); }
Napi::Value OverlappedRecvOne(const Napi::CallbackInfo& info) { return RecvCommon(info, true); }
Napi::Value OverlappedSend(const Napi::CallbackInfo& info) { return SendCommon(info, false); }
Napi::Value OverlappedSendOne(const Napi::CallbackInfo& info) { return SendCommon(info, true); }

// ---- progress on the loop -----------------------------------------------------------------------

// A loop callback (loop::Poll, through FdWatch), or a blocking call's alertable wait (in_js). Before
// each attempt the operation's memory is found again (Locate: the program may have detached a buffer
// since it issued the request); that needs a handle scope, opened once here, not a JavaScript entry.
// The entry is opened only when a completion must settle WSAGetOverlappedResult's promise, and then
// lasts to the end, so promise continuations run after this socket is done with. JavaScript itself
// (a WSARecvFrom's *lpFromlen setter) runs only after the socket is done with.
void OverlappedSocket::Progress(int status, int events, bool in_js) {
  RealmState* realm = engine_->realm();
  OverlappedEngine* engine = engine_;
  std::optional<JsEntry> entry;
  napi_handle_scope handles = nullptr;
  if (!in_js && napi_open_handle_scope(realm->env, &handles) != napi_ok) return;
  auto complete = [&](Op* op, const Attempt& a) {
    if (op->waiter && !entry && !in_js) entry.emplace(realm);
    engine->Complete(op, a.error, a.bytes, a.out_flags, in_js);
  };
  // The memory of the operation at a queue's head; false when it is gone: the operation then ends
  // with WSAEFAULT, as a request whose buffer became invalid does, with nothing written.
  auto located = [&](Op* op) { return engine->Locate(op, /*buffers=*/true) == 0; };
  Attempt fault;
  fault.error = WSAEFAULT;
  // An error wake (status < 0) or a hang-up: let the attempts below read what happened.
  const bool readable = status < 0 || (events & (loop::kReadable | loop::kHangup));
  const bool writable = status < 0 || (events & loop::kWritable);
  if (readable) {
    maybe_readable = true;
    while (Op* op = reads.head) {
      if (!located(op)) {
        PopRead();
        complete(op, fault);
        continue;
      }
      Attempt a;
      if (op->kind == OpKind::kAccept) {
        a = TryAccept(op);
        if (a.error == 0 && op->recv_len > 0) {
          // Connected; AcceptEx also waits for the first data, on the new socket.
          PopRead();
          op->kind = OpKind::kAcceptData;
          OverlappedSocket* child = engine->For(op->accepted);
          child->PushRead(op);
          child->Rearm();
          continue;
        }
        if (a.error == 0) WriteAcceptAddresses(op);
      } else if (op->kind == OpKind::kAcceptData) {
        a = TryRecv(engine, op, *sock_);
        if (a.error != WSAEWOULDBLOCK) WriteAcceptAddresses(op);
      } else {
        a = TryRecv(engine, op, *sock_);
        NoteReceive(op, a);
      }
      if (a.error == WSAEWOULDBLOCK) break;
      PopRead();
      complete(op, a);
      if (!maybe_readable) break;  // drained: the next request waits for epoll, not for EAGAIN
    }
  }
  if (writable) {
    while (Op* op = writes.head) {
      if (op->kind == OpKind::kConnect) {
        int connect_error;
        bool settled;
        {
          std::lock_guard<std::mutex> lock(sock_->mu);
          RefreshConnectLocked(*sock_);
          settled = !sock_->connecting;
          connect_error = sock_->connected ? 0 : sock_->connect_error;
        }
        if (!settled) break;
        if (connect_error) {
          writes.pop();
          engine->Locate(op, /*buffers=*/false);
          Attempt failed;
          failed.error = connect_error;
          complete(op, failed);
          continue;
        }
        op->kind = OpKind::kSend;  // connected: ConnectEx's data, if any, goes as a send
      }
      if (!located(op)) {
        writes.pop();
        fault.bytes = op->done;
        complete(op, fault);
        continue;
      }
      Attempt a = TrySend(op, *sock_);
      if (a.error == WSAEWOULDBLOCK) break;
      writes.pop();
      a.out_flags = 0;
      complete(op, a);
    }
  }
  Rearm();
  if (handles) napi_close_handle_scope(realm->env, handles);
  // `this` may be gone after this (a setter may close the socket): nothing below touches it.
  engine->FlushBoxWrites(in_js);
}

// A blocking Winsock call (recv, send, accept or connect on a blocking socket) that has to wait
// waits alertably, as on Windows (spec §3.11): the realm's queued APCs run first, and while it waits
// the realm's pending overlapped operations go on, their routines running as they complete (one of
// them may even supply the data the call waits for). WaitForSocket (io.cc) polls through this.
// JavaScript runs only in ApcQueue::RunAll, after every socket the poll reported has progressed: a
// routine may close sockets, so no OverlappedSocket pointer is used across it.
int PollAlertably(pollfd* own, int wait_ms) {
  RealmState* realm = CurrentRealm();
  OverlappedEngine* engine = realm ? realm->overlapped : nullptr;
  ApcQueue* apc = realm ? realm->apc : nullptr;
  // Waits in slices, asking between them whether the thread's JavaScript is going away (a worker's
  // terminate() cannot reach a thread blocked in poll(2)).
  constexpr int kSliceMs = 200;
  if (realm && !StillRunsJs(realm)) return kPollRealmGone;
  if (wait_ms < 0 || wait_ms > kSliceMs) wait_ms = kSliceMs;
  TRACE_DO(trace::SetWait(trace::kWaitBlockingCall));
  if (apc && !apc->Empty()) {
    apc->RunAll();
    own->revents = 0;
    return 0;  // WaitForSocket looks at the socket again: a routine may have changed it
  }
  if (!engine || engine->pending() == 0) return ::poll(own, 1, wait_ms);
  std::vector<pollfd> fds{*own};
  std::vector<OverlappedSocket*> owners{nullptr};
  engine->ForEachPending([&](OverlappedSocket* os, short events) {
    fds.push_back({os->sock().fd, events, 0});
    owners.push_back(os);
  });
  const int r = ::poll(fds.data(), fds.size(), wait_ms);
  if (r <= 0) return r;
  own->revents = fds[0].revents;
  for (size_t i = 1; i < fds.size(); ++i)
    if (fds[i].revents) owners[i]->Progress(0, ReadinessFromPoll(fds[i].revents), /*in_js=*/true);
  if (apc && !apc->Empty()) apc->RunAll();
  return own->revents ? 1 : 0;
}

void OverlappedSocket::OnSocketClosed() {
  // closesocket: everything pending ends with WSA_OPERATION_ABORTED, its buffers untouched since.
  // (From this realm's closesocket, or from its inbox when another realm closed the socket.) The
  // WSAOVERLAPPEDs are written where they are now; one the program has detached gets nothing.
  OverlappedEngine* engine = engine_;
  RealmState* realm = engine->realm();
  JsEntry scope(realm);
  napi_handle_scope handles = nullptr;
  const bool scoped = scope.ok() || napi_open_handle_scope(realm->env, &handles) == napi_ok;
  engine->Forget(this);
  auto abort = [&](Op* op, size_t bytes) {
    if (!scoped || engine->Locate(op, /*buffers=*/false) != 0) op->ov_mem = nullptr;
    engine->Complete(op, WSA_OPERATION_ABORTED, bytes, 0);
  };
  while (Op* op = PopRead()) abort(op, 0);
  while (Op* op = writes.pop()) abort(op, op->kind == OpKind::kSend ? op->done : 0);
  if (handles) napi_close_handle_scope(realm->env, handles);
  delete this;
}

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
  TRACE(kIssued, ls, static_cast<int>(op->kind), op->slot, op->has_routine, as);

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
  TRACE(kIssued, s, static_cast<int>(op->kind), op->slot, op->has_routine);

  int connect_error = 0;
  bool in_progress = false;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    const int err = ConnectLocked(*sock, reinterpret_cast<sockaddr*>(&op->addr), op->addrlen);
    if (err == 0) {
      sock->connected = true;
      sock->connect_error = sock->so_error = 0;
    } else if (err == EINPROGRESS) {
      sock->connecting = true;
      in_progress = true;
    } else {
      connect_error = sock->connect_error = WsaFromErrno(err);
      sock->so_error = 0;  // ConnectEx itself reports it
    }
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

void DestroyOverlappedEngine(RealmState* realm) {
  delete realm->overlapped;
  realm->overlapped = nullptr;
}

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
}
