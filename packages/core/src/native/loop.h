// The realm's event loop: timers, per-turn hooks, cross-thread wakes and descriptor readiness.
// loop.cc is the one file that includes <uv.h>: Node-API's libuv access is outside its ABI promise,
// so a change of Node's libuv is one place to look (CONVENTIONS.md).
//
// Every handle belongs to one realm's loop and is used on that realm's thread only (Wake::Send
// excepted). Handles never keep the loop alive on their own: a pending wait holds its realm
// (RealmState::Hold), which refs the realm's Wake. Close(closed, data) ends a handle: no callback of
// it runs afterwards, so its owner may be freed at once; the handle's memory goes when libuv lets go
// of it, on a later loop turn, and then closed(data) runs if given (for an owner that must outlive
// the call that closed it).
#pragma once
#include <napi.h>

#include <cstdint>
#include <exception>

namespace loop {

// Readiness bits for Poll (equal to libuv's UV_READABLE etc.; loop.cc checks it). Elsewhere called
// "loop::Readiness bits".
constexpr int kReadable = 1, kWritable = 2, kHangup = 4, kPriority = 8;

using Callback = void (*)(void* data);

// No exception may leave a callback into libuv (it would end in std::terminate): every callback
// below runs inside a catch-all that hands what it caught to this handler (realm.cc reports it to
// Node as an uncaught exception). Set once; process-wide, the same for every realm.
void SetCallbackExceptionHandler(void (*handler)(std::exception_ptr));
// status < 0: the poll failed (a negative errno); events are Readiness bits.
using PollCallback = void (*)(void* data, int status, int events);

// The loop behind a realm's env (opaque outside loop.cc); null when Node-API cannot reach it.
struct Loop;
Loop* Of(napi_env env);

// A one-shot timer.
class Timer {
 public:
  static Timer* New(Loop* loop, Callback cb, void* data);
  void Start(uint64_t ms);  // restarts it if running
  void Stop();
  void Close(Callback closed = nullptr, void* data = nullptr);

 protected:
  Timer() = default;
  ~Timer() = default;
};

// Runs its callback on every loop turn while started, before the poll phase, and keeps the poll
// from blocking meanwhile: for work that must happen promptly but outside the current call.
class Idle {
 public:
  static Idle* New(Loop* loop, Callback cb, void* data);
  void Start();
  void Stop();
  void Close(Callback closed = nullptr, void* data = nullptr);

 protected:
  Idle() = default;
  ~Idle() = default;
};

// Runs its callback on every loop turn while started, right after the poll phase: for work batched
// over everything that poll reported.
class Check {
 public:
  static Check* New(Loop* loop, Callback cb, void* data);
  void Start();
  void Stop();
  void Close(Callback closed = nullptr, void* data = nullptr);

 protected:
  Check() = default;
  ~Check() = default;
};

// Wakes the loop from any thread; the callback runs on the loop's thread (repeated sends coalesce).
// Ref() makes it keep the loop alive, Unref() undoes that.
class Wake {
 public:
  static Wake* New(Loop* loop, Callback cb, void* data);
  void Send();  // any thread
  void Ref();
  void Unref();
  void Close(Callback closed = nullptr, void* data = nullptr);

 protected:
  Wake() = default;
  ~Wake() = default;
};

// Readiness of one descriptor (one Poll per descriptor per loop: libuv's rule).
class Poll {
 public:
  // Null when the kernel does not know the descriptor.
  static Poll* New(Loop* loop, int fd, PollCallback cb, void* data);
  int Start(int events);  // 0, or a negative errno when epoll refuses the descriptor
  void Stop();
  // Also takes the descriptor out of epoll before it returns.
  void Close(Callback closed = nullptr, void* data = nullptr);

 protected:
  Poll() = default;
  ~Poll() = default;
};

}  // namespace loop
