// The APC queue, SleepEx and QueueUserAPC. See apc.h for the rules.
#include "apc.h"

#include <algorithm>
#include <unordered_set>

#include "entry.h"
#include "trace.h"
#include "wsa.h"

namespace {

// The wait numbers, from constants.def (the one list).
constexpr uint32_t kWaitIoCompletion = WS_WAIT_IO_COMPLETION;
constexpr uint32_t kInfinite = WS_INFINITE;
constexpr size_t kRunBound = 4096;

}  // namespace

// One SleepEx call that had to wait: a timer (unless INFINITE) and, when alertable, the APC queue.
// Listed in the queue's sleeps while it waits, so the realm's teardown can drop it (and close its
// timer) without settling it: an open timer at a worker's exit would abort the process.
class SleepWait : public AlertableWaiter {
 public:
  SleepWait(RealmState* realm, uint32_t ms, bool alertable, napi_deferred deferred)
      : realm_(realm), deferred_(deferred), alertable_(alertable) {
    realm_->Hold();
    ApcOf(realm_)->sleeps.insert(this);
    if (alertable_) ApcOf(realm_)->AddWaiter(this);
    if (ms != kInfinite) {
      timer_ = loop::Timer::New(realm_->loop, [](void* data) {
        auto* self = static_cast<SleepWait*>(data);
        JsEntry scope(self->realm_);
        self->Finish(0);
      }, this);
      timer_->Start(ms);
    }
  }

  // From the APC queue's idle callback, inside its JsEntry.
  void OnApcQueued() override {
    // Leave the waiter list first: a routine that queues another APC must not re-enter this wait.
    ApcOf(realm_)->RemoveWaiter(this);
    alertable_ = false;
    TRACE_DO(trace::SetWait(trace::kWaitSleepEx));
    ApcOf(realm_)->RunAll(/*from_loop=*/true);  // a routine that throws is reported when the entry ends
    Finish(kWaitIoCompletion);
  }

  // Realm teardown: no JavaScript can see the promise any more.
  void Drop() {
    if (timer_) timer_->Close();
    delete this;
  }

 private:
  void Finish(uint32_t result) {
    ApcQueue* q = ApcOf(realm_);
    if (alertable_) q->RemoveWaiter(this);
    q->sleeps.erase(this);
    if (timer_) {
      timer_->Close();
      timer_ = nullptr;
    }
    realm_->Release();
    ResolveDeferred(realm_, deferred_, result);
    delete this;
  }

  RealmState* realm_;
  napi_deferred deferred_;
  bool alertable_;
  loop::Timer* timer_ = nullptr;
};

