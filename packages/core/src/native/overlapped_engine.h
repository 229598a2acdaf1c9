// The overlapped engine itself: per realm, its sockets' queues (OverlappedSocket), the pool of
// operations, completion (Complete) and the slots handed back to TypeScript. See overlapped.h for the
// contract and its invariants.
#pragma once
#include <napi.h>
#include <poll.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "apc.h"
#include "entry.h"
#include "events.h"
#include "loop.h"
#include "overlapped.h"
#include "overlapped_layout.h"
#include "overlapped_request.h"
#include "poller.h"
#include "realm.h"
#include "realm_memory.h"
#include "sys/sys.h"
#include "trace.h"
#include "wsa.h"

namespace ovl {

struct Attempt {
  int error = 0;       // WSA code; WSAEWOULDBLOCK: not yet
  size_t bytes = 0;
  int out_flags = 0;
};

class OverlappedEngine;

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

// The realm's overlapped engine (RealmState::overlapped): its sockets' queues and a pool of operations.
class OverlappedEngine {
 public:
  explicit OverlappedEngine(RealmState* realm)
      : realm_(realm), check_(loop::Check::New(realm->loop, &OverlappedEngine::OnCheck, this)) {
    Napi::Env env = realm->env;
    result_array_.Create(env, kResultCount);
    args_array_.Create(env, kArgCount);
    retired_array_.Create(env, kRetireBatch);
    result_ = result_array_.data();
    args_ = args_array_.data();
    retired_out_ = retired_array_.data();
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
      const short events = static_cast<short>((os->reads.empty() ? 0 : sys::kPollReadable) |
                                              (os->writes.empty() ? 0 : POLLOUT));
      if (events) f(os, events);
    }
  }
  size_t pending() const { return pending_; }

  // What a call reports besides its return value (holds.ts, opResult), indexed by ResultIndex.
  double* result() { return result_; }
  Napi::Value ResultArray() const { return result_array_.View(); }
  // The numbers of a one-buffer call, indexed by ArgIndex.
  const double* args() const { return args_; }
  Napi::Value ArgsArray() const { return args_array_.View(); }
  Napi::Value RetiredArray() const { return retired_array_.View(); }
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
    TRACE(kCompleted, -1, error, bytes, op->slot,
          static_cast<int>(op->kind) | (op->has_routine ? 256 : 0) | (in_call ? 512 : 0) | (op->port ? 1024 : 0));
    if (op->ov_mem) {
      PutPtr(op->ov_mem, layout::OV_INTERNAL, static_cast<uint32_t>(error));
      PutPtr(op->ov_mem, layout::OV_INTERNAL_HIGH, static_cast<uint32_t>(bytes));
      PutDword(op->ov_mem, layout::OV_OFFSET, static_cast<uint32_t>(out_flags));
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
      // A socket associated with a completion port: the packet goes to the port. A valid hEvent is set
      // as well, as Windows does (Wine's async_set_result queues the completion, then sets the event);
      // an hEvent with its low bit set kept the request off the port (IocpTargetOf), leaving the event.
      if (op->port) IocpQueue(op->port, static_cast<uint32_t>(error), static_cast<uint32_t>(bytes));
      // A handle closed meanwhile signals nothing. Windows sets the object it referenced at issue, which
      // no handle names any more: the same to the program. Not a reference taken at issue here: a
      // closed event's shared state word goes to the next event made in its slot.
      if (op->event) SignalEventHandle(op->event, in_js);
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
  // Shared with TypeScript (holds.ts), native memory whatever JavaScript does to the views (realm_memory.h).
  RealmArray<double> result_array_;
  RealmArray<double> args_array_;
  const double* args_;
  RealmArray<uint32_t> retired_array_;
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

// The realm's engine, created on first use.
OverlappedEngine* EngineOf(RealmState* realm);

// The blocking calls' alertable wait (overlapped_alertable.cc); see there.
int PollAlertably(pollfd* own, int wait_ms);

}  // namespace ovl
