// Structured trace events: what the core did, in Winsock's terms, for a learner's timeline (apps/tour).
//
// Cost when off: every trace point is TRACE(...), which is one load of a process-wide counter and one
// branch the compiler marks unlikely; the call into trace.cc, the clock read and the record are on the
// cold side of that branch. Nothing is allocated and nothing crosses into JavaScript per event.
//
// When on: the realm that called traceStart owns a ring of fixed-size records in an Int32Array that
// TypeScript drains when it wants (trace.ts). Records go to the ring of the thread that emits them
// (a realm is a thread), so a realm that did not start tracing records nothing even while another
// realm traces. The ring keeps the newest records: a writer that laps the reader overwrites the
// oldest, and the reader counts what it lost from the sequence numbers.
//
// Record layout (kTraceWords int32 each): [0] kind (trace.def), [1] microseconds since traceStart
// (wraps after 71 minutes), [2] socket (-1: none), [3..6] a, b, c, d (meaning per kind, trace.def),
// [7] sequence number (low 32 bits). control: [0] records written (uint32, wraps), [1] capacity.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>

namespace trace {

enum Kind : int32_t {
#define TRACE_KIND(name, label, doc) name,
#define TRACE_WAIT(name, label)
#include "trace.def"
#undef TRACE_KIND
#undef TRACE_WAIT
  kKindCount
};

enum Wait : int32_t {
  kWaitUnknown = 0,
#define TRACE_KIND(name, label, doc)
#define TRACE_WAIT(name, label) name,
#include "trace.def"
#undef TRACE_KIND
#undef TRACE_WAIT
  kWaitCount
};

constexpr int kTraceWords = 8;

// How many realms trace now. Read (relaxed) at every trace point; changed only by traceStart/Stop.
extern std::atomic<int> g_active;

// The cold side of TRACE: appends one record to this thread's ring, if it has one.
void Emit(Kind kind, int64_t socket, int64_t a = 0, int64_t b = 0, int64_t c = 0, int64_t d = 0);
// The socket the recorder is examining on this thread: RecordLocked's records name it (the record
// itself does not know its socket).
void SetSubject(int64_t socket);
int64_t Subject();
// The alertable wait about to run queued APCs on this thread: routines run next are tagged with it.
void SetWait(Wait wait);
// The APC runner is about to run the `count` ring records (apc.h: {slot, error, bytes, flags}) from
// `head`: recorded before it runs them, so each routine's record comes before the calls the routine
// makes. While tracing, ApcQueue::RunAll hands the runner one record per call (the same routines in
// the same order, one JavaScript entry each), so that announcement is exact.
void RoutinesToRun(const uint32_t* ring, uint32_t head, uint32_t count, uint32_t mask);
// The runner returned with the ring's head at `head`: records the routines it ran beyond those
// announced (APCs queued while it ran, and run in the same batch).
void RoutinesRan(const uint32_t* ring, uint32_t head, uint32_t mask);

}  // namespace trace

#ifndef WINSOCK_MODELS_NO_TRACE
#define TRACE_ON() __builtin_expect(::trace::g_active.load(std::memory_order_relaxed) != 0, 0)
#else
// Built with -DWINSOCK_MODELS_NO_TRACE: every trace point compiles to nothing. Only for measuring what
// the trace points cost when off (the A/B in the trace facility's changeset); traceStart still works
// but records nothing.
#define TRACE_ON() false
#endif
// TRACE(kKind, socket, a, b, c, d): one record when this realm traces; a load and a branch when not.
#define TRACE(kind, ...)                                        \
  do {                                                          \
    if (TRACE_ON()) ::trace::Emit(::trace::kind, __VA_ARGS__);  \
  } while (0)
// TRACE_DO(statements): statements that only build trace records, run only while tracing.
#define TRACE_DO(...)          \
  do {                         \
    if (TRACE_ON()) { __VA_ARGS__; } \
  } while (0)

// traceStart(capacity) -> { ring: Int32Array, control: Uint32Array }, traceStop(), traceKinds,
// traceWaits (names by number).
void InitTrace(Napi::Env env, Napi::Object exports);
