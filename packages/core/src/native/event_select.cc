// WSAEventSelect and WSAEnumNetworkEvents: the network-event recorder with an event object as target.
#include <cstring>

#include "entry.h"
#include "events.h"
#include "recorder.h"
#include "trace.h"

namespace {

constexpr size_t kNetworkEventsSize = 44;  // sizeof(WSANETWORKEVENTS): long + int[FD_MAX_EVENTS]

// Event mode: Winsock only ever sets the event, when P ∩ M is not empty after something was recorded
// (or the registration changed). It is reset by WSAEnumNetworkEvents or WSAResetEvent.
class EventObjectSink : public NetworkEventSink {
 public:
  explicit EventObjectSink(EventRef ev) : ev_(std::move(ev)) {}
  void Collect(SocketState&, NetworkRecord& rec, NetworkDelivery& d) override { d.bits = rec.pending & rec.mask; }
  void Deliver(const NetworkDelivery&, bool in_js) override { SignalEvent(ev_, in_js); }

 private:
  EventRef ev_;  // the registration keeps the event object alive, even after WSACloseEvent
};

int64_t ArgEvent(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  Napi::Value v = info[i];
  if (IsNullish(v)) return 0;
  if (!v.IsNumber()) ThrowUsage(info, usage, "hEventObject must be a WSAEVENT (a number) or null");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d > 0) || d != static_cast<double>(static_cast<int64_t>(d))) return -1;  // names no event
  return static_cast<int64_t>(d);
}

// WSAEventSelect(s, hEventObject, lNetworkEvents) -> 0 or SOCKET_ERROR.
Napi::Value WSAEventSelect(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAEventSelect(s, hEventObject, lNetworkEvents)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int64_t h = ArgEvent(info, 1, kUsage);
  int32_t events = ArgInt32(info, 2, kUsage, "lNetworkEvents");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  const uint32_t mask = static_cast<uint32_t>(events) & static_cast<uint32_t>(WS_FD_ALL_EVENTS);
  std::shared_ptr<NetworkEventSink> sink;
  if (mask != 0) {
    // A null or closed event with a non-zero mask is WSAEINVAL; with mask 0 the event is ignored.
    EventRef ev = h > 0 ? FindEvent(h) : nullptr;
    if (!ev) return Fail(info, WSAEINVAL);
    sink = std::make_shared<EventObjectSink>(std::move(ev));
  }
  RegisterNetworkEvents(Realm(info.Env()), sock, std::move(sink), mask, /*clear_record=*/false);
  return Ok(info);
}

// WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents) -> 0 or SOCKET_ERROR. lpNetworkEvents is the
// memory of a WSANETWORKEVENTS (44 bytes). In one step under the socket's lock: reset the event first
// (an event recorded right after sets it again: no lost wake-up), then report P ∩ M with the error of
// each reported bit, and clear P ∩ M. R stays: only the re-enabling calls clear it. iErrorCode entries
// of bits not reported are left as they were.
Napi::Value WSAEnumNetworkEvents(const Napi::CallbackInfo& info) {
  static const char* kUsage = "WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents)";
  int64_t s = ArgSocket(info, 0, kUsage);
  int64_t h = ArgEvent(info, 1, kUsage);
  Bytes out = ArgBytes(info, 2, kUsage, "lpNetworkEvents");
  int error = 0;
  SocketRef sock = Lookup(s, &error);
  if (!sock) return Fail(info, error);
  if (!out.present || out.length < kNetworkEventsSize) return Fail(info, WSAEFAULT);
  EventRef ev;
  if (h != 0) {
    ev = FindEvent(h);
    if (!ev) return Fail(info, WSAEINVAL);  // nothing is cleared or reset on failure
  }
  std::lock_guard<std::mutex> lock(sock->mu);
  if (ev) ResetEvent(ev);
  int32_t bits = 0;
  if (NetworkRecord* r = sock->net.get()) {
    bits = static_cast<int32_t>(r->pending & r->mask);
    for (int b = 0; b < kFdMaxEvents; ++b)
      if (bits & (1 << b)) std::memcpy(out.data + 4 + 4 * b, &r->err[b], 4);
    r->pending &= ~r->mask;
  }
  TRACE(kEnumNetworkEvents, s, bits);
  std::memcpy(out.data, &bits, 4);
  return Ok(info);
}

}  // namespace

void InitEventSelect(Napi::Env env, Napi::Object exports) {
  exports.Set("WSAEventSelect", Napi::Function::New(env, WSAEventSelect, "WSAEventSelect"));
  exports.Set("WSAEnumNetworkEvents", Napi::Function::New(env, WSAEnumNetworkEvents, "WSAEnumNetworkEvents"));
}
