// Event objects and WSAWaitForMultipleEvents. See events.h for the table, the lock and the realms.
#include "events.h"

#include "apc.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <cstring>
#include <deque>

#include "entry.h"
#include "layout.h"
#include "process_memory.h"
#include "recorder.h"
#include "trace.h"
#include "wsa.h"

// ---- the state shared with JavaScript ---------------------------------------------------------------
// An event's signalled state lives in a 32-bit word that every realm's TypeScript face also reads (and,
// to reset, clears) without calling in here: the process-wide array g_words, exposed to each realm as
// an Int32Array over the same memory (eventStates()). Word 0 is a sequence number; word slot + 1 is the
// state of the event in that table slot while it is open:
//   kWordOpen | generation << 8 | signalled
// (0 once closed). Invariants, which make the lock-free readers right:
//  - every change that can make a wait's answer true (a set, a create, a close) happens under
//    g_events_mu and bumps the sequence number after it; JavaScript clears the signalled bit only
//    (WSAResetEvent: a compare-and-swap that fails, and falls back to this file, when the word changed).
//    So a scan in JavaScript that reads the same sequence number before and after saw only resets
//    meanwhile, and its lowest signalled index is an answer this file could have given at one instant.
//  - a set decides the waits it satisfies from its own knowledge that the event is signalled, not by
//    reading the bit back (a reset in another thread may already have cleared it: the set came first).
//  - a close of an event with a shared word bumps the closes word (after the slots') before the
//    sequence number: handles all found open, in a look that saw one sequence number, stay open while
//    the closes word reads the same (a handle's generation changes only by a close).
//  - events past kSharedSlots, and closed events still held by waits or registrations, keep their word
//    in the object itself (EventObject::own): JavaScript calls in here for them.
namespace {
constexpr uint32_t kWordOpen = layout::EVENT_WORD_OPEN;  // layout.def: TypeScript reads it too
constexpr size_t kSharedSlots = 65535;
// After the slots' words: the number of closes of events with a shared word (layout.def).
constexpr size_t kClosesWord = layout::EVENT_WORD_CLOSES;
static_assert(kClosesWord == kSharedSlots + 1, "the closes word follows the last slot's");
// Process-wide and never freed: a realm's view of it may outlive any other realm, and the table too.
std::atomic<uint32_t>* SharedWords() {
  static std::atomic<uint32_t>* words = new std::atomic<uint32_t>[kClosesWord + 1]();
  return words;
}
void BumpSequence() { SharedWords()[0].fetch_add(1, std::memory_order_seq_cst); }
}  // namespace

// A manual-reset event: Winsock only ever sets it; WSAResetEvent or WSAEnumNetworkEvents reset it.
struct EventObject : std::enable_shared_from_this<EventObject> {
  std::atomic<uint32_t> own{0};           // the state word when it is not shared (see above)
  std::atomic<uint32_t>* word = &own;     // g_events_mu: where the state word is
  bool signalled() const { return word->load(std::memory_order_seq_cst) & 1u; }
  std::vector<Waiter*> waiters;  // g_events_mu: waits parked on this event (a waiter may appear twice)
};

// One WSAWaitForMultipleEvents call that could not end at once. Lives on its realm's thread; the
// fields marked g_events_mu are also read by other threads signalling its events.
struct Waiter;

// An alertable wait's place in the realm's APC queue: an APC queued while the wait is parked ends
// it (every queued APC runs, then WSA_WAIT_IO_COMPLETION), unless the events decided it first.
class AlertHook : public AlertableWaiter {
 public:
  explicit AlertHook(Waiter* w) : w_(w) {}
  void OnApcQueued() override;

 private:
  Waiter* w_;
};

struct Waiter {
  Waiter() : alert(this) {}
  EventRealm* home = nullptr;
  AlertHook alert;
  bool alertable = false;       // realm thread only: listed in the APC queue's waiters
  uint64_t serial = 0;          // bumped on every reuse, so a late inbox task for an earlier wait is ignored
  std::vector<EventRef> events; // g_events_mu while linked; the array order is the index order
  bool wait_all = false;
  bool done = false;            // g_events_mu: the outcome is decided (the waiter is unlinked then)
  uint32_t result = 0;          // g_events_mu, with done
  napi_deferred deferred = nullptr;
  loop::Timer* timer = nullptr; // made once, with the waiter
  bool timer_running = false;
};

