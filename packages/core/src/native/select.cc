// select(): Winsock's readiness check over counted fd_sets (winsock-spec §3.1).
//
// Memory contract with TypeScript: an fd_set is one Int32Array laid out as C's
// { u_int fd_count; SOCKET fd_array[capacity]; } — element 0 is fd_count, elements 1..capacity the
// sockets — so native code reads and rewrites a set without a property read per element. The limit
// is the set's count, never the descriptor's value: nothing here uses libc's FD_SET/fd_set.
//
// How a call runs:
//  1. One poll() with timeout 0 over every socket (plus the Winsock state each socket keeps). Anything
//     ready, or a {0,0} timeout, returns the count synchronously without arming anything.
//  2. Otherwise the call arms one ReadinessSubscriber per socket on the realm's loop (FdWatch) and a
//     loop::Timer for the timeout, and holds the realm. The first wake (readiness, timeout, or a socket
//     closed) queues the call; an idle handle then disarms it and runs ONE check over all its sockets,
//     so every ready socket is reported, and resolves the promise once. A wake that finds nothing
//     ready (a condition Winsock hides) re-arms and keeps waiting.
// No thread per call, no busy polling.
//
// Fairness between concurrent calls of one realm (a server running one select loop per 63 sockets,
// as Windows servers run one select thread per group): a call that finds sockets ready at once would
// return synchronously, and its loop's continuation runs as a microtask, before the event loop polls
// again. A loop whose sockets are always ready (at 1,000 connections one of 63 almost always is) then
// never lets the loop poll, and the calls parked on it starve: measured, the least-served connection
// got 0.02-0.3 of the most-served one's round trips. So while another call of the realm waits, a call
// that finds sockets ready goes behind it: it is queued as if woken, the loop polls once (timeout 0,
// since the idle handle runs), and every call woken by then is finished in order, each with a fresh
// check: one turn per call per loop turn, as Windows' scheduler gives each select thread its slice
// (measured: 0.93-0.95). A lone call, and a poll ({0,0} timeout), still answer at once. (A time
// slice of 8 synchronous answers per turn was tried: fairness fell back to 0.24-0.32.)

// Linger: a socket's SelectWatcher stays subscribed between calls and keeps the last call's events
// armed, so a server that selects on the same sockets again and again costs no epoll_ctl per call.
// The first wake nobody waits for drops the linger (one wasted wake, then the poll stops).
#include <poll.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "apc.h"
#include "entry.h"
#include "io.h"
#include "poller.h"
#include "recorder.h"
#include "sys/sys.h"
#include "trace.h"

namespace {

enum Role : int { kRead = 1, kWrite = 2, kExcept = 4 };
constexpr int kRoleBit[3] = {kRead, kWrite, kExcept};

class SelectEngine;
class SelectWatcher;

// One distinct socket of a call, in order of first appearance.
struct Entry {
  SocketRef sock;
  int fd = -1;
  int roles = 0;        // the sets it was given in
  int ready = 0;        // the sets it is ready for, after the last check
  int arm = 0;          // loop::Readiness bits to wait for when nothing is ready
  bool closed = false;  // closesocket ran while the call waited
  uint32_t written = 0; // output generation, so a socket listed twice in a set is reported once
  SelectWatcher* watcher = nullptr;  // while the call waits on it
};

// A blocking select waits alertably (winsock-spec §3.1): completion routines queued while it waits
// run, and the select goes on waiting by its own criteria (a routine may make a socket ready).
class SelectApcHook : public AlertableWaiter {
 public:
  explicit SelectApcHook(RealmState* realm) : realm_(realm) {}
  // From the APC queue's idle callback, inside its JsEntry: a routine that throws is reported there.
  void OnApcQueued() override {
    TRACE_DO(trace::SetWait(trace::kWaitSelect));
    ApcOf(realm_)->RunAll(/*from_loop=*/true);
  }

