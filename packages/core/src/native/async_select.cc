// WSAAsyncSelect: the network-event recorder (recorder.h) with a window message as its target.
//
// Windows and their message queue live in TypeScript (packages/async-select); this file only decides
// what to post and hands it over. Each realm registers, once, the JavaScript function that posts into
// its queue (setMessagePoster). Messages are posted in batches: a delivery from a loop callback (a
// socket woke in the poll phase) appends to the realm's batch, and the batch crosses into JavaScript
// once, in a callback scope, in the check phase that follows the poll; a delivery caused by a
// JavaScript call (WSAAsyncSelect, accept) flushes the batch at once, older messages first, so
// messages always reach the queue in the order they were posted.
//
// Invariants:
//  - message mode consumes what it delivers: Collect clears the delivered bits from P (under the
//    socket's lock), so each recording is posted exactly once; R keeps them until a re-enabling call.
//  - one message per bit, in Winsock's posting order: FD_CONNECT, FD_ACCEPT, FD_OOB, FD_READ,
//    FD_WRITE, FD_CLOSE (winsock-spec §1.7: FD_CONNECT before FD_WRITE; FD_READ before FD_CLOSE).
//  - wParam is the socket the event occurred on: an accepted socket that inherited the listener's
//    registration posts its own number (the record's socket, not the listener's).
//  - a message posted is never taken back: closesocket or a new registration stops further posting,
//    while messages already in the batch or the queue are delivered, as on Windows.
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "entry.h"
#include "recorder.h"
#include "trace.h"

namespace {

// Bit indexes in posting order (winsock-spec §1.7).
constexpr int kPostingOrder[] = {WS_FD_CONNECT_BIT, WS_FD_ACCEPT_BIT, WS_FD_OOB_BIT,
                                 WS_FD_READ_BIT,    WS_FD_WRITE_BIT,  WS_FD_CLOSE_BIT};
constexpr size_t kMessageFields = 4;  // hwnd, message, wParam, lParam

// The posting side of one realm's message queue. Touched on the realm's thread only; shared with
// the registrations (sinks) that post into it, which may outlive the realm (a socket is process-wide).
struct MessagePost {
  RealmState* realm = nullptr;  // valid while !torn_down
  bool torn_down = false;
  Napi::FunctionReference poster;             // (batch: Float64Array, count) => void; empty until set
  Napi::Reference<Napi::Float64Array> array;  // reused between flushes; grown when a batch is larger
  size_t array_capacity = 0;                  // in messages
  std::vector<double> batch;                  // kMessageFields per message, in posting order
  loop::Check* check = nullptr;
  bool check_active = false;
};

using MessagePostRef = std::shared_ptr<MessagePost>;

// Hands the batch to JavaScript. The caller is inside a JavaScript call (a poster's exception then
// propagates from it) or, from_loop, inside a JsEntry (which reports it).
void Flush(MessagePost& mp, bool from_loop) {
  if (mp.batch.empty()) return;
  Napi::Env env = mp.realm->env;
  const size_t count = mp.batch.size() / kMessageFields;
  if (mp.poster.IsEmpty()) {
    mp.batch.clear();  // no message queue in this realm: nobody could retrieve them
    return;
  }
  Napi::HandleScope scope(env);
  if (count > mp.array_capacity) {
    size_t cap = mp.array_capacity ? mp.array_capacity : 64;
    while (cap < count) cap *= 2;
    mp.array = Napi::Persistent(Napi::Float64Array::New(env, cap * kMessageFields));
    mp.array_capacity = cap;
  }
  Napi::Float64Array a = mp.array.Value();
  // The array was handed to JavaScript last time: if it has been detached since, a new one.
  if (a.ElementLength() < count * kMessageFields || a.Data() == nullptr) {
    a = Napi::Float64Array::New(env, mp.array_capacity * kMessageFields);
    mp.array = Napi::Persistent(a);
  }
  std::memcpy(a.Data(), mp.batch.data(), mp.batch.size() * sizeof(double));
  // Cleared before the call: the poster may run JavaScript that posts again (re-entrantly).
  mp.batch.clear();
  napi_value args[2] = {a, Napi::Number::New(env, static_cast<double>(count))};
  if (from_loop) CallFromLoop(mp.realm, mp.poster.Value(), 2, args);
  else mp.poster.Call({args[0], args[1]});
}

void OnCheck(void* post) {
  MessagePost* mp = static_cast<MessagePost*>(post);
  mp->check->Stop();
  mp->check_active = false;
  if (mp->torn_down || mp->batch.empty()) return;
  JsEntry scope(mp->realm);
  if (!scope.ok()) {  // the realm's JavaScript is gone: nobody can retrieve them
    mp->batch.clear();
    return;
  }
  Flush(*mp, /*from_loop=*/true);
}

// Appends messages (kMessageFields each) to the realm's batch. On the realm's thread.
void Post(MessagePost& mp, const double* fields, size_t n, bool in_js) {
  if (mp.torn_down) return;
  mp.batch.insert(mp.batch.end(), fields, fields + n);
  if (in_js) {
    Flush(mp, /*from_loop=*/false);  // JavaScript is on the stack: the program sees them when the call returns
  } else if (!mp.check_active) {
    mp.check_active = true;
    mp.check->Start();  // the handle lives until the realm's cleanup hook
  }
}

// Message mode: every bit of P ∩ M is one message, posted once and consumed from P.
class WindowMessageSink : public NetworkEventSink {
 public:
  // mp, inbox, thread: the window's realm (not necessarily the caller's).
  WindowMessageSink(MessagePostRef mp, std::shared_ptr<RealmInbox> inbox, std::thread::id thread, double hwnd,
                    uint32_t msg)
      : mp_(std::move(mp)), inbox_(std::move(inbox)), thread_(thread), hwnd_(hwnd), msg_(msg) {}

