// The tour's JSON (written by test/global-setup.ts, which runs the whole tour once): every model, every
// scenario, every byte verified, calls counted.
import { readFileSync } from 'node:fs';
import { availableModels } from '@winsock-models/echo';
import { expect, inject, test } from 'vitest';

const tour = inject('tour');

interface Report {
  model: string;
  ok: boolean;
  bytesVerified: number;
  scenarios: Array<{ name: string; ok: boolean; bytesVerified: number; detail: string }>;
  echo: { clients: number; roundTrips: number; bytesVerified: number; seconds: number };
  roundTripsPerSecond: number;
  callsPerMessage: number | null;
  callsCounted: string;
  calls: Record<string, number>;
  failures: Record<string, number>;
  alertable: Record<string, number>;
  loop: string[];
  story: { listener: number; socket: number; steps: number; timeline: unknown[] } | null;
  traceCounts: Record<string, number>;
  traceLost: number;
}

const doc = JSON.parse(readFileSync(tour.json, 'utf8')) as { models: string[]; reports: Report[]; failed: unknown[]; notBuilt: string[] };

test('the tour runs every model that has an echo server, and net', () => {
  expect(doc.models).toEqual(availableModels());
  expect(doc.reports.map((r) => r.model)).toEqual(availableModels());
  expect(doc.failed).toEqual([]);
});

test('every model passes every scenario with every byte verified', () => {
  for (const r of doc.reports) {
    expect(r.scenarios.map((s) => [s.name, s.ok])).toEqual(
      [['echo', true], ['half-close', true], ['abortive close', true], ['burst', true]]);
    expect(r.ok).toBe(true);
    expect(r.echo.bytesVerified).toBe(r.echo.roundTrips * 64);
    expect(r.bytesVerified).toBe(r.scenarios.reduce((a, s) => a + s.bytesVerified, 0));
    expect(r.roundTripsPerSecond).toBeGreaterThan(0);
    expect(typeof r.failures).toBe('object');
    expect(typeof r.alertable).toBe('object');
  }
});

test('calls per echoed message are Winsock calls for the models and syscalls for net', () => {
  for (const r of doc.reports) {
    if (r.model === 'net') {
      expect(r.callsCounted).toBe('syscalls');
    } else if (r.model === 'iocp') {
      // Its receives and sends are made in worker threads, whose addon exports the main thread's
      // counter does not wrap: the tour says so instead of a figure (it was 0.01 per message).
      expect(r.callsCounted).toBe('workers');
      expect(r.callsPerMessage).toBeNull();
      expect(tour.text).toMatch(/^iocp\s+[\d,]+\s+[\d,]+\s+(?:[\d.]+x|-)\s+n\/a †$/m);
      expect(tour.text).toMatch(/† iocp: its WSARecv, WSASend and GetQueuedCompletionStatus calls are made in its worker threads/);
    } else {
      expect(r.callsCounted).toBe('winsock');
      // At least a receive and a send per echoed message, whatever the model calls them.
      expect(r.callsPerMessage).toBeGreaterThanOrEqual(2);
      expect(Object.keys(r.calls).length).toBeGreaterThan(0);
      // A model that uses completion routines runs them in alertable waits, and the tour sees it.
      if (r.model === 'overlapped-routine') expect(r.alertable['completion routines run']).toBeGreaterThan(0);
    }
  }
});

test('every model has its loop\'s shape, and a traced connection unless it is net', () => {
  for (const r of doc.reports) {
    expect(r.loop.length).toBeGreaterThanOrEqual(1);
    expect(r.loop.length).toBeLessThanOrEqual(3);
    if (r.model === 'net') {
      expect(r.story).toBeNull();
      expect(r.traceCounts).toEqual({});
    } else {
      expect(r.story!.steps).toBeGreaterThan(0);
      expect(r.traceLost).toBe(0);
    }
  }
});

test('without --json the tour prints the loop, the timeline and the table, without colours', () => {
  expect(tour.text).toMatch(/model\s+bytes verified\s+round trips\/s\s+vs net\s+calls\/message/);
  expect(tour.text).toMatch(/the loop/);
  expect(tour.text).toMatch(/one connection's life/);
  expect(tour.text).not.toMatch(/\x1b\[/);  // not a TTY: no colours
});