 private:
  RealmState* realm_;
};

struct SelectCall {
  explicit SelectCall(RealmState* realm) : apc_hook(realm) {}
  SelectEngine* engine = nullptr;
  SelectApcHook apc_hook;  // listed in the realm's APC queue while the call waits
  std::vector<Entry> entries;
  std::vector<int32_t> order[3];  // entry index of each input position, per set
  // Each set's sockets as the call read them, once: the set's memory may be a SharedArrayBuffer
  // another thread changes meanwhile, so nothing after the intake reads it (caller_memory.h).
  std::vector<int32_t> input[3];
  bool present[3] = {false, false, false};
  Napi::Reference<Napi::Int32Array> sets[3];  // while waiting: the memory to rewrite at the end
  napi_deferred deferred = nullptr;
  loop::Timer* timer = nullptr;  // created with the call, reused by the pool
  bool timer_running = false;
  bool waiting = false;
  bool queued = false;
  bool timed_out = false;
};

// The realm's select side: watchers by descriptor, a pool of calls, and the completion queue.
class SelectEngine {
 public:
  explicit SelectEngine(Napi::Env env);
  Napi::Value Select(const Napi::CallbackInfo& info);
  void Wake(SelectCall* call);
  void Forget(SelectWatcher* watcher);
  void Teardown();

 private:
  friend class SelectWatcher;
  SelectCall* Acquire();
  void Recycle(SelectCall* call);
  int Gather(SelectCall& call);
  int Check(SelectCall& call, bool* enotsock);
  int Write(SelectCall& call, int32_t* mem[3], bool empty);
  void DropClosed(SelectCall& call, int32_t* mem[3]);
  void Arm(SelectCall& call);
  void Disarm(SelectCall& call);
  void Finish(SelectCall* call);
  void RunQueue();
  SelectWatcher* WatcherFor(const SocketRef& sock);

  Napi::Env env_;
  RealmState* realm_;
  std::vector<SelectWatcher*> watchers_;  // by descriptor number
  std::vector<SelectCall*> pool_;
  std::vector<SelectCall*> all_calls_;
  std::vector<SelectCall*> queue_;
  std::vector<SelectCall*> batch_;
  loop::Idle* idle_ = nullptr;
  // Scratch reused by every call: seen_[fd] == gen_ means fd already has entry index_[fd].
  std::vector<uint32_t> seen_;
  std::vector<int32_t> index_;
  uint32_t gen_ = 0;
  uint32_t out_gen_ = 0;
  std::vector<pollfd> pfds_;
  size_t waiting_calls_ = 0;  // calls of this realm that wait (armed, or queued to finish)
  bool torn_down_ = false;
};

class SelectWatcher : public ReadinessSubscriber {
 public:
  SelectWatcher(SelectEngine* engine, FdWatch* watch, uint64_t serial, int fd)
      : watch(watch), serial(serial), fd(fd), engine_(engine) {}

  int WantedEvents() override {
    int u = 0;
    for (auto& w : waiting_) u |= w.second;
    return u ? u : linger_;
  }

  void OnReady(int status, int events) override {
    bool woke = false;
    // Iterate by index: Wake only queues, it never changes waiting_.
    for (auto& w : waiting_) {
      if (status < 0 || (w.second & events)) {
        engine_->Wake(w.first);
        woke = true;
      }
    }
    if (!woke && linger_) {
      // Nobody waits for this: stop lingering so a condition no call wants cannot wake the loop again.
      linger_ = 0;
      watch->Update();
    }
  }

  void OnSocketClosed() override {
    // The FdWatch is closing and has already dropped us; tell the calls, then go.
    for (auto& w : waiting_) {
      for (Entry& e : w.first->entries)
        if (e.watcher == this) e.watcher = nullptr;
      engine_->Wake(w.first);
    }
    waiting_.clear();
    engine_->Forget(this);
    delete this;
  }

  void Add(SelectCall* call, int events) {
    waiting_.emplace_back(call, events);
    watch->Update();
  }

  void Remove(SelectCall* call) {
    int before = WantedEvents();
    for (size_t i = 0; i < waiting_.size(); ++i) {
      if (waiting_[i].first == call) {
        waiting_[i] = waiting_.back();
        waiting_.pop_back();
        break;
      }
    }
    // Keep the events armed for the next call on this socket (see "Linger" above).
    if (waiting_.empty()) linger_ = before;
    else watch->Update();
  }

