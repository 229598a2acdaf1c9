import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

test('the tour verifies every byte for every model it runs and reports them as JSON', () => {
  const out = execFileSync(process.execPath, [main, '--json'], { encoding: 'utf8', timeout: 60_000 });
  const { reports } = JSON.parse(out) as { reports: Array<{ model: string; bytesVerified: number; roundTrips: number }> };
  expect(reports.map((r) => r.model)).toContain('net');
  for (const r of reports) expect(r.bytesVerified).toBe(r.roundTrips * 64);
});
