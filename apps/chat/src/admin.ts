// The admin socket, with select: a second port taking line commands (who, rooms, kick NICK, stats,
// help, quit). Few connections and little traffic: select's classic loop — zero the sets, fill them,
// select, handle what is left — is all it needs. Sockets are non-blocking (FIONBIO); a reply that does
// not fit waits in the write set. The wait wakes every 200 ms to notice the server stopping.
import {
  FD_ISSET, FD_SET, FD_ZERO, FIONBIO, INVALID_SOCKET, SOCKADDR_IN, SOCKET_ERROR, WSAEWOULDBLOCK, WSAGetLastError,
  accept, closesocket, fd_set, inet_ntop, ioctlsocket, ntohs, recv, select, send, sizeof, timeval, AF_INET,
  FD_SETSIZE, type SOCKET,
} from '@winsock-models/select';
import type { Chat } from './chat.js';

interface AdminConn { sock: SOCKET; input: string; output: Buffer }

export const ADMIN_HELP = 'commands: who | rooms | kick NICK [reason] | stats | help | quit';

/** One admin command's reply (lines without newlines); null to close the admin connection. */
export function adminCommand(chat: Chat, text: string): string[] | null {
  const [cmd = '', ...rest] = text.trim().split(/\s+/);
  switch (cmd) {
    case '': return [];
    case 'who': {
      const peers = chat.list();
      return [`${peers.length} connected`, ...peers.map((p) =>
        `${p.nick} #${p.room} ${p.address} queued=${p.queued()}`)];
    }
    case 'rooms': return chat.roomList().map(([r, n]) => `#${r} ${n}`);
    case 'kick': {
      const nick = rest[0];
      const peer = nick ? chat.byNick(nick) : undefined;
      if (!peer) return [`no such nick: ${nick ?? '(none)'}`];
      const reason = rest.slice(1).join(' ') || 'kicked by the admin';
      peer.close(`! ${reason}`, 'was kicked');
      return [`kicked ${nick}`];
    }
    case 'stats': return Object.entries(chat.stats).map(([k, v]) => `${k} ${v}`);
    case 'help': return [ADMIN_HELP];
    case 'quit': return null;
    default: return [`unknown command: ${cmd}; ${ADMIN_HELP}`];
  }
}

export async function adminLoop(listenSock: SOCKET, chat: Chat, stopped: () => boolean,
  trace?: (line: string) => void): Promise<void> {
  const conns: AdminConn[] = [];
  const rset = new fd_set();
  const wset = new fd_set();
  const tick = new timeval(0, 200_000);
  const buf = Buffer.alloc(1024);
  const addr = new SOCKADDR_IN();
  const drop = (c: AdminConn) => { closesocket(c.sock); conns.splice(conns.indexOf(c), 1); };
  const flush = (c: AdminConn): boolean => {
    while (c.output.length) {
      const n = send(c.sock, c.output, c.output.length, 0);
      if (n === SOCKET_ERROR) return WSAGetLastError() === WSAEWOULDBLOCK;
      c.output = c.output.subarray(n);
    }
    return true;
  };
  try {
    ioctlsocket(listenSock, FIONBIO, { value: 1 });
    while (!stopped()) {
      FD_ZERO(rset);
      FD_ZERO(wset);
      if (conns.length < FD_SETSIZE - 1) FD_SET(listenSock, rset);
      for (const c of conns) {
        FD_SET(c.sock, rset);
        if (c.output.length) FD_SET(c.sock, wset);
      }
      const n = await select(0, rset, wset, null, tick);
      if (stopped()) break;
      if (n === SOCKET_ERROR) { trace?.(`[admin] select failed: ${WSAGetLastError()}`); break; }
      if (n === 0) continue;
      if (FD_ISSET(listenSock, rset)) {
        const sock = accept(listenSock, addr, { value: sizeof(addr) });
        if (sock !== INVALID_SOCKET) {
          ioctlsocket(sock, FIONBIO, { value: 1 });
          trace?.(`[admin] connection from ${inet_ntop(AF_INET, addr.sin_addr)}:${ntohs(addr.sin_port)}`);
          const c: AdminConn = { sock, input: '', output: Buffer.from(`chat admin; ${ADMIN_HELP}\n`) };
          conns.push(c);
          if (!flush(c)) drop(c);
        }
      }
      for (const c of [...conns]) {
        if (FD_ISSET(c.sock, wset) && !flush(c)) { drop(c); continue; }
        if (!FD_ISSET(c.sock, rset)) continue;
        const got = recv(c.sock, buf, buf.length, 0);
        if (got === SOCKET_ERROR && WSAGetLastError() === WSAEWOULDBLOCK) continue;
        if (got === SOCKET_ERROR || got === 0) { drop(c); continue; }
        c.input += buf.toString('utf8', 0, got);
        let nl: number;
        let quit = false;
        while (!quit && (nl = c.input.indexOf('\n')) !== -1) {
          const reply = adminCommand(chat, c.input.slice(0, nl));
          c.input = c.input.slice(nl + 1);
          if (reply === null) quit = true;
          else c.output = Buffer.concat([c.output, Buffer.from(reply.map((l) => `${l}\n`).join('') + '.\n')]);
        }
        if (!flush(c) || quit) drop(c);
        else if (c.input.length > 4096) drop(c);
      }
    }
  } finally {
    for (const c of [...conns]) drop(c);
  }
}
