// I/O completion ports. See iocp.h for the rules and their invariants.
#include "iocp.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "apc.h"
#include "entry.h"
#include "realm_memory.h"

namespace {

// Win32 numbers the calls report (GetLastError) and the TypeScript face names.
constexpr uint32_t kErrorInvalidHandle = 6;        // ERROR_INVALID_HANDLE
constexpr uint32_t kErrorInvalidParameter = 87;    // ERROR_INVALID_PARAMETER
constexpr uint32_t kWaitTimeout = 258;             // WAIT_TIMEOUT
constexpr uint32_t kErrorAbandonedWait0 = 735;     // ERROR_ABANDONED_WAIT_0
constexpr uint32_t kWaitIoCompletion = 0xC0;       // WAIT_IO_COMPLETION
constexpr uint32_t kInfinite = 0xFFFFFFFF;         // INFINITE
constexpr uint32_t kMaxBatch = 4096;               // GetQueuedCompletionStatusEx's ulCount, at most
// Packets a wait decided inside its call can hand back through the realm's result array (IocpRealm::
// result); a larger batch comes back as a new array.
constexpr uint32_t kResultPackets = 64;
// Port handles: multiples of 4 (the low bits are free, as Win32 handles' are), from a range no event
// handle (events.cc: ((slot + 1) << 8) | generation, slots < 2^20) reaches; never reused.
constexpr int64_t kFirstHandle = int64_t{1} << 40;

struct Packet {
  double key = 0;
  double overlapped = 0;  // the address of the request's WSAOVERLAPPED; 0 for a posted NULL
  uint32_t error = 0;     // WSA code, 0 for success (WSAOVERLAPPED.Internal)
  uint32_t bytes = 0;
};

struct IocpRealm;

// One GetQueuedCompletionStatus(Ex) that had to wait. Owned by its realm's IocpRealm (pending, then
// pool); parked on its port's stack until `done`. Fields under the port's mutex: done, packets,
// result. The rest belongs to the realm's thread.
struct PortWaiter : AlertableWaiter {
  IocpRealm* home = nullptr;
  std::shared_ptr<CompletionPort> port;
  napi_deferred deferred = nullptr;
  loop::Timer* timer = nullptr;
  bool timer_running = false;
  bool alertable = false;
  uint32_t max = 1;
  uint64_t serial = 0;  // bumped on every reuse: a late inbox task for an earlier wait is ignored
  bool done = false;
  uint32_t result = 0;  // 0: packets delivered; else WAIT_TIMEOUT / ERROR_ABANDONED_WAIT_0 / WAIT_IO_COMPLETION
  std::vector<Packet> packets;
  void OnApcQueued() override;
};

// The per-realm part: waits under way and a pool of ended ones (their timers stay initialised).
struct IocpRealm {
  RealmState* realm = nullptr;
  std::unordered_set<PortWaiter*> pending;
  std::vector<PortWaiter*> pool;
  std::weak_ptr<CompletionPort> released_on;  // the port that last released this realm
  // The port this realm last waited on, by handle: a realm waits on the same port call after call,
  // and handles are never reused, so only a port closed since needs the process-wide table again.
  std::shared_ptr<CompletionPort> last_port;
  // Packets a wait takes inside its call, on their way to `result` (kept: no allocation per call).
  std::vector<Packet> taken;
  // Runs once the realm's JavaScript has gone back to its loop after taking packets: it is then
  // waiting for something (a Win32 thread blocked elsewhere), so it no longer counts as released.
  loop::Idle* idle = nullptr;
  // Waits this realm's own thread decided (a completion on its loop, a post from its JavaScript): they
  // end after the loop's poll phase, in one batch, without a trip through the inbox (no eventfd).
  loop::Check* check = nullptr;
  std::vector<std::pair<PortWaiter*, uint64_t>> ready;
  bool torn_down = false;
  // The outcome of a wait decided inside its call ([status, count, (key, overlapped, Internal, bytes)
  // x count], as ResultArray's), written into one Float64Array shared with TypeScript (iocpResult),
  // which reads it before anything else can run in this realm: no array is made per call.
  RealmArray<double> result_array;  // realm_memory.h: native memory, whatever JavaScript does to the view
  double* result = nullptr;
  // iocpWaitArgs' arguments ([CompletionPort, ulCount, dwMilliseconds, fAlertable]), written by
  // TypeScript just before the call: four numbers cost far less to pass this way than as arguments.
  RealmArray<double> args_array;
  const double* args = nullptr;
};

// The realms a port has released and that are not back yet: at most a few (the port's concurrency,
// or the realms waiting on it), so a vector, searched linearly, that allocates only while it grows.
class RealmSet {
 public:
  bool count(const RealmState* r) const { return std::find(v_.begin(), v_.end(), r) != v_.end(); }
  size_t size() const { return v_.size(); }
  void insert(const RealmState* r) {
    if (!count(r)) v_.push_back(r);
  }
  void erase(const RealmState* r) {
    auto it = std::find(v_.begin(), v_.end(), r);
    if (it == v_.end()) return;
    *it = v_.back();
    v_.pop_back();
  }
  void clear() { v_.clear(); }

