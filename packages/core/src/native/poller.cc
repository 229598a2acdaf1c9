// The one place that owns uv_poll_t handles. See poller.h for the invariants.
#include "poller.h"

#include <algorithm>
#include <cstdlib>

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
    : realm_(realm), sock_(std::move(sock)), handle_(new uv_poll_t) {
  handle_->data = this;
  // uv_poll_init_socket fails only for a descriptor the kernel does not know; ours are open until
  // every watch lets go of the SocketState, so failure here is a broken invariant.
  if (uv_poll_init_socket(realm_->loop, handle_, sock_->fd) != 0) std::abort();
  uv_unref(reinterpret_cast<uv_handle_t*>(handle_));
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
constexpr int kLingering = UV_READABLE | UV_PRIORITIZED | UV_DISCONNECT;

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
    uv_poll_stop(handle_);
  } else if (uv_poll_start(handle_, events, &FdWatch::OnPoll) != 0) {
    // epoll refuses only descriptors it cannot watch; report it to subscribers as an error wake.
    armed_ = 0;
    std::vector<ReadinessSubscriber*> snapshot = subs_;
    for (ReadinessSubscriber* s : snapshot) s->OnReady(UV_EBADF, 0);
  }
}

void FdWatch::OnPoll(uv_poll_t* handle, int status, int events) {
  FdWatch* self = static_cast<FdWatch*>(handle->data);
  // On POLLERR (without POLLPRI) libuv has stopped the handle before calling back: forget what was
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
  // uv_close stops the poll and removes the descriptor from epoll before it returns, so the
  // SocketState (and with it the descriptor) may go now; only the handle memory waits for the callback.
  // The FdWatch itself is freed with the handle, so an OnPoll walk that closed it can still read closed_.
  uv_close(reinterpret_cast<uv_handle_t*>(handle_), [](uv_handle_t* h) {
    delete static_cast<FdWatch*>(h->data);
    delete reinterpret_cast<uv_poll_t*>(h);
  });
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
