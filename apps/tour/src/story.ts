// Builds one connection's life from the core's structured trace (@winsock-models/core/internal's
// traceStart): which socket, which call or notification, its result, what it re-enabled, which wait ran
// which routine. Every line says what the core did; nothing is guessed from a server's printed text.
import { wsaErrorName } from '@winsock-models/core';
import type { TraceRecord } from '@winsock-models/core/internal';

/** FD_* bits by name, in bit order (Winsock's values). */
const FD_NAMES: Array<[number, string]> = [
  [1, 'FD_READ'], [2, 'FD_WRITE'], [4, 'FD_OOB'], [8, 'FD_ACCEPT'], [16, 'FD_CONNECT'], [32, 'FD_CLOSE'],
  [64, 'FD_QOS'], [128, 'FD_GROUP_QOS'], [256, 'FD_ROUTING_INTERFACE_CHANGE'], [512, 'FD_ADDRESS_LIST_CHANGE'],
];
export const fdNames = (bits: number): string =>
  FD_NAMES.filter(([b]) => bits & b).map(([, n]) => n).join('|') || '0';

const WSAEWOULDBLOCK = 10035;
const WSAECONNRESET = 10054;
const WSAECONNABORTED = 10053;
const errName = (code: number) => (code === 0 ? '0' : `${wsaErrorName(code) ?? 'error'} (${code})`);
const RESET = 'the peer reset the connection (an abortive close: its RST): every later recv/send on the socket fails with WSAECONNRESET';
const OPS = ['WSARecv', 'WSASend', 'AcceptEx', 'AcceptEx', 'ConnectEx'];
const SETS: Array<[number, string]> = [[1, 'readfds'], [2, 'writefds'], [4, 'exceptfds']];

/** Where a step is drawn: the listening socket, the connection's socket, or a wait (no socket). */
export type Lane = 'listener' | 'connection' | 'wait';

export interface Step {
  /** Microseconds since the connection's first step. */
  t: number;
  lane: Lane;
  socket: number;
  /** The trace record's kind. */
  kind: TraceRecord['kind'];
  /** What happened, in Winsock's words: "recv() = 65536 bytes, re-enables FD_READ". */
  what: string;
  /** What it means. */
  meaning: string;
  /** The same for every repeat of one behaviour ("recv bytes"), so a timeline can fold repeats. */
  key: string;
  /** Never folded away: the steps the lesson is about. */
  milestone: boolean;
}

export interface ConnectionStory {
  listener: number;
  socket: number;
  steps: Step[];
}

/** A trace record with what the records around it tell (the socket a slot belongs to, and so on). */
interface Linked extends TraceRecord {
  index: number;
  /** The connection socket of a socket-less record (completion, routine) or of a select ready entry. */
  owner: number;
  op?: number;
  routine?: boolean;
  /** overlapped issued / completed: the socket is associated with a completion port, which gets its packet. */
  port?: boolean;
  /** overlapped issued: it completed inside the call (with this result); otherwise the call returned WSA_IO_PENDING. */
  atOnce?: { error: number; bytes: number };
  /** recv/send: the overlapped engine's attempt for a queued request, not a program's call. */
  engine?: boolean;
  /** recv/send/accept: the FD_* events this call re-enabled. */
  reenabled?: number;
  /** recorded FD_WRITE: it came after a send failed with WSAEWOULDBLOCK. */
  afterWouldBlock?: boolean;
  /** select: its ready entries. */
  ready?: Array<{ socket: number; sets: number }>;
  /** overlapped issued (AcceptEx): the accepting socket. */
  acceptSocket?: number;
  /** overlapped completed / routine run: the socket the request was issued on (AcceptEx: the listener). */
  via?: number;
}

