// The send and receive paths every data call shares (send, recv, sendto, recvfrom, WSASend, WSARecv,
// WSASendTo, WSARecvFrom): Winsock's state checks, its blocking rules, and its error translation.
#pragma once
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

#include "socket_table.h"

struct IoResult {
  int error = 0;      // WSA code; 0 on success
  size_t bytes = 0;   // bytes moved (also on WSAEMSGSIZE: the truncated datagram's bytes)
  int out_flags = 0;  // Winsock flags for lpFlags: 0 for TCP and UDP (no MSG_PARTIAL, winsock-spec §3.8)
};

struct SendRequest {
  iovec* iov;
  int iovcnt;
  int64_t ws_flags;
  const sockaddr* to = nullptr;  // sendto/WSASendTo destination, already translated
  socklen_t tolen = 0;
  bool never_block = false;      // the overlapped engine: one attempt, whatever FIONBIO says
};

struct RecvRequest {
  iovec* iov;
  int iovcnt;
  int64_t ws_flags;
  sockaddr_storage* from = nullptr;  // recvfrom/WSARecvFrom: where the sender's address goes
  bool never_block = false;          // the overlapped engine: one attempt, whatever FIONBIO says
};

// Blocking sockets wait (this thread only) until done; non-blocking ones return WSAEWOULDBLOCK.
// A blocking stream send takes every byte; a non-blocking one may take part (Winsock's documented
// contract; IoResult.bytes says how much).
IoResult SendOn(SocketState& s, SendRequest& req);
IoResult RecvOn(SocketState& s, RecvRequest& req);

// Calls connect(2) for a Winsock connect (caller holds s.mu); returns 0 or the errno (EINPROGRESS: under
// way). After a failed connect Linux's next connect(2) only resets the socket and fails with
// ECONNABORTED; Winsock starts a new attempt [observed], so the call is made once more then.
int ConnectLocked(SocketState& s, const sockaddr* to, socklen_t tolen);

// Settles a non-blocking connect under way (poll with no wait, then SO_ERROR once) so `connected`
// and `connect_error` are current. Caller holds s.mu.
void RefreshConnectLocked(SocketState& s);

// Waits, on this thread, until the descriptor has one of `events` (POLLIN, POLLOUT, POLLPRI).
// Returns 0, WSAETIMEDOUT after timeout_ms (0 = forever), or WSAEINTR when closesocket ran meanwhile.
// revents (optional) receives what poll reported. The wait is alertable (see BlockingPoll).
int WaitForSocket(SocketState& s, short events, uint32_t timeout_ms, short* revents = nullptr);

// How WaitForSocket polls: as poll(own, 1, wait_ms), returning 1 when own->revents is set, 0 when
// it is not (the time ran out, or the wait did other work first: WaitForSocket polls again), -1 with
// errno. Plain poll(2) until the overlapped engine installs the alertable one (overlapped.cc).
using BlockingPoll = int (*)(pollfd* own, int wait_ms);
void SetBlockingPoll(BlockingPoll poll);

// Maps an errno from a data call on s to Winsock's code, latching a peer reset.
int DataErrorFromErrno(SocketState& s, int err, bool sending);

// Total bytes of an iovec array.
size_t IovTotal(const iovec* iov, int iovcnt);
