// Views over process-wide memory that TypeScript reads without calling in (the events' state words,
// the socket flags). The memory is allocated once and never freed, so a realm's view may outlive any
// other realm and every table; each realm gets its own view of the same bytes.
#pragma once

#include <napi.h>

#include <cstddef>

// A typed array of `elements` Ts (int32_t: an Int32Array, uint8_t: a Uint8Array) over `memory`, or null
// where external array buffers are not allowed (a V8 sandbox): the TypeScript face then calls in for
// everything.
template <typename T>
Napi::Value ProcessMemoryView(Napi::Env env, void* memory, size_t elements) {
  napi_value ab;
  if (napi_create_external_arraybuffer(env, memory, elements * sizeof(T), nullptr, nullptr, &ab) != napi_ok)
    return env.Null();
  return Napi::TypedArrayOf<T>::New(env, elements, Napi::ArrayBuffer(env, ab), 0);
}
