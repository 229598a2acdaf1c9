// The one place that owns loop::Poll handles. See poller.h for the invariants.
#include "poller.h"

#include <poll.h>

#include <algorithm>
#include <cstdlib>

#include "sys/sys.h"

FdWatch* FdWatch::For(RealmState* realm, const SocketRef& sock) {
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    for (FdWatch* w : sock->watches)
      if (w->realm_ == realm) return w;
  }
  FdWatch* w = new FdWatch(realm, sock);
  std::lock_guard<std::mutex> lock(sock->mu);
  sock->watches.push_back(w);
  realm->watches.insert(w);
  return w;
}

FdWatch::FdWatch(RealmState* realm, SocketRef sock)
    : realm_(realm), sock_(std::move(sock)), poll_(loop::Poll::New(realm->loop, sock_->fd, &FdWatch::OnPoll, this)) {
  // The poll fails only for a descriptor the kernel does not know; ours are open until every watch
  // lets go of the SocketState, so failure here is a broken invariant.
  if (poll_ == nullptr) std::abort();
}

void FdWatch::Subscribe(ReadinessSubscriber* sub) {
  if (std::find(subs_.begin(), subs_.end(), sub) == subs_.end()) subs_.push_back(sub);
  Update();
}

void FdWatch::Unsubscribe(ReadinessSubscriber* sub) {
  subs_.erase(std::remove(subs_.begin(), subs_.end(), sub), subs_.end());
  Update();
}

namespace {

// Interest that may linger after nobody wants it (see FdWatch::Update).
constexpr int kLingering = loop::kReadable | loop::kPriority | loop::kHangup;

}  // namespace

int FdWatch::Wanted() const {
  int want = 0;
  for (ReadinessSubscriber* s : subs_) want |= s->WantedEvents();
  return want;
}

void FdWatch::Update() {
  if (closed_) return;
  // Read-side interest nobody wants any more stays armed until a wake finds nobody wanting it:
  // request-response traffic asks for it again at once, and an EPOLL_CTL_DEL/ADD pair per message
  // cost a fifth of an overlapped echo server's time. Write interest goes at once: a connected
  // socket is nearly always writable, so a lingering POLLOUT would wake the loop on every turn.
  Arm(Wanted() | (armed_ & kLingering));
}

void FdWatch::Arm(int events) {
  if (events == armed_) return;
  armed_ = events;
  if (events == 0) {
    poll_->Stop();
  } else if (int failed = poll_->Start(events); failed != 0) {
    // epoll refuses only descriptors it cannot watch; report it to subscribers as an error wake.
    armed_ = 0;
    std::vector<ReadinessSubscriber*> snapshot = subs_;
    for (ReadinessSubscriber* s : snapshot) s->OnReady(failed, 0);
  }
}

void FdWatch::OnPoll(void* watch, int status, int events) {
  FdWatch* self = static_cast<FdWatch*>(watch);
  // On POLLERR (without POLLPRI) the loop has stopped the poll before calling back: forget what was
  // armed, so the re-arm below starts it again for whoever still wants events.
  if (status < 0) self->armed_ = 0;
  const int wanted = self->Wanted();  // what the subscribers asked for when the wake came
  // Subscribers may unsubscribe (or close the socket) from their callback: walk a snapshot (on the
  // stack for the usual one or two) and skip those that left meanwhile. A subscriber hears only the
  // events it asked for (or an error): lingering interest is not its business.
  constexpr size_t kInline = 4;
  ReadinessSubscriber* inline_subs[kInline];
  std::vector<ReadinessSubscriber*> overflow;
  const size_t n = self->subs_.size();
  ReadinessSubscriber** snapshot = inline_subs;
  if (n > kInline) {
    overflow = self->subs_;
    snapshot = overflow.data();
  } else {
    std::copy(self->subs_.begin(), self->subs_.end(), inline_subs);
  }
  for (size_t i = 0; i < n; ++i) {
    ReadinessSubscriber* s = snapshot[i];
    if (self->closed_) return;
    if (std::find(self->subs_.begin(), self->subs_.end(), s) == self->subs_.end()) continue;
    if (status < 0 || (s->WantedEvents() & events)) s->OnReady(status, events);
  }
  if (self->closed_) return;
  // A wake that only lingering interest asked for (or an error): arm exactly what is wanted now.
  // Otherwise the usual rule (Update) applies to what the subscribers want after handling it.
  if (status < 0 || (events & ~wanted)) self->Arm(self->Wanted());
  else self->Update();
}

void FdWatch::Close(bool notify) {
  if (closed_) return;
  closed_ = true;
  realm_->watches.erase(this);
  {
    std::lock_guard<std::mutex> lock(sock_->mu);
    auto& ws = sock_->watches;
    ws.erase(std::remove(ws.begin(), ws.end(), this), ws.end());
  }
  // Closing the poll takes the descriptor out of epoll before it returns, so the SocketState (and
  // with it the descriptor) may go now. The FdWatch goes with the poll's memory, on a later loop
  // turn: an OnPoll walk that closed it still reads closed_ afterwards.
  poll_->Close([](void* self) { delete static_cast<FdWatch*>(self); }, this);
  poll_ = nullptr;
  std::vector<ReadinessSubscriber*> gone;
  gone.swap(subs_);
  sock_.reset();
  if (notify)
    for (ReadinessSubscriber* s : gone) s->OnSocketClosed();
}

void CloseWatches(RealmState* realm, const SocketRef& sock) {
  std::vector<FdWatch*> watches;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    watches = sock->watches;
  }
  for (FdWatch* w : watches) {
    if (w->realm() == realm) {
      w->Close();
    } else {
      // Another realm's handle may only be touched on that realm's thread. The task looks the watch
      // up again there, since that realm may have closed it meanwhile.
      SocketRef keep = sock;
      RealmState* owner = w->realm();
      owner->inbox->Post([owner, keep]() {
        FdWatch* found = nullptr;
        {
          std::lock_guard<std::mutex> lock(keep->mu);
          for (FdWatch* x : keep->watches)
            if (x->realm() == owner) found = x;
        }
        if (found) found->Close();
      });
    }
  }
}

int ReadinessFromPoll(short revents) {
  int ev = 0;
  if (revents & POLLIN) ev |= loop::kReadable;
  if (revents & POLLOUT) ev |= loop::kWritable;
  if (revents & POLLPRI) ev |= loop::kPriority;
  if (revents & sys::kPollPeerClosed) ev |= loop::kHangup;
  if (revents & (POLLERR | POLLHUP)) ev |= loop::kReadable | loop::kWritable | loop::kHangup;
  return ev;
}