  void Collect(SocketState& sock, NetworkRecord& rec, NetworkDelivery& d) override {
    d.bits = rec.pending & rec.mask;
    for (int b = 0; b < kFdMaxEvents; ++b)
      if (d.bits & (1u << b)) d.err[b] = rec.err[b];
    rec.pending &= ~d.bits;
    // A datagram socket's connect posts only FD_WRITE in message mode [observed]: FD_CONNECT is
    // consumed here, unposted (event mode reports it).
    if (!sock.is_stream()) d.bits &= ~static_cast<uint32_t>(WS_FD_CONNECT);
  }

  bool ReenablesOnFault() const override { return true; }
  bool UnboundDatagramWritable() const override { return true; }

  void Deliver(const NetworkDelivery& d, bool in_js) override {
    double fields[kMessageFields * (sizeof(kPostingOrder) / sizeof(kPostingOrder[0]))];
    size_t n = 0;
    for (int bit : kPostingOrder) {
      if (!(d.bits & (1u << bit))) continue;
      // lParam = WSAMAKESELECTREPLY(event, error) = MAKELONG(event, error).
      const uint32_t lparam = (static_cast<uint32_t>(d.err[bit] & 0xFFFF) << 16) | (1u << bit);
      fields[n++] = hwnd_;
      fields[n++] = msg_;
      fields[n++] = static_cast<double>(d.socket);
      fields[n++] = lparam;
      TRACE(kPosted, d.socket, lparam, static_cast<int64_t>(hwnd_), msg_);
    }
    if (n == 0) return;
    if (std::this_thread::get_id() == thread_) {
      Post(*mp_, fields, n, in_js);
      return;
    }
    // The socket is polled by another realm than the window's (the window belongs to another thread,
    // or the socket was accepted there, inheriting the registration): the window's thread posts.
    // Dropped by the inbox once that realm has gone.
    MessagePostRef mp = mp_;
    std::vector<double> copy(fields, fields + n);
    inbox_->Post([mp, copy]() { Post(*mp, copy.data(), copy.size(), /*in_js=*/false); });
  }

