// The addon's entry: one RealmState per realm in instance data, torn down by an environment cleanup
// hook (workers come and go; nothing here is a static shared between realms), and each concern's
// Init* function. Only this file sees them all.
#include "apc.h"
#include "entry.h"
#include "overlapped.h"
#include "trace.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  RealmState* realm = new RealmState(env);
  env.SetInstanceData<RealmState>(realm);  // deleted by Node-API when the environment goes
  env.AddCleanupHook([realm]() { realm->Teardown(); });

  InitTables(env, exports);
  InitSockets(env, exports);
  InitWsabuf(env, exports);
  InitOverlapped(env, exports);
  InitApc(env, exports);
  InitSelect(env, exports);  // after the realm's cleanup hook: its own hook runs first
  InitEvents(env, exports);  // after the realm's cleanup hook, so its own hook runs first
  InitEventSelect(env, exports);
  InitAsyncSelect(env, exports);  // after the realm's cleanup hook, so its own hook runs first
  InitTrace(env, exports);  // its cleanup hook stops this realm's trace
  return exports;
}

}  // namespace

NODE_API_MODULE(winsock_core, Init)
