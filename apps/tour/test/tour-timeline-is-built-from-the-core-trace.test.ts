// Each model's timeline comes from the core's structured trace and shows that model's own steps, in
// the order they happened: the notifications, the calls and what they re-enabled, select's ready sets,
// WSA_IO_PENDING then the completion (an event set, a routine queued, a packet queued to a port), the
// routine and the alertable wait that ran it.
import { readFileSync } from 'node:fs';
import { expect, inject, test } from 'vitest';

interface Step { t: number; lane: string; socket: number; kind: string; what: string; meaning: string }
interface Story { listener: number; socket: number; steps: number; timeline: Array<Step | { folded: number }> }
interface Report { model: string; story: Story | null; reset: Story | null }

const tour = inject('tour');
const doc = JSON.parse(readFileSync(tour.json, 'utf8')) as { reports: Report[] };
const report = (m: string) => doc.reports.find((r) => r.model === m);
const steps = (m: string) => (report(m)?.story?.timeline ?? []).filter((x): x is Step => 'what' in x);
const whats = (m: string) => steps(m).map((s) => s.what);
/** Index of the first step matching re, after `from`; -1 if none. */
const at = (list: string[], re: RegExp, from = -1) => list.findIndex((w, i) => i > from && re.test(w));

test('the steps are in time order and every step says what it means', () => {
  for (const r of doc.reports) {
    const list = steps(r.model);
    for (let i = 1; i < list.length; i++) expect(list[i]!.t).toBeGreaterThanOrEqual(list[i - 1]!.t);
    for (const s of list) expect(s.meaning.length).toBeGreaterThan(10);
  }
});

test.runIf(report('event-select'))('event-select: FD_ACCEPT, accept, FD_WRITE, FD_READ, recv re-enabling it, FD_WRITE again after WSAEWOULDBLOCK, FD_CLOSE', () => {
  const w = whats('event-select');
  const accept = at(w, /^FD_ACCEPT recorded/);
  const accepted = at(w, /^accept\(\d+\) = socket \d+, re-enables FD_ACCEPT/, accept);
  const read = at(w, /^FD_READ recorded/, accepted);
  const recv = at(w, /^recv\(\d+\) = \d+ bytes, re-enables FD_READ/, read);
  const blocked = at(w, /^send\(\d+\) = SOCKET_ERROR, WSAEWOULDBLOCK/, recv);
  const again = at(w, /^FD_WRITE recorded/, blocked);
  const close = at(w, /^FD_CLOSE recorded on socket \d+$/, again);
  expect([accept, accepted, read, recv, blocked, again, close].every((i) => i >= 0)).toBe(true);
  expect(steps('event-select')[again]!.meaning).toMatch(/WSAEWOULDBLOCK earlier/);
  // The first FD_WRITE (after the accept) is told apart from the one after WSAEWOULDBLOCK.
  expect(steps('event-select')[at(w, /^FD_WRITE recorded/, accepted)]!.meaning).toMatch(/once the socket is connected/);
  expect(w.some((x) => /^WSAEnumNetworkEvents\(\d+\) = FD_READ/.test(x))).toBe(true);
});

test.runIf(report('event-select-groups'))('event-select-groups has its own timeline', () => {
  const w = whats('event-select-groups');
  expect(at(w, /^accept\(/)).toBeGreaterThanOrEqual(0);
  expect(at(w, /^FD_CLOSE recorded/)).toBeGreaterThan(at(w, /^accept\(/));
});

test.runIf(report('select'))('select: each select() return shows its ready sets, before the call it allowed', () => {
  const w = whats('select');
  const sel = at(w, /^select\(\) = \d+: .*\b\d+ in readfds/);
  expect(sel).toBeGreaterThanOrEqual(0);
  expect(at(w, /^(accept|recv)\(/, sel)).toBeGreaterThan(sel);
  expect(w.some((x) => /^select\(\) = \d+: .*in writefds/.test(x))).toBe(true);
  expect(at(w, /^recv\(\d+\) = 0/)).toBeGreaterThan(0);  // the graceful close
});

test.runIf(report('async-select'))('async-select: each recorded event is posted as a window message', () => {
  const w = whats('async-select');
  const read = at(w, /^FD_READ recorded/);
  expect(w[read + 1]).toMatch(/^PostMessage\(hWnd \d+, msg \d+, wParam \d+, WSAMAKESELECTREPLY\(FD_READ, 0\)\)/);
  const close = at(w, /^FD_CLOSE recorded/);
  expect(w[close + 1]).toMatch(/WSAMAKESELECTREPLY\(FD_CLOSE, 0\)/);
  // FD_CLOSE's meaning is the peer's close, not the message that carries it.
  expect(steps('async-select')[close]!.meaning).toMatch(/peer closed/);
});

test.runIf(report('overlapped-event'))('overlapped-event: WSA_IO_PENDING, then the completion sets the event', () => {
  const w = whats('overlapped-event');
  const pending = at(w, /^WSARecv\(\d+\) with an event = SOCKET_ERROR, WSA_IO_PENDING/);
  expect(at(w, /^WSARecv on socket \d+ completed: \d+ bytes, event set/, pending)).toBeGreaterThan(pending);
  expect(at(w, /^WSASend\(\d+\) with an event = SOCKET_ERROR, WSA_IO_PENDING/)).toBeGreaterThanOrEqual(0);
});

test.runIf(report('overlapped-routine'))('overlapped-routine: WSA_IO_PENDING, completion, then the routine runs in the alertable wait', () => {
  const w = whats('overlapped-routine');
  const pending = at(w, /^WSARecv\(\d+\) with a completion routine = SOCKET_ERROR, WSA_IO_PENDING/);
  const done = at(w, /^WSARecv on socket \d+ completed: \d+ bytes, routine queued/, pending);
  const ran = at(w, /^the WSA(Recv|Send) routine for socket \d+ ran in WaitForSingleObjectEx\(hAcceptEvent, INFINITE, TRUE\)/, done);
  expect([pending, done, ran].every((i) => i >= 0)).toBe(true);
});

test.runIf(report('iocp'))('iocp: the first WSARecv on an associated socket completes to the port, not to an event', () => {
  const w = whats('iocp');
  const pending = at(w, /^WSARecv\(\d+\) on a socket associated with a completion port = SOCKET_ERROR, WSA_IO_PENDING/);
  const done = at(w, /^WSARecv on socket \d+ completed: \d+ bytes, packet queued to the port/, pending);
  expect([pending, done].every((i) => i >= 0)).toBe(true);
  expect(steps('iocp')[done]!.meaning).toMatch(/GetQueuedCompletionStatus/);
  // AcceptEx's listener is not associated: its completion still sets its event.
  expect(at(w, /^AcceptEx\(\d+, \d+\) completed: .*, event set/)).toBeGreaterThanOrEqual(0);
  expect(w.filter((x) => /^WSA(Recv|Send)\b.*event/.test(x))).toEqual([]);
});

test('the abortive close shows a reset, and the text explains WSAECONNRESET against WSAECONNABORTED', () => {
  for (const r of doc.reports) {
    // net makes no Winsock calls; iocp's receives run in its worker threads, which the main thread's
    // trace does not see (the tour traces one realm).
    if (r.model === 'net' || r.model === 'iocp') continue;
    const w = (r.reset?.timeline ?? []).filter((x): x is Step => 'what' in x).map((s) => s.what);
    expect(w.some((x) => /WSAECONNRESET|WSAECONNABORTED/.test(x))).toBe(true);
  }
  expect(tour.text).toMatch(/WSAECONNRESET \(10054\): .*WSAECONNABORTED \(10053\)/s);
});
