// Picks a few representative trace lines out of the thousands a server writes, each with what it
// means in Winsock terms. The servers' trace lines are free text (each model words its own), so the
// rules match the Winsock names in them; the first line that shows each behaviour is kept.
export interface DigestLine { line: string; meaning: string }

interface Rule {
  key: string;
  test(line: string, seen: Seen): boolean;
  meaning: string;
}

/** What earlier lines showed, per socket number, so later lines can be told apart. */
interface Seen { fdWrite: Set<string>; fdRead: Set<string> }

const socketOf = (line: string) => /socket (\d+)/.exec(line)?.[1] ?? '?';

const RULES: Rule[] = [
  { key: 'accept', test: (l) => /FD_ACCEPT/.test(l),
    meaning: 'FD_ACCEPT recorded on the listening socket; accept() re-enables it' },
  { key: 'connected', test: (l) => /client connected|accepted|AcceptEx/i.test(l) && !/FD_ACCEPT/.test(l),
    meaning: 'a client accepted' },
  { key: 'read', test: (l, s) => /FD_READ/.test(l) && !s.fdRead.has(socketOf(l)),
    meaning: 'FD_READ recorded; not recorded again until recv() re-enables it' },
  { key: 'routine', test: (l) => /routine|alertable|WAIT_IO_COMPLETION|APC/i.test(l),
    meaning: 'a completion routine, run by the realm inside an alertable wait' },
  { key: 'received', test: (l) => /received \d+ bytes/.test(l),
    meaning: 'recv() took the data, re-enabling FD_READ (recorded again at once if more is waiting)' },
  { key: 'write-again', test: (l, s) => /FD_WRITE/.test(l) && s.fdWrite.has(socketOf(l)),
    meaning: 'FD_WRITE again: only after a send failed with WSAEWOULDBLOCK and space appeared' },
  { key: 'write', test: (l, s) => /FD_WRITE/.test(l) && !s.fdWrite.has(socketOf(l)),
    meaning: 'FD_WRITE recorded once the socket is connected: sending is possible' },
  { key: 'would-block', test: (l) => /WSAEWOULDBLOCK|10035/.test(l),
    meaning: 'the send buffer is full: WSAEWOULDBLOCK, wait for FD_WRITE / writability' },
  { key: 'pending', test: (l) => /WSA_IO_PENDING|997\b|pending/i.test(l),
    meaning: 'the overlapped request did not complete at once: WSA_IO_PENDING, completion comes later' },
  { key: 'completed', test: (l) => /complet|WSAGetOverlappedResult/i.test(l) && !/routine/i.test(l),
    meaning: 'an overlapped request completed (event signalled, result read)' },
  { key: 'message', test: (l) => /WM_SOCKET|WM_USER|message/i.test(l),
    meaning: 'a window message carrying the network event (WSAMAKESELECTREPLY)' },
  { key: 'reset', test: (l) => /10054|10053|WSAECONNRESET|WSAECONNABORTED/.test(l),
    meaning: 'the abortive close, reported as a reset' },
  { key: 'close', test: (l) => /FD_CLOSE/.test(l) && !/\(\d+\)/.test(l.slice(l.indexOf('FD_CLOSE'))),
    meaning: 'FD_CLOSE with 0: the peer closed gracefully (the half-close)' },
  { key: 'closed', test: (l) => /closed/i.test(l) && !/FD_CLOSE/.test(l),
    meaning: 'the server closed its socket' },
];

export class TraceDigest {
  total = 0;
  private readonly picked = new Map<string, DigestLine>();
  private readonly seen: Seen = { fdWrite: new Set(), fdRead: new Set() };
  readonly counts: Record<string, number> = {};

  add(line: string): void {
    this.total++;
    // The rules read what a line says, not which server said it ("[overlapped-routine] socket 7 closed"
    // is a close, not a routine).
    const body = line.replace(/^\[[^\]]*\]\s*/, '');
    for (const rule of RULES) {
      if (!rule.test(body, this.seen)) continue;
      this.counts[rule.key] = (this.counts[rule.key] ?? 0) + 1;
      if (!this.picked.has(rule.key)) this.picked.set(rule.key, { line, meaning: rule.meaning });
      break;
    }
    if (/closed/i.test(line)) {  // the number may be reused by the next connection
      this.seen.fdWrite.delete(socketOf(line));
      this.seen.fdRead.delete(socketOf(line));
    }
    if (/FD_WRITE/.test(line)) this.seen.fdWrite.add(socketOf(line));
    if (/FD_READ/.test(line)) this.seen.fdRead.add(socketOf(line));
  }

  /** At most `max` lines, in the rules' order (the order things happen in a connection's life). */
  lines(max = 8): DigestLine[] {
    return RULES.flatMap((r) => (this.picked.has(r.key) ? [this.picked.get(r.key)!] : [])).slice(0, max);
  }
}
