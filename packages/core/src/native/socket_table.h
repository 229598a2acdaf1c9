// The process-wide socket table. A SOCKET is the descriptor number, shared by every realm (handles are
// shared between Win32 threads). Only descriptors created through this table are sockets: anything
// else, including a valid descriptor opened by Node, is WSAENOTSOCK.
//
// Lifetime invariant: the descriptor is closed when the last SocketRef goes, never earlier. closesocket
// removes the entry at once (later calls see WSAENOTSOCK), while a call still running in another thread
// keeps the descriptor, and so its number, from being reused under it.
#pragma once
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

class CompletionPort;
class FdWatch;
struct NetworkRecord;

struct SocketState {
  SocketState(int fd, int family, int type, int protocol);
  ~SocketState();  // closes the descriptor
  SocketState(const SocketState&) = delete;
  SocketState& operator=(const SocketState&) = delete;

  const int fd;
  const uint64_t serial;  // unique for the process lifetime; tells a reused number from its predecessor
  const int family;       // Linux AF_INET / AF_INET6
  const int type;         // Linux SOCK_STREAM / SOCK_DGRAM
  const int protocol;     // Linux IPPROTO_*

  bool is_stream() const { return type == 1 /* SOCK_STREAM */; }

  // Guards everything below. Never held across a blocking wait or a call into JavaScript.
  std::mutex mu;
  bool closed = false;        // closesocket ran; calls that pinned the state before must stop
  bool nonblocking = false;   // Winsock's FIONBIO state; the descriptor itself is always O_NONBLOCK
  bool bound = false;
  bool listening = false;
  bool connecting = false;    // a non-blocking connect is under way
  bool connected = false;
  int connect_error = 0;      // sticky WSA code of the last failed connect: exceptfds, and SO_ERROR...
  int so_error = 0;           // ...except that SO_ERROR reads 0 after connect() itself returned the code
                              // (a blocking connect [observed]); both clear when a connect succeeds
  bool reset = false;         // a peer RST was seen: every later send/recv is WSAECONNRESET
  bool rd_shutdown = false;   // shutdown(SD_RECEIVE|SD_BOTH)
  bool wr_shutdown = false;   // shutdown(SD_SEND|SD_BOTH)
  bool oob_inline = false;    // SO_OOBINLINE
  bool reuse_addr = false;    // Winsock's SO_REUSEADDR (stream descriptors always carry Linux's, see socket())
  // SO_SNDBUF/SO_RCVBUF as the program set them (-1: never set); an accepted socket inherits them.
  int32_t sndbuf = -1;
  int32_t rcvbuf = -1;
  bool select_registered = false;  // WSAAsyncSelect/WSAEventSelect holds a non-zero mask
  // Overlapped receives (or AcceptEx) queued on this socket in any realm. While there is one, arriving
  // data (a connection) completes it and FD_READ (FD_ACCEPT) is not recorded, as on Windows.
  int overlapped_reads = 0;
  // The completion port this socket is associated with (iocp.h), and its completion key: written once,
  // under iocp.cc's port-table mutex, before iocp_associated is set (release); read by any thread after
  // an acquire load of iocp_associated finds it set, so a request's issue reads them without a lock.
  std::shared_ptr<CompletionPort> iocp_port;
  double iocp_key = 0;
  std::atomic<bool> iocp_associated{false};
  uint32_t rcv_timeout_ms = 0;  // SO_RCVTIMEO; 0 waits forever
  uint32_t snd_timeout_ms = 0;  // SO_SNDTIMEO
  std::vector<FdWatch*> watches;  // at most one per realm; see poller.h
  // WSAEventSelect/WSAAsyncSelect state (recorder.h): null until the socket is first registered;
  // dropped by closesocket.
  std::shared_ptr<NetworkRecord> net;

  std::atomic<int> blocked_callers{0};  // threads inside a blocking wait on this socket
};

using SocketRef = std::shared_ptr<SocketState>;

SocketRef FindSocket(int64_t s);  // nullptr: not one of our sockets
SocketRef RegisterSocket(int fd, int family, int type, int protocol);
SocketRef UnregisterSocket(int64_t s);  // removes the entry; nullptr when there was none
std::vector<SocketRef> UnregisterAllSockets();
// One byte per descriptor below kSharedSocketFlags, 1 while that descriptor is one of our sockets (set
// and cleared under the table's lock, with the entry), which every realm's TypeScript face reads
// without calling in (WSAGetOverlappedResult's socket check). Process-wide, never freed.
constexpr size_t kSharedSocketFlags = 65536;
std::atomic<uint8_t>* SharedSocketFlags();

// ---- the bound-address table (winsock-spec §3.14; Wine's server keeps the same) ----------------------
// Every stream descriptor carries Linux's SO_REUSEADDR (so TIME_WAIT never blocks a rebind, as on
// Windows), which also lets two sockets bind one address until one listens. Winsock refuses the second
// bind at once, so the addresses that TCP sockets hold through bind are kept here, keyed by family,
// address and port; an entry goes when its socket is closed (UnregisterSocket).
//
// Claims `addr` (the address the kernel bound, port included) for s. Returns 0, or the WSA code a
// conflict gives: WSAEADDRINUSE, or WSAEACCES when s asked for SO_REUSEADDR but a holder did not. Two
// holders that both asked for SO_REUSEADDR share the address. Caller holds s.mu.
int ClaimBoundAddressLocked(const SocketState& s, const sockaddr_storage& addr);
// Releases what s claimed (nothing if it claimed nothing).
void ReleaseBoundAddress(const SocketState& s);
