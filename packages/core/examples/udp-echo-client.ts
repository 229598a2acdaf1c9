// The blocking UDP echo client: sendto one datagram, recvfrom its echo, and check that it came from the
// server (any host may send to this socket).
// Run: pnpm example core udp-echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, sendto, recvfrom, closesocket, setsockopt, SOCKADDR_IN, AF_INET,
  SOCK_DGRAM, SOL_SOCKET, SO_RCVTIMEO, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError,
  wsaErrorName,
} from '@winsock-models/core';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`[core] ${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

function main(): void {
  const port = Number(process.argv[2] ?? 9000);
  const host = process.argv[3] ?? '127.0.0.1';
  const message = Buffer.from(process.argv[4] ?? 'hello');
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, { value: 5000 }, 4);   // a lost datagram is not waited for forever
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);
  if (sendto(sock, message, message.length, 0, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('sendto()');

  const echoed = Buffer.alloc(512);
  const peeraddr = new SOCKADDR_IN();
  const addrlen = { value: sizeof(peeraddr) };
  const retval = recvfrom(sock, echoed, echoed.length, 0, peeraddr, addrlen);
  if (retval === SOCKET_ERROR) err_quit('recvfrom()');   // WSAETIMEDOUT: nothing came back in 5 s
  if (peeraddr.sin_addr.s_addr !== serveraddr.sin_addr.s_addr || peeraddr.sin_port !== serveraddr.sin_port) {
    console.error('[core] a datagram from someone else');
    process.exit(1);
  }
  console.log(`[core] echoed ${retval} of ${message.length} bytes: ${echoed.subarray(0, retval).toString()}`);
  closesocket(sock);
  WSACleanup();
  process.exit(retval === message.length ? 0 : 1);
}

main();
