// WSABUF arrays -> iovec, shared by the synchronous calls (wsabuf.cc) and the overlapped engine.
#pragma once
#include <napi.h>
#include <sys/uio.h>

#include <climits>
#include <cstddef>
#include <vector>

// The kernel takes at most IOV_MAX (1024) buffers per call; Winsock has no such limit, but a
// scatter/gather list that long is refused here with WSAENOBUFS rather than split into several
// calls, which would break the one-datagram-per-call rule for UDP.
constexpr size_t kMaxBuffers = IOV_MAX;

// Small arrays stay inline; no allocation for the common 1..8-buffer call.
class IovList {
 public:
  iovec* Resize(size_t n) {
    count_ = n;
    if (n <= kInline) return inline_;
    heap_.resize(n);
    return heap_.data();
  }
  iovec* data() { return count_ <= kInline ? inline_ : heap_.data(); }
  int count() const { return static_cast<int>(count_); }

 private:
  static constexpr size_t kInline = 8;
  iovec inline_[kInline];
  std::vector<iovec> heap_;
  size_t count_ = 0;
};

class CallerBuffers;

// Reads lpBuffers[0 .. dwBufferCount) into iovecs. lpBuffers is an array of WSABUF, or one WSABUF
// (C's &wsabuf with a count of 1). Returns a WSA code: WSAEINVAL for a count of 0, WSAEFAULT for a
// count the array does not hold (negative counts included: C would read past it) or a len past its
// buf. `buffers` (optional) receives each WSABUF's buf, in order (an empty Value for a null buf), for
// finding their memory again later (caller_memory.h). Every element is read before any pointer is
// taken, so the iovecs are good until JavaScript next runs.
int ReadWsabufs(const Napi::CallbackInfo& info, const char* usage, size_t arg, double count, IovList& out,
                std::vector<Napi::Value>* buffers = nullptr);
// Adds the buffers ReadWsabufs read (views, iov as it left them) to a blocking call's memory source.
void AddWsabufs(CallerBuffers& memory, const std::vector<Napi::Value>& views, IovList& iov);