namespace {


// SleepEx(dwMilliseconds, bAlertable) -> Promise of 0 (the time passed) or WAIT_IO_COMPLETION (0xC0)
// after running the realm's queued APCs. Queued APCs run at once, before any waiting.
Napi::Value SleepEx(const Napi::CallbackInfo& info) {
  static const char* kUsage = "SleepEx(dwMilliseconds, bAlertable)";
  uint32_t ms = ArgUint32(info, 0, kUsage, "dwMilliseconds");
  if (!info[1].IsBoolean() && !info[1].IsNumber()) ThrowUsage(info, kUsage, "bAlertable must be a boolean or a number");
  const bool alertable = info[1].ToBoolean().Value();
  RealmState* realm = Realm(info.Env());
  if (alertable && !ApcOf(realm)->Empty()) {
    TRACE_DO(trace::SetWait(trace::kWaitSleepEx));
    ApcOf(realm)->RunAll();
    auto d = Napi::Promise::Deferred::New(info.Env());
    d.Resolve(Napi::Number::New(info.Env(), kWaitIoCompletion));
    return d.Promise();
  }
  napi_deferred deferred;
  napi_value promise;
  if (napi_create_promise(info.Env(), &deferred, &promise) != napi_ok)
    throw Napi::Error::New(info.Env(), "SleepEx: cannot create a promise");
  new SleepWait(realm, ms, alertable, deferred);
  return Napi::Value(info.Env(), promise);
}

// queueUserApc(slot, hThread, ownThreadId) -> non-zero: QueueUserAPC's native half. The TypeScript
// face holds pfnAPC and dwData at `slot`. hThread must be this realm: GetCurrentThread()'s
// pseudo-handle (-2) or this realm's thread id; a function cannot cross into another realm.
Napi::Value QueueUserApc(const Napi::CallbackInfo& info) {
  static const char* kUsage = "QueueUserAPC(pfnAPC, hThread, dwData)";
  uint32_t slot = ArgUint32(info, 0, kUsage, "(internal) slot");
  double thread = ArgNumber(info, 1, kUsage, "hThread");
  double own = ArgNumber(info, 2, kUsage, "(internal) this realm's thread id");
  if (thread != -2 && thread != own) return Fail(info, WSA_INVALID_HANDLE, 0);
  ApcRecord r;
  r.slot = slot;
  ApcOf(Realm(info.Env()))->Push(r);
  return Napi::Number::New(info.Env(), 1);
}

// setApcRunner(run): the TypeScript function that runs queued APCs from the ring, called as
// run(limit) -> how many it ran.
Napi::Value SetApcRunner(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) ThrowUsage(info, "setApcRunner(run)", "run must be a function");
  ApcOf(Realm(info.Env()))->SetRunner(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

ApcQueue::ApcQueue(RealmState* realm)
    : realm_(realm), idle_(loop::Idle::New(realm->loop, &ApcQueue::OnIdle, this)) {
  Napi::Env env = realm->env;
  ring_array_.Create(env, size_t{kRingRecords} * layout::APC_RECORD_WORDS);
  control_array_.Create(env, 2);  // [APC_HEAD, APC_TAIL]
  ring_ = ring_array_.data();
  control_ = control_array_.data();
}

ApcQueue::~ApcQueue() {
  std::vector<SleepWait*> sleeping(sleeps.begin(), sleeps.end());
  sleeps.clear();
  waiters_.clear();
  for (SleepWait* w : sleeping) w->Drop();
  idle_->Close();
}

void ApcQueue::Push(const ApcRecord& record) {
  if (overflow_.empty() && RingCount() < kRingRecords) {
    Append(record);
  } else {
    overflow_.push_back(record);
  }
  ScheduleWake();
}

void ApcQueue::Refill() {
  while (!overflow_.empty() && RingCount() < kRingRecords) {
    Append(overflow_.front());
    overflow_.pop_front();
  }
}

void ApcQueue::Append(const ApcRecord& r) {
  uint32_t* at = ring_ + layout::APC_RECORD_WORDS * (control_[layout::APC_TAIL] & (kRingRecords - 1));
  at[layout::APC_SLOT] = r.slot;
  at[layout::APC_ERROR] = r.error;
  at[layout::APC_BYTES] = r.bytes;
  at[layout::APC_FLAGS] = r.flags;
  control_[layout::APC_TAIL]++;
}

void ApcQueue::ScheduleWake() {
  if (waiters_.empty() || wake_scheduled_) return;
  wake_scheduled_ = true;
  idle_->Start();
}

void ApcQueue::OnIdle(void* queue) {
  ApcQueue* q = static_cast<ApcQueue*>(queue);
  q->idle_->Stop();
  q->wake_scheduled_ = false;
  if (q->waiters_.empty() || q->Empty()) return;
  JsEntry scope(q->realm_);
  if (!scope.ok()) return;  // the realm's JavaScript is gone: nothing can run the routines
  q->waiters_.front()->OnApcQueued();
}

void ApcQueue::AddWaiterAndWake(AlertableWaiter* w) {
  waiters_.push_back(w);
  if (!Empty()) ScheduleWake();
}

void ApcQueue::RemoveWaiter(AlertableWaiter* w) {
  waiters_.erase(std::remove(waiters_.begin(), waiters_.end(), w), waiters_.end());
}

size_t ApcQueue::RunAll(bool from_loop) {
  if (runner_.IsEmpty()) return 0;  // no TypeScript face in this realm: nothing can run them
  Napi::Env env = realm_->env;
  size_t ran = 0;
  while (ran < kRunBound) {
    Refill();
    if (RingCount() == 0) break;
    Napi::HandleScope scope(env);
    TRACE_DO(trace::RoutinesToRun(ring_, control_[0], 1, kRingRecords - 1));  // traced: one routine per call, so each is announced exactly
    napi_value limit = Napi::Number::New(env, static_cast<double>(TRACE_ON() ? 1 : kRunBound - ran));
    napi_value n = nullptr;
    if (from_loop) {
      // A routine that throws stops the run (the ones after it wait for the next alertable wait, as
      // the runner advanced past it); its exception goes to the JsEntry around this wait.
      if (!CallFromLoop(realm_, runner_.Value(), 1, &limit, &n)) break;
    } else {
      n = runner_.Call({limit});  // inside a call: a routine's exception propagates from the call
    }
    double count = 0;
    if (napi_get_value_double(env, n, &count) != napi_ok || !(count >= 1)) break;  // ran nothing: never spin
    ran += static_cast<size_t>(count);
    TRACE_DO(trace::RoutinesRan(ring_, control_[0], kRingRecords - 1));
  }
  return ran;
}

ApcQueue* ApcOf(RealmState* realm) {
  if (!realm->apc) realm->apc = new ApcQueue(realm);
  return realm->apc;
}

void DestroyApcQueue(RealmState* realm) {
  delete realm->apc;
  realm->apc = nullptr;
}

void InitApc(Napi::Env env, Napi::Object exports) {
  exports.Set("SleepEx", Napi::Function::New(env, SleepEx, "SleepEx"));
  exports.Set("queueUserApc", Napi::Function::New(env, QueueUserApc, "QueueUserAPC"));
  exports.Set("setApcRunner", Napi::Function::New(env, SetApcRunner, "setApcRunner"));
  ApcQueue* q = ApcOf(Realm(env));
  exports.Set("apcRing", q->RingArray());
  exports.Set("apcControl", q->ControlArray());
}
