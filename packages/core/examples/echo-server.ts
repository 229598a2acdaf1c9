// The blocking TCP echo server every socket course starts from: accept one client, echo until it
// closes, accept the next. Sockets are blocking by default, as in Winsock: accept and recv block this
// thread (a JS realm) until they can finish — the other models exist to avoid exactly that.
// Run: pnpm example core echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, getsockname,
  SOCKADDR_IN, AF_INET, SOCK_STREAM, INADDR_ANY, htonl, htons, ntohs, inet_ntop, sizeof, SOMAXCONN, SOCKET_ERROR,
  INVALID_SOCKET, WSAGetLastError, wsaErrorName,
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
  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(listen_sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  if (listen(listen_sock, SOMAXCONN) === SOCKET_ERROR) err_quit('listen()');
  getsockname(listen_sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[core] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const clientaddr = new SOCKADDR_IN();
  const buf = new Uint8Array(BUFSIZE);
  for (;;) {
    const addrlen = { value: sizeof(clientaddr) };
    const client_sock = accept(listen_sock, clientaddr, addrlen);   // blocks until a client connects
    if (client_sock === INVALID_SOCKET) err_quit('accept()');
    const peer = `${inet_ntop(AF_INET, clientaddr.sin_addr)}:${ntohs(clientaddr.sin_port)}`;
    console.log(`[core] client ${peer} connected`);
    for (;;) {
      const retval = recv(client_sock, buf, BUFSIZE, 0);             // blocks until data, a close or a reset
      if (retval === SOCKET_ERROR) {                                 // e.g. WSAECONNRESET
        console.log(`[core] client ${peer}: recv() ${wsaErrorName(WSAGetLastError())}`);
        break;
      }
      if (retval === 0) break;                                       // the client closed its side
      // A blocking send returns once every byte is in the socket's buffer.
      if (send(client_sock, buf, retval, 0) === SOCKET_ERROR) break;
    }
    closesocket(client_sock);
    console.log(`[core] client ${peer} closed`);
  }
}

main();
WSACleanup();
