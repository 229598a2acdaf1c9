// An echo client in the select model: `clients` non-blocking connections in groups of <= FD_SETSIZE,
// each group one select loop. Every connection sends `size` bytes, waits for all of them to come back,
// checks every byte, and repeats `rounds` times.
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, connect, closesocket, recv, send, ioctlsocket, inet_pton,
  htons, SOCKADDR_IN, sizeof, fd_set, FD_ZERO, FD_SET, FD_ISSET, FD_SETSIZE, select, AF_INET, SOCK_STREAM,
  INVALID_SOCKET, SOCKET_ERROR, FIONBIO, WSAGetLastError, wsaErrorName, type SOCKET,
} from '@winsock-models/select';
import { pattern } from '../client.js';

export interface SelectClientOptions {
  host?: string;
  port: number;
  clients: number;
  rounds: number;
  size: number;
}

export interface SelectClientResult {
  clients: number;
  roundTrips: number;
  bytesVerified: number;
  seconds: number;
}

// Per-connection state, in the textbook's style.
class CLIENTINFO {
  sock: SOCKET = INVALID_SOCKET;
  id = 0;
  round = 0;
  sendbuf: Uint8Array = new Uint8Array(0);
  recvbuf: Uint8Array = new Uint8Array(0);
  sendbytes = 0;
  recvbytes = 0;
}

function fail(what: string): never {
  const code = WSAGetLastError();
  throw new Error(`${what} failed: ${wsaErrorName(code) ?? code}`);
}

async function runGroup(group: CLIENTINFO[], o: Required<SelectClientOptions>): Promise<number> {
  const rset = new fd_set();
  const wset = new fd_set();
  let verified = 0;
  let live = group.length;
  while (live > 0) {
    FD_ZERO(rset);
    FD_ZERO(wset);
    for (const c of group) {
      if (c.sock === INVALID_SOCKET) continue;
      if (c.sendbytes < o.size) FD_SET(c.sock, wset);
      else FD_SET(c.sock, rset);
    }
    const retval = await select(0, rset, wset, null, null);
    if (retval === SOCKET_ERROR) fail('select()');
    for (const c of group) {
      if (c.sock === INVALID_SOCKET) continue;
      if (FD_ISSET(c.sock, wset)) {
        const n = send(c.sock, c.sendbuf.subarray(c.sendbytes), o.size - c.sendbytes, 0);
        if (n === SOCKET_ERROR) fail(`send() on client ${c.id}`);
        c.sendbytes += n;
      } else if (FD_ISSET(c.sock, rset)) {
        const n = recv(c.sock, c.recvbuf.subarray(c.recvbytes), o.size - c.recvbytes, 0);
        if (n === SOCKET_ERROR) fail(`recv() on client ${c.id}`);
        if (n === 0) throw new Error(`client ${c.id}: the server closed after ${c.round} rounds`);
        c.recvbytes += n;
        if (c.recvbytes < o.size) continue;
        for (let k = 0; k < o.size; k++)
          if (c.recvbuf[k] !== c.sendbuf[k]) throw new Error(`client ${c.id} round ${c.round}: echoed byte ${k} differs`);
        verified += o.size;
        if (++c.round === o.rounds) {
          closesocket(c.sock);
          c.sock = INVALID_SOCKET;
          live--;
          continue;
        }
        c.sendbuf = pattern(c.id, c.round, o.size);
        c.sendbytes = c.recvbytes = 0;
      }
    }
  }
  return verified;
}

/** Connects `clients` sockets and runs every group's select loop until each client did `rounds` echoes. */
export async function selectClient(options: SelectClientOptions): Promise<SelectClientResult> {
  const o: Required<SelectClientOptions> = { host: '127.0.0.1', ...options };
  const wsa = new WSADATA();
  if (WSAStartup(MAKEWORD(2, 2), wsa) !== 0) throw new Error('WSAStartup() failed');
  const all: CLIENTINFO[] = [];
  try {
    const serveraddr = new SOCKADDR_IN();
    serveraddr.sin_family = AF_INET;
    inet_pton(AF_INET, o.host, serveraddr.sin_addr);
    serveraddr.sin_port = htons(o.port);
    for (let i = 0; i < o.clients; i++) {
      const c = new CLIENTINFO();
      c.id = i;
      c.sock = socket(AF_INET, SOCK_STREAM, 0);
      if (c.sock === INVALID_SOCKET) fail('socket()');
      all.push(c);
      if (connect(c.sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR) fail('connect()');
      if (ioctlsocket(c.sock, FIONBIO, { value: 1 }) === SOCKET_ERROR) fail('ioctlsocket()');
      c.sendbuf = pattern(i, 0, o.size);
      c.recvbuf = new Uint8Array(o.size);
    }
    const started = performance.now();
    const groups: CLIENTINFO[][] = [];
    for (let i = 0; i < all.length; i += FD_SETSIZE) groups.push(all.slice(i, i + FD_SETSIZE));
    const counts = await Promise.all(groups.map((g) => runGroup(g, o)));
    const seconds = (performance.now() - started) / 1000;
    return { clients: o.clients, roundTrips: o.clients * o.rounds, bytesVerified: counts.reduce((a, b) => a + b, 0), seconds };
  } finally {
    for (const c of all) if (c.sock !== INVALID_SOCKET) closesocket(c.sock);
    WSACleanup();
  }
}