namespace {

// The wait numbers, from constants.def (the one list).
constexpr uint32_t kWaitFailed = WS_WSA_WAIT_FAILED;
constexpr uint32_t kWaitTimeout = WS_WSA_WAIT_TIMEOUT;
constexpr uint32_t kInfinite = WS_WSA_INFINITE;
constexpr uint32_t kMaxWaitEvents = WS_WSA_MAXIMUM_WAIT_EVENTS;
constexpr uint32_t kWaitIoCompletion = WS_WSA_WAIT_IO_COMPLETION;

std::mutex g_events_mu;

// The handle table (g_events_mu). A handle is ((slot + 1) << 8) | (generation & 0xFF): never 0
// (WSA_INVALID_EVENT), found in O(1), and a closed handle stays invalid while its slot is reused
// (the generation differs) until the same slot has been reused 128 times (the generation steps by 2). Free slots are reused
// oldest first, which spreads reuse over every free slot. Handles stay below 2^31.
struct Slot {
  EventRef ev;
  uint32_t generation = 0;
};
std::vector<Slot> g_slots;
std::deque<uint32_t> g_free;
// Bumped by every WSACloseEvent (g_events_mu): a handle list resolved before an unchanged count is
// still valid, which lets a wait over the same handles as the last one skip the lookups.
uint64_t g_closes = 0;

// The typed handle lists a realm's waits last resolved, as the bytes they came in (realm thread). The
// event loops of the models wait over the same arrays again and again: when the bytes match and no
// event has been closed since (only a close drops an event from the table), the resolved pointers
// are still right and neither the conversion nor the lookups need doing again.
struct ResolvedList {
  uint32_t count = 0;
  napi_typedarray_type type = napi_float64_array;
  uint64_t closes = ~uint64_t{0};
  uint8_t bytes[64 * 8];
  EventObject* evs[64];
};
// One entry per array the TypeScript face has seen (its list id, modulo the size): servers past 64
// sockets run one wait loop per group of 63, whose waits interleave, and a single entry would miss
// on every one of them. Two arrays sharing an entry only cost each other the lookups. About 64 KiB
// per realm, made on its first wait.
constexpr uint32_t kResolvedLists = 64;
thread_local std::vector<ResolvedList> t_resolved;
ResolvedList& ResolvedFor(uint32_t list_id) {
  if (t_resolved.empty()) t_resolved.resize(kResolvedLists);
  return t_resolved[list_id % kResolvedLists];
}
constexpr size_t kMaxSlots = (size_t{1} << 23) - 1;

// g_events_mu held. The event a handle names, or nullptr.
EventObject* LookupLocked(int64_t handle) {
  if (handle <= 0) return nullptr;
  const uint64_t slot = (static_cast<uint64_t>(handle) >> 8) - 1;
  if (slot >= g_slots.size()) return nullptr;
  const Slot& e = g_slots[slot];
  if (!e.ev || (e.generation & 0xFF) != (static_cast<uint64_t>(handle) & 0xFF)) return nullptr;
  return e.ev.get();
}

EventRef* LookupRefLocked(int64_t handle) {
  if (!LookupLocked(handle)) return nullptr;
  return &g_slots[(static_cast<uint64_t>(handle) >> 8) - 1].ev;
}

// g_events_mu held. The wait's outcome with these events now (WSA_WAIT_EVENT_0 + the lowest signalled
// index, or WSA_WAIT_EVENT_0 for wait-all), or -1 while it must go on waiting.
// set_now: an event the caller has just set (counted signalled whatever its bit reads now).
template <typename Ptr>
int64_t Outcome(const Ptr* evs, size_t n, bool wait_all, const EventObject* set_now = nullptr) {
  auto on = [set_now](const EventObject* e) { return e == set_now || e->signalled(); };
  if (wait_all) {
    for (size_t i = 0; i < n; ++i)
      if (!on(&*evs[i])) return -1;
    return 0;
  }
  for (size_t i = 0; i < n; ++i)
    if (on(&*evs[i])) return static_cast<int64_t>(i);
  return -1;
}

// g_events_mu held. The table's owning reference to an event it holds.
EventRef SharedOfLocked(EventObject* ev) { return ev->shared_from_this(); }

// g_events_mu held.
void Unlink(Waiter* w) {
  for (EventRef& e : w->events) {
    auto& v = e->waiters;
    v.erase(std::remove(v.begin(), v.end(), w), v.end());
  }
}

// Ends a decided wait (done, unlinked) on its realm's thread: the waiter goes back to the pool and the
// promise resolves. Runs JavaScript when !in_js (the JsEntry's microtask checkpoint).
void Complete(Waiter* w, bool in_js) {
  EventRealm* er = w->home;
  er->pending.erase(w);
  if (w->alertable) {
    w->alertable = false;
    if (er->realm->apc) er->realm->apc->RemoveWaiter(&w->alert);
  }
  if (w->timer_running) {
    w->timer->Stop();
    w->timer_running = false;
  }
  napi_deferred deferred = w->deferred;
  w->deferred = nullptr;
  const uint32_t result = w->result;
  w->events.clear();  // unlinked: no other thread reads it any more
  er->pool.push_back(w);
  er->realm->Release();
  if (in_js) {
    Napi::HandleScope scope(er->realm->env);
    ResolveDeferred(er->realm, deferred, result);
  } else {
    JsEntry entry(er->realm);
    ResolveDeferred(er->realm, deferred, result);
  }
}

// The check phase after a poll: ends the waits decided during it, in one callback scope.
void OnCheck(void* events) {
  EventRealm* er = static_cast<EventRealm*>(events);
  er->check->Stop();
  if (er->ready.empty()) return;
  std::vector<Waiter*> batch;
  batch.swap(er->ready);
  JsEntry entry(er->realm);
  for (Waiter* w : batch) Complete(w, /*in_js=*/true);  // the entry runs the continuations when it ends
}

void OnTimeout(void* waiter) {
  Waiter* w = static_cast<Waiter*>(waiter);
  w->timer_running = false;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(g_events_mu);
    if (!w->done) {
      w->done = true;
      w->result = kWaitTimeout;
      Unlink(w);
      mine = true;
    }
  }
  // Otherwise another realm decided it a moment ago; its inbox task ends it.
  if (mine) Complete(w, false);
}

