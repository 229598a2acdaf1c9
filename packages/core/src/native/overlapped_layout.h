// The memory the overlapped engine shares with TypeScript: the WSAOVERLAPPED's C layout, the
// engine's result and argument arrays, and the holds' fields per slot (holds.ts).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ovl {

// overlappedResult's elements, as holds.ts names them (KEPT, BYTES, FLAGS, REPORTED).
enum ResultIndex : size_t { kKept = 0, kBytes = 1, kFlags = 2, kReported = 3 };
// overlappedArgs' elements, as holds.ts names them (ARG_S, ARG_LEN, ARG_FLAGS, ARG_SLOT, ARG_ROUTINE):
// the numbers of a one-buffer WSASend/WSARecv, written by TypeScript so that the call crosses with
// two arguments (the buffer and the WSAOVERLAPPED) and no Node-API call per number.
enum ArgIndex : size_t { kArgSocket = 0, kArgLen = 1, kArgFlags = 2, kArgSlot = 3, kArgRoutine = 4, kArgCount = 5 };

// WSAOVERLAPPED's C layout (64-bit): ULONG_PTR Internal @0, ULONG_PTR InternalHigh @8, DWORD Offset
// @16, DWORD OffsetHigh @20, HANDLE hEvent @24. Values here fit 32 bits; the high halves are zeroed.
constexpr size_t kOverlappedSize = 32;
inline void PutPtr(uint8_t* mem, size_t offset, uint32_t v) {
  uint64_t wide = v;
  std::memcpy(mem + offset, &wide, 8);
}
inline void PutDword(uint8_t* mem, size_t offset, uint32_t v) { std::memcpy(mem + offset, &v, 4); }
inline uint64_t GetPtr(const uint8_t* mem, size_t offset) {
  uint64_t v;
  std::memcpy(&v, mem + offset, 8);
  return v;
}

// The holds' fields per slot (holds.ts, HELD_FIELDS): lpOverlapped (or dwData), the function, the
// single buffer, the WSAOVERLAPPED's memory.
constexpr uint32_t kHeldFields = 4, kHeldBuffer = 2, kHeldOverlapped = 3;

}  // namespace ovl
