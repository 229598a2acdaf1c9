// The chat server: three Winsock models in one realm, each doing what it is best at.
//  - Accepting: WSAEventSelect. FD_ACCEPT on the listening socket signals an event; the acceptor
//    (acceptor.ts) accepts and hands the socket over.
//  - The clients' I/O: overlapped WSARecv/WSASend with completion routines (client-io.ts). They run
//    only in an alertable wait: the I/O loop below waits alertably on one event, which the acceptor
//    sets to hand over new sockets (the textbook Overlapped-model-2 shape); every other wake-up is
//    WSA_WAIT_IO_COMPLETION, after the routines ran.
//  - The admin port: select (admin.ts), the right tool for a handful of quiet connections.
// The three loops are Promises on one event loop: none blocks another.
import {
  MAKEWORD, TRUE, FALSE, WSA_INFINITE, WSA_WAIT_EVENT_0, WSACleanup, WSACloseEvent, WSACreateEvent, WSADATA,
  WSAResetEvent, WSASetEvent, WSAStartup, WSAWaitForMultipleEvents, closesocket, type SOCKET, type WSAEVENT,
} from '@winsock-models/overlapped-routine';
import { acceptLoop, type Accepted } from './acceptor.js';
import { adminLoop } from './admin.js';
import { Chat } from './chat.js';
import { Client } from './client-io.js';
import { listenOn } from './listen.js';

export interface ChatOptions {
  host?: string;
  /** The chat port; 0: a free one. */
  port: number;
  /** The admin port; 0: a free one. */
  adminPort: number;
  /** Bytes a client's outgoing queue may hold before the client is disconnected (default 1 MiB). */
  queueLimit?: number;
  signal: AbortSignal;
  onListening?(ports: { port: number; adminPort: number }): void;
  trace?: (line: string) => void;
}

export const DEFAULT_QUEUE_LIMIT = 1024 * 1024;

/** Runs the chat until `signal` aborts; resolves once every socket and event is closed. */
export async function runChat(o: ChatOptions): Promise<Chat> {
  const host = o.host ?? '127.0.0.1';
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) throw new Error('WSAStartup failed');
  const chat = new Chat();
  const clients = new Set<Client>();
  const events: WSAEVENT[] = [];
  const sockets: SOCKET[] = [];
  let stopping = false;
  const stopped = () => stopping;
  try {
    const main = listenOn(host, o.port);
    sockets.push(main.sock);
    const admin = listenOn(host, o.adminPort);
    sockets.push(admin.sock);
    const listenEvent = WSACreateEvent();
    const acceptWake = WSACreateEvent();
    const ioWake = WSACreateEvent();  // "new sockets to start", set by the acceptor
    events.push(listenEvent, acceptWake, ioWake);

    const incoming: Accepted[] = [];
    const hooks = { chat, queueLimit: o.queueLimit ?? DEFAULT_QUEUE_LIMIT, trace: o.trace,
      onGone: (c: Client) => { clients.delete(c); } };

    // The I/O loop: an alertable wait, over and over. Routines run inside it.
    const ioLoop = async () => {
      const waitOn = [ioWake];
      while (!stopping) {
        const r = await WSAWaitForMultipleEvents(1, waitOn, FALSE, WSA_INFINITE, TRUE);
        if (stopping) break;
        if (r !== WSA_WAIT_EVENT_0) continue;  // WSA_WAIT_IO_COMPLETION: routines ran
        WSAResetEvent(ioWake);
        for (const a of incoming.splice(0)) {
          const c = new Client(a.sock, a.address, hooks);
          clients.add(c);
          c.start();  // joins the chat, issues the first WSARecv
        }
      }
    };

    const stop = () => {
      stopping = true;
      WSASetEvent(acceptWake);
      WSASetEvent(ioWake);
    };
    if (o.signal.aborted) stop();
    else o.signal.addEventListener('abort', stop, { once: true });

    o.onListening?.({ port: main.port, adminPort: admin.port });
    await Promise.all([
      acceptLoop(main.sock, listenEvent, acceptWake, stopped, (a) => { incoming.push(a); WSASetEvent(ioWake); }, o.trace),
      ioLoop(),
      adminLoop(admin.sock, chat, stopped, o.trace),
    ]);
  } finally {
    stopping = true;
    for (const c of [...clients]) c.destroy('left (server stopping)');
    for (const s of sockets) closesocket(s);
    for (const e of events) WSACloseEvent(e);
    WSACleanup();
  }
  return chat;
}