Waiter* TakeWaiter(EventRealm* er) {
  Waiter* w;
  if (!er->pool.empty()) {
    w = er->pool.back();
    er->pool.pop_back();
  } else {
    w = new Waiter;
    w->home = er;
    // The wait holds the realm itself (RealmState::Hold); the timer does not keep the loop alive.
    w->timer = loop::Timer::New(er->realm->loop, OnTimeout, w);
  }
  w->serial++;
  w->done = false;
  w->result = 0;
  return w;
}

// BOOL arguments: a boolean, or a number (C's nonzero).
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  Napi::Value v = info[i];
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
  if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue() != 0;
  ThrowUsage(info, usage, (std::string(name) + " must be a boolean or a number").c_str());
}

// A WSAEVENT value: any number; one that is not a whole positive value names no event.
int64_t HandleFromDouble(double d) {
  if (!std::isfinite(d) || d <= 0 || d != std::floor(d) || d > 9007199254740991.0) return 0;
  return static_cast<int64_t>(d);
}

int64_t HandleValue(const Napi::Value& v) {
  if (!v.IsNumber()) return 0;
  return HandleFromDouble(v.As<Napi::Number>().DoubleValue());
}

// Reads lphEvents[0 .. count) into handles. The TypeScript face hands over a Float64Array (one copy in
// JavaScript, then plain memory here); other typed arrays and plain arrays are read element by element.
// A typed array's element type, length and data in one Node-API call; false for anything else.
struct TypedView {
  napi_typedarray_type type;
  size_t length = 0;
  uint8_t* data = nullptr;
};
bool ViewOf(const Napi::Value& v, TypedView* out) {
  bool is = false;
  napi_env env = v.Env();
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &out->type, &out->length, &data, nullptr, nullptr) != napi_ok) return false;
  out->data = static_cast<uint8_t*>(data);
  return true;
}

