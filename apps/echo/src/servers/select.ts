// The classic select echo server (the textbook's TCPServer_Select: SOCKETINFO with recvbytes/sendbytes,
// a non-blocking listening socket, each socket in the write set while it has unsent bytes and in the
// read set otherwise), ported line for line. One change of scale: the textbook serves at most
// FD_SETSIZE - 1 clients from one loop; here that loop is a "group", and when every group is full
// another starts, as Windows servers run one select thread per 64 sockets. Every group that has room
// keeps the listening socket in its read set and accepts for itself; a group whose clients have all
// gone ends while another has room.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, bind, listen, accept, closesocket, recv, send, ioctlsocket,
  getsockname, inet_pton, inet_ntop, ntohs, htons, SOCKADDR_IN, sizeof, fd_set, FD_ZERO, FD_SET, FD_ISSET,
  FD_SETSIZE, select, AF_INET, SOCK_STREAM, INVALID_SOCKET, SOCKET_ERROR, SOMAXCONN, FIONBIO, INET_ADDRSTRLEN,
  WSAGetLastError, WSAEWOULDBLOCK, wsaErrorName, type SOCKET,
} from '@winsock-models/select';
import type { EchoServer } from '../server.js';
import { plus } from './pointer.js';

// The textbook's BUFSIZE is 512; 64 KiB lets one recv take what one send of the stream benchmark gives.
const BUFSIZE = 65536;

// Per-socket information, as the textbook's struct SOCKETINFO.
class SOCKETINFO {
  sock: SOCKET = INVALID_SOCKET;
  buf = new Uint8Array(BUFSIZE + 1);
  recvbytes = 0;
  sendbytes = 0;
}

// One select loop's sockets: the textbook's nTotalSockets and SocketInfoArray[FD_SETSIZE].
class SELECTGROUP {
  nTotalSockets = 0;
  SocketInfoArray: SOCKETINFO[] = [];
}

