// The blocking UDP echo server: recvfrom a datagram, sendto it back to whoever sent it. No connection,
// no listen or accept; each datagram arrives whole, or (past the buffer) truncated with WSAEMSGSIZE.
// Run: pnpm example core udp-echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSADATA, MAKEWORD, socket, bind, recvfrom, sendto, getsockname, SOCKADDR_IN, AF_INET, SOCK_DGRAM,
  INADDR_ANY, htonl, htons, ntohs, inet_ntop, sizeof, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError, wsaErrorName,
  WSAEMSGSIZE,
} from '@winsock-models/core';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

function main(): void {
  const port = Number(process.argv[2] ?? 9000);
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  getsockname(sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[core] UDP echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const clientaddr = new SOCKADDR_IN();
  const buf = new Uint8Array(BUFSIZE);
  for (;;) {
    const addrlen = { value: sizeof(clientaddr) };
    const retval = recvfrom(sock, buf, BUFSIZE, 0, clientaddr, addrlen);   // blocks until a datagram comes
    if (retval === SOCKET_ERROR) {
      if (WSAGetLastError() === WSAEMSGSIZE) continue;                   // larger than BUFSIZE: dropped
      err_quit('recvfrom()');
    }
    console.log(`[core] ${retval} bytes from ${inet_ntop(AF_INET, clientaddr.sin_addr)}:${ntohs(clientaddr.sin_port)}`);
    if (sendto(sock, buf, retval, 0, clientaddr, addrlen.value) === SOCKET_ERROR) err_quit('sendto()');
  }
}

main();