/** One pass over the records in order, linking what later records need from earlier ones. */
export function link(records: TraceRecord[]): Linked[] {
  const out: Linked[] = [];
  const slots = new Map<number, Linked>();               // slot -> its issue record
  const pendingReads = new Map<number, number>();        // socket -> queued receive-side requests
  const pendingWrites = new Map<number, number>();
  const wouldBlock = new Set<number>();                  // sockets whose send failed with WSAEWOULDBLOCK
  const lastCall = new Map<number, Linked>();            // socket -> its latest recv/send/accept
  let select: Linked | undefined;
  const bump = (m: Map<number, number>, s: number, by: number) => m.set(s, Math.max(0, (m.get(s) ?? 0) + by));
  for (const [index, r] of records.entries()) {
    const l: Linked = { ...r, index, owner: r.socket };
    switch (r.kind) {
      case 'overlapped issued': {
        l.op = r.a;
        l.routine = r.c === 1;
        l.port = r.c === 2;
        if (r.a === 2 || r.a === 3) l.acceptSocket = r.d;
        slots.set(r.b, l);
        bump(r.a === 1 || r.a === 4 ? pendingWrites : pendingReads, r.socket, 1);
        break;
      }
      case 'overlapped completed': {
        const issue = slots.get(r.c);
        if (issue) {
          l.owner = issue.acceptSocket ?? issue.socket;
          l.via = issue.socket;
          l.op = issue.op;
          l.routine = (r.d & 256) !== 0;
          l.port = (r.d & 1024) !== 0;
          if (r.d & 512) issue.atOnce = { error: r.a, bytes: r.b };
          bump(issue.op === 1 || issue.op === 4 ? pendingWrites : pendingReads, issue.socket, -1);
          if (!l.routine) slots.delete(r.c);
        } else {
          l.op = r.d & 255;
        }
        break;
      }
      case 'routine run': {
        const issue = slots.get(r.a);
        if (issue) {
          l.owner = issue.acceptSocket ?? issue.socket;
          l.op = issue.op;
          slots.delete(r.a);
        }
        break;
      }
      case 'recv':
      case 'send': {
        const queued = (r.kind === 'recv' ? pendingReads : pendingWrites).get(r.socket) ?? 0;
        l.engine = queued > 0;
        if (r.kind === 'send' && r.b === WSAEWOULDBLOCK) wouldBlock.add(r.socket);
        lastCall.set(r.socket, l);
        break;
      }
      case 'accept':
        lastCall.set(r.socket, l);
        break;
      case 'reenabled': {
        // A call's re-enabling is recorded right after the call's own record.
        const call = lastCall.get(r.socket);
        if (call && call.index >= index - 2) call.reenabled = (call.reenabled ?? 0) | r.a;
        break;
      }
      case 'recorded':
        if (r.a === 2) {
          l.afterWouldBlock = wouldBlock.has(r.socket);
          wouldBlock.delete(r.socket);
        }
        break;
      case 'select':
        l.ready = [];
        select = l;
        break;
      case 'select ready':
        select?.ready?.push({ socket: r.socket, sets: r.a });
        break;
      case 'closesocket':
        for (const m of [pendingReads, pendingWrites]) m.delete(r.socket);
        wouldBlock.delete(r.socket);
        lastCall.delete(r.socket);
        break;
    }
    out.push(l);
  }
  return out;
}

