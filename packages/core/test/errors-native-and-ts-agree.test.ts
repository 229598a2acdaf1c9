import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { native } from '../src/binding.js';
import * as core from '../src/index.js';
import { ERRNO_TO_WSA_TABLE, WSA_ERROR_TABLE } from '../src/errors.generated.js';
import { WSAECONNRESET, WSAEWOULDBLOCK, WSASYSCALLFAILURE, wsaErrorMessage, wsaErrorName } from '../src/index.js';

test('the generated TypeScript tables are not stale against errors.def and constants.def', () => {
  const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
});

test('every WSA code, name and message compiled into the addon is the one TypeScript exports', () => {
  const nativeRows = native.errorTable().map((r) => [r.name, r.code, r.message]);
  expect(nativeRows).toEqual(WSA_ERROR_TABLE.map((r) => [...r]));
  for (const [name, code] of WSA_ERROR_TABLE) expect((core as Record<string, unknown>)[name]).toBe(code);
});

test('every constant compiled into the addon has the value TypeScript exports', () => {
  const table = native.constantTable();
  expect(Object.keys(table).length).toBeGreaterThan(50);
  for (const [name, value] of Object.entries(table)) expect([name, (core as Record<string, unknown>)[name]]).toEqual([name, value]);
});

test('the errno table maps each listed errno as errors.def says, in both languages', () => {
  const rows = native.errnoTable();
  expect(rows.map(([name]) => name)).toEqual(ERRNO_TO_WSA_TABLE.map(([e]) => e));
  for (const [i, [, errno, wsa]] of rows.entries()) {
    expect(wsaErrorName(wsa)).toBe(ERRNO_TO_WSA_TABLE[i]![1]);
    expect(native.translateErrno(errno)).toBe(wsa);
  }
});

test('the issue\'s named translations hold: EAGAIN and EINPROGRESS are WSAEWOULDBLOCK, ECONNRESET and EPIPE WSAECONNRESET', () => {
  const byName = new Map(native.errnoTable().map(([name, errno]) => [name, errno]));
  expect(native.translateErrno(byName.get('EAGAIN')!)).toBe(WSAEWOULDBLOCK);
  expect(native.translateErrno(byName.get('EINPROGRESS')!)).toBe(WSAEWOULDBLOCK);
  expect(native.translateErrno(byName.get('ECONNRESET')!)).toBe(WSAECONNRESET);
  expect(native.translateErrno(byName.get('EPIPE')!)).toBe(WSAECONNRESET);
});

test('an errno that is not in the table translates to WSASYSCALLFAILURE, and 0 to 0', () => {
  expect(native.translateErrno(0)).toBe(0);
  expect(native.translateErrno(4095)).toBe(WSASYSCALLFAILURE);
  expect(native.translateErrno(-7)).toBe(WSASYSCALLFAILURE);
});

test('wsaErrorName and wsaErrorMessage name known codes and say so for unknown ones', () => {
  expect(wsaErrorName(10035)).toBe('WSAEWOULDBLOCK');
  expect(wsaErrorName(997)).toBe('WSA_IO_PENDING');
  expect(wsaErrorMessage(10054)).toBe('Connection reset by peer.');
  expect(wsaErrorName(12345)).toBeUndefined();
  expect(wsaErrorMessage(12345)).toBe('Unknown error 12345');
});

test('WinsockError carries code, name, message and syscall, and wsaCheck throws it on failure values', () => {
  const e = new core.WinsockError(10061, 'connect');
  expect(e).toBeInstanceOf(Error);
  expect([e.code, e.name, e.syscall]).toEqual([10061, 'WSAECONNREFUSED', 'connect']);
  expect(e.message).toContain('Connection refused');
  core.WSASetLastError(10038);
  expect(() => core.wsaCheck(-1, 'recv')).toThrow(/WSAENOTSOCK 10038/);
  expect(core.wsaCheck(5, 'recv')).toBe(5);
});

test('the full list covers every code family the issue names', () => {
  const codes = new Set(WSA_ERROR_TABLE.map((r) => r[1]));
  for (const c of [6, 8, 87, 995, 996, 997, 10004, 10014, 10022, 10035, 10054, 10093, 10101, 11001, 11031]) {
    expect(codes.has(c)).toBe(true);
  }
});
