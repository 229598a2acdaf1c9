// The network-event recorder: see recorder.h for the model. This file decides what a readiness wake
// means in Winsock's terms (FD_* with error codes) and keeps each socket polled for exactly the
// conditions that could still be recorded.
#include "recorder.h"

#include <poll.h>

#include <atomic>
#include <cerrno>

#include "io.h"
#include "poller.h"
#include "sys/sys.h"
#include "trace.h"
#include "wsa.h"

namespace {

constexpr uint32_t kRead = WS_FD_READ, kWrite = WS_FD_WRITE, kOob = WS_FD_OOB, kAccept = WS_FD_ACCEPT,
                   kConnect = WS_FD_CONNECT, kClose = WS_FD_CLOSE;
constexpr int kAllReadiness = loop::kReadable | loop::kWritable | loop::kPriority | loop::kHangup;
// Not a loop::Readiness bit: a sample (poll) saw POLLERR, a pending socket error that must be consumed.
constexpr int kPollErr = 0x100;

std::atomic<uint64_t> g_watch_serial{1};

void RecordLocked(NetworkRecord& r, int bit, int err) {
  const uint32_t b = 1u << bit;
  if (r.reported & b) return;
  r.reported |= b;
  r.pending |= b;
  r.err[bit] = err;
  r.dispatch_due = true;
  TRACE(kRecorded, trace::Subject(), b, err);
}

// A connect settled: FD_CONNECT with its error, and FD_WRITE on success. SocketState::mu held.
void RecordConnectLocked(NetworkRecord& r, int wsa_error) {
  RecordLocked(r, WS_FD_CONNECT_BIT, wsa_error);
  if (wsa_error == 0) RecordLocked(r, WS_FD_WRITE_BIT, 0);
}

// Whether FD_WRITE may be recorded for a datagram socket: once bound, or before that where the
// registration's target says so (NetworkEventSink::UnboundDatagramWritable). SocketState::mu held.
bool DatagramWritable(const SocketState& s, const NetworkRecord& r) {
  return s.bound || (r.sink && r.sink->UnboundDatagramWritable());
}

// Whether urgent data really waits. The loop reports loop::kPriority with every error or hang-up wake
// too (libuv hands back each event that was asked for then), so a reset or a shutdown would look like
// urgent data; only FD_OOB wakes pay for this one poll. SocketState::mu held.
bool UrgentDataWaits(const SocketState& s) {
  pollfd p{s.fd, POLLPRI, 0};
  const int n = sys::PollNow(&p, 1);
  return n > 0 && (p.revents & POLLPRI);
}

// What the socket must be polled for now: the conditions whose bit is not in R and that its state
// can still produce. SocketState::mu held.
int NeedLocked(const SocketState& s, const NetworkRecord& r) {
  if (s.closed || !r.sink) return 0;  // not registered: nothing is polled
  const uint32_t R = r.reported;
  if (s.listening) return (R & kAccept) ? 0 : loop::kReadable;
  if (s.connecting) return loop::kWritable;  // the connect's end (success or failure) wakes POLLOUT
  if (!s.is_stream()) {
    int w = 0;
    if (!(R & kRead)) w |= loop::kReadable;
    if (!(R & kWrite) && DatagramWritable(s, r)) w |= loop::kWritable;
    return w;
  }
  // An unconnected stream socket reports nothing (Linux would say POLLOUT|POLLHUP).
  if (!s.connected) return 0;
  // After a reset only FD_CLOSE is left to record; every later send/recv is WSAECONNRESET.
  if (s.reset) return (R & kClose) ? 0 : loop::kHangup;
  int w = 0;
  if (!(R & kRead) && !s.rd_shutdown && !r.eof_drained) w |= loop::kReadable;
  if (!(R & kWrite) && !s.wr_shutdown) w |= loop::kWritable;
  if (!(R & kOob) && !s.oob_inline && !s.rd_shutdown && !r.hup) w |= loop::kPriority;
  // A local shutdown(SD_RECEIVE) looks like the peer's FIN to Linux; FD_CLOSE is never recorded for a
  // local shutdown, so the socket is not watched for it then.
  if (!(R & kClose) && !s.rd_shutdown && !r.hup) w |= loop::kHangup;
  return w;
}

// The peer closed (FIN) or reset (RST) the connection: FD_CLOSE with 0, or with WSAECONNABORTED for a
// reset (what Windows reports, spec §3.7 [observed]; the docs say WSAECONNRESET). SocketState::mu held.
void CheckCloseLocked(SocketState& s, NetworkRecord& r) {
  pollfd p{s.fd, sys::kPollReadable, 0};
  if (sys::PollNow(&p, 1) < 0) return;
  int code = -1;
  if (p.revents & POLLERR) {
    // Reading SO_ERROR consumes it; the reset latch keeps the answer for every later call.
    const int e = sys::TakePendingError(s.fd);
    if (e > 0) {
      if (e == ECONNRESET || e == EPIPE) s.reset = true;
      code = (e == ECONNRESET || e == EPIPE) ? WSAECONNABORTED : WsaFromErrno(e);
    }
  }
  if (code < 0 && s.reset) code = WSAECONNABORTED;
  if (code < 0 && (p.revents & (sys::kPollPeerClosed | POLLHUP))) code = 0;
  if (code < 0) return;
  r.hup = true;
  RecordLocked(r, WS_FD_CLOSE_BIT, code);
}

// Records what `events` (loop::Readiness bits, from a wake or a sample) shows for bits not in R.
// SocketState::mu held.
void ExamineLocked(SocketState& s, NetworkRecord& r, int events) {
  TRACE_DO(trace::SetSubject(s.fd));
  // A queued overlapped receive (AcceptEx) takes what arrives: nothing is recorded for it (spec §3.3).
  const bool read_side_taken = s.overlapped_reads > 0;
  if (s.listening) {
    if ((events & loop::kReadable) && !read_side_taken) RecordLocked(r, WS_FD_ACCEPT_BIT, 0);
    return;
  }
  if (s.connecting) {
    // Settled here, it is recorded here: the caller (Pump, Reenable) dispatches what was recorded.
    if (SettleConnectLocked(s)) RecordConnectLocked(r, s.connect_error);
    if (s.connecting) return;
  }
  if (!s.is_stream()) {
    if ((events & loop::kReadable) && !read_side_taken) RecordLocked(r, WS_FD_READ_BIT, 0);
    if ((events & loop::kWritable) && DatagramWritable(s, r)) RecordLocked(r, WS_FD_WRITE_BIT, 0);
    return;
  }
  if (!s.connected) return;
  if ((events & loop::kHangup) && !(r.reported & kClose) && !s.rd_shutdown) CheckCloseLocked(s, r);
  if ((events & loop::kReadable) && !(r.reported & kRead) && !s.rd_shutdown && !s.reset && !read_side_taken) {
    if (!r.hup && !(events & loop::kHangup)) {
      RecordLocked(r, WS_FD_READ_BIT, 0);  // POLLIN on a live connection: data
    } else {
      // POLLIN also means end of stream: only queued bytes make FD_READ. Closure is never FD_READ.
      int queued = 0;
      if (sys::BytesQueued(s.fd, &queued) == 0 && queued > 0) RecordLocked(r, WS_FD_READ_BIT, 0);
      else if (r.hup) r.eof_drained = true;
    }
  }
  if ((events & loop::kPriority) && !s.oob_inline && !s.rd_shutdown && !(r.reported & kOob) && UrgentDataWaits(s))
    RecordLocked(r, WS_FD_OOB_BIT, 0);
  if ((events & loop::kWritable) && !s.wr_shutdown && !s.reset) RecordLocked(r, WS_FD_WRITE_BIT, 0);
}

// A pending socket error that nothing above consumed (FD_CLOSE already recorded, a datagram socket's
// ICMP error, a listener): read it so POLLERR stops waking the loop, latching a reset for later calls.
// Datagram sockets ignore such errors, as Winsock's do. SocketState::mu held.
void ConsumeErrorLocked(SocketState& s) {
  if (s.connecting) return;  // SettleConnectLocked reads it as the connect's outcome
  const int e = sys::TakePendingError(s.fd);
  if (e < 0) return;
  if (s.is_stream() && s.connected && (e == ECONNRESET || e == EPIPE)) s.reset = true;
}

int Sample(int fd) {
  pollfd p{fd, static_cast<short>(sys::kPollReadable | POLLOUT | POLLPRI), 0};
  if (sys::PollNow(&p, 1) <= 0) return 0;
  // The shared table, plus the recorder's own mark of a pending socket error.
  return ReadinessFromPoll(p.revents) | ((p.revents & POLLERR) ? kPollErr : 0);
}

}  // namespace

