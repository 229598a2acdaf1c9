// The alertable wait of blocking calls: see PollAlertably.
#include <poll.h>

#include <vector>

#include "overlapped_engine.h"
#include "sys/sys.h"

namespace ovl {

// A blocking Winsock call (recv, send, accept or connect on a blocking socket) that has to wait
// waits alertably, as on Windows (spec §3.11): the realm's queued APCs run first, and while it waits
// the realm's pending overlapped operations go on, their routines running as they complete (one of
// them may even supply the data the call waits for). WaitForSocket (io.cc) polls through this.
// JavaScript runs only in ApcQueue::RunAll, after every socket the poll reported has progressed: a
// routine may close sockets, so no OverlappedSocket pointer is used across it.
int PollAlertably(pollfd* own, int wait_ms) {
  RealmState* realm = CurrentRealm();
  OverlappedEngine* engine = realm ? realm->overlapped : nullptr;
  ApcQueue* apc = realm ? realm->apc : nullptr;
  // Waits in slices, asking between them whether the thread's JavaScript is going away (a worker's
  // terminate() cannot reach a thread blocked in poll(2)).
  constexpr int kSliceMs = 200;
  if (realm && !StillRunsJs(realm)) return kPollRealmGone;
  if (wait_ms < 0 || wait_ms > kSliceMs) wait_ms = kSliceMs;
  TRACE_DO(trace::SetWait(trace::kWaitBlockingCall));
  if (apc && !apc->Empty()) {
    apc->RunAll();
    own->revents = 0;
    return 0;  // WaitForSocket looks at the socket again: a routine may have changed it
  }
  if (!engine || engine->pending() == 0) return sys::Poll(own, 1, wait_ms);
  std::vector<pollfd> fds{*own};
  std::vector<OverlappedSocket*> owners{nullptr};
  engine->ForEachPending([&](OverlappedSocket* os, short events) {
    fds.push_back({os->sock().fd, events, 0});
    owners.push_back(os);
  });
  const int r = sys::Poll(fds.data(), fds.size(), wait_ms);
  if (r <= 0) return r;
  own->revents = fds[0].revents;
  for (size_t i = 1; i < fds.size(); ++i)
    if (fds[i].revents) owners[i]->Progress(0, ReadinessFromPoll(fds[i].revents), /*in_js=*/true);
  if (apc && !apc->Empty()) apc->RunAll();
  return own->revents ? 1 : 0;
}

}  // namespace ovl