/** What a record says and means, or null for records told by another one (a re-enable, a ready entry). */
function describe(l: Linked, conn: number, waitName: (w: string) => string): Omit<Step, 't' | 'lane' | 'socket' | 'kind'> | null {
  const s = `socket ${l.socket}`;
  const re = l.reenabled ? `, re-enables ${fdNames(l.reenabled)}` : '';
  switch (l.kind) {
    case 'recorded': {
      const ev = fdNames(l.a);
      const err = l.b ? ` with ${errName(l.b)}` : '';
      const what = `${ev} recorded on ${s}${err}`;
      if (l.a === 8) return { what, key: 'FD_ACCEPT', milestone: true,
        meaning: 'a connection waits on the listening socket; accept() takes it and re-enables FD_ACCEPT' };
      if (l.a === 1) return { what, key: 'FD_READ recorded', milestone: false,
        meaning: 'data waits; FD_READ is not recorded again until a receive re-enables it' };
      if (l.a === 2) return l.afterWouldBlock
        ? { what, key: 'FD_WRITE recorded again', milestone: true,
          meaning: 'FD_WRITE again: a send failed with WSAEWOULDBLOCK earlier, and now there is room to send' }
        : { what, key: 'FD_WRITE recorded', milestone: true,
          meaning: 'FD_WRITE once the socket is connected (here: accepted): sending is possible. It is recorded again only after a send fails with WSAEWOULDBLOCK' };
      if (l.a === 32 && l.b === 0) return { what, key: 'FD_CLOSE', milestone: true,
        meaning: 'FD_CLOSE with 0: the peer closed its side gracefully (its FIN); bytes still queued can be read first' };
      if (l.a === 32) return { what, key: 'FD_CLOSE error', milestone: true,
        meaning: l.b === WSAECONNABORTED
          ? 'FD_CLOSE with WSAECONNABORTED: the peer reset the connection (RST). Windows reports a peer\'s reset in FD_CLOSE as WSAECONNABORTED (the docs say WSAECONNRESET); recv/send on the socket then fail with WSAECONNRESET'
          : 'FD_CLOSE with an error: the connection ended abnormally' };
      return { what, key: ev, milestone: true, meaning: `${ev} recorded` };
    }
    case 'posted': {
      const event = l.a & 0xffff;
      const err = (l.a >>> 16) & 0xffff;
      return { what: `PostMessage(hWnd ${l.b}, msg ${l.c}, wParam ${l.socket}, WSAMAKESELECTREPLY(${fdNames(event)}, ${err}))`,
        key: `posted ${fdNames(event)}`, milestone: event !== 1,
        meaning: `WSAAsyncSelect posts one window message per recorded event: wParam is the socket, lParam carries ${fdNames(event)} and its error; the window procedure handles it` };
    }
    case 'WSAEnumNetworkEvents':
      return { what: `WSAEnumNetworkEvents(${l.socket}) = ${fdNames(l.a)}`, key: `WSAEnumNetworkEvents = ${fdNames(l.a)}`, milestone: l.a > 1,
        meaning: 'reports the events recorded since the last call, clears them from the pending set and resets the event object; they stay recorded (not reported again) until a re-enabling call' };
    case 'select': {
      const mine = (l.ready ?? []).filter((e) => e.socket === conn || e.socket === l.owner);
      const sets = (l.ready ?? []).map((e) => `${e.socket} in ${SETS.filter(([b]) => e.sets & b).map(([, n]) => n).join('+')}`);
      return { what: `select() = ${l.a}: ${sets.join(', ') || 'nothing ready'}`,
        key: `select: ${mine.map((e) => SETS.filter(([b]) => e.sets & b).map(([, n]) => n).join('+')).join(', ')}`, milestone: false,
        meaning: 'select() returns how many sockets are ready and rewrites each fd_set to hold only those; level-triggered: a socket stays ready while the condition holds' };
    }
    case 'accept':
      return { what: `accept(${l.socket}) = socket ${l.a}${re}`, key: 'accept', milestone: true,
        meaning: 'the connection is accepted as a new socket; it inherits the listener\'s registration (WSAEventSelect/WSAAsyncSelect), so FD_WRITE is recorded for it at once' };
    case 'recv': {
      // The overlapped engine's own attempts are told by the request's issue or completion.
      if (l.engine) return null;
      if (l.b === WSAEWOULDBLOCK) return { what: `recv(${l.socket}) = SOCKET_ERROR, WSAEWOULDBLOCK${re}`, key: 'recv wouldblock', milestone: false,
        meaning: 'nothing to read yet on a non-blocking socket' };
      if (l.b === WSAECONNRESET) return { what: `recv(${l.socket}) = SOCKET_ERROR, WSAECONNRESET${re}`, key: 'recv reset', milestone: true,
        meaning: RESET };
      if (l.b) return { what: `recv(${l.socket}) = SOCKET_ERROR, ${errName(l.b)}${re}`, key: `recv ${l.b}`, milestone: true, meaning: 'the receive failed' };
      if (l.a === 0) return { what: `recv(${l.socket}) = 0${re}`, key: 'recv 0', milestone: true,
        meaning: 'recv() returns 0: the peer closed gracefully and every byte has been read' };
      return { what: `recv(${l.socket}) = ${l.a} bytes${re}`, key: 'recv', milestone: false,
        meaning: 'recv() takes the data and re-enables FD_READ, which is recorded again at once if more is waiting' };
    }
    case 'send': {
      if (l.engine) return null;
      if (l.b === WSAEWOULDBLOCK) return { what: `send(${l.socket}) = SOCKET_ERROR, WSAEWOULDBLOCK${re}`, key: 'send wouldblock', milestone: true,
        meaning: 'the send buffer is full (the client is not reading): the program must wait for FD_WRITE (or writefds) before sending again' };
      if (l.b) return { what: `send(${l.socket}) = SOCKET_ERROR, ${errName(l.b)}${re}`, key: `send ${l.b}`, milestone: true,
        meaning: l.b === WSAECONNRESET ? RESET : 'the send failed' };
      return { what: `send(${l.socket}) = ${l.a} bytes${re}`, key: l.reenabled ? 'send partial' : 'send', milestone: false,
        meaning: l.reenabled ? 'the send took only part of the buffer: FD_WRITE is re-enabled for when room appears' : 'send() copied the bytes into the socket\'s send buffer' };
    }
    case 'closesocket':
      return { what: `closesocket(${l.socket})`, key: 'closesocket', milestone: true,
        meaning: 'the server closes its socket: pending overlapped requests end with WSA_OPERATION_ABORTED, and no notification follows' };
    case 'overlapped issued': {
      const op = OPS[l.op ?? 0] ?? 'request';
      const how = l.routine ? 'with a completion routine' : l.port ? 'on a socket associated with a completion port' : 'with an event';
      if (l.atOnce) {
        const { error, bytes } = l.atOnce;
        const result = error ? errName(error) : `${bytes} bytes`;
        if (op === 'WSARecv' && !error && bytes === 0) return { what: `${op}(${l.socket}) ${how}: completed at once, 0 bytes`, key: 'WSARecv 0', milestone: true,
          meaning: 'a receive that completes with 0 bytes: the peer closed gracefully and every byte has been read' };
        if (error) return { what: `${op}(${l.socket}) ${how} = SOCKET_ERROR, ${result} at once`, key: `${op} failed`, milestone: true,
          meaning: error === WSAECONNRESET ? RESET : 'the request failed inside the call: the call reports the error and nothing is signalled (no routine, no event)' };
        return { what: `${op}(${l.socket}) ${how}: completed at once, ${result}`, key: `${op} completed at once`, milestone: false,
          meaning: `the request completed inside the call (data or room was there); its completion is still signalled: ${
            l.routine ? 'the routine is queued' : l.port ? 'a packet is queued to the port' : 'the event is set'}` };
      }
      return { what: `${op}(${l.socket}) ${how} = SOCKET_ERROR, WSA_IO_PENDING`, key: `${op} pending`, milestone: op !== 'WSARecv',
        meaning: 'WSA_IO_PENDING is not a failure: the request is queued and owns its buffers until it completes' };
    }
    case 'overlapped completed': {
      const op = OPS[l.op ?? 0] ?? 'request';
      const result = l.a ? errName(l.a) : `${l.b} bytes`;
      const inCall = (l.d & 512) !== 0;
      if (inCall) return null;  // told by its issue record ("completed at once")
      const signal = l.routine ? ', routine queued' : l.port ? ', packet queued to the port' : ', event set';
      if ((l.op === 2 || l.op === 3) && !l.a) return { what: `AcceptEx(${l.via}, ${l.owner}) completed: socket ${l.owner} is connected${signal}`,
        key: 'AcceptEx completed', milestone: true,
        meaning: 'the overlapped accept finished: the socket the program created beforehand is now the connection (AcceptEx was issued earlier, while the previous client was served)' };
      const what = `${op} on socket ${l.owner} completed: ${result}${signal}`;
      if (op === 'WSARecv' && !l.a && l.b === 0) return { what, key: 'WSARecv 0', milestone: true,
        meaning: 'a receive that completes with 0 bytes: the peer closed gracefully and every byte has been read' };
      if (l.a) return { what, key: `${op} error`, milestone: true,
        meaning: l.a === WSAECONNRESET ? RESET : l.a === 995 ? 'WSA_OPERATION_ABORTED: the socket was closed while the request was pending' : 'the request failed' };
      return { what, key: `${op} completed`, milestone: op !== 'WSARecv',
        meaning: l.routine ? 'the completion routine is queued to the issuing thread; it runs only when that thread waits alertably'
          : l.port ? 'the request finished: the WSAOVERLAPPED holds the result, and its packet goes to the port (a valid hEvent is set too; this server\'s is 0); whichever thread\'s GetQueuedCompletionStatus dequeues it gets lpOverlapped back'
          : 'the request finished: the WSAOVERLAPPED holds the result and its hEvent is set; WSAGetOverlappedResult reads it' };
    }
    case 'routine run': {
      const op = OPS[l.op ?? 0] ?? 'APC';
      return { what: `the ${op} routine for socket ${l.owner} ran in ${waitName(l.wait ?? 'unknown')} (${l.b ? errName(l.b) : `${l.c} bytes`})`,
        key: 'routine', milestone: false,
        meaning: 'completion routines run only inside an alertable wait of the thread that issued the request; the wait then returns WAIT_IO_COMPLETION' };
    }
    default:
      return null;
  }
}

