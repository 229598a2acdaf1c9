// Per-realm state. A realm (the main thread or one worker_threads worker) is Winsock's "thread": it owns
// its last error, its event loop (loop.h) and, later, its APC queue and message queues. Everything here lives in
// the addon's instance data, never in a static, so workers never share it.
#pragma once
#include <napi.h>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "loop.h"
#include "realm_memory.h"

class FdWatch;
namespace ovl {
class OverlappedEngine;  // overlapped_engine.h
}  // namespace ovl
class ApcQueue;
struct EventRealm;

// The thread-safe doorway into a realm: other threads post tasks here and the realm runs them on its
// own loop. Outlives the realm (shared ownership); once the realm is gone, posts are dropped.
class RealmInbox {
 public:
  bool Post(std::function<void()> task);  // false when the realm has gone
  void Drain();                           // runs queued tasks; the realm's thread only
  void Shutdown();                        // drops queued tasks and refuses new ones
  loop::Wake* wake = nullptr;  // runs Drain on the realm's thread

 private:
  std::mutex mu_;
  bool alive_ = true;
  std::vector<std::function<void()>> tasks_;
};

// Property names the hot paths read and write, created once per realm: a name given as a C string is
// made into a V8 string and looked up in the string table on every access, which showed up at ~6% of
// an overlapped echo server's time. (WSAOVERLAPPED is memory, not properties: it needs no keys.)
enum class Key { kValue, kLen, kBuf, kCount };

struct RealmState {
  explicit RealmState(Napi::Env env);
  ~RealmState();
  // The realm's one teardown, run from its environment cleanup hook while the loop can still finish
  // closing handles. In order: JavaScript is marked gone and the inbox refuses posts; each concern's
  // teardown step runs (reverse registration: WSAAsyncSelect, event objects and the recorder, select),
  // dropping its pending waits without settling them; then the overlapped engine (pending requests
  // dropped, their memory untouched), the APC queue (with every pending SleepEx and its timer), every
  // watcher, and the inbox's wake. No JavaScript runs from here on. Idempotent.
  void Teardown();
  bool torn_down = false;

  Napi::Env env;
  loop::Loop* loop = nullptr;
  std::thread::id thread;
  std::shared_ptr<RealmInbox> inbox;

  // The last error lives in an Int32Array shared with TypeScript (realm_memory.h), so WSAGetLastError()
  // is a plain array read and never crosses into native code.
  RealmArray<int32_t> last_error_array;
  // Node-API 8 references objects only, so the key strings live in one array; an indexed read is
  // still far cheaper than making a string from a C name.
  Napi::Reference<Napi::Array> key_array;
  Napi::Value key(Key k) const { return key_array.Value().Get(static_cast<uint32_t>(k)); }
  int32_t* last_error = nullptr;

  // Event objects' waits and the network-event recorder's watchers of this realm (events.h); torn
  // down by events.cc's teardown step, which clears this pointer.
  EventRealm* events = nullptr;

  // Every FdWatch this realm created; closed by the environment cleanup hook.
  std::unordered_set<FdWatch*> watches;

  // Pending waits and operations keep the loop alive, as a pending read does in `net`; watchers
  // nobody waits on do not. Hold() and Release() count them and ref/unref the inbox handle.
  void Hold();
  void Release();
  int holds = 0;

  bool OnThisThread() const { return std::this_thread::get_id() == thread; }

  // The async resource every entry into JavaScript from a loop callback names (JsEntry), so that
  // promise reactions (microtasks) run when the entry ends, as after any Node callback.
  napi_async_context async_context = nullptr;
  Napi::ObjectReference async_resource;

  // False once this realm's JavaScript can no longer run: its environment is tearing down, or its
  // worker is being terminated (Node stops JavaScript before it stops the loop, so loop callbacks
  // may still come). Set by the first entry or call that finds out; never set back.
  bool js_alive = true;
  // Exceptions thrown by JavaScript that a loop callback ran (a completion routine, an APC, a poster),
  // waiting for the JsEntry around it to hand them to Node's 'uncaughtException'.
  std::vector<napi_ref> uncaught;
  void Defer(napi_value exception);

  // Owned here, created on first use, destroyed by Teardown (overlapped_engine.cc, apc.cc).
  ovl::OverlappedEngine* overlapped = nullptr;
  ApcQueue* apc = nullptr;

  // The other concerns' per-realm parts (select, WSAAsyncSelect's message posting, event objects and
  // the recorder), each registered once at start-up. Teardown runs them in the reverse order of
  // registration, before the overlapped engine, the APC queue, the watches and the inbox go.
  void OnTeardown(std::function<void()> step) { teardown_steps_.push_back(std::move(step)); }

 private:
  std::vector<std::function<void()>> teardown_steps_;
};

// The one way into JavaScript from a loop callback (loop.h). It opens a handle scope and a callback
// scope, so promise reactions run when it ends, as after any Node callback, and afterwards hands each
// exception recorded with RealmState::Defer to Node (napi_fatal_exception: the process's
// 'uncaughtException', and exit when nothing handles it). When the realm can no longer run
// JavaScript it opens nothing and ok() is false: the caller then does its own bookkeeping only.
// Not needed inside a JavaScript call (the call's own scopes are open); nesting is allowed.
class JsEntry {
 public:
  explicit JsEntry(RealmState* realm);
  ~JsEntry();
  JsEntry(const JsEntry&) = delete;
  JsEntry& operator=(const JsEntry&) = delete;
  bool ok() const { return handles_ != nullptr; }

 private:
  RealmState* realm_;
  napi_handle_scope handles_ = nullptr;
  napi_callback_scope callback_ = nullptr;
};

// Calls fn(args...) from a loop callback, inside a JsEntry: never throws. An exception the function
// throws is recorded (RealmState::Defer) for the entry to report; a call the environment refuses
// (the worker is being terminated) marks the realm's JavaScript as gone. Returns true when fn
// returned normally (result, optional, receives its value). Raw Node-API on purpose: node-addon-api
// turns a refused call into an Error whose construction itself fails during termination, and that
// aborts the process.
bool CallFromLoop(RealmState* realm, napi_value fn, size_t argc, const napi_value* argv, napi_value* result = nullptr);

// Whether this realm's JavaScript still runs, asked of Node now (a worker's termination is not
// announced: a blocking call polls this between slices of its wait). Needs an open handle scope.
bool StillRunsJs(RealmState* realm);

// Settles a promise from a call or an entry; a refusal only means the realm is going away.
void ResolveDeferred(RealmState* realm, napi_deferred deferred, double value);
void ResolveDeferredUndefined(RealmState* realm, napi_deferred deferred);

RealmState* Realm(Napi::Env env);
// The realm of the calling thread (one per JavaScript thread), or null on a thread without one or
// after its teardown: for code that runs inside a call but is not handed the env (io.cc's waits).
RealmState* CurrentRealm();

// obj[name] / obj[name] = v with the realm's cached key.
inline Napi::Value GetKey(const Napi::Object& obj, Key k) { return obj.Get(Realm(obj.Env())->key(k)); }
inline void SetKey(const Napi::Object& obj, Key k, double v) {
  obj.Set(Realm(obj.Env())->key(k), Napi::Number::New(obj.Env(), v));
}

inline void SetLastError(RealmState* realm, int code) { *realm->last_error = code; }
