// RealmState construction and teardown, and the cross-thread inbox.
#include "realm.h"

#include <exception>
#include <string>

#include "apc.h"
#include "overlapped.h"
#include "poller.h"

namespace {
thread_local RealmState* t_current = nullptr;

// Whether the environment still runs JavaScript. A Node-API call that may run JavaScript refuses
// (napi_pending_exception) once the environment can no longer call into it; defining no properties
// on an object is the cheapest such call, and runs nothing.
bool EnvRunsJs(napi_env env) {
  napi_value probe;
  if (napi_get_global(env, &probe) != napi_ok) return false;
  return napi_define_properties(env, probe, 0, nullptr) == napi_ok;
}

// Hands one exception to Node, as an exception thrown by any callback: 'uncaughtException', or
// the process ends with it. Inside an open handle scope.
void ReportUncaught(RealmState* realm, napi_value exception) {
  if (!realm->js_alive) return;
  if (napi_fatal_exception(realm->env, exception) != napi_ok) realm->js_alive = false;
}

// A C++ exception that left a loop callback (loop.h sends it here instead of std::terminate): a
// JavaScript error becomes the process's uncaught exception; anything else (memory ran out) an
// Error saying so. Nothing is reported once the realm's JavaScript is gone.
void OnLoopCallbackException(std::exception_ptr thrown) {
  RealmState* realm = t_current;
  if (!realm || realm->torn_down || !realm->js_alive) return;
  napi_env env = realm->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (!EnvRunsJs(env)) {
    realm->js_alive = false;
  } else {
    napi_value error = nullptr;
    try {
      std::rethrow_exception(thrown);
    } catch (const Napi::Error& e) {
      error = e.Value();
    } catch (const std::exception& e) {
      napi_value message;
      std::string text = std::string("winsock-models: ") + e.what();
      if (napi_create_string_utf8(env, text.c_str(), text.size(), &message) == napi_ok)
        napi_create_error(env, nullptr, message, &error);
    } catch (...) {
      napi_value message;
      if (napi_create_string_utf8(env, "winsock-models: unknown failure", NAPI_AUTO_LENGTH, &message) == napi_ok)
        napi_create_error(env, nullptr, message, &error);
    }
    if (error) ReportUncaught(realm, error);
  }
  napi_close_handle_scope(env, scope);
}
}  // namespace

RealmState* CurrentRealm() { return t_current; }

bool RealmInbox::Post(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!alive_) return false;
  tasks_.push_back(std::move(task));
  // Under the lock: Shutdown takes it too, so once it returns no Send is under way and the realm
  // may close the wake. Send never blocks; repeated sends coalesce.
  wake->Send();
  return true;
}

void RealmInbox::Drain() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(tasks_);
  }
  for (auto& task : batch) task();
}

void RealmInbox::Shutdown() {
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    alive_ = false;
    dropped.swap(tasks_);
  }
  // Destroying the tasks outside the lock: they may own sockets whose destructors close descriptors.
}

RealmState::RealmState(Napi::Env env_) : env(env_), thread(std::this_thread::get_id()) {
  loop = loop::Of(env);
  if (loop == nullptr)
    Napi::Error::New(env, "winsock-models: cannot reach this realm's event loop").ThrowAsJavaScriptException();

  last_error_array.Create(env, 1);
  last_error = last_error_array.data();
  static const char* const kNames[] = {"value", "len", "buf"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Key::kCount), "one name per Key");
  Napi::Array names = Napi::Array::New(env, static_cast<size_t>(Key::kCount));
  for (uint32_t i = 0; i < static_cast<uint32_t>(Key::kCount); ++i) names.Set(i, Napi::String::New(env, kNames[i]));
  key_array = Napi::Persistent(names);

  Napi::Object resource = Napi::Object::New(env);
  async_resource = Napi::Persistent(resource);
  napi_value name = Napi::String::New(env, "winsock-models");
  if (napi_async_init(env, resource, name, &async_context) != napi_ok)
    Napi::Error::New(env, "winsock-models: cannot create the realm's async context").ThrowAsJavaScriptException();
  loop::SetCallbackExceptionHandler(OnLoopCallbackException);

  inbox = std::make_shared<RealmInbox>();
  t_current = this;
  inbox->wake = loop::Wake::New(loop, [](void* data) { static_cast<RealmInbox*>(data)->Drain(); }, inbox.get());
}

