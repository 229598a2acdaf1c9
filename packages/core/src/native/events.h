// Event objects (WSAEVENT) and WSAWaitForMultipleEvents.
//
// Handles are process-wide, as kernel handles are shared between Win32 threads: one table, one mutex
// (g_events_mu in events.cc) guarding every event's state and its list of waiters. Waits belong to the
// realm that made them: a wait is a Waiter parked on its events plus a loop::Timer on that realm's loop,
// and it holds the realm (RealmState::Hold) until it ends. Nothing here blocks a thread.
//
// Lock order: SocketState::mu may be held while g_events_mu is taken (WSAEnumNetworkEvents resets the
// event under the socket's lock); never the reverse. SignalEvent may run JavaScript (it ends waits of
// the calling realm at once), so it is called with no lock held.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "loop.h"
#include "realm.h"

struct EventObject;
using EventRef = std::shared_ptr<EventObject>;

// The open event a handle names; nullptr for 0, a closed handle or a number that never was one.
EventRef FindEvent(int64_t handle);

// WSASetEvent: signals ev and ends every wait it satisfies. A wait of this thread's realm ends now
// (its promise resolves; in_js says whether JavaScript is on the stack already, so no callback scope
// is needed); a wait of another realm ends through that realm's inbox. No lock may be held.
void SignalEvent(const EventRef& ev, bool in_js);
// WSAResetEvent. Safe under SocketState::mu.
void ResetEvent(const EventRef& ev);
// The same, for the event a handle names, found under the same lock as the change (one lock, no
// reference taken): false, and nothing done, when the handle names no open event.
bool SignalEventHandle(int64_t handle, bool in_js);
bool ResetEventHandle(int64_t handle);

struct Waiter;
class RecorderWatch;

// Per-realm state of the event objects and the network-event recorder: pending waits, a pool of
// reusable waiters (each with its timer), and the recorder's watchers. Created by InitEvents
// (RealmState::events points here), torn down by the realm's teardown (a step InitEvents registers).
// Touched on the realm's thread only. Ending a wait from a loop callback resolves its promise inside a
// JsEntry, so the continuation runs at once, as it would after any I/O callback in Node.
struct EventRealm {
  RealmState* realm = nullptr;
  std::unordered_set<Waiter*> pending;        // waits under way
  std::vector<Waiter*> pool;                  // ended waits, reused (their timers stay initialised)
  std::unordered_set<RecorderWatch*> watches; // recorder.cc: this realm's network-event watchers
  // Waits decided by a signal from a loop callback (the recorder) end in one batch after the loop's
  // poll phase (a loop::Check), not one by one: every socket that became ready in that poll records
  // first, so the program's next waits find their events set and return without parking.
  loop::Check* check = nullptr;
  std::vector<Waiter*> ready;
  bool torn_down = false;
};

inline EventRealm* EventsOf(RealmState* realm) { return realm ? realm->events : nullptr; }

void InitEvents(Napi::Env env, Napi::Object exports);
