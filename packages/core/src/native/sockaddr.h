// Winsock's sockaddr memory <-> Linux's. The layouts are byte-for-byte the same (sockaddr_in: family,
// port, 4-byte address, 8 zero bytes = 16; sockaddr_in6: family, port, flowinfo, 16-byte address,
// scope id = 28) except the family value: AF_INET6 is 23 in Winsock and 10 in Linux.
#pragma once
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

constexpr size_t kWinsockSockaddrIn = 16;
constexpr size_t kWinsockSockaddrIn6 = 28;

// Reads `len` bytes of Winsock sockaddr (len as the caller claims it; `available` is what exists).
// Returns 0, WSAEFAULT (too short for its family, or past the memory) or WSAEAFNOSUPPORT.
int SockaddrFromWinsock(const uint8_t* p, size_t available, double len, sockaddr_storage* out, socklen_t* outlen);

// The address a call names for a socket of `family` (Linux AF_*): SockaddrFromWinsock, and then the
// family must be the socket's, else `mismatch` (Winsock says WSAEFAULT for bind, WSAEAFNOSUPPORT for the
// rest). Returns 0 or the WSA code.
int SockaddrForFamily(int family, const uint8_t* p, size_t available, double len, sockaddr_storage* out,
                      socklen_t* outlen, int mismatch);

// Winsock's size of an address of this Linux family: 28 for AF_INET6, 16 otherwise.
inline double WinsockSockaddrSize(int family) {
  return family == AF_INET6 ? static_cast<double>(kWinsockSockaddrIn6) : static_cast<double>(kWinsockSockaddrIn);
}

// Writes a Linux sockaddr as Winsock's into p. `*len` is the caller's buffer length in, the size
// written out. Returns 0 or WSAEFAULT (the caller's length or memory is too small).
int SockaddrToWinsock(const sockaddr_storage& in, uint8_t* p, size_t available, double* len);
