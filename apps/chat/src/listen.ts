// A listening TCP socket on host:port (0: a free port), and the port it got.
import {
  AF_INET, INVALID_SOCKET, SOCKADDR_IN, SOCKET_ERROR, SOCK_STREAM, SOMAXCONN, bind, closesocket, getsockname, htons,
  inet_pton, listen, ntohs, sizeof, socket, WSAGetLastError, wsaErrorMessage, type SOCKET,
} from '@winsock-models/core';

export function listenOn(host: string, port: number): { sock: SOCKET; port: number } {
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) throw new Error(`socket(): ${wsaErrorMessage(WSAGetLastError())}`);
  const addr = new SOCKADDR_IN();
  addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, addr.sin_addr) !== 1) { closesocket(sock); throw new Error(`not an IPv4 address: ${host}`); }
  addr.sin_port = htons(port);
  if (bind(sock, addr, sizeof(addr)) === SOCKET_ERROR || listen(sock, SOMAXCONN) === SOCKET_ERROR) {
    const code = WSAGetLastError();
    closesocket(sock);
    throw new Error(`listening on ${host}:${port}: ${wsaErrorMessage(code)}`);
  }
  getsockname(sock, addr, { value: sizeof(addr) });
  return { sock, port: ntohs(addr.sin_port) };
}
