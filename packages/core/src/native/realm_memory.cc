// The pool behind RealmArray (realm_memory.h).
#include "realm_memory.h"

#include "process_memory.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace realm_memory {

struct Block {
  std::atomic<int> holders{0};
  size_t bytes = 0;
  void* data = nullptr;  // malloc's alignment suits every element type
};

namespace {

std::mutex g_pool_mu;
// Free blocks by size. The sizes are a handful of constants (and the trace ring's powers of two), so
// the pool holds at most a few blocks per size per realm that ever ran at once.
std::unordered_map<size_t, std::vector<Block*>>* g_pool = new std::unordered_map<size_t, std::vector<Block*>>;

void Finalize(napi_env, void*, void* hint) { Drop(static_cast<Block*>(hint)); }

}  // namespace

Block* Acquire(size_t bytes) {
  Block* block = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_pool_mu);
    auto it = g_pool->find(bytes);
    if (it != g_pool->end() && !it->second.empty()) {
      block = it->second.back();
      it->second.pop_back();
    }
  }
  if (block == nullptr) {
    void* data = std::malloc(bytes ? bytes : 1);
    if (data == nullptr) return nullptr;
    block = new (std::nothrow) Block;
    if (block == nullptr) {
      std::free(data);
      return nullptr;
    }
    block->bytes = bytes;
    block->data = data;
  }
  std::memset(block->data, 0, bytes);
  block->holders.store(2, std::memory_order_relaxed);
  return block;
}

void* DataOf(Block* block) { return block->data; }

void Drop(Block* block) {
  if (block->holders.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::lock_guard<std::mutex> lock(g_pool_mu);
  (*g_pool)[block->bytes].push_back(block);
}

Napi::ArrayBuffer ViewOf(Napi::Env env, Block* block, size_t bytes) {
  try {
    return ExternalBuffer(env, block->data, bytes, Finalize, block);
  } catch (...) {
    Drop(block);  // no view was made: neither holder keeps the block
    Drop(block);
    throw;
  }
}

}  // namespace realm_memory