RealmState::~RealmState() { Teardown(); }

void RealmState::Teardown() {
  if (torn_down) return;
  torn_down = true;
  js_alive = false;
  if (t_current == this) t_current = nullptr;
  inbox->Shutdown();
  for (auto step = teardown_steps_.rbegin(); step != teardown_steps_.rend(); ++step) (*step)();
  teardown_steps_.clear();
  DestroyOverlappedEngine(this);
  DestroyApcQueue(this);
  // Close every watcher before the loop goes: their sockets may stay open in other realms.
  std::vector<FdWatch*> all(watches.begin(), watches.end());
  for (FdWatch* w : all) w->Close(/*notify=*/false);
  inbox->wake->Close();
  inbox->wake = nullptr;
  for (napi_ref r : uncaught) napi_delete_reference(env, r);
  uncaught.clear();
  if (async_context) napi_async_destroy(env, async_context);
  async_context = nullptr;
  async_resource.Reset();
}

void RealmState::Defer(napi_value exception) {
  napi_ref r;
  if (napi_create_reference(env, exception, 1, &r) == napi_ok) uncaught.push_back(r);
}

JsEntry::JsEntry(RealmState* realm) : realm_(realm) {
  if (realm->torn_down || !realm->js_alive) return;
  napi_env env = realm->env;
  if (napi_open_handle_scope(env, &handles_) != napi_ok) {
    handles_ = nullptr;
    realm->js_alive = false;
    return;
  }
  if (!EnvRunsJs(env)) {
    realm->js_alive = false;
  } else {
    napi_value resource;
    if (napi_get_reference_value(env, realm->async_resource, &resource) == napi_ok && resource &&
        napi_open_callback_scope(env, resource, realm->async_context, &callback_) == napi_ok)
      return;
    callback_ = nullptr;
  }
  napi_close_handle_scope(env, handles_);
  handles_ = nullptr;
}

JsEntry::~JsEntry() {
  if (!handles_) return;
  napi_env env = realm_->env;
  // Reported before the callback scope closes, as Node does for a callback that threw: the
  // microtasks it queued still run afterwards when a handler keeps the process going.
  std::vector<napi_ref> thrown;
  thrown.swap(realm_->uncaught);
  for (napi_ref r : thrown) {
    napi_value exception;
    if (napi_get_reference_value(env, r, &exception) == napi_ok && exception) ReportUncaught(realm_, exception);
    napi_delete_reference(env, r);
  }
  if (callback_) napi_close_callback_scope(env, callback_);
  napi_close_handle_scope(env, handles_);
}

bool StillRunsJs(RealmState* realm) {
  if (realm->js_alive && !realm->torn_down && !EnvRunsJs(realm->env)) realm->js_alive = false;
  return realm->js_alive && !realm->torn_down;
}

bool CallFromLoop(RealmState* realm, napi_value fn, size_t argc, const napi_value* argv, napi_value* result) {
  if (!realm->js_alive) return false;
  napi_env env = realm->env;
  napi_value recv, ignored;
  if (napi_get_undefined(env, &recv) != napi_ok) return false;
  if (napi_call_function(env, recv, fn, argc, argv, result ? result : &ignored) == napi_ok) return true;
  bool pending = false;
  napi_value exception = nullptr;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
    napi_get_and_clear_last_exception(env, &exception);
  if (!EnvRunsJs(env)) realm->js_alive = false;  // terminated: nobody is left to tell
  else if (exception) realm->Defer(exception);
  return false;
}

// Both need an open handle scope (a call's, or a JsEntry's that opened: js_alive says so).
void ResolveDeferred(RealmState* realm, napi_deferred deferred, double value) {
  if (!realm->js_alive) return;
  napi_value v;
  if (napi_create_double(realm->env, value, &v) == napi_ok) napi_resolve_deferred(realm->env, deferred, v);
}

void ResolveDeferredUndefined(RealmState* realm, napi_deferred deferred) {
  if (!realm->js_alive) return;
  napi_value v;
  if (napi_get_undefined(realm->env, &v) == napi_ok) napi_resolve_deferred(realm->env, deferred, v);
}

void RealmState::Hold() {
  if (holds++ == 0) inbox->wake->Ref();
}

void RealmState::Release() {
  if (holds > 0 && --holds == 0) inbox->wake->Unref();
}

RealmState* Realm(Napi::Env env) { return env.GetInstanceData<RealmState>(); }
