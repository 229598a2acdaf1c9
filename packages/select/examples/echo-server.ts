// The select model's TCP echo server (the study notes' select server): zero the sets, fill them,
// select, handle what is left, repeat. A client whose echo is not all sent waits in the write set;
// every other socket waits in the read set.
// Run: pnpm example select echo-server [port]   (port 9000 by default; 0 picks a free one)
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, recv, send, closesocket, ioctlsocket,
  getsockname, SOCKADDR_IN, sizeof, htons, ntohs, htonl, inet_ntop, AF_INET, SOCK_STREAM, INADDR_ANY, SOMAXCONN,
  FIONBIO, FD_SETSIZE, INVALID_SOCKET, SOCKET_ERROR, WSAEWOULDBLOCK, WSAGetLastError, wsaErrorName, fd_set, FD_ZERO,
  FD_SET, FD_ISSET, select, type SOCKET,
} from '@winsock-models/select';

const BUFSIZE = 512;

function err_quit(what: string): never {
  const code = WSAGetLastError();
  console.error(`${what} failed: ${wsaErrorName(code) ?? 'error'} (${code})`);
  process.exit(1);
}

class SOCKETINFO {
  sock: SOCKET = INVALID_SOCKET;
  buf = new Uint8Array(BUFSIZE);
  recvbytes = 0;
  sendbytes = 0;
}
const SocketInfoArray: SOCKETINFO[] = [];

function AddSocketInfo(sock: SOCKET): boolean {
  if (SocketInfoArray.length >= FD_SETSIZE - 1) return false;  // the listening socket takes one place
  const ptr = new SOCKETINFO();
  ptr.sock = sock;
  SocketInfoArray.push(ptr);
  return true;
}
function RemoveSocketInfo(index: number): void {
  closesocket(SocketInfoArray[index]!.sock);
  SocketInfoArray.splice(index, 1);
}

async function main(): Promise<void> {
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
  // Non-blocking: an accept or recv that select did not promise returns WSAEWOULDBLOCK, never blocks.
  // Accepted sockets inherit the mode.
  if (ioctlsocket(listen_sock, FIONBIO, { value: 1 }) === SOCKET_ERROR) err_quit('ioctlsocket()');
  const addrlen = { value: sizeof(serveraddr) };
  getsockname(listen_sock, serveraddr, addrlen);
  console.log(`[select] echo server listening on ${inet_ntop(AF_INET, serveraddr.sin_addr)}:${ntohs(serveraddr.sin_port)}`);

  const rset = new fd_set();
  const wset = new fd_set();
  const clientaddr = new SOCKADDR_IN();
  for (;;) {
    FD_ZERO(rset);                                            // 1. zero the sets
    FD_ZERO(wset);
    FD_SET(listen_sock, rset);                                // 2. fill them
    for (const ptr of SocketInfoArray) {
      if (ptr.recvbytes > ptr.sendbytes) FD_SET(ptr.sock, wset);  // an echo still to send
      else FD_SET(ptr.sock, rset);
    }
    if (await select(0, rset, wset, null, null) === SOCKET_ERROR) err_quit('select()');  // 3. select

    if (FD_ISSET(listen_sock, rset)) {                        // 4. handle what is left
      const len = { value: sizeof(clientaddr) };
      const client_sock = accept(listen_sock, clientaddr, len);
      if (client_sock === INVALID_SOCKET) {
        if (WSAGetLastError() !== WSAEWOULDBLOCK) err_quit('accept()');
      } else {
        console.log(`[select] client ${inet_ntop(AF_INET, clientaddr.sin_addr)}:${ntohs(clientaddr.sin_port)} connected`);
        if (!AddSocketInfo(client_sock)) closesocket(client_sock);  // FD_SETSIZE reached
      }
    }
    for (let i = SocketInfoArray.length - 1; i >= 0; i--) {
      const ptr = SocketInfoArray[i]!;
      if (FD_ISSET(ptr.sock, rset)) {
        const retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
        if (retval === SOCKET_ERROR && WSAGetLastError() === WSAEWOULDBLOCK) continue;
        if (retval === SOCKET_ERROR || retval === 0) {        // reset, or the client closed its side
          RemoveSocketInfo(i);
          continue;
        }
        ptr.recvbytes = retval;
        ptr.sendbytes = 0;
      } else if (FD_ISSET(ptr.sock, wset)) {
        const retval = send(ptr.sock, ptr.buf.subarray(ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
        if (retval === SOCKET_ERROR) {
          if (WSAGetLastError() !== WSAEWOULDBLOCK) RemoveSocketInfo(i);
          continue;
        }
        ptr.sendbytes += retval;
        if (ptr.recvbytes === ptr.sendbytes) ptr.recvbytes = ptr.sendbytes = 0;
      }
    }
  }                                                           // 5. repeat
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