  // Realm teardown: leave the watch without notifications.
  void Detach() {
    waiting_.clear();
    linger_ = 0;
    watch->Unsubscribe(this);
  }

  FdWatch* const watch;
  const uint64_t serial;
  const int fd;

 private:
  SelectEngine* engine_;
  int linger_ = 0;
  std::vector<std::pair<SelectCall*, int>> waiting_;
};

// What Winsock reports for one socket, from poll()'s revents and the state the socket keeps.
// Caller holds s.mu and has settled a pending connect. Returns ready roles; *arm gets the loop::Readiness bits
// that would change the answer (0: no kernel event can, so none is armed — e.g. Linux reports
// POLLOUT|POLLHUP on a never-connected TCP socket, which would otherwise wake the loop forever).
int Classify(const SocketState& s, short rev, int roles, int* arm) {
  int ready = 0;
  int want = 0;
  if (s.is_stream()) {
    if (s.listening) {
      if (rev & POLLIN) ready |= kRead;  // a connection waits to be accepted
      want = (roles & kRead) ? loop::kReadable : 0;
    } else if (s.connected) {
      // Data, the peer's FIN, or a reset. Urgent data alone is not readable unless SO_OOBINLINE (Linux
      // already leaves POLLIN off for a lone urgent byte).
      if (rev & (sys::kPollReadable | POLLHUP | POLLERR)) ready |= kRead;
      if (s.oob_inline && (rev & POLLPRI)) ready |= kRead;
      if (rev & POLLOUT) ready |= kWrite;
      if (!s.oob_inline && (rev & POLLPRI)) ready |= kExcept;
      if (roles & kRead) want |= loop::kReadable | loop::kHangup | (s.oob_inline ? loop::kPriority : 0);
      if (roles & kWrite) want |= loop::kWritable;
      if ((roles & kExcept) && !s.oob_inline) want |= loop::kPriority;
    } else if (s.connecting) {
      want = loop::kWritable;  // the connect's outcome; RefreshConnectLocked (recorder.h) reads it on the next check
    } else if (s.connect_error) {
      ready |= kExcept;  // a failed connect shows in exceptfds only (Linux says IN|OUT|ERR|HUP)
    }
    // Otherwise unconnected and not connecting: never readable or writable in Winsock.
  } else {
    if (rev & (POLLIN | POLLERR)) ready |= kRead;
    if (rev & POLLOUT) ready |= kWrite;  // any datagram socket, bound or not
    if (roles & kRead) want |= loop::kReadable;
    if (roles & kWrite) want |= loop::kWritable;
  }
  ready &= roles;
  // A hang-up or error that did not make the socket ready for its sets never will: waiting on it
  // would only spin (epoll reports HUP and ERR whether asked or not).
  if (!ready && (rev & (POLLHUP | POLLERR))) want = 0;
  *arm = want;
  return ready;
}

// ---- the engine ------------------------------------------------------------------------------------

SelectEngine::SelectEngine(Napi::Env env) : env_(env), realm_(Realm(env)) {
  idle_ = loop::Idle::New(realm_->loop, [](void* self) { static_cast<SelectEngine*>(self)->RunQueue(); }, this);
}

SelectCall* SelectEngine::Acquire() {
  if (!pool_.empty()) {
    SelectCall* c = pool_.back();
    pool_.pop_back();
    return c;
  }
  SelectCall* c = new SelectCall(realm_);
  c->engine = this;
  // The realm's Hold keeps the loop alive, not the timer.
  c->timer = loop::Timer::New(realm_->loop, [](void* data) {
    SelectCall* call = static_cast<SelectCall*>(data);
    call->timer_running = false;
    call->timed_out = true;
    call->engine->Wake(call);
  }, c);
  all_calls_.push_back(c);
  return c;
}

// Back to the pool: sockets released, vectors keep their capacity for the next call.
void SelectEngine::Recycle(SelectCall* c) {
  c->entries.clear();
  for (int k = 0; k < 3; ++k) {
    c->order[k].clear();
    c->input[k].clear();
    c->present[k] = false;
    if (!c->sets[k].IsEmpty()) c->sets[k].Reset();
  }
  c->deferred = nullptr;
  c->waiting = c->queued = c->timed_out = false;
  pool_.push_back(c);
}

// Reads the sets (as copied into c.input) into distinct entries. Returns a WSA code (the sets are
// left as they are).
int SelectEngine::Gather(SelectCall& c) {
  if (++gen_ == 0) {  // wrapped: forget every old stamp
    std::fill(seen_.begin(), seen_.end(), 0);
    gen_ = 1;
  }
  for (int k = 0; k < 3; ++k) {
    if (!c.present[k]) continue;
    c.order[k].reserve(c.input[k].size());
    for (const int32_t fd : c.input[k]) {
      if (fd >= 0 && static_cast<size_t>(fd) < seen_.size() && seen_[fd] == gen_) {
        Entry& e = c.entries[index_[fd]];
        e.roles |= kRoleBit[k];
        c.order[k].push_back(index_[fd]);
        continue;
      }
      SocketRef sock = FindSocket(fd);
      if (!sock) return WSAENOTSOCK;
      if (static_cast<size_t>(fd) >= seen_.size()) {
        seen_.resize(static_cast<size_t>(fd) + 64, 0);
        index_.resize(seen_.size(), 0);
      }
      seen_[fd] = gen_;
      index_[fd] = static_cast<int32_t>(c.entries.size());
      c.order[k].push_back(index_[fd]);
      c.entries.emplace_back();
      Entry& e = c.entries.back();
      e.sock = std::move(sock);
      e.fd = fd;
      e.roles = kRoleBit[k];
    }
  }
  return 0;
}

// One non-blocking look at every socket. Returns the number of ready (socket, set) pairs, or -1 with
// *enotsock when a socket closed meanwhile is reportable in no set (Winsock: WSAENOTSOCK), or
// -2 - wsa for a failed poll().
int SelectEngine::Check(SelectCall& c, bool* enotsock) {
  const size_t n = c.entries.size();
  pfds_.resize(n);
  for (size_t i = 0; i < n; ++i) pfds_[i] = pollfd{c.entries[i].fd, sys::kPollReadable | POLLOUT | POLLPRI, 0};
  const int r = sys::PollNow(pfds_.data(), n);
  if (r < 0) return -2 - WsaFromErrno(-r);
  int pairs = 0;
  for (size_t i = 0; i < n; ++i) {
    Entry& e = c.entries[i];
    std::lock_guard<std::mutex> lock(e.sock->mu);
    if (e.sock->closed) {
      // Closed while the call waited (its descriptor is still ours, so revents mean nothing): Winsock
      // reports it readable if it was in readfds, and fails the call otherwise.
      e.closed = true;
      e.arm = 0;
      e.ready = e.roles & kRead;
      if (!e.ready) *enotsock = true;
    } else {
      RefreshConnectLocked(*e.sock);
      e.ready = Classify(*e.sock, pfds_[i].revents, e.roles, &e.arm);
    }
    pairs += (e.ready & 1) + ((e.ready >> 1) & 1) + ((e.ready >> 2) & 1);  // roles set
  }
  return *enotsock ? -1 : pairs;
}

// Rewrites the sets in place: each keeps, in its original order, the sockets ready for it, once.
// A set passed twice (the same memory as readfds and writefds) receives both answers, merged.
// Returns the number of sockets written; empty: clear every set (timeout).
int SelectEngine::Write(SelectCall& c, int32_t* mem[3], bool empty) {
  for (int k = 0; k < 3; ++k)
    if (mem[k]) mem[k][0] = 0;  // first, since sets may alias
  if (empty) return 0;
  int total = 0;
  bool merged[3] = {false, false, false};
  for (int k = 0; k < 3; ++k) {
    if (!mem[k] || merged[k]) continue;
    int mask = kRoleBit[k];
    for (int j = k + 1; j < 3; ++j)
      if (mem[j] == mem[k]) { mask |= kRoleBit[j]; merged[j] = true; }
    if (++out_gen_ == 0) {
      for (Entry& e : c.entries) e.written = 0;
      out_gen_ = 1;
    }
    int32_t out = 0;
    for (int32_t idx : c.order[k]) {
      Entry& e = c.entries[idx];
      if (!(e.ready & mask) || e.written == out_gen_) continue;
      e.written = out_gen_;
      mem[k][1 + out++] = e.fd;
    }
    mem[k][0] = out;
    total += out;
  }
  TRACE_DO(trace::Emit(trace::kSelect, -1, total, static_cast<int64_t>(c.entries.size())); for (const Entry& e : c.entries) if (e.ready) trace::Emit(trace::kSelectReady, e.fd, e.ready));
  return total;
}

// A call that fails because sockets were closed while it waited (WSAENOTSOCK) leaves each set
// without them, the others as given (Windows takes a closed handle out of the sets it was in).
void SelectEngine::DropClosed(SelectCall& c, int32_t* mem[3]) {
  for (int k = 0; k < 3; ++k) {
    if (!mem[k]) continue;
    int32_t out = 0;
    for (int32_t idx : c.order[k])
      if (!c.entries[idx].closed) mem[k][1 + out++] = c.entries[idx].fd;
    mem[k][0] = out;
  }
}

SelectWatcher* SelectEngine::WatcherFor(const SocketRef& sock) {
  const size_t fd = static_cast<size_t>(sock->fd);
  if (fd < watchers_.size() && watchers_[fd]) {
    if (watchers_[fd]->serial == sock->serial) return watchers_[fd];
    // A watcher of an earlier socket with this number whose close has not reached this realm yet.
    watchers_[fd]->Detach();
    delete watchers_[fd];
    watchers_[fd] = nullptr;
  }
  if (fd >= watchers_.size()) watchers_.resize(fd + 64, nullptr);
  FdWatch* watch = FdWatch::For(realm_, sock);
  SelectWatcher* w = new SelectWatcher(this, watch, sock->serial, sock->fd);
  watchers_[fd] = w;
  watch->Subscribe(w);
  return w;
}

void SelectEngine::Forget(SelectWatcher* w) {
  const size_t fd = static_cast<size_t>(w->fd);
  if (fd < watchers_.size() && watchers_[fd] == w) watchers_[fd] = nullptr;
}

// Every socket of the call is watched, also one no kernel event can make ready (e.arm 0: nothing is
// polled for it): its closesocket must still wake the call, which then reports it or fails.
void SelectEngine::Arm(SelectCall& c) {
  for (Entry& e : c.entries) {
    if (e.closed) continue;
    bool closed;
    {
      std::lock_guard<std::mutex> lock(e.sock->mu);
      closed = e.sock->closed;
    }
    if (closed) {
      // Closed since the check (by another realm; its close is on the way here): look again.
      Wake(&c);
      continue;
    }
    e.watcher = WatcherFor(e.sock);
    e.watcher->Add(&c, e.arm);
  }
}

void SelectEngine::Disarm(SelectCall& c) {
  for (Entry& e : c.entries) {
    if (e.watcher) e.watcher->Remove(&c);
    e.watcher = nullptr;
  }
}

void SelectEngine::Wake(SelectCall* c) {
  if (!c->waiting || c->queued) return;
  c->queued = true;
  queue_.push_back(c);
  // A started Idle also keeps the next poll phase from blocking, so a wake from a timer or from
  // closesocket is finished promptly.
  if (queue_.size() == 1) idle_->Start();
}

void SelectEngine::RunQueue() {
  batch_.swap(queue_);
  for (SelectCall* c : batch_) {
    c->queued = false;
    Finish(c);
  }
  batch_.clear();
  if (queue_.empty()) idle_->Stop();
}

void SelectEngine::Finish(SelectCall* c) {
  Disarm(*c);
  bool enotsock = false;
  int pairs = Check(*c, &enotsock);
  if (pairs == 0 && !c->timed_out) {
    Arm(*c);  // a wake Winsock would not report: keep waiting
    return;
  }
  if (c->timer_running) {
    c->timer->Stop();
    c->timer_running = false;
  }
  c->waiting = false;
  --waiting_calls_;
  ApcOf(realm_)->RemoveWaiter(&c->apc_hook);
  realm_->Release();

  // One entry per call, so the continuation (and other microtasks) run now, as after any I/O
  // callback, and each continuation reads the last error its own call set.
  JsEntry entry(realm_);
  napi_deferred deferred = c->deferred;
  if (!entry.ok()) {  // the realm's JavaScript is gone: nobody can see the sets or the promise
    Recycle(c);
    return;
  }
  int32_t* mem[3] = {nullptr, nullptr, nullptr};
  int error = 0;
  if (pairs == -1) error = WSAENOTSOCK;
  else if (pairs < -1) error = -2 - pairs;
  bool writable = true;
  for (int k = 0; k < 3; ++k) {
    if (!c->present[k]) continue;
    // The program may have detached or shrunk the memory while it waited: never write past it.
    Bytes a = BytesOf(c->sets[k].Value());
    if (a.length < (1 + c->order[k].size()) * sizeof(int32_t) || a.data == nullptr) writable = false;
    else mem[k] = reinterpret_cast<int32_t*>(a.data);
  }
  if (!writable && !error) error = WSAEFAULT;
  double result;
  if (error) {
    if (error == WSAENOTSOCK && writable) DropClosed(*c, mem);
    SetLastError(realm_, error);
    result = kSocketError;
  } else {
    result = Write(*c, mem, pairs == 0);
  }
  Recycle(c);
  ResolveDeferred(realm_, deferred, result);
}

// One Node-API call for an fd_set that is there (node-addon-api's IsTypedArray, TypedArrayType, As and
// Data ask four times): the info call itself refuses what is not a typed array; null is asked after.
// *given: an Int32Array was passed (its *mem is null when it is detached), not null.
static Napi::Value ArgFdSet(const Napi::CallbackInfo& info, size_t i, const char* usage,
                                    const char* name, int32_t** mem, size_t* length, bool* given) {
  Napi::Value v = info[i];
  *mem = nullptr;
  *length = 0;
  *given = false;
  napi_typedarray_type type;
  size_t count = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(info.Env(), v, &type, &count, &data, nullptr, nullptr) == napi_ok) {
    if (type != napi_int32_array)
      ThrowUsage(info, usage, (std::string(name) + " must be an fd_set's memory (Int32Array) or null").c_str());
    *mem = static_cast<int32_t*>(data);  // null when detached: then count is 0 too
    *length = data ? count : 0;
    *given = true;
    return v;
  }
  if (IsNullish(v)) return v;
  ThrowUsage(info, usage, (std::string(name) + " must be an fd_set's memory (Int32Array) or null").c_str());
}

