// The network-event recorder shared by WSAEventSelect and WSAAsyncSelect (winsock-spec §3.0, §3.7).
//
// Per socket (SocketState::net, guarded by SocketState::mu) it keeps the registered mask M, the pending
// set P, the reported set R and err[FD_MAX_EVENTS]. Recording bit b with error e: if b is not in R,
// then P |= b, R |= b, err[b] = e; otherwise nothing — whether or not b is in M, so a later
// registration that adds b sees it at once. The socket is polled, on the loop of the realm that
// registered it, only for conditions whose bit is not in R, so a condition still true when its bit is
// re-enabled (cleared from R by recv, accept, a failed send, connect) is recorded again at once, and
// nothing is recorded twice while its bit stays in R. After recording, the registration's sink
// decides what to deliver (event mode: set the event if P ∩ M is not empty; message mode: post one
// message per bit), and delivers it once no lock is held.
//
// Keyed by SocketState, never by number: closesocket drops the record, so a descriptor number reused
// at once starts clean. The data path pays one uncontended lock per call when a socket is not
// registered (the hooks return at once).
#pragma once
#include <cstdint>
#include <memory>

#include "events.h"
#include "io.h"
#include "realm.h"
#include "socket_state.h"
#include "socket_table.h"
#include "trace.h"
#include "wsa.h"

constexpr int kFdMaxEvents = 10;  // FD_MAX_EVENTS

class NetworkEventSink;

struct NetworkRecord {
  uint32_t mask = 0;      // M: FD_* bits registered (0: no registration)
  uint32_t pending = 0;   // P: recorded and not yet consumed
  uint32_t reported = 0;  // R: recorded since last re-enabled; blocks re-recording
  int err[kFdMaxEvents] = {};
  bool hup = false;          // the peer's FIN or RST was seen (FD_CLOSE recorded)
  bool eof_drained = false;  // after hup nothing was left to read: input is not polled any more
  bool dispatch_due = false; // recorded (or registered) since the sink last looked
  std::shared_ptr<NetworkEventSink> sink;  // the registration's target; null when cancelled
  // Where the socket is polled for this record: a watcher on one realm's loop. Cleared when that
  // realm goes away, so both are valid whenever they are not null (under SocketState::mu).
  RealmState* realm = nullptr;
  class RecorderWatch* watch = nullptr;
};

// What a sink decided under the socket's lock, delivered after it is released.
struct NetworkDelivery {
  std::shared_ptr<NetworkEventSink> sink;
  int64_t socket = -1;
  uint32_t bits = 0;  // 0: nothing to deliver
  int err[kFdMaxEvents] = {};
};

// A registration's target: an event object (WSAEventSelect), a window message (WSAAsyncSelect).
// Adding a target means adding a sink; the recorder does not change.
class NetworkEventSink {
 public:
  virtual ~NetworkEventSink() = default;
  // SocketState::mu held. Looks at the record after something was recorded or the registration
  // changed, and fills d (d.bits 0: nothing). May consume bits of rec.pending (message mode does).
  virtual void Collect(SocketState& sock, NetworkRecord& rec, NetworkDelivery& d) = 0;
  // No lock held, on the thread of the realm that polls the socket (or of the JavaScript call that
  // caused it, in_js). May run JavaScript.
  virtual void Deliver(const NetworkDelivery& d, bool in_js) = 0;
  // Whether a receive refused for a bad buffer (WSAEFAULT) re-enables FD_READ all the same: message
  // mode does, posting it again while data remains; event mode does not re-signal [observed, spec §3.0].
  virtual bool ReenablesOnFault() const { return false; }
  // Whether a datagram socket that is not bound yet counts as writable: message mode posts FD_WRITE for
  // it at registration; event mode records nothing until the socket is bound (by bind, a send with an
  // address, or connect) [observed on Windows, issue 15].
  virtual bool UnboundDatagramWritable() const { return false; }
};

// WSAEventSelect / WSAAsyncSelect: registers sink for mask on sock, replacing any registration; mask 0
// cancels (sink ignored). Makes the socket non-blocking. clear_record: message mode clears P and R,
// event mode keeps them. Samples the socket at once (already readable, writable, ... is recorded now)
// and delivers what is due before returning. From JavaScript on realm's thread, no lock held.
void RegisterNetworkEvents(RealmState* realm, const SocketRef& sock, std::shared_ptr<NetworkEventSink> sink,
                           uint32_t mask, bool clear_record);

// ---- re-enabling hooks, called by the socket calls (cheap when the socket is not registered) ----
// A condition that still holds when its re-enabling call returns is recorded again before the call
// returns (winsock-spec §3.0), not a loop turn later. The call says what it saw, so the recorder asks
// the socket only when it cannot know: kGone (the call drained it: WSAEWOULDBLOCK, a stream read
// shorter than its buffers, end of stream, an error) costs nothing; kMaybe (a full buffer, a datagram,
// a connection taken) costs one poll(2); kHolds (MSG_PEEK found data) costs nothing.
enum class ConditionLeft { kGone, kMaybe, kHolds };

