// The README's complete example: a select echo server on port 9000. Zero the sets, fill them, select,
// handle what is left, repeat.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, ioctlsocket,
  SOCKADDR_IN, sizeof, htons, htonl, AF_INET, SOCK_STREAM, INADDR_ANY, SOMAXCONN, FIONBIO, INVALID_SOCKET,
  SOCKET_ERROR, WSAGetLastError, fd_set, FD_ZERO, FD_SET, FD_ISSET, select, type SOCKET,
} from '@winsock-models/select';

if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
const addr = new SOCKADDR_IN();
addr.sin_family = AF_INET;
addr.sin_addr.s_addr = htonl(INADDR_ANY);
addr.sin_port = htons(9000);
if (bind(listen_sock, addr, sizeof(addr)) === SOCKET_ERROR) throw new Error(`bind ${WSAGetLastError()}`);
listen(listen_sock, SOMAXCONN);
ioctlsocket(listen_sock, FIONBIO, { value: 1 });

const clients: SOCKET[] = [];
const buf = new Uint8Array(512);
const rset = new fd_set();
async function main(): Promise<void> {
for (;;) {
  FD_ZERO(rset);                                   // 1. zero
  FD_SET(listen_sock, rset);                       // 2. fill
  for (const s of clients) FD_SET(s, rset);
  if (await select(0, rset, null, null, null) === SOCKET_ERROR) break;  // 3. select
  if (FD_ISSET(listen_sock, rset)) {               // 4. handle what is left
    const s = accept(listen_sock, null, null);
    if (s !== INVALID_SOCKET) clients.push(s);
  }
  for (const s of [...clients]) {
    if (!FD_ISSET(s, rset)) continue;
    const n = recv(s, buf, buf.length, 0);
    if (n > 0) send(s, buf, n, 0);
    else { closesocket(s); clients.splice(clients.indexOf(s), 1); }
  }
}                                                  // 5. repeat
closesocket(listen_sock);
WSACleanup();
}
void main();
