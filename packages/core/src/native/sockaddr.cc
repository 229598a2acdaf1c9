#include "sockaddr.h"

#include <netinet/in.h>

#include <cmath>
#include <cstring>

#include "wsa.h"

int SockaddrFromWinsock(const uint8_t* p, size_t available, double len, sockaddr_storage* out, socklen_t* outlen) {
  if (!p || !std::isfinite(len) || len < 2 || len > static_cast<double>(available)) return WSAEFAULT;
  uint16_t family;
  std::memcpy(&family, p, 2);
  std::memset(out, 0, sizeof(*out));
  if (family == WS_AF_INET) {
    if (len < kWinsockSockaddrIn) return WSAEFAULT;
    sockaddr_in* sin = reinterpret_cast<sockaddr_in*>(out);
    std::memcpy(sin, p, sizeof(sockaddr_in));
    sin->sin_family = AF_INET;
    *outlen = sizeof(sockaddr_in);
    return 0;
  }
  if (family == WS_AF_INET6) {
    if (len < kWinsockSockaddrIn6) return WSAEFAULT;
    sockaddr_in6* sin6 = reinterpret_cast<sockaddr_in6*>(out);
    std::memcpy(sin6, p, sizeof(sockaddr_in6));
    sin6->sin6_family = AF_INET6;
    *outlen = sizeof(sockaddr_in6);
    return 0;
  }
  return WSAEAFNOSUPPORT;
}

int SockaddrForFamily(int family, const uint8_t* p, size_t available, double len, sockaddr_storage* out,
                      socklen_t* outlen, int mismatch) {
  if (int e = SockaddrFromWinsock(p, available, len, out, outlen)) return e;
  return out->ss_family == family ? 0 : mismatch;
}

int SockaddrToWinsock(const sockaddr_storage& in, uint8_t* p, size_t available, double* len) {
  size_t need;
  uint16_t family;
  if (in.ss_family == AF_INET) {
    need = kWinsockSockaddrIn;
    family = static_cast<uint16_t>(WS_AF_INET);
  } else if (in.ss_family == AF_INET6) {
    need = kWinsockSockaddrIn6;
    family = static_cast<uint16_t>(WS_AF_INET6);
  } else {
    need = 0;  // an unnamed peer (Linux reports AF_UNSPEC): nothing to write
    family = 0;
  }
  if (!p || !std::isfinite(*len) || *len < static_cast<double>(need) || available < need) return WSAEFAULT;
  if (need) {
    std::memcpy(p, &in, need);
    std::memcpy(p, &family, 2);
  }
  *len = static_cast<double>(need);
  return 0;
}