 private:
  std::vector<const RealmState*> v_;
};

// The same port, compared without touching the reference counts (owner-based, as std::owner_less).
bool SamePort(const std::weak_ptr<CompletionPort>& a, const std::shared_ptr<CompletionPort>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace

class CompletionPort {
 public:
  CompletionPort(int64_t h, uint32_t n) : handle(h), concurrency(n) {}
  const int64_t handle;
  const uint32_t concurrency;
  std::mutex mu;
  // Written under mu; read under mu, or without it where a port is looked up (IocpWait's cache).
  std::atomic<bool> closed{false};
  std::deque<Packet> queue;
  std::vector<PortWaiter*> waiters;          // parked; back() is the most recent (LIFO release)
  RealmSet released;  // realms released and not back yet

  // Hands queued packets to parked waiters while the concurrency limit allows. Under mu.
  void DispatchLocked();
  // Takes up to max packets for `realm`, counting it as released. Under mu; the queue is not empty.
  void TakeLocked(const RealmState* realm, uint32_t max, std::vector<Packet>* out) {
    while (!queue.empty() && out->size() < max) {
      out->push_back(queue.front());
      queue.pop_front();
    }
    released.insert(realm);
  }
  bool MayReleaseLocked(const RealmState* realm) const {
    return released.count(realm) || released.size() < concurrency;
  }
};

namespace {

std::mutex g_ports_mu;
std::unordered_map<int64_t, std::shared_ptr<CompletionPort>> g_ports;
int64_t g_next_handle = kFirstHandle;

std::shared_ptr<CompletionPort> FindPort(int64_t h) {
  std::lock_guard<std::mutex> lock(g_ports_mu);
  auto it = g_ports.find(h);
  return it == g_ports.end() ? nullptr : it->second;
}

void Finish(PortWaiter* w);

// Ends a parked wait from the port's side (under the port's mutex): the waiter leaves the stack and
// its realm finishes it on its own thread. A realm that refuses the task (it is going away) gets
// nothing: its packets go back to the queue.
bool HandOverLocked(PortWaiter* w) {
  w->done = true;
  RealmState* realm = w->home->realm;
  const uint64_t serial = w->serial;
  IocpRealm* home = w->home;
  if (realm->OnThisThread()) {
    if (home->torn_down) return false;
    home->ready.emplace_back(w, serial);
    home->check->Start();
    return true;
  }
  return realm->inbox->Post([home, w, serial]() {
    if (home->torn_down || !home->pending.count(w) || w->serial != serial) return;
    Finish(w);
  });
}

}  // namespace

void CompletionPort::DispatchLocked() {
  while (!queue.empty() && !waiters.empty()) {
    PortWaiter* w = waiters.back();
    const RealmState* realm = w->home->realm;
    if (!MayReleaseLocked(realm)) return;
    waiters.pop_back();
    const size_t before = queue.size();
    TakeLocked(realm, w->max, &w->packets);
    w->result = 0;
    if (!HandOverLocked(w)) {
      // The realm is going: its teardown step drops the waiter; the packets stay queued, in order.
      for (size_t i = w->packets.size(); i-- > 0;) queue.push_front(w->packets[i]);
      w->packets.clear();
      released.erase(realm);
      if (queue.size() != before) return;  // never spin
    }
  }
}

namespace {

// The wait's outcome as JavaScript reads it: [status, count, (key, overlapped, Internal, bytes) x count].
Napi::Value ResultArray(napi_env env, uint32_t status, const std::vector<Packet>& packets) {
  Napi::Env e(env);
  Napi::Array a = Napi::Array::New(e, 2 + 4 * packets.size());
  a.Set(uint32_t{0}, Napi::Number::New(e, status));
  a.Set(uint32_t{1}, Napi::Number::New(e, static_cast<double>(packets.size())));
  uint32_t i = 2;
  for (const Packet& p : packets) {
    a.Set(i++, Napi::Number::New(e, p.key));
    a.Set(i++, Napi::Number::New(e, p.overlapped));
    a.Set(i++, Napi::Number::New(e, p.error));
    a.Set(i++, Napi::Number::New(e, p.bytes));
  }
  return a;
}

// The outcome of a wait decided inside its call: in the realm's result array (the call returns
// undefined), or a new array for a batch larger than it.
Napi::Value SyncResult(napi_env env, IocpRealm* ir, uint32_t status, const std::vector<Packet>& packets) {
  if (!ir || packets.size() > kResultPackets) return ResultArray(env, status, packets);
  double* r = ir->result;
  r[0] = status;
  r[1] = static_cast<double>(packets.size());
  for (const Packet& p : packets) {
    r[2] = p.key;
    r[3] = p.overlapped;
    r[4] = p.error;
    r[5] = p.bytes;
    r += 4;
  }
  return Napi::Env(env).Undefined();
}

// Returns packets a realm could not take back to the front of their port's queue.
void Requeue(const std::shared_ptr<CompletionPort>& port, const RealmState* realm, std::vector<Packet>* packets) {
  std::lock_guard<std::mutex> lock(port->mu);
  port->released.erase(realm);
  if (port->closed) {
    packets->clear();
    return;
  }
  for (size_t i = packets->size(); i-- > 0;) port->queue.push_front((*packets)[i]);
  packets->clear();
  port->DispatchLocked();
}

void Recycle(PortWaiter* w) {
  IocpRealm* ir = w->home;
  ir->pending.erase(w);
  if (w->timer_running) {
    w->timer->Stop();
    w->timer_running = false;
  }
  if (w->alertable && ir->realm->apc) ir->realm->apc->RemoveWaiter(w);
  w->alertable = false;
  w->port.reset();
  w->packets.clear();
  w->deferred = nullptr;
  w->done = false;
  w->serial++;
  ir->pool.push_back(w);
  ir->realm->Release();
}

// Settles a decided wait on its realm's thread (a loop callback). A realm whose JavaScript is gone
// cannot take its packets: they go back to the port.
void Finish(PortWaiter* w) {
  RealmState* realm = w->home->realm;
  std::shared_ptr<CompletionPort> port = w->port;
  uint32_t result;
  std::vector<Packet> packets;
  {
    std::lock_guard<std::mutex> lock(port->mu);
    result = w->result;
    packets.swap(w->packets);
    if (!packets.empty()) w->home->released_on = port;
  }
  if (!packets.empty()) w->home->idle->Start();
  napi_deferred deferred = w->deferred;
  Recycle(w);
  JsEntry scope(realm);
  if (!scope.ok()) {
    if (!packets.empty()) Requeue(port, realm, &packets);
    return;
  }
  try {
    Napi::Value v = ResultArray(realm->env, result, packets);
    napi_resolve_deferred(realm->env, deferred, v);
  } catch (const Napi::Error& e) {
    realm->Defer(e.Value());
  }
}

void OnTimer(void* data) {
  PortWaiter* w = static_cast<PortWaiter*>(data);
  w->timer_running = false;
  {
    std::lock_guard<std::mutex> lock(w->port->mu);
    if (w->done) return;  // a packet was handed over a moment ago: its inbox task finishes it
    auto& ws = w->port->waiters;
    ws.erase(std::remove(ws.begin(), ws.end(), w), ws.end());
    w->done = true;
    w->result = kWaitTimeout;
  }
  Finish(w);
}

void PortWaiter::OnApcQueued() {
  {
    std::lock_guard<std::mutex> lock(port->mu);
    if (done) return;  // packets are on their way: the APCs wait for the next alertable wait
    auto& ws = port->waiters;
    ws.erase(std::remove(ws.begin(), ws.end(), this), ws.end());
    done = true;
    result = kWaitIoCompletion;
  }
  RealmState* realm = home->realm;
  realm->apc->RemoveWaiter(this);
  alertable = false;
  realm->apc->RunAll(/*from_loop=*/true);  // inside the queue's JsEntry; a throw is reported by it
  Finish(this);
}

PortWaiter* TakeWaiter(IocpRealm* ir) {
  if (!ir->pool.empty()) {
    PortWaiter* w = ir->pool.back();
    ir->pool.pop_back();
    return w;
  }
  PortWaiter* w = new PortWaiter;
  w->home = ir;
  w->timer = loop::Timer::New(ir->realm->loop, OnTimer, w);
  return w;
}

// The realm's loop is idle again after taking packets (iocp.h: a realm counts as released until it
// calls GetQueuedCompletionStatus again; a realm that went back to its loop without doing so waits on
// something else, as a Win32 thread blocked in another wait does, and frees its place).
void OnIdle(void* data) {
  IocpRealm* ir = static_cast<IocpRealm*>(data);
  ir->idle->Stop();
  std::shared_ptr<CompletionPort> port = ir->released_on.lock();
  ir->released_on.reset();
  if (!port) return;
  std::lock_guard<std::mutex> lock(port->mu);
  port->released.erase(ir->realm);
  port->DispatchLocked();
}

// The waits this realm's own thread decided since the last poll phase (IocpRealm::ready).
void OnCheck(void* data) {
  IocpRealm* ir = static_cast<IocpRealm*>(data);
  ir->check->Stop();
  std::vector<std::pair<PortWaiter*, uint64_t>> batch;
  batch.swap(ir->ready);
  for (auto& [w, serial] : batch)
    if (!ir->torn_down && ir->pending.count(w) && w->serial == serial) Finish(w);
}

// The realm's teardown: its parked waits leave their ports, packets handed to it and not delivered go
// back, and it no longer counts as released anywhere. Promises stay unsettled (no JavaScript runs).
void TeardownIocp(IocpRealm* ir) {
  ir->torn_down = true;
  RealmState* realm = ir->realm;
  std::vector<std::shared_ptr<CompletionPort>> ports;
  {
    std::lock_guard<std::mutex> lock(g_ports_mu);
    for (auto& [h, p] : g_ports) ports.push_back(p);
  }
  for (PortWaiter* w : ir->pending) {
    if (!w->port) continue;
    std::lock_guard<std::mutex> lock(w->port->mu);
    auto& ws = w->port->waiters;
    ws.erase(std::remove(ws.begin(), ws.end(), w), ws.end());
    w->done = true;
    if (!w->port->closed)
      for (size_t i = w->packets.size(); i-- > 0;) w->port->queue.push_front(w->packets[i]);
    w->packets.clear();
    if (w->port->closed) continue;
    if (std::find(ports.begin(), ports.end(), w->port) == ports.end()) ports.push_back(w->port);
  }
  for (auto& p : ports) {
    std::lock_guard<std::mutex> lock(p->mu);
    p->released.erase(realm);
    p->DispatchLocked();
  }
  auto close_timer = [](PortWaiter* w) {
    w->timer->Close([](void* waiter) { delete static_cast<PortWaiter*>(waiter); }, w);
  };
  for (PortWaiter* w : ir->pending) {
    if (w->alertable && realm->apc) realm->apc->RemoveWaiter(w);
    w->port.reset();
    close_timer(w);
  }
  for (PortWaiter* w : ir->pool) close_timer(w);
  ir->idle->Close();
  ir->check->Close();
  ir->ready.clear();  // all of them were pending too
  ir->pending.clear();
  ir->pool.clear();
}

// One IocpRealm per realm, made with the binding (InitIocp) and freed by the realm's teardown step,
// both on the realm's thread. A realm is one JavaScript thread (CurrentRealm), so the calling thread
// finds its own without a lock: null before InitIocp and after the teardown.
thread_local IocpRealm* t_iocp_realm = nullptr;

// A HANDLE given as a number: -1 (no port has it) unless a whole number in [0, 2^53).
int64_t HandleOf(double d) {
  return d >= 0 && d < 9007199254740992.0 && d == static_cast<double>(static_cast<int64_t>(d)) ? static_cast<int64_t>(d) : -1;
}

int64_t ArgHandle(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  Napi::Value v = info[i];
  if (IsNullish(v)) return 0;
  if (!v.IsNumber()) ThrowUsage(info, usage, (std::string(name) + " must be a HANDLE (a number)").c_str());
  return HandleOf(v.As<Napi::Number>().DoubleValue());
}

// iocpCreate(FileHandle (a socket, or -1 for none), ExistingCompletionPort, CompletionKey,
// NumberOfConcurrentThreads) -> the port's handle, or 0 with the last error (ERROR_INVALID_HANDLE for
// something that is not a socket or a port, ERROR_INVALID_PARAMETER for a socket already associated
// or for an existing port given without a socket).
Napi::Value IocpCreate(const Napi::CallbackInfo& info) {
  static const char* kUsage =
      "CreateIoCompletionPort(FileHandle, ExistingCompletionPort, CompletionKey, NumberOfConcurrentThreads)";
  const double file = ArgNumber(info, 0, kUsage, "FileHandle");
  const int64_t existing = ArgHandle(info, 1, kUsage, "ExistingCompletionPort");
  const double key = ArgNumber(info, 2, kUsage, "CompletionKey");
  uint32_t n = ArgUint32(info, 3, kUsage, "NumberOfConcurrentThreads");
  const bool no_file = file == -1;
  SocketRef sock;
  if (!no_file) {
    int error = 0;
    sock = Lookup(SocketFromNumber(file), &error);
    if (!sock) return Fail(info, kErrorInvalidHandle, 0);
  } else if (existing != 0) {
    return Fail(info, kErrorInvalidParameter, 0);
  }
  std::shared_ptr<CompletionPort> port;
  if (existing != 0) {
    port = FindPort(existing);
    if (!port) return Fail(info, kErrorInvalidHandle, 0);
  }
  std::lock_guard<std::mutex> lock(g_ports_mu);
  if (sock && sock->iocp_associated.load(std::memory_order_relaxed)) return Fail(info, kErrorInvalidParameter, 0);
  if (!port) {
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    port = std::make_shared<CompletionPort>(g_next_handle, n);
    g_next_handle += 4;
    g_ports.emplace(port->handle, port);
  }
  if (sock) {  // once per socket (checked above, under g_ports_mu): then published to every thread
    sock->iocp_port = port;
    sock->iocp_key = key;
    sock->iocp_associated.store(true, std::memory_order_release);
  }
  SetLastError(Realm(info.Env()), 0);
  return Napi::Number::New(info.Env(), static_cast<double>(port->handle));
}

// iocpClose(hObject) -> 0, or ERROR_INVALID_HANDLE when it is not an open port.
Napi::Value IocpClose(const Napi::CallbackInfo& info) {
  const int64_t h = ArgHandle(info, 0, "CloseHandle(hObject)", "hObject");
  std::shared_ptr<CompletionPort> port;
  {
    std::lock_guard<std::mutex> lock(g_ports_mu);
    auto it = g_ports.find(h);
    if (it == g_ports.end()) return Napi::Number::New(info.Env(), kErrorInvalidHandle);
    port = it->second;
    g_ports.erase(it);
  }
  std::lock_guard<std::mutex> lock(port->mu);
  port->closed = true;
  port->queue.clear();
  port->released.clear();
  std::vector<PortWaiter*> parked;
  parked.swap(port->waiters);
  for (PortWaiter* w : parked) {
    w->result = kErrorAbandonedWait0;
    HandOverLocked(w);  // refused: that realm's teardown drops the wait
  }
  return Napi::Number::New(info.Env(), 0);
}

// iocpPost(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, overlappedAddress) -> 0, or
// ERROR_INVALID_HANDLE.
Napi::Value IocpPost(const Napi::CallbackInfo& info) {
  static const char* kUsage =
      "PostQueuedCompletionStatus(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped)";
  const int64_t h = ArgHandle(info, 0, kUsage, "CompletionPort");
  Packet p;
  p.bytes = ArgUint32(info, 1, kUsage, "dwNumberOfBytesTransferred");
  p.key = ArgNumber(info, 2, kUsage, "dwCompletionKey");
  p.overlapped = ArgNumber(info, 3, kUsage, "(internal) lpOverlapped's address");
  std::shared_ptr<CompletionPort> port = FindPort(h);
  if (!port) return Napi::Number::New(info.Env(), kErrorInvalidHandle);
  std::lock_guard<std::mutex> lock(port->mu);
  if (port->closed) return Napi::Number::New(info.Env(), kErrorInvalidHandle);
  port->queue.push_back(p);
  port->DispatchLocked();
  return Napi::Number::New(info.Env(), 0);
}

// iocpWait(CompletionPort, ulCount, dwMilliseconds, fAlertable) -> undefined when decided at once
// (the outcome [status, count, entries...] is in iocpResult; an array of it for a batch larger than
// kResultPackets), or a Promise of the outcome as an array. status 0: count packets dequeued;
// otherwise WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0 (the port was closed while waiting),
// ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER or WAIT_IO_COMPLETION (alertable: APCs ran).
Napi::Value Wait(Napi::Env env, RealmState* realm, IocpRealm* ir, int64_t h, uint32_t max, uint32_t timeout,
                 bool alertable);

// This realm's IocpRealm, or null before InitIocp or after the teardown.
IocpRealm* IocpOf(RealmState* realm) {
  return t_iocp_realm != nullptr && t_iocp_realm->realm == realm ? t_iocp_realm : nullptr;
}

Napi::Value IocpWait(const Napi::CallbackInfo& info) {
  static const char* kUsage = "GetQueuedCompletionStatusEx(CompletionPort, lpCompletionPortEntries, ulCount, "
                              "ulNumEntriesRemoved, dwMilliseconds, fAlertable)";
  const int64_t h = ArgHandle(info, 0, kUsage, "CompletionPort");
  const uint32_t max = ArgUint32(info, 1, kUsage, "ulCount");
  const uint32_t timeout = ArgUint32(info, 2, kUsage, "dwMilliseconds");
  const bool alertable = info[3].ToBoolean().Value();
  RealmState* realm = Realm(info.Env());
  return Wait(info.Env(), realm, IocpOf(realm), h, max, timeout, alertable);
}

// iocpWaitArgs() -> as iocpWait, its arguments in iocpArgs: numbers TypeScript converted as iocpWait
// does (ulCount and dwMilliseconds by ToUint32, fAlertable 0 or 1); a HANDLE is read as ArgHandle does.
Napi::Value IocpWaitArgs(Napi::Env env) {
  IocpRealm* ir = t_iocp_realm;  // this thread's: one realm per thread (t_iocp_realm)
  if (!ir) return SyncResult(env, nullptr, kErrorInvalidHandle, {});
  const double* a = ir->args;
  // ToUint32 is done in TypeScript; anything else found here (the array written by hand) reads as 0.
  auto u32 = [](double d) { return d >= 0 && d <= 4294967295.0 ? static_cast<uint32_t>(d) : 0u; };
  return Wait(env, ir->realm, ir, HandleOf(a[0]), u32(a[1]), u32(a[2]), a[3] != 0);
}

// iocpWaitArgs as a plain Node-API callback: it takes no arguments, so it skips node-addon-api's
// wrapper (a CallbackInfo asks Node-API for the arguments on every call). Every C++ exception ends
// here as a JavaScript one, as the wrapper would turn it.
napi_value IocpWaitArgsCallback(napi_env env, napi_callback_info) {
  try {
    return IocpWaitArgs(Napi::Env(env));
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, e.what());
  } catch (...) {
    napi_throw_error(env, nullptr, "GetQueuedCompletionStatusEx: a native exception was thrown");
  }
  return nullptr;
}

Napi::Value Wait(Napi::Env env, RealmState* realm, IocpRealm* ir, int64_t h, uint32_t max, uint32_t timeout,
                 bool alertable) {
  std::vector<Packet> none;
  if (max == 0) return SyncResult(env, ir, kErrorInvalidParameter, none);
  max = std::min(max, kMaxBatch);
  if (!ir || ir->torn_down) return SyncResult(env, nullptr, kErrorInvalidHandle, none);
  std::shared_ptr<CompletionPort> port;
  if (ir->last_port && ir->last_port->handle == h && !ir->last_port->closed) {
    port = ir->last_port;
  } else {
    port = FindPort(h);  // a closed port is no longer found: ERROR_INVALID_HANDLE below
    ir->last_port = port;
  }
  if (!port) return SyncResult(env, ir, kErrorInvalidHandle, none);
  // This realm comes back: it no longer counts as released (on the port that last released it too).
  // Released by this same port (the usual case): it is taken off below, under the port's mutex, and
  // released_on stays set only if this call takes packets (no reference-count traffic either way).
  const bool released_here = SamePort(ir->released_on, port);
  if (!released_here) {
    if (std::shared_ptr<CompletionPort> last = ir->released_on.lock()) {
      std::lock_guard<std::mutex> lock(last->mu);
      last->released.erase(realm);
      last->DispatchLocked();
    }
    ir->released_on.reset();
  }
  PortWaiter* w = nullptr;
  napi_value promise = nullptr;
  {
    std::lock_guard<std::mutex> lock(port->mu);
    if (port->closed) {
      ir->released_on.reset();
      return SyncResult(env, ir, kErrorInvalidHandle, none);
    }
    // This realm is back: it takes a queued packet itself when the limit allows (as a Win32 thread
    // calling GetQueuedCompletionStatus takes one without waiting); others may go after it.
    port->released.erase(realm);
    if (!port->queue.empty() && port->MayReleaseLocked(realm)) {
      ir->taken.clear();
      port->TakeLocked(realm, max, &ir->taken);
      port->DispatchLocked();
      if (!released_here) ir->released_on = port;
      ir->idle->Start();
      return SyncResult(env, ir, 0, ir->taken);
    }
    ir->released_on.reset();  // no packet for this call: released by no port now
    const bool apcs = alertable && realm->apc && !realm->apc->Empty();
    if (!apcs && timeout != 0) {
      w = TakeWaiter(ir);
      if (napi_create_promise(env, &w->deferred, &promise) != napi_ok) {
        ir->pool.push_back(w);
        throw Napi::Error::New(env, "GetQueuedCompletionStatus: cannot create a promise");
      }
      w->port = port;
      w->max = max;
      w->done = false;
      w->result = 0;
      port->waiters.push_back(w);
    }
    port->DispatchLocked();  // this realm no longer counts as released: a waiter may go (this one first)
  }
  if (!w) {
    if (alertable && realm->apc && !realm->apc->Empty()) {
      realm->apc->RunAll();  // inside this call: a routine's exception propagates from it
      return SyncResult(env, ir, kWaitIoCompletion, none);
    }
    return SyncResult(env, ir, kWaitTimeout, none);
  }
  ir->pending.insert(w);
  realm->Hold();  // a pending wait keeps the process alive, as a pending read does in `net`
  if (alertable) {
    w->alertable = true;
    ApcOf(realm)->AddWaiter(w);
  }
  if (timeout != kInfinite) {
    w->timer->Start(timeout);
    w->timer_running = true;
  }
  return Napi::Value(env, promise);
}

// iocpAddressOf(view) -> the address of a view's first byte: the identity a packet carries for a
// WSAOVERLAPPED, which the TypeScript face maps back to the struct in this realm's arenas.
Napi::Value IocpAddressOf(const Napi::CallbackInfo& info) {
  Bytes b = BytesOf(info[0]);
  if (!b.present) ThrowUsage(info, "iocpAddressOf(view)", "view must be a typed array");
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(b.data)));
}

}  // namespace

