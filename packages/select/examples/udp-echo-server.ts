// The select model over UDP: one socket, no connections. select says when a datagram waits (the read
// set), recvfrom takes it whole, sendto returns it to its sender. A datagram larger than the buffer is
// truncated and reported with WSAEMSGSIZE (the rest is lost, as on Windows).
// Run: pnpm example select udp-echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, recvfrom, sendto, ioctlsocket, getsockname, SOCKADDR_IN,
  sizeof, htons, ntohs, htonl, inet_ntop, AF_INET, SOCK_DGRAM, INADDR_ANY, FIONBIO, INVALID_SOCKET, SOCKET_ERROR,
  WSAEWOULDBLOCK, WSAEMSGSIZE, WSAGetLastError, wsaErrorName, fd_set, FD_ZERO, FD_SET, FD_ISSET, select,
} from '@winsock-models/select';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_DGRAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  serveraddr.sin_addr.s_addr = htonl(INADDR_ANY);
  serveraddr.sin_port = htons(port);
  if (bind(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) err_quit('bind()');
  ioctlsocket(sock, FIONBIO, { value: 1 });   // recvfrom never blocks: select said a datagram waits
  getsockname(sock, serveraddr, { value: sizeof(serveraddr) });
  console.log(`[select] UDP echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const rset = new fd_set();
  const buf = new Uint8Array(BUFSIZE);
  const clientaddr = new SOCKADDR_IN();
  for (;;) {
    FD_ZERO(rset);
    FD_SET(sock, rset);
    if (await select(0, rset, null, null, null) === SOCKET_ERROR) err_quit('select()');
    if (!FD_ISSET(sock, rset)) continue;
    // Every datagram that waits, then back to select.
    for (;;) {
      const addrlen = { value: sizeof(clientaddr) };
      const retval = recvfrom(sock, buf, BUFSIZE, 0, clientaddr, addrlen);
      if (retval === SOCKET_ERROR) {
        const code = WSAGetLastError();
        if (code === WSAEWOULDBLOCK) break;          // drained
        if (code === WSAEMSGSIZE) continue;          // larger than BUFSIZE: dropped
        err_quit('recvfrom()');
      }
      console.log(`[select] ${retval} bytes from ${inet_ntop(AF_INET, clientaddr.sin_addr)}:${ntohs(clientaddr.sin_port)}`);
      if (sendto(sock, buf, retval, 0, clientaddr, addrlen.value) === SOCKET_ERROR) err_quit('sendto()');
    }
  }
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