// Converts a typed handle list as copied into native storage (bytes: count elements of the view's
// type). The copy, not the view, is what every later step reads: the view's memory may be a
// SharedArrayBuffer another thread changes at any moment (caller_memory.h).
void ReadHandles(const Napi::Value& list, const TypedView* view, const uint8_t* bytes, uint32_t count,
                 int64_t* handles) {
  if (view && bytes && view->type == napi_float64_array) {
    for (uint32_t i = 0; i < count; ++i) {
      double d;
      std::memcpy(&d, bytes + 8 * i, 8);
      handles[i] = HandleFromDouble(d);
    }
    return;
  }
  if (view && bytes && (view->type == napi_int32_array || view->type == napi_uint32_array)) {
    const bool is_signed = view->type == napi_int32_array;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t u;
      std::memcpy(&u, bytes + 4 * i, 4);
      handles[i] = is_signed ? HandleFromDouble(static_cast<int32_t>(u)) : static_cast<int64_t>(u);
    }
    return;
  }
  // A plain array, or a typed array of another type (or detached: every element reads undefined).
  Napi::Object arr = list.As<Napi::Object>();
  for (uint32_t i = 0; i < count; ++i) handles[i] = HandleValue(arr.Get(i));
}

int64_t ArgHandle(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  Napi::Value v = info[i];
  if (IsNullish(v)) return 0;
  if (!v.IsNumber()) ThrowUsage(info, usage, (std::string(name) + " must be a WSAEVENT (a number)").c_str());
  return HandleValue(v);
}

// ---- the calls ------------------------------------------------------------------------------------

// WSACreateEvent() -> a WSAEVENT (manual-reset, not signalled), or WSA_INVALID_EVENT (0).
Napi::Value WSACreateEvent(const Napi::CallbackInfo& info) {
  if (!WinsockStarted()) return Fail(info, WSANOTINITIALISED, 0);
  EventRef ev = std::make_shared<EventObject>();
  std::lock_guard<std::mutex> lock(g_events_mu);
  uint32_t slot;
  if (!g_free.empty()) {
    slot = g_free.front();
    g_free.pop_front();
  } else {
    if (g_slots.size() >= kMaxSlots) return Fail(info, WSA_NOT_ENOUGH_MEMORY, 0);
    slot = static_cast<uint32_t>(g_slots.size());
    g_slots.emplace_back();
  }
  const uint32_t generation = g_slots[slot].generation & 0xFF;
  if (slot < kSharedSlots) {
    ev->word = &SharedWords()[slot + 1];
    ev->word->store(kWordOpen | generation << 8);
    BumpSequence();
  }
  g_slots[slot].ev = std::move(ev);
  const int64_t handle = (static_cast<int64_t>(slot + 1) << 8) | generation;
  return Ok(info, static_cast<double>(handle));
}

Napi::Value False(const Napi::CallbackInfo& info, int code) {
  SetLastError(Realm(info.Env()), code);
  return Napi::Boolean::New(info.Env(), false);
}

// WSACloseEvent(hEvent) -> true, or false with WSA_INVALID_HANDLE. Waits already parked on the event
// keep it (a kernel object lives while it is waited on); a socket registered with it still sets it.
Napi::Value WSACloseEvent(const Napi::CallbackInfo& info) {
  int64_t h = ArgHandle(info, 0, "WSACloseEvent(hEvent)", "hEvent");
  EventRef gone;  // released outside the lock
  {
    std::lock_guard<std::mutex> lock(g_events_mu);
    EventRef* ref = LookupRefLocked(h);
    if (!ref) return False(info, WSA_INVALID_HANDLE);
    gone = std::move(*ref);
    if (gone->word != &gone->own) {
      // The state moves into the object (waits and registrations may still hold it) and the shared
      // word reads closed: JavaScript then calls in here and gets WSA_INVALID_HANDLE.
      gone->own.store(gone->word->exchange(0) & 1u);
      gone->word = &gone->own;
      // The closes word first: a reader that sees the sequence number move sees this too (events.ts
      // vouches for a list of handles while it reads the same closes word).
      SharedWords()[kClosesWord].fetch_add(1, std::memory_order_seq_cst);
      BumpSequence();
    }
    const uint32_t slot = static_cast<uint32_t>((static_cast<uint64_t>(h) >> 8) - 1);
    g_slots[slot].generation += 2;  // even: a handle's low bit stays 0, free for hEvent's IOCP flag (iocp.h)
    g_closes++;
    g_free.push_back(slot);
  }
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value WSASetEvent(const Napi::CallbackInfo& info) {
  if (!SignalEventHandle(ArgHandle(info, 0, "WSASetEvent(hEvent)", "hEvent"), /*in_js=*/true))
    return False(info, WSA_INVALID_HANDLE);
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value WSAResetEvent(const Napi::CallbackInfo& info) {
  if (!ResetEventHandle(ArgHandle(info, 0, "WSAResetEvent(hEvent)", "hEvent"))) return False(info, WSA_INVALID_HANDLE);
  return Napi::Boolean::New(info.Env(), true);
}

// WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable) -> Promise of
// WSA_WAIT_EVENT_0 + i, WSA_WAIT_TIMEOUT or WSA_WAIT_FAILED (last error set before it settles).
}  // namespace

// Runs inside a JsEntry (ApcQueue::ScheduleWake), on the waiter's realm thread.
void AlertHook::OnApcQueued() {
  Waiter* w = w_;
  RealmState* realm = w->home->realm;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(g_events_mu);
    if (!w->done) {
      w->done = true;
      w->result = kWaitIoCompletion;
      Unlink(w);
      mine = true;
    }
  }
  // Otherwise an event (or the timer) decided the wait a moment ago and ends it; the APCs wait for
  // the next alertable wait.
  if (!mine) return;
  w->alertable = false;
  realm->apc->RemoveWaiter(this);
  TRACE_DO(trace::SetWait(trace::kWaitForMultipleEvents));
  realm->apc->RunAll(/*from_loop=*/true);  // a routine that throws is reported when the entry ends
  Complete(w, /*in_js=*/true);
}

