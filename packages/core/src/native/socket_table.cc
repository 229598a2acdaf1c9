#include "socket_table.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sys/sys.h"
#include "wsa.h"

namespace {

std::mutex g_table_mu;
std::vector<SocketRef> g_table;  // indexed by descriptor; descriptors are small and dense
std::atomic<uint64_t> g_next_serial{1};

// One claim of the bound-address table: which socket (by serial, never reused) holds which address.
struct BoundAddress {
  uint64_t serial;
  int family;
  uint16_t port;         // network order, as the kernel reports it
  uint8_t addr[16];      // IPv4 in the first 4 bytes
  bool reuse;            // the holder asked for SO_REUSEADDR
};

std::mutex g_bound_mu;
std::vector<BoundAddress> g_bound;  // a few entries: one per explicitly bound TCP socket

bool KeyOf(const sockaddr_storage& ss, BoundAddress* key) {
  std::memset(key->addr, 0, sizeof(key->addr));
  key->family = ss.ss_family;
  if (ss.ss_family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(ss);
    key->port = sin.sin_port;
    std::memcpy(key->addr, &sin.sin_addr, 4);
  } else if (ss.ss_family == AF_INET6) {
    const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(ss);
    key->port = sin6.sin6_port;
    std::memcpy(key->addr, &sin6.sin6_addr, 16);
  } else {
    return false;
  }
  return key->port != 0;
}

}  // namespace

SocketState::SocketState(int fd_, int family_, int type_, int protocol_)
    : fd(fd_), serial(g_next_serial.fetch_add(1)), family(family_), type(type_), protocol(protocol_) {}

SocketState::~SocketState() {
  sys::Close(fd);  // not retried on EINTR (sys.cc says why)
}

std::atomic<uint8_t>* SharedSocketFlags() {
  static std::atomic<uint8_t>* flags = new std::atomic<uint8_t>[kSharedSocketFlags]();
  return flags;
}

namespace {
void SetFlagLocked(size_t fd, uint8_t v) {  // g_table_mu held
  if (fd < kSharedSocketFlags) SharedSocketFlags()[fd].store(v);
}
}  // namespace

SocketRef FindSocket(int64_t s) {
  if (s < 0) return nullptr;
  std::lock_guard<std::mutex> lock(g_table_mu);
  if (static_cast<uint64_t>(s) >= g_table.size()) return nullptr;
  return g_table[static_cast<size_t>(s)];
}

SocketRef RegisterSocket(int fd, int family, int type, int protocol) {
  SocketRef ref = std::make_shared<SocketState>(fd, family, type, protocol);
  std::lock_guard<std::mutex> lock(g_table_mu);
  if (static_cast<size_t>(fd) >= g_table.size()) g_table.resize(static_cast<size_t>(fd) + 64);
  g_table[static_cast<size_t>(fd)] = ref;
  SetFlagLocked(static_cast<size_t>(fd), 1);
  return ref;
}

SocketRef UnregisterSocket(int64_t s) {
  if (s < 0) return nullptr;
  SocketRef ref;
  {
    std::lock_guard<std::mutex> lock(g_table_mu);
    if (static_cast<uint64_t>(s) >= g_table.size()) return nullptr;
    ref.swap(g_table[static_cast<size_t>(s)]);
    SetFlagLocked(static_cast<size_t>(s), 0);
  }
  if (ref) ReleaseBoundAddress(*ref);  // closesocket frees the address at once, as Winsock does
  return ref;
}

std::vector<SocketRef> UnregisterAllSockets() {
  std::vector<SocketRef> all;
  {
    std::lock_guard<std::mutex> lock(g_table_mu);
    for (size_t fd = 0; fd < g_table.size(); ++fd) {
      if (!g_table[fd]) continue;
      all.push_back(std::move(g_table[fd]));
      SetFlagLocked(fd, 0);
    }
  }
  for (const SocketRef& ref : all) ReleaseBoundAddress(*ref);
  return all;
}

int ClaimBoundAddressLocked(const SocketState& s, const sockaddr_storage& addr) {
  BoundAddress key;
  if (!s.is_stream() || !KeyOf(addr, &key)) return 0;  // only TCP addresses with a port are shared out
  key.serial = s.serial;
  key.reuse = s.reuse_addr;
  std::lock_guard<std::mutex> lock(g_bound_mu);
  for (const BoundAddress& b : g_bound) {
    if (b.family != key.family || b.port != key.port || std::memcmp(b.addr, key.addr, 16) != 0) continue;
    if (b.reuse && key.reuse) continue;  // both asked to share
    return key.reuse ? WSAEACCES : WSAEADDRINUSE;
  }
  g_bound.push_back(key);
  return 0;
}

void ReleaseBoundAddress(const SocketState& s) {
  if (!s.is_stream()) return;
  std::lock_guard<std::mutex> lock(g_bound_mu);
  for (size_t i = 0; i < g_bound.size(); ++i) {
    if (g_bound[i].serial != s.serial) continue;
    g_bound[i] = g_bound.back();
    g_bound.pop_back();
    return;
  }
}
