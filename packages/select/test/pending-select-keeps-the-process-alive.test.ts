// A waiting select holds the event loop open, as a pending read does in net; once it resolves,
// nothing select armed keeps the process from exiting.
import { beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { WSAStartup, MAKEWORD, WSADATA } from '../src/index.js';

beforeAll(() => { WSAStartup(MAKEWORD(2, 2), new WSADATA()); });

test('a process whose only work is a select with a timeout waits for it, then exits', () => {
  const entry = new URL('../dist/index.js', import.meta.url).href;
  const script = `
    const m = await import(${JSON.stringify(entry)});
    m.WSAStartup(m.MAKEWORD(2, 2), new m.WSADATA());
    const s = m.socket(m.AF_INET, m.SOCK_DGRAM, 0);
    const a = new m.SOCKADDR_IN(); a.sin_family = m.AF_INET; a.sin_addr.s_addr = m.htonl(m.INADDR_LOOPBACK);
    m.bind(s, a, m.sizeof(a));
    const r = new m.fd_set(); m.FD_SET(s, r);
    const n = await m.select(0, r, null, null, new m.timeval(0, 100000));
    console.log('resolved ' + n);`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
  expect(out.status).toBe(0);
  expect(out.stdout.trim()).toBe('resolved 0');
});