namespace {

Napi::Value WSAWaitForMultipleEvents(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAWaitForMultipleEvents(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable)";
  // The TypeScript face adds a sixth argument: the list id of the array it was given.
  const uint32_t count = ArgUint32(info, 0, kUsage, "cEvents");
  const uint32_t list_id = info.Length() > 5 ? ArgUint32(info, 5, kUsage, "(internal) list id") : 0;
  Napi::Value list = info[1];
  const bool wait_all = ArgBool(info, 2, kUsage, "fWaitAll");
  const uint32_t timeout = ArgUint32(info, 3, kUsage, "dwTimeout");
  const bool alertable = ArgBool(info, 4, kUsage, "fAlertable");
  // Alertable waits (winsock-spec §3.5): the objects are tested first; a wait they do not satisfy at
  // entry runs every queued APC and ends with WSA_WAIT_IO_COMPLETION, and an APC queued while it is
  // parked ends it the same way (AlertHook). A non-alertable wait never runs APCs.

  Napi::Env env = info.Env();
  RealmState* realm = Realm(env);
  // Decided at once: the number itself (the TypeScript face wraps it in a resolved promise, which is
  // cheaper there than a deferred here). Otherwise a promise that the wait settles.
  auto settle = [&](uint32_t value, int error) -> Napi::Value {
    if (error) SetLastError(realm, error);
    return Napi::Number::New(env, value);
  };

  TypedView view;
  const bool typed = ViewOf(list, &view);
  const bool array = !typed && list.IsArray();
  if (!IsNullish(list) && !typed && !array) ThrowUsage(info, kUsage, "lphEvents must be an array of WSAEVENT");
  if (count == 0 || count > kMaxWaitEvents) return settle(kWaitFailed, WSA_INVALID_PARAMETER);
  if (IsNullish(list)) return settle(kWaitFailed, WSAEFAULT);
  const size_t available = typed ? view.length : list.As<Napi::Array>().Length();
  if (count > available) return settle(kWaitFailed, WSAEFAULT);  // C would read past the array
  ResolvedList& last = ResolvedFor(list_id);
  const size_t element = typed && (view.type == napi_int32_array || view.type == napi_uint32_array) ? 4 : 8;
  const bool cacheable = typed && view.data && (element == 4 || view.type == napi_float64_array);
  // The list's bytes, read once: compared, converted and cached from this copy only.
  uint8_t bytes[kMaxWaitEvents * 8];
  if (cacheable) std::memcpy(bytes, view.data, count * element);
  const bool same_list = cacheable && last.count == count && last.type == view.type &&
                         std::memcmp(last.bytes, bytes, count * element) == 0;
  int64_t handles[kMaxWaitEvents];
  // A plain array (or an uncommon typed one) is converted before the lock is taken: reading its
  // elements may run getters. A typed list is converted from its copy, and only when the cache misses.
  if (!cacheable) ReadHandles(list, typed ? &view : nullptr, nullptr, count, handles);

  EventRealm* er = EventsOf(realm);
  EventObject* evs[kMaxWaitEvents];  // valid under the lock: the table holds them
  Waiter* w = nullptr;
  napi_value promise = nullptr;
  {
    std::unique_lock<std::mutex> lock(g_events_mu);
    if (same_list && last.closes == g_closes) {
      std::memcpy(evs, last.evs, count * sizeof(EventObject*));
    } else {
      if (cacheable) ReadHandles(list, &view, bytes, count, handles);
      last.count = 0;  // invalid until resolved in full
      for (uint32_t i = 0; i < count; ++i) {
        evs[i] = LookupLocked(handles[i]);
        if (!evs[i]) return settle(kWaitFailed, WSA_INVALID_HANDLE);
      }
      if (cacheable) {
        last.count = count;
        last.type = view.type;
        last.closes = g_closes;
        std::memcpy(last.bytes, bytes, count * element);
        std::memcpy(last.evs, evs, count * sizeof(EventObject*));
      }
    }
    if (wait_all) {
      // The kernel refuses the same object twice in a wait-all.
      for (uint32_t i = 0; i < count; ++i)
        for (uint32_t j = i + 1; j < count; ++j)
          if (evs[i] == evs[j]) return settle(kWaitFailed, WSA_INVALID_PARAMETER);
    }
    int64_t now = Outcome(evs, count, wait_all);
    if (now >= 0) return settle(static_cast<uint32_t>(now), 0);
    if (alertable && realm->apc && !realm->apc->Empty()) {
      lock.unlock();  // the APCs are JavaScript: no lock may be held
      TRACE_DO(trace::SetWait(trace::kWaitForMultipleEvents));
      realm->apc->RunAll();
      return settle(kWaitIoCompletion, 0);
    }
    if (timeout == 0 || !er || er->torn_down) return settle(kWaitTimeout, 0);
    w = TakeWaiter(er);
    if (napi_create_promise(env, &w->deferred, &promise) != napi_ok) {
      er->pool.push_back(w);
      return settle(kWaitFailed, WSA_NOT_ENOUGH_MEMORY);
    }
    w->wait_all = wait_all;
    // The waiter owns its events while parked (a handle closed meanwhile does not end the wait).
    // evs, not the handles: under this lock they are the events the outcome was judged on.
    w->events.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      w->events[i] = SharedOfLocked(evs[i]);
      evs[i]->waiters.push_back(w);
    }
  }
  er->pending.insert(w);
  realm->Hold();  // a pending wait keeps the process alive, as a pending read does in `net`
  if (alertable) {
    w->alertable = true;
    ApcOf(realm)->AddWaiter(&w->alert);
  }
  if (timeout != kInfinite) {
    w->timer->Start(timeout);
    w->timer_running = true;
  }
  return Napi::Value(env, promise);
}

}  // namespace

