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

class FdWatch;
class OverlappedEngine;
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
  // Closes the realm's handles; run from the environment cleanup hook, while the loop can still
  // finish closing them. Idempotent.
  void Teardown();
  bool torn_down = false;

  Napi::Env env;
  loop::Loop* loop = nullptr;
  std::thread::id thread;
  std::shared_ptr<RealmInbox> inbox;

  // The last error lives in an Int32Array shared with TypeScript, so WSAGetLastError() is a plain
  // array read and never crosses into native code.
  Napi::Reference<Napi::Int32Array> last_error_array;
  // Node-API 8 references objects only, so the key strings live in one array; an indexed read is
  // still far cheaper than making a string from a C name.
  Napi::Reference<Napi::Array> key_array;
  Napi::Value key(Key k) const { return key_array.Value().Get(static_cast<uint32_t>(k)); }
  int32_t* last_error = nullptr;

  // Event objects' waits and the network-event recorder's watchers of this realm (events.h); owned
  // by events.cc's cleanup hook, which clears this pointer.
  EventRealm* events = nullptr;

  // Every FdWatch this realm created; closed by the environment cleanup hook.
  std::unordered_set<FdWatch*> watches;

  // Pending waits and operations keep the loop alive, as a pending read does in `net`; watchers
  // nobody waits on do not. Hold() and Release() count them and ref/unref the inbox handle.
  void Hold();
  void Release();
  int holds = 0;

  bool OnThisThread() const { return std::this_thread::get_id() == thread; }

  // The async context every native-to-JavaScript entry from a loop callback runs in, so that
  // promise reactions (microtasks) run when the entry ends, as after any Node callback.
  std::unique_ptr<Napi::AsyncContext> async_context;

  // Owned here, created on first use, destroyed by Teardown (overlapped.cc, apc.cc).
  OverlappedEngine* overlapped = nullptr;
  ApcQueue* apc = nullptr;
};

// Entering JavaScript from a loop callback (loop.h): a handle scope plus a callback scope, so resolved
// promises run their reactions when this goes out of scope. Not needed inside a JavaScript call.
class JsEntry {
 public:
  explicit JsEntry(RealmState* realm)
      : handles_(realm->env), callback_(realm->env, *realm->async_context) {}

 private:
  Napi::HandleScope handles_;
  Napi::CallbackScope callback_;
};

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
