// The platform layer on Linux: see sys.h (the data path's calls are inline there). Each call retries
// EINTR and returns a negative errno instead of -1, so errno is read nowhere else.
#include "sys.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace sys {

namespace {
// r as returned, or -errno for a failed call (-1).
inline int Result(int r) { return r < 0 ? -errno : r; }
}  // namespace

int Socket(int family, int type, int protocol) {
  return Result(::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
}

// close(2) is not retried on EINTR: Linux has released the descriptor even then, and a retry could
// close a number another thread has just been given.
int Close(int fd) { return Result(::close(fd)); }

int Bind(int fd, const sockaddr* addr, socklen_t len) { return Result(::bind(fd, addr, len)); }

int Listen(int fd, int backlog) { return Result(::listen(fd, backlog)); }

int Accept(int fd, sockaddr_storage* peer, socklen_t* len) {
  const socklen_t room = *len;
  for (;;) {
    *len = room;
    const int r = ::accept4(fd, reinterpret_cast<sockaddr*>(peer), len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (r >= 0) return r;
    if (errno == EINTR || errno == ECONNABORTED) continue;
    return -errno;
  }
}

int ReplaceDescriptor(int from, int to) { return ::dup3(from, to, O_CLOEXEC) < 0 ? -errno : 0; }

int Connect(int fd, const sockaddr* addr, socklen_t len) {
  int r;
  do r = ::connect(fd, addr, len); while (r != 0 && errno == EINTR);
  return Result(r);
}

int Shutdown(int fd, int how) { return Result(::shutdown(fd, how)); }

int LocalAddress(int fd, sockaddr_storage* addr, socklen_t* len) {
  return Result(::getsockname(fd, reinterpret_cast<sockaddr*>(addr), len));
}

int PeerAddress(int fd, sockaddr_storage* addr, socklen_t* len) {
  return Result(::getpeername(fd, reinterpret_cast<sockaddr*>(addr), len));
}

int GetOption(int fd, int level, int name, void* value, socklen_t* len) {
  return Result(::getsockopt(fd, level, name, value, len));
}

int SetOption(int fd, int level, int name, const void* value, socklen_t len) {
  return Result(::setsockopt(fd, level, name, value, len));
}

int TakePendingError(int fd) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return -errno;
  return err;
}

int BytesQueued(int fd, int* n) { return Result(::ioctl(fd, FIONREAD, n)); }

int AddressToText(int family, const void* addr, char* text, socklen_t len) {
  return ::inet_ntop(family, addr, text, len) ? 0 : -errno;
}

}  // namespace sys