IocpTarget IocpTargetOf(const SocketState& sock, const uint8_t* ov_mem) {
  IocpTarget t;
  if (!sock.iocp_associated.load(std::memory_order_acquire) || !ov_mem) return t;
  uint64_t event;
  std::memcpy(&event, ov_mem + 24, sizeof(event));
  if (event & 1) return t;  // hEvent's low bit: this request's completion stays off the port
  t.port = sock.iocp_port;  // written once, before iocp_associated was set
  t.key = sock.iocp_key;
  t.overlapped = static_cast<double>(reinterpret_cast<uintptr_t>(ov_mem));
  return t;
}

void IocpQueue(const IocpTarget& target, uint32_t error, uint32_t bytes) {
  if (!target.port) return;
  std::lock_guard<std::mutex> lock(target.port->mu);
  if (target.port->closed) return;  // nobody can dequeue it any more
  target.port->queue.push_back(Packet{target.key, target.overlapped, error, bytes});
  target.port->DispatchLocked();
}

void InitIocp(Napi::Env env, Napi::Object exports) {
  RealmState* realm = Realm(env);
  IocpRealm* ir = new IocpRealm;
  ir->realm = realm;
  ir->idle = loop::Idle::New(realm->loop, OnIdle, ir);
  ir->check = loop::Check::New(realm->loop, OnCheck, ir);
  Napi::Float64Array result = ir->result_array.Create(env, 2 + 4 * kResultPackets);
  ir->result = ir->result_array.data();
  Napi::Float64Array args = ir->args_array.Create(env, 4);
  ir->args = ir->args_array.data();
  t_iocp_realm = ir;
  realm->OnTeardown([ir]() {
    TeardownIocp(ir);
    if (t_iocp_realm == ir) t_iocp_realm = nullptr;
    delete ir;
  });
  exports.Set("iocpCreate", Napi::Function::New(env, IocpCreate, "CreateIoCompletionPort"));
  exports.Set("iocpClose", Napi::Function::New(env, IocpClose, "CloseHandle"));
  exports.Set("iocpPost", Napi::Function::New(env, IocpPost, "PostQueuedCompletionStatus"));
  exports.Set("iocpWait", Napi::Function::New(env, IocpWait, "GetQueuedCompletionStatusEx"));
  napi_value wait_args;
  if (napi_create_function(env, "GetQueuedCompletionStatusEx", NAPI_AUTO_LENGTH, IocpWaitArgsCallback, nullptr,
                           &wait_args) != napi_ok)
    throw Napi::Error::New(env, "iocp: cannot create iocpWaitArgs");
  exports.Set("iocpWaitArgs", Napi::Value(env, wait_args));
  exports.Set("iocpResult", result);
  exports.Set("iocpArgs", args);
  exports.Set("iocpAddressOf", Napi::Function::New(env, IocpAddressOf, "iocpAddressOf"));
}