// One realm's subscription to one socket's FdWatch on behalf of the socket's record. Lives on that
// realm's thread; it is current while the record's watch points at it, and lets itself go when it
// finds it is not (the registration moved to another realm, or was cancelled).
class RecorderWatch : public ReadinessSubscriber {
 public:
  RecorderWatch(EventRealm* er, FdWatch* fw) : serial(g_watch_serial.fetch_add(1)), er_(er), fw_(fw) {
    er_->watches.insert(this);
  }
  const uint64_t serial;

  int WantedEvents() override { return want_; }

  void OnReady(int status, int events) override {
    // status < 0: the loop saw POLLERR and stopped the poll; look at the socket directly (FdWatch
    // starts the handle again afterwards if anyone still wants events).
    Pump(/*in_js=*/false, status < 0 ? Sample(fw_->socket()->fd) : events, /*wake=*/true);
  }

  void OnSocketClosed() override {
    er_->watches.erase(this);
    delete this;
  }

  // Examines `events` for the record, re-arms the poll, and delivers what is due. The delivery is
  // the last thing done: it may run JavaScript, which may close the socket and delete this watcher.
  void Pump(bool in_js, int events, bool wake) {
    SocketState& s = *fw_->socket();
    NetworkDelivery d;
    int need_before = 0, need = 0;
    bool current;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      NetworkRecord* r = s.net.get();
      current = r && r->watch == this && !s.closed;
      if (current) {
        need_before = NeedLocked(s, *r);
        if (events) {
          ExamineLocked(s, *r, events);
          if (events & kPollErr) ConsumeErrorLocked(s);
        }
        need = NeedLocked(s, *r);
        if (r->dispatch_due) {
          r->dispatch_due = false;
          if (r->sink) {
            d.sink = r->sink;
            d.socket = s.fd;
            r->sink->Collect(s, *r, d);
          }
        }
      }
    }
    if (!current) {
      Detach();
      return;
    }
    // Disarm lazily: a condition stays armed after its bit entered R until a wake shows it is no longer
    // wanted. The usual recv follows its FD_READ before the loop polls again, so the common path
    // changes nothing in epoll (each change costs the loop an EPOLL_CTL_DEL and an EPOLL_CTL_ADD).
    const int useless = wake ? (events & ~need_before & kAllReadiness) : 0;
    Arm((want_ & ~useless) | need);
    if (d.bits && d.sink) d.sink->Deliver(d, in_js);
  }

  // Adds conditions to the poll (realm's thread, no lock).
  void Arm(int want) {
    if (want == want_) return;
    want_ = want;
    fw_->Update();
  }
  void ArmMore(int need) { Arm(want_ | need); }

  // Stops watching and frees this watcher (realm's thread).
  void Detach() {
    er_->watches.erase(this);
    fw_->Unsubscribe(this);
    delete this;
  }

  // Realm teardown: let go of the record without touching the loop.
  void Abandon() {
    SocketState* s = fw_->socket().get();
    if (s) {
      std::lock_guard<std::mutex> lock(s->mu);
      if (s->net && s->net->watch == this) {
        s->net->watch = nullptr;
        s->net->realm = nullptr;
      }
    }
    delete this;
  }

  FdWatch* fdwatch() const { return fw_; }

 private:
  EventRealm* er_;
  FdWatch* fw_;
  int want_ = 0;
};

