// I/O completion ports (CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
// PostQueuedCompletionStatus, CloseHandle on a port).
//
// A port is process-wide, as a kernel object is shared between Win32 threads: one handle table (under
// g_ports_mu in iocp.cc), a socket's association kept on its SocketState (written once under
// g_ports_mu, then read without a lock: socket_table.h), and one mutex per port guarding its packet
// queue, its parked waiters and its count of released waiters. Any realm may wait on any port; a wait
// is a PortWaiter owned by its realm (a promise, and a loop::Timer on that realm's loop), parked on the
// port's LIFO stack. Nothing here blocks a thread or calls JavaScript from another thread: a packet
// handed to a waiter travels to the waiter's realm through that realm's inbox (realm.h), which settles
// the promise inside a JsEntry on its own loop.
//
// Invariants:
// - Each packet goes to exactly one waiter. A packet handed to a waiter whose realm can no longer run
//   JavaScript (a worker ended, its inbox refused the task, its teardown found it undelivered) goes
//   back to the front of its port's queue for the next waiter: never lost while the port is open.
// - At most NumberOfConcurrentThreads waiters are released at once (0: the number of CPUs). A realm
//   counts as released from the moment a packet is handed to it until it calls
//   GetQueuedCompletionStatus(Ex) on that port again, goes back to its event loop without doing so
//   (it then waits for something else, as a Win32 thread blocked in another wait does), or ends. The
//   most recent waiter is released first.
// - A request issued on a socket associated with a port completes to the port (not to a routine; a
//   valid hEvent is set as well), unless its hEvent has the low bit set; the decision is taken when
//   the request is issued (IocpTargetOf) and acted on by the overlapped engine's completion
//   (IocpQueue). closesocket's WSA_OPERATION_ABORTED completions go to the port the same way.
// - Closing a port ends every wait parked on it with ERROR_ABANDONED_WAIT_0 and drops its queue;
//   later completions for its sockets go nowhere.
//
// - A wait decided inside its call (a packet was queued, a timeout of 0, an error) hands its outcome
//   back through the realm's iocpResult Float64Array, which TypeScript reads before anything else runs
//   in the realm; only a wait that parks gets a promise (and an array). Numeric arguments come in
//   through iocpArgs (iocpWaitArgs). Both arrays belong to one realm, so no lock guards them.
//
// Lock order: g_ports_mu, then a port's mutex, then a realm inbox's mutex (RealmInbox::Post). The
// overlapped engine calls IocpQueue with no lock held.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>

#include "realm.h"
#include "socket_table.h"

class CompletionPort;

// Where a request's completion goes, decided when it is issued: a port, the socket's completion key
// and the request's lpOverlapped as an address (an identity handed back to the program; never
// dereferenced here). Empty: the request completes through hEvent or its routine.
struct IocpTarget {
  std::shared_ptr<CompletionPort> port;
  double key = 0;
  double overlapped = 0;
  explicit operator bool() const { return port != nullptr; }
};

// The target of a request on `sock` whose WSAOVERLAPPED is at ov_mem (read now: hEvent's low bit).
// No lock: one atomic load for a socket never associated with a port.
IocpTarget IocpTargetOf(const SocketState& sock, const uint8_t* ov_mem);
// Queues the completion packet (error: the WSA code, 0 for success). Any thread, no lock held.
void IocpQueue(const IocpTarget& target, uint32_t error, uint32_t bytes);

void InitIocp(Napi::Env env, Napi::Object exports);
