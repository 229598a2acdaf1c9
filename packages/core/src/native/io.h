// The send and receive paths every data call shares (send, recv, sendto, recvfrom, WSASend, WSARecv,
// WSASendTo, WSARecvFrom): Winsock's state checks, its blocking rules, and its error translation.
// Below the engines: it reports what happened (IoResult) and calls nothing above it; the re-enabling
// rules of WSAEventSelect/WSAAsyncSelect around it are the recorder's (recorder.h: SendOn, RecvOn).
// System calls go through sys/sys.h.
#pragma once
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <climits>
#include <cstddef>
#include <cstdint>

#include "socket_table.h"

struct IoResult {
  int error = 0;      // WSA code; 0 on success
  size_t bytes = 0;   // bytes moved (also on WSAEMSGSIZE: the truncated datagram's bytes)
  int out_flags = 0;  // Winsock flags for lpFlags: 0 for TCP and UDP (no MSG_PARTIAL, winsock-spec §3.8)
  bool connect_settled = false;  // a connect under way settled during the call (the caller tells the recorder)
};

// Where a blocking call's buffers are (caller_memory.h). Its wait is alertable and may run
// JavaScript (completion routines), which may detach or shrink them: after every wait the data path
// asks Locate to rewrite the request's iovecs (bases and lengths, as the call was given them) before
// it touches the memory again. 0, or WSAEFAULT when the memory no longer holds them.
class MemorySource {
 public:
  virtual ~MemorySource() = default;
  virtual int Locate(iovec* iov, int iovcnt) = 0;
};

struct SendRequest {
  iovec* iov;
  int iovcnt;
  int64_t ws_flags;
  const sockaddr* to = nullptr;  // sendto/WSASendTo destination, already translated
  socklen_t tolen = 0;
  bool never_block = false;      // the overlapped engine: one attempt, whatever FIONBIO says
  MemorySource* memory = nullptr;  // caller memory a wait may move; null: never waits, or not JavaScript's
};

struct RecvRequest {
  iovec* iov;
  int iovcnt;
  int64_t ws_flags;
  sockaddr_storage* from = nullptr;  // recvfrom/WSARecvFrom: where the sender's address goes
  bool never_block = false;          // the overlapped engine: one attempt, whatever FIONBIO says
  MemorySource* memory = nullptr;    // caller memory a wait may move; null: never waits, or not JavaScript's
};

// Blocking sockets wait (this thread only) until done; non-blocking ones return WSAEWOULDBLOCK.
// A blocking stream send takes every byte; a non-blocking one may take part (Winsock's documented
// contract; IoResult.bytes says how much).
IoResult SendData(SocketState& s, SendRequest& req);
IoResult RecvData(SocketState& s, RecvRequest& req);

// Waits, on this thread, until the descriptor has one of `events` (POLLIN, POLLOUT, POLLPRI).
// Returns 0, WSAETIMEDOUT after timeout_ms (0 = forever), or WSAEINTR when closesocket ran meanwhile.
// revents (optional) receives what poll reported. The wait is alertable (see BlockingPoll).
int WaitForSocket(SocketState& s, short events, uint32_t timeout_ms, short* revents = nullptr);

// How WaitForSocket polls: as sys::Poll(own, 1, wait_ms), returning 1 when own->revents is set, 0 when
// it is not (the time ran out, or the wait did other work first: WaitForSocket polls again), a
// negative errno, or kPollRealmGone when the calling thread's JavaScript is going away (a worker being
// terminated cannot stop a thread blocked here: the wait ends with WSAEINTR so the call returns to
// JavaScript, which Node then stops). Plain poll(2) until the overlapped engine installs the
// alertable one (overlapped_alertable.cc).
constexpr int kPollRealmGone = INT_MIN;  // no errno
using BlockingPoll = int (*)(pollfd* own, int wait_ms);
void SetBlockingPoll(BlockingPoll poll);

// Maps an errno from a data call on s to Winsock's code, latching a peer reset.
int DataErrorFromErrno(SocketState& s, int err, bool sending);

// Moves an iovec cursor past n consumed bytes: whole entries are skipped, a partly consumed one is
// shortened in place (so the cursor's array must be the caller's own copy).
void AdvanceIovecs(iovec*& iov, int& iovcnt, size_t n);

// Total bytes of an iovec array.
inline size_t IovTotal(const iovec* iov, int iovcnt) {
  size_t total = 0;
  for (int i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
  return total;
}