namespace {

// Has the record's realm look at the socket again (re-arm, dispatch what is due). Usable under the
// socket's lock and from any thread: it always goes through the realm's inbox.
void KickLocked(NetworkRecord& r) {
  if (!r.watch || !r.realm) return;
  RealmState* realm = r.realm;
  RecorderWatch* w = r.watch;
  uint64_t serial = w->serial;
  realm->inbox->Post([realm, w, serial]() {
    EventRealm* er = EventsOf(realm);
    if (!er || er->torn_down || !er->watches.count(w) || w->serial != serial) return;
    w->Pump(/*in_js=*/false, 0, /*wake=*/false);
  });
}

// What a look at the read side shows now, as loop::Readiness bits (readable, and hang-up so closure is
// told from data). One poll(2).
int SampleReadSide(int fd) {
  pollfd p{fd, sys::kPollReadable, 0};
  if (sys::PollNow(&p, 1) <= 0) return 0;
  return ReadinessFromPoll(p.revents) & (loop::kReadable | loop::kHangup);
}

// Re-enables `bits` (clears them from R and P), then records at once what `left` says (or a look at
// the socket shows) still holds. Same realm: re-arms and delivers now (in_js: from JavaScript); another
// realm: records here and delivers through its inbox. No lock held.
void Reenable(SocketState& s, uint32_t bits, ConditionLeft left = ConditionLeft::kGone, bool in_js = false) {
  RecorderWatch* w = nullptr;
  int need = 0;
  int holds = 0;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    NetworkRecord* r = s.net.get();
    if (!r || !((r->reported | r->pending) & bits)) return;
    TRACE(kReenabled, s.fd, (r->reported | r->pending) & bits);
    r->reported &= ~bits;
    r->pending &= ~bits;
    if (!r->watch) return;
    if (r->sink && !s.closed) {
      if (left == ConditionLeft::kHolds) holds = loop::kReadable;
      else if (left == ConditionLeft::kMaybe) holds = SampleReadSide(s.fd);
    }
    if (!r->realm->OnThisThread()) {
      if (holds) {
        ExamineLocked(s, *r, holds);
      }
      KickLocked(*r);
      return;
    }
    w = r->watch;
    need = NeedLocked(s, *r);
  }
  if (holds) w->Pump(in_js, holds, /*wake=*/false);  // records, re-arms and delivers
  else w->ArmMore(need);
}

