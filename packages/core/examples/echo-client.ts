// The blocking TCP echo client: connect, send one message, read its echo, close. Every call blocks
// this thread until it can finish, as in Winsock; a refused connect returns SOCKET_ERROR with
// WSAECONNREFUSED.
// Run: pnpm example core echo-client [port] [host] [message]   (127.0.0.1:9000 "hello")
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, connect, send, recv, shutdown, closesocket, SOCKADDR_IN,
  AF_INET, SOCK_STREAM, SD_SEND, htons, inet_pton, sizeof, SOCKET_ERROR, INVALID_SOCKET, WSAGetLastError, wsaErrorName,
} from '@winsock-models/core';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

function main(): void {
  const port = Number(process.argv[2] ?? 9000);
  const host = process.argv[3] ?? '127.0.0.1';
  const message = Buffer.from(process.argv[4] ?? 'hello');
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);
  if (connect(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) {
    console.error(`[core] connect to ${host}:${port} failed: ${errText(WSAGetLastError())}`);
    process.exit(1);
  }
  console.log(`[core] connected to ${host}:${port}`);
  if (send(sock, message, message.length, 0) === SOCKET_ERROR) err_quit('send()');
  shutdown(sock, SD_SEND);
  const echoed = Buffer.alloc(message.length);
  let received = 0;
  while (received < echoed.length) {
    const r = recv(sock, echoed.subarray(received), echoed.length - received, 0);
    if (r === SOCKET_ERROR) err_quit('recv()');
    if (r === 0) break;
    received += r;
  }
  console.log(`[core] echoed ${received} of ${message.length} bytes: ${echoed.subarray(0, received).toString()}`);
  closesocket(sock);
  WSACleanup();
  process.exit(received === message.length ? 0 : 1);
}

main();
