// Connection state: how a connect starts and how one under way settles, for every caller (connect,
// ConnectEx, select, the recorder, the data path, the overlapped engine). Below the engines and above
// sys/: it changes SocketState and tells no one; a caller that must tell the network-event recorder
// does so itself (recorder.h: StartConnectRecordedLocked, RefreshConnectLocked), so nothing here calls
// back up.
#pragma once
#include <sys/socket.h>

#include "socket_table.h"

enum class ConnectStarted {
  kConnected,  // at once: connected (and bound), connect_error and so_error 0
  kUnderWay,   // connecting (and bound): settles later (SettleConnectLocked)
  kFailed,     // at once: connect_error holds the WSA code; so_error 0, as the call itself reports it
};

// Starts a connect to `to` (caller holds s.mu) and records its state in s. After a failed connect
// Linux's next connect(2) only resets the socket and fails with ECONNABORTED; Winsock starts a new
// attempt [observed], so the call is made once more then.
ConnectStarted StartConnectLocked(SocketState& s, const sockaddr* to, socklen_t tolen);

// Settles a non-blocking connect under way (poll with no wait, then SO_ERROR once) so `connected`
// and `connect_error` are current. Returns true when it settled just now (the caller tells the
// recorder: FD_CONNECT with s.connect_error). Caller holds s.mu. Inline: every data call and every
// select check asks, and almost always nothing is under way.
bool SettleConnectUnderWayLocked(SocketState& s);
inline bool SettleConnectLocked(SocketState& s) { return s.connecting && SettleConnectUnderWayLocked(s); }