/**
 * The life of the connection accepted in records[from, to): from the listener's notification that led to
 * its accept to its closesocket (which may come after `to`). null when no connection was accepted there.
 */
export function connectionStory(all: Linked[], from: number, to: number, waitName: (w: string) => string = (w) => w): ConnectionStory | null {
  let acceptAt = -1;
  let conn = -1;
  let listener = -1;
  for (let i = from; i < to && acceptAt < 0; i++) {
    const l = all[i]!;
    if (l.kind === 'accept') { acceptAt = i; conn = l.a; listener = l.socket; }
    if (l.kind === 'overlapped completed' && (l.op === 2 || l.op === 3) && l.a === 0 && l.owner >= 0) {
      acceptAt = i; conn = l.owner;
      listener = all.slice(0, i).reverse().find((x) => x.kind === 'overlapped issued' && x.acceptSocket === conn)?.socket ?? -1;
    }
  }
  if (acceptAt < 0) return null;
  // The listener's part: from its last notification before the accept (FD_ACCEPT, a select return, a
  // posted message, the AcceptEx issue).
  let start = acceptAt;
  for (let i = acceptAt - 1; i >= from; i--) {
    const l = all[i]!;
    const onListener = l.socket === listener || (l.kind === 'overlapped issued' && l.acceptSocket === conn) ||
      (l.kind === 'select' && (l.ready ?? []).some((e) => e.socket === listener));
    if (onListener) start = i;
    if (acceptAt - i > 64) break;
  }
  let end = all.findIndex((l, i) => i > acceptAt && l.kind === 'closesocket' && l.socket === conn);
  if (end < 0) end = all.length - 1;
  const steps: Step[] = [];
  const t0 = all[start]!.time;
  for (let i = start; i <= end; i++) {
    const l = all[i]!;
    const before = i < acceptAt;
    let lane: Lane;
    if (l.kind === 'select') {
      const ready = l.ready ?? [];
      if (!ready.some((e) => (!before && e.socket === conn) || (before && e.socket === listener))) continue;
      lane = 'wait';
    } else if (l.kind === 'routine run' || l.kind === 'overlapped completed') {
      if (!((!before && l.owner === conn) || (before && l.owner === listener))) continue;
      lane = l.kind === 'routine run' ? 'wait' : 'connection';
    } else if (l.socket === conn && i >= acceptAt) {  // before the accept, the number had a previous life
      lane = 'connection';
    } else if (l.socket === listener && i <= acceptAt) {
      lane = 'listener';
    } else if (l.kind === 'overlapped issued' && l.acceptSocket === conn) {
      lane = 'listener';
    } else {
      continue;
    }
    if (l.kind === 'accept' && l.a !== conn) continue;
    const d = describe(l, conn, waitName);
    if (!d) continue;
    steps.push({ t: (l.time - t0) >>> 0, lane, socket: l.socket === -1 ? l.owner : l.socket, kind: l.kind, ...d });
  }
  return { listener, socket: conn, steps };
}

/** A timeline short enough to read: every milestone, the first few of each other step, repeats counted. */
export function fold(steps: Step[], firstOfEach = 2): Array<Step | { folded: number; keys: Record<string, number> }> {
  const seen = new Map<string, number>();
  const out: Array<Step | { folded: number; keys: Record<string, number> }> = [];
  let gap: { folded: number; keys: Record<string, number> } | null = null;
  for (const s of steps) {
    const n = (seen.get(s.key) ?? 0) + 1;
    seen.set(s.key, n);
    if (s.milestone && n <= 3 || n <= firstOfEach) {
      gap = null;
      out.push(s);
    } else {
      if (!gap) { gap = { folded: 0, keys: {} }; out.push(gap); }
      gap.folded++;
      gap.keys[s.key] = (gap.keys[s.key] ?? 0) + 1;
    }
  }
  return out;
}
