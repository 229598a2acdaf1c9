// Arrays that native code and one realm's TypeScript share: a call's results and arguments, the APC
// ring, the last error, the trace ring. Native code writes them through a raw pointer, so the memory is
// native's, seen from JavaScript through an external ArrayBuffer: JavaScript may detach the view
// (transfer its buffer to another thread) or drop it, and the pointer still points at memory no one
// has freed.
//
// A block has two holders, native code (RealmArray, until Release) and the JavaScript view (until its
// finalizer: the buffer collected, in whichever realm it went to, or its realm's end). It goes back to
// a process-wide pool, never to the allocator, when both are done; the pool hands it out zeroed. So a
// pointer native code keeps can at worst write into a buffer JavaScript has given away, never into
// freed memory or into another realm's live array.
#pragma once

#include <napi.h>

#include <cstddef>

namespace realm_memory {

struct Block;
// A zeroed block of `bytes` with both holders counted; nullptr when out of memory.
Block* Acquire(size_t bytes);
void* DataOf(Block* block);
// One holder is done with the block.
void Drop(Block* block);
// An external ArrayBuffer over the block whose finalizer drops the view's hold. Throws as ExternalBuffer
// (process_memory.h) does, having dropped both holds.
Napi::ArrayBuffer ViewOf(Napi::Env env, Block* block, size_t bytes);

}  // namespace realm_memory

// A typed array of `elements` Ts over native memory (see above); data() is valid until Release().
template <typename T>
class RealmArray {
 public:
  RealmArray() = default;
  RealmArray(const RealmArray&) = delete;
  RealmArray& operator=(const RealmArray&) = delete;
  ~RealmArray() { Release(); }

  // Makes the memory and its view (an earlier one is released first). Throws as ViewOf does.
  Napi::TypedArrayOf<T> Create(Napi::Env env, size_t elements) {
    Release();
    realm_memory::Block* block = realm_memory::Acquire(elements * sizeof(T));
    if (block == nullptr) throw Napi::Error::New(env, "winsock-models: out of memory for a shared array");
    Napi::ArrayBuffer buffer = realm_memory::ViewOf(env, block, elements * sizeof(T));
    block_ = block;
    data_ = static_cast<T*>(realm_memory::DataOf(block));
    auto view = Napi::TypedArrayOf<T>::New(env, elements, buffer, 0);
    view_ = Napi::Persistent(view);
    return view;
  }
  T* data() const { return data_; }
  // The view as made: detached if JavaScript has transferred its buffer.
  Napi::Value View() const { return view_.Value(); }
  // Native code writes no more through data().
  void Release() {
    if (block_ == nullptr) return;
    view_.Reset();
    realm_memory::Drop(block_);
    block_ = nullptr;
    data_ = nullptr;
  }

 private:
  realm_memory::Block* block_ = nullptr;
  T* data_ = nullptr;
  Napi::Reference<Napi::TypedArrayOf<T>> view_;
};
