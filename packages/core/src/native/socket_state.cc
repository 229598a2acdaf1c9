// Connection state: see socket_state.h.
#include "socket_state.h"

#include <cerrno>

#include "sys/sys.h"
#include "wsa.h"

ConnectStarted StartConnectLocked(SocketState& s, const sockaddr* to, socklen_t tolen) {
  const bool failed_before = s.connect_error != 0;
  int r = sys::Connect(s.fd, to, tolen);
  if (r == -ECONNABORTED && failed_before) r = sys::Connect(s.fd, to, tolen);
  if (r == 0) {
    s.connected = s.bound = true;
    s.connect_error = s.so_error = 0;
    return ConnectStarted::kConnected;
  }
  if (r == -EINPROGRESS) {
    s.connecting = true;
    s.bound = true;
    return ConnectStarted::kUnderWay;
  }
  s.connect_error = WsaFromErrno(-r);
  s.so_error = 0;
  return ConnectStarted::kFailed;
}

bool SettleConnectUnderWayLocked(SocketState& s) {
  pollfd p{s.fd, POLLOUT, 0};
  if (sys::PollNow(&p, 1) <= 0) return false;  // still under way (or poll failed: the next look settles it)
  int err = sys::TakePendingError(s.fd);
  if (err < 0) err = -err;
  s.connecting = false;
  if (err == 0) {
    s.connected = true;
    s.bound = true;
    s.connect_error = s.so_error = 0;
  } else {
    // Sticky until a later connect succeeds: Windows keeps reporting it through SO_ERROR.
    s.connect_error = s.so_error = WsaFromErrno(err);
  }
  return true;
}