const serve: EchoServer = async ({ host, port, onListening, signal, trace }) => {
  const log = trace ?? (() => {});
  let retval: number;

  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup() failed');

  const listen_sock = socket(AF_INET, SOCK_STREAM, 0);
  if (listen_sock === INVALID_SOCKET) err_quit('socket()');

  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  inet_pton(AF_INET, host, serveraddr.sin_addr);
  serveraddr.sin_port = htons(port);
  retval = bind(listen_sock, serveraddr, sizeof(serveraddr));
  if (retval === SOCKET_ERROR) err_quit('bind()');
  retval = listen(listen_sock, SOMAXCONN);
  if (retval === SOCKET_ERROR) err_quit('listen()');

  // Switch to a non-blocking socket.
  const on = { value: 1 };
  retval = ioctlsocket(listen_sock, FIONBIO, on);
  if (retval === SOCKET_ERROR) err_display('ioctlsocket()');

  const groups: SELECTGROUP[] = [];
  const loops: Promise<void>[] = [];
  let stopping = false;

  // A new group, and its select loop.
  function StartGroup(): void {
    const group = new SELECTGROUP();
    groups.push(group);
    log(`[select] group ${groups.length} started`);
    loops.push(SelectLoop(group));
  }

  // The textbook's main loop, for one group.
  async function SelectLoop(group: SELECTGROUP): Promise<void> {
    const rset = new fd_set();
    const wset = new fd_set();
    let client_sock: SOCKET;
    const clientaddr = new SOCKADDR_IN();
    const addrlen = { value: 0 };

    while (!stopping) {
      // A group left without clients ends while another has room (and so keeps the listening socket in
      // its read set), as a Windows server's select thread per 64 sockets ends with its last client:
      // idle groups that all accept would spread the next clients a few per group, each message then
      // costing a select call of its own (after 1,000 clients left, 64 new ones ran 25% slower).
      if (group.nTotalSockets === 0 && groups.some((g) => g !== group && g.nTotalSockets < FD_SETSIZE - 1)) {
        groups.splice(groups.indexOf(group), 1);
        log(`[select] group ended, ${groups.length} left`);
        return;
      }

      // Initialise the socket sets.
      FD_ZERO(rset);
      FD_ZERO(wset);
      const accepting = group.nTotalSockets < FD_SETSIZE - 1;  // room for one more beside listen_sock
      if (accepting) FD_SET(listen_sock, rset);
      for (let i = 0; i < group.nTotalSockets; i++) {
        if (group.SocketInfoArray[i]!.recvbytes > group.SocketInfoArray[i]!.sendbytes)
          FD_SET(group.SocketInfoArray[i]!.sock, wset);
        else
          FD_SET(group.SocketInfoArray[i]!.sock, rset);
      }

      // select()
      retval = await select(0, rset, wset, null, null);
      if (stopping) break;  // closesocket from the abort handler woke us
      if (retval === SOCKET_ERROR) err_quit('select()');

      // Check the socket sets (1): accept a client.
      if (accepting && FD_ISSET(listen_sock, rset)) {
        addrlen.value = sizeof(clientaddr);
        client_sock = accept(listen_sock, clientaddr, addrlen);
        if (client_sock === INVALID_SOCKET) {
          // Another group with room took this connection first: nothing to do.
          if (WSAGetLastError() !== WSAEWOULDBLOCK) err_display('accept()');
        } else {
          // Print the client's address.
          log(`[TCP server] client connected: IP address=${inet_ntop(AF_INET, clientaddr.sin_addr, null, INET_ADDRSTRLEN)}, port=${ntohs(clientaddr.sin_port)}`);
          // Add the socket's information; close it when that fails.
          if (!AddSocketInfo(group, client_sock)) closesocket(client_sock);
          // A full group stops accepting; when every group is full, another starts.
          if (group.nTotalSockets === FD_SETSIZE - 1 && groups.every((g) => g.nTotalSockets >= FD_SETSIZE - 1))
            StartGroup();
        }
      }

      // Check the socket sets (2): data.
      for (let i = 0; i < group.nTotalSockets; i++) {
        const ptr = group.SocketInfoArray[i]!;
        if (FD_ISSET(ptr.sock, rset)) {
          // Receive data.
          retval = recv(ptr.sock, ptr.buf, BUFSIZE, 0);
          if (retval === SOCKET_ERROR) {
            err_display('recv()');
            RemoveSocketInfo(group, i);
          } else if (retval === 0) {
            RemoveSocketInfo(group, i);
          } else {
            ptr.recvbytes = retval;
          }
        } else if (FD_ISSET(ptr.sock, wset)) {
          // Send data.
          retval = send(ptr.sock, plus(ptr.buf, ptr.sendbytes), ptr.recvbytes - ptr.sendbytes, 0);
          if (retval === SOCKET_ERROR) {
            err_display('send()');
            RemoveSocketInfo(group, i);
          } else {
            ptr.sendbytes += retval;
            if (ptr.recvbytes === ptr.sendbytes) {
              ptr.recvbytes = ptr.sendbytes = 0;
            }
          }
        }
      }
    }
  }

  // Add a socket's information.
  function AddSocketInfo(group: SELECTGROUP, sock: SOCKET): boolean {
    if (group.nTotalSockets >= FD_SETSIZE) {
      log('[error] cannot add socket information!');
      return false;
    }
    const ptr = new SOCKETINFO();
    ptr.sock = sock;
    ptr.recvbytes = 0;
    ptr.sendbytes = 0;
    group.SocketInfoArray[group.nTotalSockets++] = ptr;
    return true;
  }

  // Remove a socket's information. As in the textbook, the caller's loop moves on, so the entry moved
  // into nIndex is looked at on the next pass (select reports it again: readiness is a level).
  function RemoveSocketInfo(group: SELECTGROUP, nIndex: number): void {
    const ptr = group.SocketInfoArray[nIndex]!;
    log(`[TCP server] client closed: socket ${ptr.sock}`);
    closesocket(ptr.sock);
    if (nIndex !== group.nTotalSockets - 1)
      group.SocketInfoArray[nIndex] = group.SocketInfoArray[group.nTotalSockets - 1]!;
    group.SocketInfoArray.length = --group.nTotalSockets;
  }

  function err_quit(msg: string): never {
    const code = WSAGetLastError();
    throw new Error(`${msg} ${wsaErrorName(code) ?? code}`);
  }
  function err_display(msg: string): void {
    const code = WSAGetLastError();
    log(`[${msg}] ${wsaErrorName(code) ?? code}`);
  }

  // Stop: close every socket; each group's select wakes (a closed socket in readfds is readable).
  const stop = () => {
    stopping = true;
    closesocket(listen_sock);
    for (const g of groups) for (let i = 0; i < g.nTotalSockets; i++) closesocket(g.SocketInfoArray[i]!.sock);
  };
  const addr = new SOCKADDR_IN();
  getsockname(listen_sock, addr, { value: sizeof(addr) });
  StartGroup();
  onListening(ntohs(addr.sin_port));
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });

  // Groups start while others run: wait until every loop, including late ones, has ended.
  for (let i = 0; i < loops.length; i++) await loops[i];
  WSACleanup();
};

export default serve;