// Makes sure the socket is polled for its record in this realm, samples it, and delivers what is due.
// From JavaScript on realm's thread, no lock held.
void Attach(RealmState* realm, const SocketRef& sock) {
  EventRealm* er = EventsOf(realm);
  if (!er || er->torn_down) return;
  RecorderWatch* w = nullptr;
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    NetworkRecord* r = sock->net.get();
    if (!r || sock->closed) return;
    if (r->watch && r->realm == realm) w = r->watch;
  }
  if (!w) {
    FdWatch* fw = FdWatch::For(realm, sock);
    w = new RecorderWatch(er, fw);
    fw->Subscribe(w);
    bool closed;
    {
      std::lock_guard<std::mutex> lock(sock->mu);
      closed = sock->closed || !sock->net;
      if (!closed) {
        // A watcher in another realm finds itself stale at its next wake and goes.
        sock->net->watch = w;
        sock->net->realm = realm;
      }
    }
    if (closed) {
      // closesocket ran in another thread meanwhile and may have missed this new watch.
      fw->Close();
      return;
    }
  }
  w->Pump(/*in_js=*/true, Sample(sock->fd), /*wake=*/false);
}

}  // namespace

void RegisterNetworkEvents(RealmState* realm, const SocketRef& sock, std::shared_ptr<NetworkEventSink> sink,
                           uint32_t mask, bool clear_record) {
  mask &= static_cast<uint32_t>(WS_FD_ALL_EVENTS);
  if (mask == 0) {
    RecorderWatch* w = nullptr;
    {
      std::lock_guard<std::mutex> lock(sock->mu);
      // The socket stays non-blocking; only FIONBIO(0) is allowed again.
      sock->nonblocking = true;
      sock->select_registered = false;
      NetworkRecord* r = sock->net.get();
      if (r) {
        r->mask = 0;
        r->sink.reset();
        if (clear_record) r->pending = r->reported = 0;
        if (r->watch && r->realm == realm) w = r->watch;
        r->watch = nullptr;
        r->realm = nullptr;
      }
    }
    if (w) w->Detach();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(sock->mu);
    if (!sock->net) sock->net = std::make_shared<NetworkRecord>();
    NetworkRecord& r = *sock->net;
    r.mask = mask;
    r.sink = std::move(sink);
    if (clear_record) {
      r.pending = r.reported = 0;
      r.hup = r.eof_drained = false;
    }
    // Event mode keeps P and R, and signals the new target at once if P ∩ M is not empty.
    r.dispatch_due = true;
    sock->nonblocking = true;
    sock->select_registered = true;
  }
  Attach(realm, sock);
}

