// The addon's entry: one RealmState per realm in instance data, torn down by one environment cleanup
// hook (workers come and go; nothing here is a static shared between realms), and each concern's
// Init* function. Only this file sees them all. Concerns with per-realm state register a teardown step
// with the realm (RealmState::OnTeardown); its Teardown runs them in reverse order of the calls below.
#include "apc.h"
#include "entry.h"
#include "iocp.h"
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
  InitSelect(env, exports);       // teardown step: pending selects and their watchers
  InitEvents(env, exports);       // teardown step: event waits, the recorder's watchers
  InitEventSelect(env, exports);
  InitAsyncSelect(env, exports);  // teardown step: the realm's message posting
  InitIocp(env, exports);         // teardown step: waits on completion ports
  InitTrace(env, exports);        // teardown step: stops this realm's trace
  return exports;
}

}  // namespace

NODE_API_MODULE(winsock_core, Init)