EventRef FindEvent(int64_t handle) {
  if (handle <= 0) return nullptr;
  std::lock_guard<std::mutex> lock(g_events_mu);
  EventRef* ref = LookupRefLocked(handle);
  return ref ? *ref : nullptr;
}

void ResetEvent(const EventRef& ev) {
  std::lock_guard<std::mutex> lock(g_events_mu);
  ev->word->fetch_and(~1u);
}

bool ResetEventHandle(int64_t handle) {
  std::lock_guard<std::mutex> lock(g_events_mu);
  EventObject* ev = LookupLocked(handle);
  if (!ev) return false;
  ev->word->fetch_and(~1u);
  return true;
}

namespace {

// Signals ev, or the event handle names when ev is null (looked up under the same lock, so the
// handle cannot close in between): false when it names no open event. See SignalEvent.
bool Signal(EventObject* ev, int64_t handle, bool in_js) {
  // Waits of this realm end below, after the lock is released (ending one runs JavaScript). Most
  // events have one waiter; the inline slots keep the common case free of allocation.
  Waiter* inline_slots[4];
  std::vector<Waiter*> overflow;
  size_t local = 0;
  {
    std::lock_guard<std::mutex> lock(g_events_mu);
    if (!ev && !(ev = LookupLocked(handle))) return false;
    ev->word->fetch_or(1u);
    if (ev->word != &ev->own) BumpSequence();
    // Unlink removes a decided waiter from ev->waiters (every occurrence), so the entry at i is then
    // the next one; an undecided waiter listed twice is undecided at both places.
    for (size_t i = 0; i < ev->waiters.size();) {
      Waiter* w = ev->waiters[i];
      int64_t r = Outcome(w->events.data(), w->events.size(), w->wait_all, ev);
      if (r < 0) {
        ++i;
        continue;
      }
      w->done = true;
      w->result = static_cast<uint32_t>(r);
      Unlink(w);
      RealmState* realm = w->home->realm;
      if (realm->OnThisThread()) {
        if (local < 4) inline_slots[local++] = w;
        else overflow.push_back(w);
      } else {
        // That realm ends it on its own thread. If the realm is gone meanwhile, the post is refused
        // and its teardown has freed (or will free) the waiter.
        uint64_t serial = w->serial;
        realm->inbox->Post([realm, w, serial]() {
          EventRealm* er = EventsOf(realm);
          if (!er || er->torn_down || !er->pending.count(w) || w->serial != serial) return;
          Complete(w, /*in_js=*/false);
        });
      }
    }
  }
  // ev is not used past the lock: a close may free it now.
  if (local == 0) return true;
  if (in_js) {
    // JavaScript is on the stack: the promises settle now and their continuations run after it.
    for (size_t i = 0; i < local; ++i) Complete(inline_slots[i], true);
    for (Waiter* w : overflow) Complete(w, true);
    return true;
  }
  EventRealm* er = inline_slots[0]->home;
  for (size_t i = 0; i < local; ++i) er->ready.push_back(inline_slots[i]);
  for (Waiter* w : overflow) er->ready.push_back(w);
  er->check->Start();
  return true;
}

}  // namespace

