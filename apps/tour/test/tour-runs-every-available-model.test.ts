import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { availableModels } from '@winsock-models/echo';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

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
  trace: Array<{ line: string; meaning: string }>;
  traceLines: number;
}

const out = execFileSync(process.execPath, [main, '--json'], { encoding: 'utf8', timeout: 60_000 });
const doc = JSON.parse(out) as { models: string[]; reports: Report[]; failed: unknown[]; notBuilt: string[] };

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

test('the trace digest is a few lines, each with its meaning', () => {
  for (const r of doc.reports) {
    expect(r.trace.length).toBeLessThanOrEqual(8);
    for (const t of r.trace) expect(t.meaning.length).toBeGreaterThan(0);
    expect(r.traceLines).toBeGreaterThanOrEqual(r.trace.length);
  }
});

test('without --json the tour prints the table', () => {
  const text = execFileSync(process.execPath, [main, '--models', 'net'], { encoding: 'utf8', timeout: 60_000 });
  expect(text).toMatch(/model\s+bytes verified\s+round trips\/s\s+vs net\s+calls\/message/);
  expect(text).not.toMatch(/\x1b\[/);  // not a TTY: no colours
});
