// RealmState construction and teardown, and the cross-thread inbox.
#include "realm.h"

#include "apc.h"
#include "overlapped.h"
#include "poller.h"

namespace {
thread_local RealmState* t_current = nullptr;
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
  t_current = this;
  inbox->wake = loop::Wake::New(loop, [](void* data) { static_cast<RealmInbox*>(data)->Drain(); }, inbox.get());
}

RealmState::~RealmState() { Teardown(); }

void RealmState::Teardown() {
  if (torn_down) return;
  torn_down = true;
  if (t_current == this) t_current = nullptr;
  inbox->Shutdown();
  DestroyOverlappedEngine(this);
  DestroyApcQueue(this);
  // Close every watcher before the loop goes: their sockets may stay open in other realms.
  std::vector<FdWatch*> all(watches.begin(), watches.end());
  for (FdWatch* w : all) w->Close(/*notify=*/false);
  inbox->wake->Close();
  inbox->wake = nullptr;
  async_context.reset();
}

void RealmState::Hold() {
  if (holds++ == 0) inbox->wake->Ref();
}

void RealmState::Release() {
  if (holds > 0 && --holds == 0) inbox->wake->Unref();
}

RealmState* Realm(Napi::Env env) { return env.GetInstanceData<RealmState>(); }
