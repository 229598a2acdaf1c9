// The realm's APC queue (Win32: per thread). Completion routines of overlapped calls and
// QueueUserAPC functions wait here, in FIFO order, and run only inside an alertable wait of the same
// realm (SleepEx(..., TRUE), WSAWaitForMultipleEvents(..., fAlertable=TRUE)): never from a loop
// callback on its own, never in another realm. A realm that never waits alertably never runs them.
#pragma once
#include <napi.h>

#include <cstdint>
#include <deque>
#include <unordered_set>
#include <vector>

#include "layout.h"
#include "realm.h"
#include "realm_memory.h"

// A pending alertable wait; woken when an APC is queued while it waits.
class AlertableWaiter {
 public:
  virtual ~AlertableWaiter() = default;
  // Called on the realm's thread, inside a JsEntry or a JavaScript call: the waiter runs the queue
  // (ApcQueue::RunAll) and ends its wait with WAIT_IO_COMPLETION.
  virtual void OnApcQueued() = 0;
};

class SleepWait;  // apc.cc: one SleepEx that waits

// One queued APC. The JavaScript half (the function, lpOverlapped or dwData, the buffers) is held by
// the TypeScript face in its table of holds, at `slot`; the native queue carries plain numbers only,
// so queuing and running an APC creates no Node-API reference.
struct ApcRecord {
  uint32_t slot = 0;
  uint32_t error = 0;  // completion routines: (dwError, cbTransferred, lpOverlapped, dwFlags)
  uint32_t bytes = 0;
  uint32_t flags = 0;
};

// The queue is a ring shared with TypeScript (layout.def: apcRing, APC_RECORD_WORDS x uint32 per
// record; apcControl: [APC_HEAD, APC_TAIL]). Native code produces at the tail; the TypeScript runner (setApcRunner) consumes at the head,
// advancing it before each call, so a routine that throws is not run again and a nested alertable
// wait continues from the same place (FIFO order holds across nesting). Records that do not fit wait
// in `overflow_`, in order, and move into the ring as it drains.
class ApcQueue {
 public:
  static constexpr uint32_t kRingRecords = layout::APC_RING_RECORDS;  // a power of two (layout.def)
  explicit ApcQueue(RealmState* realm);
  ~ApcQueue();
  void Push(const ApcRecord& record);
  bool Empty() const { return RingCount() == 0 && overflow_.empty(); }
  // Runs queued APCs in order, including those queued while it runs, up to a bound that keeps a
  // routine re-queuing itself forever (a peer that never stops sending) from starving the event
  // loop; what is left waits for the next alertable wait. One call into JavaScript per ring-full.
  // Returns how many ran. Inside a JavaScript call (from_loop false) a routine's exception propagates
  // from that call; from a loop callback it ends the run and reaches Node's 'uncaughtException'
  // when the surrounding JsEntry ends.
  size_t RunAll(bool from_loop = false);
  void AddWaiter(AlertableWaiter* w) { AddWaiterAndWake(w); }
  void AddWaiterAndWake(AlertableWaiter* w);
  void RemoveWaiter(AlertableWaiter* w);

  // SleepEx calls waiting now (apc.cc); dropped, with their timers, when the queue goes.
  std::unordered_set<SleepWait*> sleeps;

  void SetRunner(Napi::Function runner) { runner_ = Napi::Persistent(runner); }
  Napi::Value RingArray() const { return ring_array_.View(); }
  Napi::Value ControlArray() const { return control_array_.View(); }

 private:
  uint32_t RingCount() const { return control_[layout::APC_TAIL] - control_[layout::APC_HEAD]; }
  void Refill();
  void Append(const ApcRecord& r);  // at the tail; the caller has checked there is room
  // Wakes the oldest alertable wait on a later turn of the loop, never inside the JavaScript call that
  // queued the APC: a routine must not run nested in the WSARecv that completed at once, because the
  // thread is running that code, not waiting. A loop::Idle does it: no syscall (a loop::Wake would
  // write an eventfd per wake), and a started Idle keeps the next poll from blocking.
  void ScheduleWake();
  static void OnIdle(void* queue);

  RealmState* realm_;
  RealmArray<uint32_t> ring_array_;  // realm_memory.h: native memory, whatever JavaScript does to the view
  RealmArray<uint32_t> control_array_;
  uint32_t* ring_;     // kRingRecords x {slot, error, bytes, flags}
  uint32_t* control_;  // [0] head (TypeScript advances it), [1] tail (native code advances it)
  std::deque<ApcRecord> overflow_;
  Napi::FunctionReference runner_;  // (limit) => number run; empty until the TypeScript face sets it
  std::vector<AlertableWaiter*> waiters_;
  loop::Idle* idle_;
  bool wake_scheduled_ = false;
};

ApcQueue* ApcOf(RealmState* realm);  // created on first use
void DestroyApcQueue(RealmState* realm);
void InitApc(Napi::Env env, Napi::Object exports);