void ReenableRecv(SocketState& sock, ConditionLeft left, bool in_js) { Reenable(sock, kRead | kOob, left, in_js); }

void ReenableRecvAfterFault(SocketState& sock) {
  {
    std::lock_guard<std::mutex> lock(sock.mu);
    const NetworkRecord* r = sock.net.get();
    if (!r || !r->sink || !r->sink->ReenablesOnFault()) return;
  }
  ReenableRecv(sock);
}

void ReenableSend(SocketState& sock) { Reenable(sock, kWrite); }

void ReenableAccept(RealmState* realm, SocketState& listener, const SocketRef& child) {
  // A connection taken: another may wait (one poll). None taken: the backlog was empty.
  Reenable(listener, kAccept, child ? ConditionLeft::kMaybe : ConditionLeft::kGone, /*in_js=*/true);
  if (!child) return;
  std::shared_ptr<NetworkEventSink> sink;
  uint32_t mask;
  {
    std::lock_guard<std::mutex> lock(listener.mu);
    if (!listener.net || !listener.net->sink) return;
    sink = listener.net->sink;
    mask = listener.net->mask;
  }
  {
    // The accepted socket takes the listener's registration: same mask, same target.
    std::lock_guard<std::mutex> lock(child->mu);
    child->net = std::make_shared<NetworkRecord>();
    child->net->mask = mask;
    child->net->sink = std::move(sink);
    child->nonblocking = true;
    child->select_registered = true;
  }
  Attach(realm, child);  // records FD_WRITE (writable), and FD_READ if data is already queued
}

void NoteConnectStartingLocked(SocketState& sock) {
  // FD_CONNECT is an event, not a level a later registration could sample: record it for every
  // socket, registered or not yet, so a registration made after the connect still reports it.
  if (!sock.net) sock.net = std::make_shared<NetworkRecord>();
  NetworkRecord* r = sock.net.get();
  const uint32_t again = sock.is_stream() ? kConnect : (kConnect | kWrite);
  r->reported &= ~again;
  r->pending &= ~again;
}

void NoteConnectSettledLocked(SocketState& sock, int wsa_error) {
  TRACE_DO(trace::SetSubject(sock.fd));
  NetworkRecord* r = sock.net.get();
  if (!r) return;
  RecordConnectLocked(*r, wsa_error);
  KickLocked(*r);
}

ConnectStarted StartConnectRecordedLocked(SocketState& sock, const sockaddr* to, socklen_t tolen) {
  NoteConnectStartingLocked(sock);  // FD_CONNECT is recorded once per connect
  const ConnectStarted started = StartConnectLocked(sock, to, tolen);
  if (started == ConnectStarted::kUnderWay) NoteSocketStateLocked(sock);  // watched for the connect's end
  else NoteConnectSettledLocked(sock, sock.connect_error);
  return started;
}


void NoteSocketStateLocked(SocketState& sock) {
  if (sock.net) KickLocked(*sock.net);
}

void DropNetworkRecordLocked(SocketState& sock) {
  sock.net.reset();
  sock.select_registered = false;
}

void TeardownRecorder(EventRealm* er) {
  std::vector<RecorderWatch*> all(er->watches.begin(), er->watches.end());
  er->watches.clear();
  for (RecorderWatch* w : all) {
    w->fdwatch()->Unsubscribe(w);
    w->Abandon();
  }
}

void NoteConnectSettled(SocketState& s) {
  std::lock_guard<std::mutex> lock(s.mu);
  NoteConnectSettledLocked(s, s.connect_error);
}