// select(readfds, writefds, exceptfds, timeoutMs) -> count, SOCKET_ERROR, or a Promise of either.
// timeoutMs: null waits forever, 0 checks and returns, otherwise a relative wait in milliseconds.
Napi::Value SelectEngine::Select(const Napi::CallbackInfo& info) {
  static const char* kUsage = "select(readfds, writefds, exceptfds, timeoutMs)";
  static const char* kNames[3] = {"readfds", "writefds", "exceptfds"};
  int32_t* mem[3];
  size_t len[3];
  bool given[3];
  Napi::Value vals[3];
  for (int k = 0; k < 3; ++k) vals[k] = ArgFdSet(info, k, kUsage, kNames[k], &mem[k], &len[k], &given[k]);
  Napi::Value t = info[3];
  const bool forever = IsNullish(t);
  double timeout_ms = 0;
  if (!forever) timeout_ms = ArgNumber(info, 3, kUsage, "timeoutMs");

  if (!WinsockStarted()) return Fail(info, WSANOTINITIALISED);
  // fd_count and the sockets are read once each, into the call's own copy (SelectCall::input).
  uint32_t counts[3] = {0, 0, 0};
  uint64_t total = 0;
  for (int k = 0; k < 3; ++k) {
    if (given[k] && !mem[k]) return Fail(info, WSAEFAULT);  // detached
    if (!mem[k]) continue;
    counts[k] = static_cast<uint32_t>(mem[k][0]);
    if (len[k] < 1 || counts[k] > len[k] - 1) return Fail(info, WSAEFAULT);  // fd_count past its storage
    total += counts[k];
  }
  if (total == 0) return Fail(info, WSAEINVAL);
  if (!forever && !(std::isfinite(timeout_ms) && timeout_ms >= 0)) return Fail(info, WSAEINVAL);

  SelectCall* c = Acquire();
  for (int k = 0; k < 3; ++k) {
    c->present[k] = mem[k] != nullptr;
    if (mem[k]) c->input[k].assign(mem[k] + 1, mem[k] + 1 + counts[k]);
  }
  if (int err = Gather(*c)) {
    Recycle(c);
    return Fail(info, err);
  }
  bool enotsock = false;
  int pairs = Check(*c, &enotsock);
  if (pairs < -1) {
    Recycle(c);
    return Fail(info, -2 - pairs);
  }
  const bool poll_only = !forever && timeout_ms == 0;
  // Ready, but another call of this realm waits: take a turn behind it (see "Fairness" above).
  const bool yield = pairs != 0 && !poll_only && waiting_calls_ > 0;
  if (!yield && (pairs != 0 || poll_only)) {
    int n = Write(*c, mem, pairs == 0);
    Recycle(c);
    return Ok(info, n);
  }

  // Nothing ready (or yielding): wait on the loop.
  for (int k = 0; k < 3; ++k)
    if (mem[k]) c->sets[k] = Napi::Persistent(vals[k].As<Napi::Int32Array>());
  napi_value promise;
  if (napi_create_promise(env_, &c->deferred, &promise) != napi_ok) {
    Recycle(c);
    throw Napi::Error::New(env_, "select: cannot create a promise");
  }
  c->waiting = true;
  ++waiting_calls_;
  realm_->Hold();
  ApcOf(realm_)->AddWaiter(&c->apc_hook);  // routines already queued run on the next turn
  if (yield) Wake(c);  // finished after the loop's next poll, with a fresh check
  else Arm(*c);
  if (!forever) {
    // Round up: a wait asked for in microseconds must not become a poll.
    const double ms = std::ceil(timeout_ms);
    const uint64_t due = ms > 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(ms);
    c->timer_running = true;
    c->timer->Start(due);
  }
  return Napi::Value(env_, promise);
}

