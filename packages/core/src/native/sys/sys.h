// The platform layer: every system call the core makes on a socket, and the only code that reads
// errno. POSIX (Linux) today; a second platform changes this file's .cc and nothing above it.
//
// Contract: every call returns >= 0 on success or a negative errno (-EAGAIN, ...), never -1 with
// errno set, so callers above never read errno; they translate with WsaFromErrno(-r) (the one
// errno -> WSA list, errors.def) or by Winsock's per-call rules. EINTR is retried here, never returned.
// Linux-only pieces (accept4, dup3, POLLRDHUP, MSG_NOSIGNAL) live only here and in sys.cc.
#pragma once
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstddef>

namespace sys {

// poll(2) events: the peer's FIN or RST (POLLRDHUP on Linux) besides POLLHUP.
constexpr short kPollPeerClosed = POLLRDHUP;
// What "readable" means to the core's polls: data, or the peer having closed its side.
constexpr short kPollReadable = POLLIN | POLLRDHUP;

// A new socket, non-blocking and close-on-exec (Winsock's blocking mode is emulated above this).
int Socket(int family, int type, int protocol);
int Close(int fd);
int Bind(int fd, const sockaddr* addr, socklen_t len);
int Listen(int fd, int backlog);
// A pending connection as a new non-blocking, close-on-exec descriptor; ECONNABORTED (a connection
// reset while queued) is skipped to the next one. *peer receives its address.
int Accept(int fd, sockaddr_storage* peer, socklen_t* len);
// Makes descriptor number `to` refer to what `from` refers to, atomically (close-on-exec); `from`
// stays open. 0 or a negative errno.
int ReplaceDescriptor(int from, int to);
int Connect(int fd, const sockaddr* addr, socklen_t len);
int Shutdown(int fd, int how);
int LocalAddress(int fd, sockaddr_storage* addr, socklen_t* len);
int PeerAddress(int fd, sockaddr_storage* addr, socklen_t* len);
int GetOption(int fd, int level, int name, void* value, socklen_t* len);
int SetOption(int fd, int level, int name, const void* value, socklen_t len);
// The socket's pending error (SO_ERROR, which reading clears): 0, a positive errno, or a negative
// errno when it could not be read.
int TakePendingError(int fd);
// Bytes queued for reading (FIONREAD) into *n.
int BytesQueued(int fd, int* n);
// An IPv4 or IPv6 address's text (inet_ntop) into text[len].
int AddressToText(int family, const void* addr, char* text, socklen_t len);

// The data path's calls are defined here, inline: they run once or twice per message, and a call
// across files would cost more than the wrappers themselves.

// One non-blocking send (never raises SIGPIPE): the bytes taken, or a negative errno. `to` null: the
// connected peer.
inline ssize_t Send(int fd, const iovec* iov, int iovcnt, const sockaddr* to, socklen_t tolen, int flags) {
  // MSG_NOSIGNAL: Winsock has no SIGPIPE; a send to a reset peer is an error code, not a signal.
  flags |= MSG_NOSIGNAL | MSG_DONTWAIT;
  for (;;) {
    ssize_t n;
    if (iovcnt == 1 && !to) {
      // One buffer, no address: send(2) spares the kernel copying in a msghdr and an iovec array.
      n = ::send(fd, iov->iov_base, iov->iov_len, flags);
    } else {
      msghdr msg{};
      msg.msg_name = const_cast<sockaddr*>(to);
      msg.msg_namelen = to ? tolen : 0;
      msg.msg_iov = const_cast<iovec*>(iov);
      msg.msg_iovlen = static_cast<size_t>(iovcnt);
      n = ::sendmsg(fd, &msg, flags);
    }
    if (n >= 0) return n;
    if (errno != EINTR) return -errno;
  }
}

// One non-blocking receive. from (optional) receives the sender (ss_family AF_UNSPEC when there is
// none); *truncated says whether a datagram did not fit. `stream`: no datagram to find truncated.
// Returns the bytes, or a negative errno.
inline ssize_t Recv(int fd, iovec* iov, int iovcnt, sockaddr_storage* from, int flags, bool stream, bool* truncated) {
  flags |= MSG_DONTWAIT;
  for (;;) {
    msghdr msg{};
    ssize_t n;
    if (iovcnt == 1 && !from && stream) {
      // One buffer of a stream (no datagram to find truncated, no address): recv(2) spares the
      // kernel the msghdr and the iovec array.
      n = ::recv(fd, iov->iov_base, iov->iov_len, flags);
    } else {
      msg.msg_name = from;
      msg.msg_namelen = from ? sizeof(sockaddr_storage) : 0;
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<size_t>(iovcnt);
      n = ::recvmsg(fd, &msg, flags);
    }
    if (n >= 0) {
      if (from && msg.msg_namelen == 0) from->ss_family = AF_UNSPEC;
      *truncated = (msg.msg_flags & MSG_TRUNC) != 0;
      return n;
    }
    if (errno != EINTR) return -errno;
  }
}

// poll(2) without waiting: the number of descriptors with revents set, or a negative errno.
inline int PollNow(pollfd* fds, size_t n) {
  int r;
  do r = ::poll(fds, static_cast<nfds_t>(n), 0); while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : r;
}

// poll(2) waiting up to wait_ms (-1: no limit). Returns as poll(2) does, except that a failure is a
// negative errno; EINTR is returned (as -EINTR), since the caller decides whether its time is up.
inline int Poll(pollfd* fds, size_t n, int wait_ms) {
  const int r = ::poll(fds, static_cast<nfds_t>(n), wait_ms);
  return r < 0 ? -errno : r;
}

}  // namespace sys
