// RealmState construction and teardown, and the cross-thread inbox. Together with poller.cc, the
// only files that call libuv (Node-API's libuv access is outside its ABI promise: keep it in few places).
#include "realm.h"

#include <cstdlib>

#include "apc.h"
#include "overlapped.h"
#include "poller.h"

bool RealmInbox::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!alive_) return false;
    tasks_.push_back(std::move(task));
  }
  uv_async_send(async);  // thread-safe by libuv's contract; coalesces repeated sends
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
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr)
    Napi::Error::New(env, "winsock-models: cannot reach this realm's event loop").ThrowAsJavaScriptException();

  Napi::Int32Array box = Napi::Int32Array::New(env, 1);
  last_error_array = Napi::Persistent(box);
  last_error = box.Data();
  static const char* const kNames[] = {"value", "len", "buf"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(Key::kCount), "one name per Key");
  Napi::Array names = Napi::Array::New(env, static_cast<size_t>(Key::kCount));
  for (uint32_t i = 0; i < static_cast<uint32_t>(Key::kCount); ++i) names.Set(i, Napi::String::New(env, kNames[i]));
  key_array = Napi::Persistent(names);

  async_context = std::make_unique<Napi::AsyncContext>(env, "winsock-models");

  inbox = std::make_shared<RealmInbox>();
  inbox->async = new uv_async_t;
  inbox->async->data = inbox.get();
  if (uv_async_init(loop, inbox->async, [](uv_async_t* handle) {
        static_cast<RealmInbox*>(handle->data)->Drain();
      }) != 0)
    std::abort();  // only fails on an invalid loop, which napi_get_uv_event_loop just returned
  uv_unref(reinterpret_cast<uv_handle_t*>(inbox->async));
}

RealmState::~RealmState() { Teardown(); }

void RealmState::Teardown() {
  if (torn_down) return;
  torn_down = true;
  inbox->Shutdown();
  DestroyOverlappedEngine(this);
  DestroyApcQueue(this);
  // Close every watcher before the loop goes: their sockets may stay open in other realms.
  std::vector<FdWatch*> all(watches.begin(), watches.end());
  for (FdWatch* w : all) w->Close(/*notify=*/false);
  uv_close(reinterpret_cast<uv_handle_t*>(inbox->async),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
  async_context.reset();
}

void RealmState::Hold() {
  if (holds++ == 0) uv_ref(reinterpret_cast<uv_handle_t*>(inbox->async));
}

void RealmState::Release() {
  if (holds > 0 && --holds == 0) uv_unref(reinterpret_cast<uv_handle_t*>(inbox->async));
}

RealmState* Realm(Napi::Env env) { return env.GetInstanceData<RealmState>(); }
