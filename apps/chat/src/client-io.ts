// One chat client's I/O with overlapped completion routines: a WSARecv always outstanding, whose
// routine hands complete lines to the chat and issues the next WSARecv; an outgoing queue drained by
// one WSASend at a time (gathering up to 64 queued lines in one call), whose routine issues the next.
// Routines run only inside the I/O loop's alertable wait (server.ts), so everything here runs on the
// one realm, one routine at a time: no locks, and the chat sees a consistent order.
//
// Back-pressure: a slow client's lines wait in its own queue; nobody else waits for it. The queue is
// bounded (`queueLimit` bytes). A client that falls further behind than that is disconnected: it gets
// every line queued before, then one last line saying why, then the close — never a silent gap. Lines
// for it after that point are not queued.
import {
  SOCKET_ERROR, WSA_IO_PENDING, WSABUF, WSAGetLastError, WSAOVERLAPPED, WSARecv, WSASend, closesocket, shutdown,
  SD_SEND, WSAECONNRESET, WSAECONNABORTED, wsaErrorName, type SOCKET,
} from '@winsock-models/overlapped-routine';
import type { Chat, Peer } from './chat.js';

const RECV_SIZE = 4096;
const MAX_LINE = 4096;
const GATHER = 64;
/** How long a closing client has to take its last lines before the socket is closed anyway. */
const CLOSE_GRACE_MS = 5000;

export interface ClientHooks {
  chat: Chat;
  queueLimit: number;
  trace?: (line: string) => void;
  /** The socket is closed and every routine for it has been dealt with. */
  onGone(client: Client): void;
}

let nextId = 1;

export class Client implements Peer {
  readonly id = nextId++;
  nick = '';
  room = '';
  private readonly recvOv = new WSAOVERLAPPED();
  private readonly recvBuf = Buffer.alloc(RECV_SIZE);
  private readonly recvBufs = [new WSABUF(RECV_SIZE, this.recvBuf)];
  private readonly recvFlags = { value: 0 };
  private partial = '';
  private readonly sendOv = new WSAOVERLAPPED();
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private batch: Buffer[] = [];
  private sending = false;
  /** 'open' → 'closing' (flushing the last lines) → 'closed' (socket closed). */
  private state: 'open' | 'closing' | 'closed' = 'open';
  private graceTimer: NodeJS.Timeout | undefined;
  private finSent = false;

  constructor(readonly sock: SOCKET, readonly address: string, private readonly hooks: ClientHooks) {}

  /** Joins the chat and issues the first WSARecv. */
  start(): void {
    this.hooks.chat.join(this);
    this.postRecv();
  }

  queued(): number { return this.queuedBytes; }

  deliver(line: string): void {
    if (this.state !== 'open') return;
    const bytes = Buffer.from(`${line}\n`);
    if (this.queuedBytes + bytes.length > this.hooks.queueLimit) {
      this.hooks.chat.stats.overflows++;
      this.hooks.trace?.(`[chat] socket ${this.sock}: ${this.queuedBytes} bytes queued, over the bound: disconnecting`);
      this.close(`! you are more than ${this.hooks.queueLimit} bytes behind: disconnecting ` +
        '(every line before this one was queued for you; none after)', 'was disconnected (too far behind)');
      return;
    }
    this.enqueue(bytes);
  }

