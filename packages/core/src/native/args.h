// Argument intake shared by every entry point. The rules (DESIGN.md, "The API contract"):
//  - a JavaScript value whose type cannot stand for the C parameter is a TypeError naming the call's
//    usage, never a crash;
//  - null or undefined where C takes a pointer is NULL, which the call judges as Winsock would
//    (usually WSAEFAULT);
//  - numbers are taken as given and range-checked by the call (a length past the buffer is WSAEFAULT).
#pragma once
#include <napi.h>

#include "realm.h"

#include <cmath>
#include <cstdint>

struct Bytes {
  uint8_t* data = nullptr;
  size_t length = 0;
  bool present = false;  // false: JavaScript passed null or undefined (C's NULL)
};

[[noreturn]] inline void ThrowUsage(const Napi::CallbackInfo& info, const char* usage, const char* problem) {
  throw Napi::TypeError::New(info.Env(), std::string(usage) + ": " + problem);
}

// One napi_typeof (node-addon-api's IsNull() and IsUndefined() ask once each).
inline bool IsNullish(const Napi::Value& v) {
  napi_valuetype t;
  if (napi_typeof(v.Env(), v, &t) != napi_ok) return false;
  return t == napi_null || t == napi_undefined;
}

// Number arguments are read with one Node-API call each: the read itself refuses a non-number.
inline double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  double d;
  if (napi_get_value_double(info.Env(), info[i], &d) != napi_ok)
    ThrowUsage(info, usage, (std::string(name) + " must be a number").c_str());
  return d;
}

// A SOCKET: any number is accepted; one that is not a whole, non-negative value names no socket.
inline int64_t SocketFromNumber(double d) {
  if (!std::isfinite(d) || d < 0 || d != std::floor(d) || d > 2147483647.0) return -1;
  return static_cast<int64_t>(d);
}
inline int64_t ArgSocket(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  return SocketFromNumber(ArgNumber(info, i, usage, "s"));
}

// C's conversion of a number argument to a 32-bit int/DWORD parameter (ECMAScript ToInt32/ToUint32).
inline int32_t ArgInt32(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  int32_t v;
  if (napi_get_value_int32(info.Env(), info[i], &v) != napi_ok)
    ThrowUsage(info, usage, (std::string(name) + " must be a number").c_str());
  return v;
}
inline uint32_t ArgUint32(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  uint32_t v;
  if (napi_get_value_uint32(info.Env(), info[i], &v) != napi_ok)
    ThrowUsage(info, usage, (std::string(name) + " must be a number").c_str());
  return v;
}

// A length or count as JavaScript gave it; FitsIn() judges it against what is there.
inline double ArgLength(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  return ArgNumber(info, i, usage, name);
}
inline bool FitsIn(double len, size_t available) {
  return std::isfinite(len) && len >= 0 && len == std::floor(len) && len <= static_cast<double>(available);
}

// One Node-API call per typed array (node-addon-api's accessors — ArrayBuffer(), ByteOffset(),
// ByteLength() — each ask again, and buffers cross on every data call of every model): the info call
// itself refuses anything that is not a typed array, and only then is a DataView asked about.
// *shared (optional) says whether the memory is a SharedArrayBuffer's, which can be neither detached
// nor shrunk (caller_memory.h).
inline Bytes BytesOf(const Napi::Value& v, bool* shared = nullptr) {
  Bytes b;
  napi_env env = v.Env();
  napi_typedarray_type type;
  size_t count = 0;
  void* data = nullptr;
  napi_value buffer = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &count, &data, shared ? &buffer : nullptr, nullptr) == napi_ok) {
    static constexpr size_t kElementSize[] = {1, 1, 1, 2, 2, 4, 4, 4, 8, 8, 8};  // napi_int8_array .. napi_biguint64_array
    const size_t element = static_cast<size_t>(type) < sizeof(kElementSize) / sizeof(kElementSize[0])
                               ? kElementSize[static_cast<size_t>(type)] : 1;
    b.present = true;
    b.data = static_cast<uint8_t*>(data);  // already adjusted by the view's byte offset
    b.length = b.data ? count * element : 0;  // detached: nothing may be touched
  } else {
    bool is = false;
    if (napi_is_dataview(env, v, &is) != napi_ok || !is) return b;
    size_t length = 0;
    if (napi_get_dataview_info(env, v, &length, &data, shared ? &buffer : nullptr, nullptr) != napi_ok) return b;
    b.present = true;
    b.data = static_cast<uint8_t*>(data);
    b.length = b.data ? length : 0;
  }
  if (shared) {
    bool plain = true;  // a view's buffer is an ArrayBuffer or a SharedArrayBuffer
    *shared = buffer && napi_is_arraybuffer(env, buffer, &plain) == napi_ok && !plain;
  }
  return b;
}

inline bool IsBytes(const Napi::Value& v) { return v.IsTypedArray() || v.IsDataView(); }

// A buffer parameter: an ArrayBufferView (Uint8Array, Buffer, any typed array, DataView) or null.
inline Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  Napi::Value v = info[i];
  Bytes b = BytesOf(v);  // the usual case first: one check, one read
  if (b.present || IsNullish(v)) return b;
  ThrowUsage(info, usage, (std::string(name) + " must be a Uint8Array or null").c_str());
}

// An out-parameter box ({ value: number }) or null. Returns an empty Object for null.
inline Napi::Object ArgBox(const Napi::CallbackInfo& info, size_t i, const char* usage, const char* name) {
  Napi::Value v = info[i];
  if (IsNullish(v)) return Napi::Object();
  if (!v.IsObject() || v.IsFunction() || IsBytes(v))
    ThrowUsage(info, usage, (std::string(name) + " must be an object such as { value: 0 }, or null").c_str());
  return v.As<Napi::Object>();
}

// Reads box.value as C reads the int it points to; a missing or non-number value reads as 0.
inline double BoxValue(const Napi::Object& box) {
  Napi::Value v = GetKey(box, Key::kValue);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : 0.0;
}
inline void SetBoxValue(const Napi::Object& box, double value) { SetKey(box, Key::kValue, value); }