void SignalEvent(const EventRef& ev, bool in_js) { Signal(ev.get(), 0, in_js); }

bool SignalEventHandle(int64_t handle, bool in_js) { return Signal(nullptr, handle, in_js); }

void InitEvents(Napi::Env env, Napi::Object exports) {
  RealmState* realm = Realm(env);
  EventRealm* er = new EventRealm;
  er->realm = realm;
  er->check = loop::Check::New(realm->loop, OnCheck, er);  // pending waits hold the realm, not this
  realm->events = er;
  // The realm's teardown (realm.h) runs this while the loop is still there to close timers and drop
  // watchers.
  realm->OnTeardown([er]() {
    TeardownRecorder(er);
    er->torn_down = true;
    {
      std::lock_guard<std::mutex> lock(g_events_mu);
      for (Waiter* w : er->pending) {
        if (!w->done) {
          w->done = true;
          Unlink(w);
        }
        w->events.clear();
      }
    }
    // The waiter goes with its timer, on a later loop turn (as anything else the loop still names).
    auto close_timer = [](Waiter* w) {
      w->timer->Close([](void* waiter) { delete static_cast<Waiter*>(waiter); }, w);
    };
    // Pending promises stay unsettled: the realm's JavaScript can no longer run. An alertable one
    // leaves the APC queue first, which outlives this hook by a moment.
    for (Waiter* w : er->pending)
      if (w->alertable && er->realm->apc) er->realm->apc->RemoveWaiter(&w->alert);
    for (Waiter* w : er->pending) close_timer(w);
    for (Waiter* w : er->pool) close_timer(w);
    er->pending.clear();
    er->pool.clear();
    er->ready.clear();  // all of them were pending too
    er->check->Close();
    er->realm->events = nullptr;
    delete er;
  });

  exports.Set("WSACreateEvent", Napi::Function::New(env, WSACreateEvent, "WSACreateEvent"));
  exports.Set("WSACloseEvent", Napi::Function::New(env, WSACloseEvent, "WSACloseEvent"));
  exports.Set("WSASetEvent", Napi::Function::New(env, WSASetEvent, "WSASetEvent"));
  exports.Set("WSAResetEvent", Napi::Function::New(env, WSAResetEvent, "WSAResetEvent"));
  // eventStates() -> Int32Array over the shared state words (see "the state shared with JavaScript").
  // Each realm gets its own view of the one process-wide memory, which is never freed.
  exports.Set("eventStates", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    static_assert(sizeof(std::atomic<uint32_t>) == 4 && std::atomic<uint32_t>::is_always_lock_free,
                  "the words are read as an Int32Array");
    return ProcessMemoryView<int32_t>(info.Env(), SharedWords(), kClosesWord + 1);
  }, "eventStates"));
  exports.Set("WSAWaitForMultipleEvents", Napi::Function::New(env, WSAWaitForMultipleEvents, "WSAWaitForMultipleEvents"));
}