  /** Ends the connection after `reason` (and everything queued before it) has been sent. */
  close(reason: string, how = 'left'): void {
    if (this.state !== 'open') return;
    this.enqueue(Buffer.from(`${reason}\n`));  // past the bound: the one line that explains the close
    this.state = 'closing';
    this.hooks.chat.leave(this, how);
    this.graceTimer = setTimeout(() => this.destroy(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
    if (!this.sending) this.finishClose();
  }

  /** Closes the socket now. Pending requests complete with WSA_OPERATION_ABORTED; their routines see `closed`. */
  destroy(how?: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'open') this.hooks.chat.leave(this, how ?? 'left');
    this.state = 'closed';
    clearTimeout(this.graceTimer);
    closesocket(this.sock);
    this.queue = [];
    this.queuedBytes = 0;
    this.hooks.onGone(this);
  }

  private enqueue(bytes: Buffer): void {
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (!this.sending) this.postSend();
  }

  private postRecv(): void {
    // A new request: WSAOVERLAPPED zeroed (the engine writes Internal/InternalHigh at completion).
    this.recvOv.Internal = this.recvOv.InternalHigh = this.recvOv.Offset = this.recvOv.OffsetHigh = 0;
    this.recvFlags.value = 0;
    const rc = WSARecv(this.sock, this.recvBufs, 1, null, this.recvFlags, this.recvOv, this.onRecv);
    // 0 (done at once) and WSA_IO_PENDING both end in the routine; anything else is the end.
    if (rc === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) this.failed('WSARecv', WSAGetLastError());
  }

  /** The WSARecv completion routine: runs inside the I/O loop's alertable wait. */
  private readonly onRecv = (dwError: number, cbTransferred: number): void => {
    if (this.state === 'closed') return;  // WSA_OPERATION_ABORTED after closesocket
    if (dwError !== 0) { this.failed('WSARecv', dwError); return; }
    if (cbTransferred === 0) {  // the peer closed (graceful): what it sent has all been handled
      this.hooks.trace?.(`[chat] socket ${this.sock}: WSARecv completed with 0 bytes: the peer closed`);
      this.destroy('left');
      return;
    }
    if (this.state === 'open') this.lines(this.recvBuf.toString('utf8', 0, cbTransferred));
    // lines() may have closed it (a /quit, an overflow).
    if ((this.state as Client['state']) !== 'closed') this.postRecv();
  };

  private lines(text: string): void {
    this.partial += text;
    let nl: number;
    while (this.state === 'open' && (nl = this.partial.indexOf('\n')) !== -1) {
      const line = this.partial.slice(0, nl).replace(/\r$/, '');
      this.partial = this.partial.slice(nl + 1);
      this.hooks.chat.line(this, line);
    }
    if (this.partial.length > MAX_LINE) this.close(`! line longer than ${MAX_LINE} bytes: disconnecting`, 'was disconnected (line too long)');
  }

  private postSend(): void {
    if (this.queue.length === 0 || this.state === 'closed') return;
    this.batch = this.queue.length <= GATHER ? this.queue : this.queue.slice(0, GATHER);
    this.queue = this.queue.length <= GATHER ? [] : this.queue.slice(GATHER);
    const bufs = this.batch.map((b) => new WSABUF(b.length, b));
    this.sendOv.Internal = this.sendOv.InternalHigh = this.sendOv.Offset = this.sendOv.OffsetHigh = 0;
    this.sending = true;
    const rc = WSASend(this.sock, bufs, bufs.length, null, 0, this.sendOv, this.onSend);
    if (rc === SOCKET_ERROR && WSAGetLastError() !== WSA_IO_PENDING) {
      this.sending = false;
      this.failed('WSASend', WSAGetLastError());
    }
  }

  /** The WSASend completion routine: a send completes only when all its bytes are taken. */
  private readonly onSend = (dwError: number, cbTransferred: number): void => {
    this.sending = false;
    if (this.state === 'closed') return;
    if (dwError !== 0) { this.failed('WSASend', dwError); return; }
    this.queuedBytes -= cbTransferred;
    this.batch = [];
    if (this.queue.length) this.postSend();
    else if (this.state === 'closing') this.finishClose();
  };

  private finishClose(): void {
    if (this.queue.length || this.sending || this.finSent) return;
    // FIN after the last line. The socket stays open (its WSARecv too) until the peer closes or the
    // grace timer fires: closing now, with unread input, would reset the connection and could lose
    // the lines still on their way.
    this.finSent = true;
    shutdown(this.sock, SD_SEND);
  }

  private failed(call: string, code: number): void {
    const abortive = code === WSAECONNRESET || code === WSAECONNABORTED;
    this.hooks.trace?.(`[chat] socket ${this.sock}: ${call} failed with ${wsaErrorName(code) ?? code}`);
    if (abortive) this.hooks.chat.stats.disconnectsAbortive++;
    this.destroy(abortive ? 'was disconnected (connection reset)' : `was disconnected (${wsaErrorName(code) ?? code})`);
  }
}
