// The overlapped engine's requests and their queues: one Op per pending WSASend/WSARecv/AcceptEx/
// ConnectEx, pooled per realm, kept in a socket's receive-side or send-side FIFO. See overlapped.h for
// the engine's contract.
#pragma once
#include <napi.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "caller_memory.h"
#include "iocp.h"
#include "socket_table.h"
#include "wsabuf.h"

namespace ovl {

enum class OpKind : uint8_t {
  kRecv,        // WSARecv / WSARecvFrom
  kSend,        // WSASend / WSASendTo
  kAccept,      // AcceptEx waiting for a connection (queued on the listener)
  kAcceptData,  // AcceptEx with dwReceiveDataLength > 0, waiting for the first data (on the new socket)
  kConnect,     // ConnectEx waiting for the connection, then its optional data as a send
};

// One operation. Pooled per realm: released operations are reused, never freed while the realm lives.
//
// Caller memory (caller_memory.h): an operation keeps views, never pointers, from one loop turn to
// the next. Its WSAOVERLAPPED's memory and a single buffer (one-WSABUF calls, AcceptEx's output,
// ConnectEx's data) are the TypeScript face's holds at `slot`; the buffers of the WSABUF-array form
// and WSARecvFrom's lpFrom are referenced here. OverlappedEngine::Locate finds them again just before
// each attempt and each completion, and the operation fails with WSAEFAULT when the program has
// detached or shrunk any of them meanwhile, instead of the kernel writing into freed memory.
struct Op {
  OpKind kind = OpKind::kRecv;
  Op* next = nullptr;
  IovList iov;              // as the call gave it (lengths); bases are valid only right after Locate
  size_t total = 0;         // bytes asked for
  size_t done = 0;          // bytes moved so far
  int64_t flags = 0;        // Winsock MSG_* flags in
  sockaddr_storage addr{};  // WSASendTo / ConnectEx destination
  socklen_t addrlen = 0;
  bool has_addr = false;
  // WSARecvFrom: lpFrom (its memory after Locate) and how much of it the call must have.
  Napi::Reference<Napi::Value> from_view;
  Bytes from;
  size_t from_need = 0;
  Napi::ObjectReference fromlen;
  // The buffers of the WSABUF-array form, in iov order (an empty reference for a null buf); also
  // the single buffer and the WSAOVERLAPPED (ov_view) when the realm has no TypeScript holds.
  std::vector<Napi::Reference<Napi::Value>> keep;
  Napi::Reference<Napi::Value> ov_view;
  bool buffer_held = false;  // the single buffer is the holds' (not in keep)
  uint32_t slot = 0;         // the operation's slot in the TypeScript face's holds
  bool has_routine = false;  // completion goes to the APC queue, not to hEvent
  IocpTarget port;           // the socket's completion port, decided at issue (iocp.h); empty: none
  // Where its completion goes, as the trace records it (trace.def, kIssued's c): 1 its routine, 2 a
  // completion port (and hEvent too, when valid), 0 hEvent alone.
  int TraceSignal() const { return has_routine ? 1 : port ? 2 : 0; }
  // The WSAOVERLAPPED's 32 bytes (Internal, InternalHigh, Offset, OffsetHigh, hEvent) as last found:
  // written only right after Locate (or inside the issuing call); null when it could not be found.
  // Also the operation's identity for WSAGetOverlappedResult's wait.
  uint8_t* ov_mem = nullptr;
  bool ov_fixed = false;  // ov_mem is a SharedArrayBuffer's: it cannot move or go while held
  int64_t event = 0;
  napi_deferred waiter = nullptr;  // WSAGetOverlappedResult(fWait=TRUE)
  Napi::Reference<Napi::Value> waiter_promise;
  // AcceptEx
  SocketRef listener;
  SocketRef accepted;
  uint8_t* output = nullptr;  // lpOutputBuffer after Locate (iov[0] is its data part)
  uint32_t recv_len = 0, local_len = 0, remote_len = 0;
  sockaddr_storage peer{};

  void Reset() {
    kind = OpKind::kRecv;
    next = nullptr;
    total = done = 0;
    flags = 0;
    addrlen = 0;
    has_addr = false;
    from_view.Reset();
    from = Bytes{};
    from_need = 0;
    fromlen.Reset();
    keep.clear();
    ov_view.Reset();
    buffer_held = false;
    slot = 0;
    has_routine = false;
    port = {};
    ov_mem = nullptr;
    ov_fixed = false;
    event = 0;
    waiter = nullptr;
    waiter_promise.Reset();
    listener.reset();
    accepted.reset();
    output = nullptr;
    recv_len = local_len = remote_len = 0;
  }
};

struct OpQueue {
  Op* head = nullptr;
  Op* tail = nullptr;
  bool empty() const { return head == nullptr; }
  void push(Op* op) {
    op->next = nullptr;
    if (tail) tail->next = op; else head = op;
    tail = op;
  }
  Op* pop() {
    Op* op = head;
    if (op) {
      head = op->next;
      if (!head) tail = nullptr;
      op->next = nullptr;
    }
    return op;
  }
};

}  // namespace ovl
