// The realm's APC queue (Win32: per thread). Completion routines of overlapped calls and
// QueueUserAPC functions wait here, in FIFO order, and run only inside an alertable wait of the same
// realm (SleepEx(..., TRUE), WSAWaitForMultipleEvents(..., fAlertable=TRUE)): never from a libuv
// callback on its own, never in another realm. A realm that never waits alertably never runs them.
#pragma once
#include <napi.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "realm.h"

// A pending alertable wait; woken when an APC is queued while it waits.
class AlertableWaiter {
 public:
  virtual ~AlertableWaiter() = default;
  // Called on the realm's thread, inside a JsEntry or a JavaScript call: the waiter runs the queue
  // (ApcQueue::RunAll) and ends its wait with WAIT_IO_COMPLETION.
  virtual void OnApcQueued() = 0;
};

struct ApcEntry {
  Napi::FunctionReference fn;
  bool completion = false;  // a completion routine: (dwError, cbTransferred, lpOverlapped, dwFlags)
  uint32_t error = 0;
  uint32_t bytes = 0;
  uint32_t flags = 0;
  Napi::ObjectReference arg;  // lpOverlapped, or a one-element array holding QueueUserAPC's dwData
};

class ApcQueue {
 public:
  explicit ApcQueue(RealmState* realm);
  ~ApcQueue();
  void Push(ApcEntry entry);
  bool Empty() const { return entries_.empty(); }
  // Runs queued APCs in order, including those queued while it runs, up to a bound that keeps a
  // routine re-queuing itself forever (a peer that never stops sending) from starving the event
  // loop; what is left waits for the next alertable wait. Returns how many ran.
  size_t RunAll();
  void AddWaiter(AlertableWaiter* w) { AddWaiterAndWake(w); }
  void AddWaiterAndWake(AlertableWaiter* w);
  void RemoveWaiter(AlertableWaiter* w);

 private:
  // Wakes the oldest alertable wait on a later turn of the loop, never inside the JavaScript call that
  // queued the APC: a routine must not run nested in the WSARecv that completed at once, because the
  // thread is running that code, not waiting. An idle handle does it: no syscall (an async handle
  // would write an eventfd per wake), and a started idle handle keeps the next poll from blocking.
  void ScheduleWake();
  static void OnIdle(uv_idle_t* idle);

  RealmState* realm_;
  std::deque<ApcEntry> entries_;
  std::vector<AlertableWaiter*> waiters_;
  uv_idle_t* idle_;
  bool wake_scheduled_ = false;
};

ApcQueue* ApcOf(RealmState* realm);  // created on first use
void DestroyApcQueue(RealmState* realm);
void InitApc(Napi::Env env, Napi::Object exports);
