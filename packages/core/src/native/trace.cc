// The trace facility (trace.h): per-realm rings of fixed-size records, written on the realm's thread
// and drained by its TypeScript (trace.ts). Everything here runs only while some realm traces.
#include "trace.h"

#include <chrono>

#include "args.h"

namespace trace {

std::atomic<int> g_active{0};

namespace {

constexpr uint32_t kMinCapacity = 1024;
constexpr uint32_t kMaxCapacity = 1u << 20;  // records: 32 MiB at most

// One realm's trace state, created with the realm (InitTrace) and deleted by its cleanup hook.
// The ring arrays are native memory seen from JavaScript (realm_memory.h), written while tracing.
struct Ring {
  bool active = false;
  RealmArray<int32_t> ring_array;
  RealmArray<uint32_t> control_array;
  int32_t* words = nullptr;
  uint32_t* control = nullptr;  // [0] records written, [1] capacity
  uint32_t mask = 0;            // capacity - 1 (a power of two)
  std::chrono::steady_clock::time_point start;
  Wait wait = kWaitUnknown;
  uint32_t routines_next = 0;  // the APC ring index after the last routine recorded
};

// The ring of the realm running on this thread, while it traces; null otherwise. A realm is a thread,
// so a thread's records always belong to the realm that runs there.
thread_local Ring* t_ring = nullptr;
thread_local int64_t t_subject = -1;

int32_t Word(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

void Stop(Ring* r) {
  if (!r->active) return;
  r->active = false;
  if (t_ring == r) t_ring = nullptr;
  g_active.fetch_sub(1, std::memory_order_relaxed);
  r->ring_array.Release();
  r->control_array.Release();
  r->words = nullptr;
  r->control = nullptr;
}

Ring* RingOf(const Napi::CallbackInfo& info) { return static_cast<Ring*>(info.Data()); }

// traceStart(capacity) -> { ring, control }: starts (or restarts, with a fresh ring) this realm's trace.
Napi::Value TraceStart(const Napi::CallbackInfo& info) {
  const uint32_t want = ArgUint32(info, 0, "traceStart(capacity)", "capacity");
  uint32_t capacity = kMinCapacity;
  while (capacity < want && capacity < kMaxCapacity) capacity <<= 1;
  Ring* r = RingOf(info);
  Stop(r);
  Napi::Env env = info.Env();
  Napi::Int32Array ring = r->ring_array.Create(env, size_t{capacity} * kTraceWords);
  Napi::Uint32Array control = r->control_array.Create(env, 2);
  r->words = r->ring_array.data();
  r->control = r->control_array.data();
  r->control[0] = 0;
  r->control[1] = capacity;
  r->mask = capacity - 1;
  r->start = std::chrono::steady_clock::now();
  r->wait = kWaitUnknown;
  r->active = true;
  t_ring = r;
  g_active.fetch_add(1, std::memory_order_relaxed);
  Napi::Object out = Napi::Object::New(env);
  out.Set("ring", ring);
  out.Set("control", control);
  return out;
}

// traceStop(): this realm records nothing more; the arrays stay readable by whoever holds them.
Napi::Value TraceStop(const Napi::CallbackInfo& info) {
  Stop(RingOf(info));
  return info.Env().Undefined();
}

}  // namespace

void Emit(Kind kind, int64_t socket, int64_t a, int64_t b, int64_t c, int64_t d) {
  Ring* r = t_ring;
  if (!r) return;  // another realm traces, not this one
  const uint32_t n = r->control[0];
  int32_t* at = r->words + size_t{n & r->mask} * kTraceWords;
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - r->start);
  at[0] = kind;
  at[1] = Word(us.count());
  at[2] = Word(socket);
  at[3] = Word(a);
  at[4] = Word(b);
  at[5] = Word(c);
  at[6] = Word(d);
  at[7] = Word(n);
  r->control[0] = n + 1;  // last: a reader on this thread never sees a record half written anyway
}

void SetSubject(int64_t socket) { t_subject = socket; }
int64_t Subject() { return t_subject; }

void SetWait(Wait wait) {
  if (Ring* r = t_ring) r->wait = wait;
}

namespace {
void EmitRoutines(Ring* r, const uint32_t* ring, uint32_t from, uint32_t to, uint32_t mask) {
  for (uint32_t i = from; i != to; ++i) {
    const uint32_t* rec = ring + size_t{i & mask} * 4;
    Emit(kRoutineRun, -1, rec[0], rec[1], rec[2], r->wait);
  }
  r->routines_next = to;
}
}  // namespace

void RoutinesToRun(const uint32_t* ring, uint32_t head, uint32_t count, uint32_t mask) {
  if (Ring* r = t_ring) EmitRoutines(r, ring, head, head + count, mask);
}

void RoutinesRan(const uint32_t* ring, uint32_t head, uint32_t mask) {
  Ring* r = t_ring;
  // Ahead of what was announced by at most a ring's worth: otherwise tracing started meanwhile.
  if (r && head != r->routines_next && head - r->routines_next <= mask + 1) EmitRoutines(r, ring, r->routines_next, head, mask);
}

}  // namespace trace

void InitTrace(Napi::Env env, Napi::Object exports) {
  auto* ring = new trace::Ring();
  Realm(env)->OnTeardown([ring]() {  // a step of the realm's one teardown (realm.h)
    trace::Stop(ring);
    delete ring;
  });
  exports.Set("traceStart", Napi::Function::New(env, trace::TraceStart, "traceStart", ring));
  exports.Set("traceStop", Napi::Function::New(env, trace::TraceStop, "traceStop", ring));
  Napi::Array kinds = Napi::Array::New(env);
  uint32_t k = 0;
#define TRACE_KIND(name, label, doc) kinds.Set(k++, Napi::String::New(env, label));
#define TRACE_WAIT(name, label)
#include "trace.def"
#undef TRACE_KIND
#undef TRACE_WAIT
  Napi::Array waits = Napi::Array::New(env);
  uint32_t w = 0;
  waits.Set(w++, Napi::String::New(env, "unknown"));
#define TRACE_KIND(name, label, doc)
#define TRACE_WAIT(name, label) waits.Set(w++, Napi::String::New(env, label));
#include "trace.def"
#undef TRACE_KIND
#undef TRACE_WAIT
  exports.Set("traceKinds", kinds);
  exports.Set("traceWaits", waits);
}
