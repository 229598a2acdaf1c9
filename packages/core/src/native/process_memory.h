// Native memory that TypeScript sees without calling in: the one way an external ArrayBuffer is made
// (ExternalBuffer), and views over process-wide memory (the events' state words, the socket flags).
// Process-wide memory is allocated once and never freed, so a realm's view may outlive any other realm
// and every table; each realm gets its own view of the same bytes.
#pragma once

#include <napi.h>

#include <cstddef>

// An external ArrayBuffer over `bytes` of `memory`; `finalize` (or null) is called with `hint` when
// JavaScript is done with it. Throws a JavaScript Error where external ArrayBuffers are not allowed (a
// V8 sandbox, e.g. Electron's): native code keeps raw pointers into the arrays it shares with
// TypeScript, which only native-owned memory makes safe (realm_memory.h), so the core does not load there.
inline Napi::ArrayBuffer ExternalBuffer(Napi::Env env, void* memory, size_t bytes, napi_finalize finalize,
                                        void* hint) {
  napi_value ab;
  if (napi_create_external_arraybuffer(env, memory, bytes, finalize, hint, &ab) != napi_ok)
    throw Napi::Error::New(env, "winsock-models needs external ArrayBuffers, which this runtime forbids (a V8 sandbox)");
  return Napi::ArrayBuffer(env, ab);
}

// A typed array of `elements` Ts (int32_t: an Int32Array, uint8_t: a Uint8Array) over process-wide memory.
template <typename T>
Napi::TypedArrayOf<T> ProcessMemoryView(Napi::Env env, void* memory, size_t elements) {
  return Napi::TypedArrayOf<T>::New(env, elements, ExternalBuffer(env, memory, elements * sizeof(T), nullptr, nullptr), 0);
}
