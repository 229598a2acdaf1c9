// The attempts: see overlapped_attempts.h.
#include "overlapped_attempts.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "io.h"
#include "recorder.h"
#include "sockaddr.h"
#include "sys/sys.h"

namespace ovl {

// ---- the attempts ---------------------------------------------------------------------------------


// One receive attempt into the operation's buffers, as Locate last found them.
Attempt TryRecv(OverlappedEngine* engine, Op* op, SocketState& s) {
  Attempt a;
  if (op->total == 0) {
    // All buffers empty: Winsock completes with 0 bytes once data is there, consuming nothing.
    pollfd p{s.fd, POLLIN, 0};
    if (sys::PollNow(&p, 1) == 0) a.error = WSAEWOULDBLOCK;
    return a;
  }
  sockaddr_storage from{};
  const bool with_from = !op->from_view.IsEmpty();
  RecvRequest req{op->iov.data(), op->iov.count(), op->flags, with_from ? &from : nullptr};
  req.never_block = true;
  IoResult r = RecvOn(s, req);
  a.error = r.error;
  a.bytes = r.bytes;
  a.out_flags = r.out_flags;
  if (with_from && (r.error == 0 || r.error == WSAEMSGSIZE) && from.ss_family != AF_UNSPEC) {
    double len = op->from_need;  // *lpFromlen as the call read it
    if (SockaddrToWinsock(from, op->from.data, op->from.length, &len) == 0) engine->DeferBoxWrite(op, len);
  }
  return a;
}

// One step of a send: moves what the socket takes now, from the first byte not yet taken (the
// buffers as Locate last found them, advanced past `done`).
Attempt TrySend(Op* op, SocketState& s) {
  Attempt a;
  if (op->total == op->done) return a;
  IovList rest;
  iovec* cursor = rest.Resize(static_cast<size_t>(op->iov.count()));
  std::memcpy(cursor, op->iov.data(), sizeof(iovec) * static_cast<size_t>(op->iov.count()));
  int count = op->iov.count();
  AdvanceIovecs(cursor, count, op->done);
  SendRequest req{cursor, count, op->flags, op->has_addr ? reinterpret_cast<sockaddr*>(&op->addr) : nullptr,
                  op->addrlen};
  req.never_block = true;
  IoResult r = SendOn(s, req);
  op->done += r.bytes;
  a.bytes = op->done;
  a.error = r.error;
  if (!a.error && op->done < op->total) a.error = WSAEWOULDBLOCK;  // taken in part: wait for room
  return a;
}

// Writes AcceptEx's addresses (Winsock layout) after the received data, where GetAcceptExSockaddrs
// reads them: the local address at dwReceiveDataLength, the remote one dwLocalAddressLength later.
void WriteAcceptAddresses(Op* op) {
  sockaddr_storage local{};
  socklen_t len = sizeof(local);
  if (sys::LocalAddress(op->accepted->fd, &local, &len) == 0) {
    double room = op->local_len;
    SockaddrToWinsock(local, op->output + op->recv_len, op->local_len, &room);
  }
  double room = op->remote_len;
  SockaddrToWinsock(op->peer, op->output + op->recv_len + op->local_len, op->remote_len, &room);
}

// Takes a pending connection from the listener and makes sAcceptSocket's number refer to it.
Attempt TryAccept(Op* op) {
  Attempt a;
  socklen_t len = sizeof(op->peer);
  const int fd = sys::Accept(op->listener->fd, &op->peer, &len);  // skips connections reset while queued
  if (fd < 0) {
    a.error = fd == -EAGAIN ? WSAEWOULDBLOCK : WsaFromErrno(-fd);
    return a;
  }
  {
    std::lock_guard<std::mutex> lock(op->accepted->mu);
    if (op->accepted->closed) {
      sys::Close(fd);
      a.error = WSA_OPERATION_ABORTED;
      return a;
    }
    // The connection is swapped in under the accept socket's number atomically; the descriptor
    // number never changes hands, so nothing else can be given it meanwhile.
    if (int r = sys::ReplaceDescriptor(fd, op->accepted->fd)) {
      sys::Close(fd);
      a.error = WsaFromErrno(-r);
      return a;
    }
    sys::Close(fd);
    op->accepted->bound = op->accepted->connected = true;
  }
  return a;
}

}  // namespace ovl