// Environment teardown (before the realm's own): JavaScript can no longer run, so pending calls are
// dropped; handles close and free themselves.
void SelectEngine::Teardown() {
  if (torn_down_) return;
  torn_down_ = true;
  for (SelectCall* c : all_calls_) {
    if (c->waiting) {
      Disarm(*c);
      if (realm_->apc) realm_->apc->RemoveWaiter(&c->apc_hook);
    }
    for (auto& ref : c->sets) if (!ref.IsEmpty()) ref.Reset();
    c->entries.clear();
    c->timer->Close([](void* call) { delete static_cast<SelectCall*>(call); }, c);
  }
  all_calls_.clear();
  pool_.clear();
  queue_.clear();
  for (SelectWatcher*& w : watchers_) {
    if (!w) continue;
    w->Detach();
    delete w;
    w = nullptr;
  }
  idle_->Close();
  idle_ = nullptr;
}

}  // namespace

void InitSelect(Napi::Env env, Napi::Object exports) {
  SelectEngine* engine = new SelectEngine(env);
  // A step of the realm's teardown (realm.h), which runs it before the watches go: the watches we
  // unsubscribe from still exist.
  Realm(env)->OnTeardown([engine]() {
    engine->Teardown();
    delete engine;
  });
  exports.Set("select", Napi::Function::New(
                            env, [](const Napi::CallbackInfo& info) -> Napi::Value {
                              return static_cast<SelectEngine*>(info.Data())->Select(info);
                            },
                            "select", engine));
}