 private:
  MessagePostRef mp_;
  std::shared_ptr<RealmInbox> inbox_;
  std::thread::id thread_;
  double hwnd_;
  uint32_t msg_;
};

MessagePostRef& PostOf(const Napi::CallbackInfo& info) { return *static_cast<MessagePostRef*>(info.Data()); }

// Every realm's windows by handle, for the calls Win32 allows on another thread's window (PostMessage
// into that thread's queue, IsWindow). The window table itself lives in each realm's TypeScript,
// which registers a window here when it creates it and unregisters it when it destroys it; a realm's
// teardown drops all of its own. HWNDs are unique across realms (each numbers from its own base).
struct WindowOwner {
  MessagePostRef post;
  std::shared_ptr<RealmInbox> inbox;
  std::thread::id thread;
};
std::mutex g_windows_mu;
std::unordered_map<double, WindowOwner> g_windows;

double ArgHwnd(const Napi::CallbackInfo& info, const char* usage) {
  const double hwnd = ArgNumber(info, 0, usage, "hWnd");
  if (!(hwnd > 0) || hwnd != static_cast<double>(static_cast<int64_t>(hwnd)))
    ThrowUsage(info, usage, "hWnd must be a positive integer");
  return hwnd;
}

// registerWindow(hWnd) / unregisterWindow(hWnd): this realm created / destroyed the window.
Napi::Value RegisterWindow(const Napi::CallbackInfo& info) {
  const double hwnd = ArgHwnd(info, "registerWindow(hWnd)");
  RealmState* realm = Realm(info.Env());
  std::lock_guard<std::mutex> lock(g_windows_mu);
  g_windows[hwnd] = WindowOwner{PostOf(info), realm->inbox, realm->thread};
  return info.Env().Undefined();
}

Napi::Value UnregisterWindow(const Napi::CallbackInfo& info) {
  const double hwnd = ArgHwnd(info, "unregisterWindow(hWnd)");
  std::lock_guard<std::mutex> lock(g_windows_mu);
  auto it = g_windows.find(hwnd);
  if (it != g_windows.end() && it->second.post == PostOf(info)) g_windows.erase(it);
  return info.Env().Undefined();
}

// isWindowAnywhere(hWnd) -> boolean: a live window of any realm.
Napi::Value IsWindowAnywhere(const Napi::CallbackInfo& info) {
  const double hwnd = ArgNumber(info, 0, "IsWindow(hWnd)", "hWnd");
  std::lock_guard<std::mutex> lock(g_windows_mu);
  return Napi::Boolean::New(info.Env(), g_windows.count(hwnd) != 0);
}

// postWindowMessage(hWnd, msg, wParam, lParam) -> 1, or 0 when hWnd is no realm's window (or its realm
// is going away). For another realm's window: TypeScript queues this realm's own windows' messages
// itself. The message joins the owner's queue through its inbox, after every message this thread
// posted to that realm before (the inbox is FIFO), as Win32 keeps one sender's posts in order.
Napi::Value PostWindowMessage(const Napi::CallbackInfo& info) {
  static const char* kUsage = "PostMessage(hWnd, Msg, wParam, lParam)";
  const double hwnd = ArgNumber(info, 0, kUsage, "hWnd");
  const std::array<double, kMessageFields> fields{
      hwnd, static_cast<double>(ArgUint32(info, 1, kUsage, "Msg")), ArgNumber(info, 2, kUsage, "wParam"),
      ArgNumber(info, 3, kUsage, "lParam")};
  WindowOwner owner;
  {
    std::lock_guard<std::mutex> lock(g_windows_mu);
    auto it = g_windows.find(hwnd);
    if (it == g_windows.end()) return Napi::Number::New(info.Env(), 0);
    owner = it->second;
  }
  MessagePostRef post = owner.post;
  const bool queued =
      owner.inbox->Post([post, fields]() { Post(*post, fields.data(), fields.size(), /*in_js=*/false); });
  return Napi::Number::New(info.Env(), queued ? 1 : 0);
}

// WSAAsyncSelect(s, hWnd, wMsg, lEvent, hWndIsWindow) -> 0 or SOCKET_ERROR. hWndIsWindow: hWnd is a
// live window of this realm (TypeScript's window table says); otherwise it may be another realm's
// window, whose thread then receives the messages (the table of every realm's windows says). lEvent 0
// cancels (the window is not looked at then).
Napi::Value WSAAsyncSelect(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAAsyncSelect(s, hWnd, wMsg, lEvent)";
  int64_t s = ArgSocket(info, 0, kUsage);
  double hwnd = IsNullish(info[1]) ? 0 : ArgNumber(info, 1, kUsage, "hWnd");
  uint32_t wmsg = ArgUint32(info, 2, kUsage, "wMsg");
  int32_t events = ArgInt32(info, 3, kUsage, "lEvent");
  bool is_window = info[4].ToBoolean();
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  const uint32_t mask = static_cast<uint32_t>(events) & static_cast<uint32_t>(WS_FD_ALL_EVENTS);
  RealmState* realm = Realm(info.Env());
  std::shared_ptr<NetworkEventSink> sink;
  if (mask != 0) {
    if (is_window) {
      sink = std::make_shared<WindowMessageSink>(PostOf(info), realm->inbox, realm->thread, hwnd, wmsg);
    } else {
      std::lock_guard<std::mutex> lock(g_windows_mu);
      auto it = g_windows.find(hwnd);
      if (it == g_windows.end()) return Fail(info, WSAEINVAL);
      sink = std::make_shared<WindowMessageSink>(it->second.post, it->second.inbox, it->second.thread, hwnd, wmsg);
    }
  }
  // Message mode clears P and R: every condition that still holds is posted afresh (never FD_CONNECT).
  RegisterNetworkEvents(realm, sock, std::move(sink), mask, /*clear_record=*/true);
  return Ok(info);
}

// setMessagePoster(fn): the function that posts a batch into this realm's message queue, called as
// fn(batch, count) with batch a Float64Array of [hwnd, message, wParam, lParam] * count (reused: read
// it before returning). Replaces any earlier one.
Napi::Value SetMessagePoster(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) ThrowUsage(info, "setMessagePoster(fn)", "fn must be a function");
  MessagePostRef& mp = PostOf(info);
  mp->poster = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

void InitAsyncSelect(Napi::Env env, Napi::Object exports) {
  RealmState* realm = Realm(env);
  auto* holder = new MessagePostRef(std::make_shared<MessagePost>());
  MessagePost& mp = **holder;
  mp.realm = realm;
  mp.batch.reserve(64 * kMessageFields);
  mp.check = loop::Check::New(realm->loop, OnCheck, &mp);  // a pending GetMessage holds the loop, not this
  // A step of the realm's teardown (realm.h): the loop is still there to close the check handle.
  // Registrations that outlive the realm find it torn down.
  realm->OnTeardown([holder]() {
    MessagePost& p = **holder;
    {
      std::lock_guard<std::mutex> lock(g_windows_mu);
      for (auto it = g_windows.begin(); it != g_windows.end();)
        it = it->second.post == *holder ? g_windows.erase(it) : std::next(it);
    }
    p.torn_down = true;
    p.batch.clear();
    p.poster.Reset();
    p.array.Reset();
    p.check->Close();
    p.check = nullptr;
    p.realm = nullptr;
    delete holder;
  });
  exports.Set("setMessagePoster", Napi::Function::New(env, SetMessagePoster, "setMessagePoster", holder));
  exports.Set("WSAAsyncSelect", Napi::Function::New(env, WSAAsyncSelect, "WSAAsyncSelect", holder));
  exports.Set("registerWindow", Napi::Function::New(env, RegisterWindow, "registerWindow", holder));
  exports.Set("unregisterWindow", Napi::Function::New(env, UnregisterWindow, "unregisterWindow", holder));
  exports.Set("isWindowAnywhere", Napi::Function::New(env, IsWindowAnywhere, "IsWindow", holder));
  exports.Set("postWindowMessage", Napi::Function::New(env, PostWindowMessage, "PostMessage", holder));
}
