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

void FdWatch::Update() {
  if (closed_) return;
  int want = 0;
  for (ReadinessSubscriber* s : subs_) want |= s->WantedEvents();
  if (want == armed_) return;
  armed_ = want;
  if (want == 0) {
    uv_poll_stop(handle_);
  } else if (uv_poll_start(handle_, want, &FdWatch::OnPoll) != 0) {
    // epoll refuses only descriptors it cannot watch; report it to subscribers as an error wake.
    armed_ = 0;
    std::vector<ReadinessSubscriber*> snapshot = subs_;
    for (ReadinessSubscriber* s : snapshot) s->OnReady(UV_EBADF, 0);
  }
}

void FdWatch::OnPoll(uv_poll_t* handle, int status, int events) {
  FdWatch* self = static_cast<FdWatch*>(handle->data);
  // On POLLERR (without POLLPRI) libuv has stopped the handle before calling back: forget what was
  // armed, so the Update below (or a subscriber's) starts it again for whoever still wants events.
  if (status < 0) self->armed_ = 0;
  // Subscribers may unsubscribe (or close the socket) from their callback: walk a snapshot and
  // skip those that left meanwhile.
  std::vector<ReadinessSubscriber*> snapshot = self->subs_;
  for (ReadinessSubscriber* s : snapshot) {
    if (self->closed_) break;
    if (std::find(self->subs_.begin(), self->subs_.end(), s) == self->subs_.end()) continue;
    s->OnReady(status, events);
  }
  if (status < 0 && !self->closed_) self->Update();
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
