import { afterAll, beforeAll, expect, test } from 'vitest';
import { WSAStartup, MAKEWORD, WSADATA, WSACleanup } from '@winsock-models/select';
import { selectClient } from '../src/clients/select-client.js';
import { startEcho } from './harness.js';

let net: Awaited<ReturnType<typeof startEcho>>;
let sel: Awaited<ReturnType<typeof startEcho>>;
beforeAll(async () => {
  WSAStartup(MAKEWORD(2, 2), new WSADATA());
  net = await startEcho('net');
  sel = await startEcho('select');
});
afterAll(async () => {
  await net.stop();
  await sel.stop();
  WSACleanup();
});

test('the select client drives 100 connections in two select groups against the net server', async () => {
  const r = await selectClient({ port: net.port, clients: 100, rounds: 10, size: 64 });
  expect(r.bytesVerified).toBe(100 * 10 * 64);
});

test('the select client and the select server agree on every byte', async () => {
  const r = await selectClient({ port: sel.port, clients: 70, rounds: 10, size: 1000 });
  expect(r.bytesVerified).toBe(70 * 10 * 1000);
});
