// Caller memory: the bytes of JavaScript views (Uint8Array, Buffer, DataView, any typed array) that
// native code reads or writes.
//
// Invariant: a pointer into a view is good only until JavaScript next runs. Any JavaScript — a getter
// a call reads, a completion routine an alertable wait runs, the rest of the program between a
// request and its completion — may detach the view's ArrayBuffer (transfer it, postMessage it),
// shrink a resizable one, or let the GC free it. So native code keeps views, never pointers, across
// JavaScript: it takes the pointer (ViewNow) right before each use, with no JavaScript in between,
// and finds a view that no longer holds the bytes the call was given as WSAEFAULT, never a crash.
// SharedArrayBuffer memory is never freed or shrunk while a view of it lives, but another thread may
// change it at any moment: native code reads such memory once, into its own storage, and decides
// from that copy.
#pragma once
#include <napi.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "args.h"
#include "io.h"
#include "wsa.h"

// The view's bytes as they are now (BytesOf; present false for anything that is not a view).
inline Bytes ViewNow(napi_env env, napi_value v) { return BytesOf(Napi::Value(env, v)); }

// Where the first `len` bytes of a view are now (*base): 0, or WSAEFAULT when the view no longer holds
// them. A null view (a WSABUF whose buf is null) holds 0 bytes.
inline int SpanNow(napi_env env, napi_value view, size_t len, uint8_t** base) {
  *base = nullptr;
  if (!view) return len > 0 ? WSAEFAULT : 0;
  Bytes b = ViewNow(env, view);
  if (b.length < len || (len > 0 && !b.data)) return WSAEFAULT;
  *base = b.data;
  return 0;
}

// The buffers of one synchronous call, in iovec order: each view and how many of its bytes the call
// uses. A blocking call's data path (io.h) asks for them again after every wait. The first few live
// inline: a one-buffer send or recv allocates nothing.
class CallerBuffers : public MemorySource {
 public:
  explicit CallerBuffers(napi_env env) : env_(env) {}
  void Add(napi_value view, size_t len) {
    if (count_ < kInline) inline_[count_] = {view, len};
    else overflow_.push_back({view, len});
    ++count_;
  }
  // Rewrites iov[0 .. n) from the views as they are now. 0, or WSAEFAULT.
  int Locate(iovec* iov, int n) override {
    if (static_cast<size_t>(n) != count_) return WSAEFAULT;
    for (size_t i = 0; i < count_; ++i) {
      const Span& s = i < kInline ? inline_[i] : overflow_[i - kInline];
      uint8_t* base;
      if (int e = SpanNow(env_, s.view, s.len, &base)) return e;
      iov[i].iov_base = base;
      iov[i].iov_len = s.len;
    }
    return 0;
  }

 private:
  struct Span {
    napi_value view;  // null: a WSABUF with a null buf (and a len of 0)
    size_t len;
  };
  static constexpr size_t kInline = 4;
  napi_env env_;
  size_t count_ = 0;
  Span inline_[kInline];
  std::vector<Span> overflow_;
};
