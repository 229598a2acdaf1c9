#include "socket_table.h"

#include <cerrno>
#include <unistd.h>

namespace {

std::mutex g_table_mu;
std::vector<SocketRef> g_table;  // indexed by descriptor; descriptors are small and dense
std::atomic<uint64_t> g_next_serial{1};

}  // namespace

SocketState::SocketState(int fd_, int family_, int type_, int protocol_)
    : fd(fd_), serial(g_next_serial.fetch_add(1)), family(family_), type(type_), protocol(protocol_) {}

SocketState::~SocketState() {
  // close() is not retried on EINTR: on Linux the descriptor is released even then, and a retry
  // could close a number another thread has just been given.
  ::close(fd);
}

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
  return ref;
}

SocketRef UnregisterSocket(int64_t s) {
  if (s < 0) return nullptr;
  std::lock_guard<std::mutex> lock(g_table_mu);
  if (static_cast<uint64_t>(s) >= g_table.size()) return nullptr;
  SocketRef ref;
  ref.swap(g_table[static_cast<size_t>(s)]);
  return ref;
}

std::vector<SocketRef> UnregisterAllSockets() {
  std::vector<SocketRef> all;
  std::lock_guard<std::mutex> lock(g_table_mu);
  for (SocketRef& ref : g_table)
    if (ref) all.push_back(std::move(ref));
  return all;
}
