// The memory the overlapped engine shares with TypeScript: the WSAOVERLAPPED's C layout, the
// engine's result and argument arrays, and the holds' fields per slot (holds.ts). The numbers are
// layout.def's (the one list, generated for TypeScript too); these are the engine's names for them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "layout.h"
#include "wsa.h"

namespace ovl {

// overlappedResult's elements, as holds.ts names them (KEPT, BYTES, FLAGS, REPORTED).
enum ResultIndex : size_t {
  kKept = layout::KEPT, kBytes = layout::BYTES, kFlags = layout::FLAGS, kReported = layout::REPORTED,
  kResultCount = layout::RESULT_LENGTH,
};
// overlappedArgs' elements, as holds.ts names them (ARG_S, ARG_LEN, ARG_FLAGS, ARG_SLOT, ARG_ROUTINE):
// the numbers of a one-buffer WSASend/WSARecv, written by TypeScript so that the call crosses with
// two arguments (the buffer and the WSAOVERLAPPED) and no Node-API call per number.
enum ArgIndex : size_t {
  kArgSocket = layout::ARG_S, kArgLen = layout::ARG_LEN, kArgFlags = layout::ARG_FLAGS, kArgSlot = layout::ARG_SLOT,
  kArgRoutine = layout::ARG_ROUTINE, kArgCount = layout::ARGS_LENGTH,
};

// WSAOVERLAPPED's C layout (64-bit; layout.def's OV_*): ULONG_PTR Internal, ULONG_PTR InternalHigh,
// DWORD Offset, DWORD OffsetHigh, HANDLE hEvent. Values here fit 32 bits; the high halves are zeroed.
constexpr size_t kOverlappedSize = layout::OV_SIZE;
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
constexpr uint32_t kHeldFields = layout::HELD_FIELDS, kHeldBuffer = layout::HELD_BUFFER,
                   kHeldOverlapped = layout::HELD_MEMORY;

}  // namespace ovl
