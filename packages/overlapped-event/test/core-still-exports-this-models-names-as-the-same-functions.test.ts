// Core exported this model's names before the model had its own face (issue 18). For one minor
// version core still does, deprecated: each one must be the very function or class this package
// exports, so a program that mixes the two imports during the move sees one WSAOVERLAPPED.
import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import * as core from '@winsock-models/core';
import * as face from '../src/index.js';

const require = createRequire(import.meta.url);
const names = ['AcceptEx', 'ConnectEx', 'GetAcceptExSockaddrs', 'WSAGetOverlappedResult', 'WSAOVERLAPPED'] as const;

test("core's deprecated overlapped names are this package's functions, in both of core's builds", () => {
  for (const name of names) expect(core[name]).toBe(face[name]);
  const cjs = require('@winsock-models/core') as Record<string, unknown>;
  expect(names.filter((name) => typeof cjs[name] !== 'function')).toEqual([]);
  // A WSAOVERLAPPED made through core's old export works with this package's calls.
  const ov = new core.WSAOVERLAPPED();
  expect(face.WSAGetOverlappedResult(face.INVALID_SOCKET, ov, { value: 0 }, face.FALSE, { value: 0 })).toBe(face.FALSE);
  expect(face.WSAGetLastError()).toBe(face.WSAENOTSOCK);
});