// recv, recvfrom, WSARecv, WSARecvFrom (any outcome, with or without MSG_OOB): FD_READ and FD_OOB, as on
// Windows (winsock-spec §3.7; Wine re-enables FD_OOB only for MSG_OOB). in_js: called from a JavaScript
// call on the socket's realm thread (what is recorded at once is delivered at once). No lock held.
void ReenableRecv(SocketState& sock, ConditionLeft left = ConditionLeft::kGone, bool in_js = false);
// A receive refused with WSAEFAULT before it reached the socket: re-enables as ReenableRecv when the
// registration's sink says so (message mode). No lock held.
void ReenableRecvAfterFault(SocketState& sock);
// A send-family call that failed (WSAEWOULDBLOCK or another error) or took only part: FD_WRITE is
// recorded again when the socket is writable. No lock held.
void ReenableSend(SocketState& sock);
// accept (any outcome): FD_ACCEPT, recorded again at once when another connection waits. child (when a
// connection was accepted) inherits the listener's registration in the calling realm, and records
// FD_WRITE (and FD_READ if data waits) at once. From JavaScript on realm's thread, no lock held.
void ReenableAccept(RealmState* realm, SocketState& listener, const SocketRef& child);
// connect is about to start: FD_CONNECT may be recorded again (once per connect), and on a datagram
// socket FD_WRITE too (Windows records both when a UDP socket connects). Creates the record if the
// socket has none, so the connect's outcome is kept for a registration made later. SocketState::mu held.
void NoteConnectStartingLocked(SocketState& sock);
// A connect finished: FD_CONNECT with its error, and FD_WRITE on success. SocketState::mu held
// (RefreshConnectLocked, connect).
void NoteConnectSettledLocked(SocketState& sock, int wsa_error);
// The one way connect and ConnectEx start a connect: StartConnectLocked (socket_state.h) with the
// recorder told (FD_CONNECT re-enabled first, recorded when it settles at once, the socket watched for
// its end when under way). SocketState::mu held.
ConnectStarted StartConnectRecordedLocked(SocketState& sock, const sockaddr* to, socklen_t tolen);
// SettleConnectLocked (socket_state.h), telling the recorder when the connect settled just now. For the
// layers above the data path (the calls, select, the overlapped engine). SocketState::mu held.
inline void RefreshConnectLocked(SocketState& sock) {
  if (SettleConnectLocked(sock)) NoteConnectSettledLocked(sock, sock.connect_error);
}
// listen, shutdown or a connect under way changed what the socket can report. SocketState::mu held.
void NoteSocketStateLocked(SocketState& sock);
// closesocket: the record and the registration go. SocketState::mu held.
void DropNetworkRecordLocked(SocketState& sock);

// The realm is going away: its watchers let go of their records (events.cc's cleanup hook).
void TeardownRecorder(EventRealm* er);

// ---- the data calls, with the re-enabling rules around the data path ----
// As the socket calls and the overlapped engine make them: the data path (io.h: SendData, RecvData),
// then the re-enabling rules above (FD_WRITE after a failed or partial send; FD_READ and FD_OOB after
// any receive), and FD_CONNECT when the call settled a connect under way. Inline: one call per message
// fewer on the hot path.

// A connect the data path settled: FD_CONNECT (and FD_WRITE) as RefreshConnectLocked would record it.
// No lock held.
void NoteConnectSettled(SocketState& s);

inline IoResult SendOn(SocketState& s, SendRequest& req) {
  IoResult res = SendData(s, req);
  if (res.connect_settled) NoteConnectSettled(s);
  TRACE(kSend, s.fd, res.bytes, res.error);
  // FD_WRITE is recorded again only after a send that failed (WSAEWOULDBLOCK above all) or could not
  // take everything; a successful send leaves it alone.
  if (res.error || (s.is_stream() && res.bytes < IovTotal(req.iov, req.iovcnt))) ReenableSend(s);
  return res;
}

inline IoResult RecvOn(SocketState& s, RecvRequest& req) {
  const size_t total = IovTotal(req.iov, req.iovcnt);  // before: a MSG_WAITALL read moves the cursor
  IoResult res = RecvData(s, req);
  if (res.connect_settled) NoteConnectSettled(s);
  TRACE(kRecv, s.fd, res.bytes, res.error);
  // Any receive, even one that fails, with or without MSG_OOB, re-enables FD_READ and FD_OOB,
  // and FD_READ is recorded again at once if data is left. What the call saw says whether to look: a
  // stream read that did not fill its buffers emptied the queue (the common echo case costs nothing
  // extra); a full read or a datagram may have left more; a peek left what it saw. The overlapped
  // engine (never_block) leaves it to the next poll: it may run outside JavaScript, and its queued
  // receives take arriving data anyway.
  const bool oob = (req.ws_flags & WS_MSG_OOB) != 0;
  ConditionLeft left = ConditionLeft::kGone;
  if (!req.never_block && !oob && (res.error == 0 || res.error == WSAEMSGSIZE) && res.bytes > 0) {
    if (req.ws_flags & WS_MSG_PEEK) left = ConditionLeft::kHolds;
    else if (!s.is_stream() || res.bytes >= total) left = ConditionLeft::kMaybe;
  }
  ReenableRecv(s, left, /*in_js=*/!req.never_block);
  return res;
}
