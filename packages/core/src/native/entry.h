// What every Winsock-shaped entry point shares: the WSAStartup gate, socket lookup, and failure
// returns that set the realm's last error.
#pragma once
#include <napi.h>

#include "args.h"
#include "realm.h"
#include "socket_table.h"
#include "wsa.h"

bool WinsockStarted();  // WSAStartup has succeeded more often than WSACleanup ran (process-wide)

constexpr double kSocketError = -1;  // SOCKET_ERROR, and INVALID_SOCKET in this world

// Sets the last error and returns the call's failure value.
inline Napi::Value Fail(const Napi::CallbackInfo& info, int code, double failure = kSocketError) {
  SetLastError(Realm(info.Env()), code);
  return Napi::Number::New(info.Env(), failure);
}

inline Napi::Value Ok(const Napi::CallbackInfo& info, double value = 0) {
  return Napi::Number::New(info.Env(), value);
}

// Looks up s after the WSAStartup gate; on failure sets *error (WSANOTINITIALISED / WSAENOTSOCK).
inline SocketRef Lookup(int64_t s, int* error) {
  if (!WinsockStarted()) { *error = WSANOTINITIALISED; return nullptr; }
  SocketRef ref = FindSocket(s);
  if (!ref) *error = WSAENOTSOCK;
  return ref;
}

// Registration functions, one per file; addon.cc calls them all.
void InitTables(Napi::Env env, Napi::Object exports);
void InitSockets(Napi::Env env, Napi::Object exports);
void InitWsabuf(Napi::Env env, Napi::Object exports);
void InitSelect(Napi::Env env, Napi::Object exports);
void InitEvents(Napi::Env env, Napi::Object exports);       // events.cc
void InitEventSelect(Napi::Env env, Napi::Object exports);  // event_select.cc
void InitAsyncSelect(Napi::Env env, Napi::Object exports);  // async_select.cc
