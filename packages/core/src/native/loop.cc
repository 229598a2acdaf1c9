// The one file that calls libuv. See loop.h for the rules every handle follows.
#include "loop.h"

#include <uv.h>

#include <atomic>
#include <cstdlib>

namespace loop {

static_assert(kReadable == UV_READABLE && kWritable == UV_WRITABLE && kHangup == UV_DISCONNECT &&
                  kPriority == UV_PRIORITIZED,
              "Readiness bits pass to and from libuv unchanged");

namespace {

std::atomic<void (*)(std::exception_ptr)> g_exception_handler{nullptr};

// Runs a callback of ours from libuv: whatever it throws is handed on, never let through.
template <typename F>
void Guarded(F&& f) noexcept {
  try {
    f();
  } catch (...) {
    if (auto handler = g_exception_handler.load()) {
      try {
        handler(std::current_exception());
      } catch (...) {
        // The handler reports through Node-API without throwing; nothing more can be done here.
      }
    }
  }
}

uv_loop_t* Uv(Loop* loop) { return reinterpret_cast<uv_loop_t*>(loop); }

// libuv's init and start calls fail only for an invalid loop (which Of() vouched for) or a closing
// handle (which its owner no longer uses): a broken invariant.
void Must(int rc) {
  if (rc != 0) std::abort();
}

// Each handle type: the public face (empty) plus its libuv handle and callback. The handle's data
// points back at the whole, so callbacks and the close callback find it.
template <typename Face, typename UvHandle, typename Cb>
struct Impl final : Face {
  UvHandle handle;
  Cb cb;
  void* data;
  Impl(Cb c, void* d) : cb(c), data(d) { handle.data = this; }
  uv_handle_t* base() { return reinterpret_cast<uv_handle_t*>(&handle); }
  // After libuv's init call (rc): unreferenced, so the handle never keeps the loop alive on its own.
  Impl* Unreferenced(int rc) {
    Must(rc);
    uv_unref(base());
    return this;
  }
  // The libuv callback of the handles whose callback takes only `data`.
  static void Fire(UvHandle* h) {
    auto* self = static_cast<Impl*>(h->data);
    Guarded([self] { self->cb(self->data); });
  }
  Callback closed = nullptr;
  void* closed_data = nullptr;
  void Close(Callback then, void* then_data) {
    closed = then;
    closed_data = then_data;
    uv_close(base(), [](uv_handle_t* h) {
      auto* self = static_cast<Impl*>(h->data);
      Callback then = self->closed;
      void* then_data = self->closed_data;
      delete self;
      if (then) Guarded([then, then_data] { then(then_data); });
    });
  }
};

using TimerImpl = Impl<Timer, uv_timer_t, Callback>;
using IdleImpl = Impl<Idle, uv_idle_t, Callback>;
using CheckImpl = Impl<Check, uv_check_t, Callback>;
using WakeImpl = Impl<Wake, uv_async_t, Callback>;
using PollImpl = Impl<Poll, uv_poll_t, PollCallback>;

template <typename T, typename Face>
T* ImplOf(Face* face) { return static_cast<T*>(face); }

}  // namespace

void SetCallbackExceptionHandler(void (*handler)(std::exception_ptr)) { g_exception_handler.store(handler); }

Loop* Of(napi_env env) {
  uv_loop_t* uv = nullptr;
  if (napi_get_uv_event_loop(env, &uv) != napi_ok) return nullptr;
  return reinterpret_cast<Loop*>(uv);
}

Timer* Timer::New(Loop* loop, Callback cb, void* data) {
  auto* t = new TimerImpl(cb, data);
  return t->Unreferenced(uv_timer_init(Uv(loop), &t->handle));
}
void Timer::Start(uint64_t ms) { Must(uv_timer_start(&ImplOf<TimerImpl>(this)->handle, TimerImpl::Fire, ms, 0)); }
void Timer::Stop() { uv_timer_stop(&ImplOf<TimerImpl>(this)->handle); }
void Timer::Close(Callback closed, void* data) { ImplOf<TimerImpl>(this)->Close(closed, data); }

Idle* Idle::New(Loop* loop, Callback cb, void* data) {
  auto* i = new IdleImpl(cb, data);
  return i->Unreferenced(uv_idle_init(Uv(loop), &i->handle));
}
void Idle::Start() { Must(uv_idle_start(&ImplOf<IdleImpl>(this)->handle, IdleImpl::Fire)); }
void Idle::Stop() { uv_idle_stop(&ImplOf<IdleImpl>(this)->handle); }
void Idle::Close(Callback closed, void* data) { ImplOf<IdleImpl>(this)->Close(closed, data); }

Check* Check::New(Loop* loop, Callback cb, void* data) {
  auto* c = new CheckImpl(cb, data);
  return c->Unreferenced(uv_check_init(Uv(loop), &c->handle));
}
void Check::Start() { Must(uv_check_start(&ImplOf<CheckImpl>(this)->handle, CheckImpl::Fire)); }
void Check::Stop() { uv_check_stop(&ImplOf<CheckImpl>(this)->handle); }
void Check::Close(Callback closed, void* data) { ImplOf<CheckImpl>(this)->Close(closed, data); }

Wake* Wake::New(Loop* loop, Callback cb, void* data) {
  auto* w = new WakeImpl(cb, data);
  return w->Unreferenced(uv_async_init(Uv(loop), &w->handle, WakeImpl::Fire));
}
void Wake::Send() { uv_async_send(&ImplOf<WakeImpl>(this)->handle); }  // thread-safe by libuv's contract
void Wake::Ref() { uv_ref(ImplOf<WakeImpl>(this)->base()); }
void Wake::Unref() { uv_unref(ImplOf<WakeImpl>(this)->base()); }
void Wake::Close(Callback closed, void* data) { ImplOf<WakeImpl>(this)->Close(closed, data); }

Poll* Poll::New(Loop* loop, int fd, PollCallback cb, void* data) {
  auto* p = new PollImpl(cb, data);
  if (uv_poll_init_socket(Uv(loop), &p->handle, fd) != 0) {
    delete p;  // never initialised: libuv holds nothing of it
    return nullptr;
  }
  return p->Unreferenced(0);
}
int Poll::Start(int events) {
  return uv_poll_start(&ImplOf<PollImpl>(this)->handle, events, [](uv_poll_t* h, int status, int events) {
    auto* p = static_cast<PollImpl*>(h->data);
    Guarded([p, status, events] { p->cb(p->data, status, events); });
  });
}
void Poll::Stop() { uv_poll_stop(&ImplOf<PollImpl>(this)->handle); }
void Poll::Close(Callback closed, void* data) { ImplOf<PollImpl>(this)->Close(closed, data); }

}  // namespace loop
