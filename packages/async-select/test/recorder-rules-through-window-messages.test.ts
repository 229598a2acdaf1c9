// The recorder's rules (winsock-spec §3.0, §3.7), the suite shared with event-select, delivered as
// window messages: WSAAsyncSelect registers, GetMessage waits, PeekMessage takes what is queued. Every
// message is checked on the way: the registered wMsg, wParam the socket, lParam one FD_* bit and its
// error as WSAMAKESELECTREPLY builds them.
import * as vt from 'vitest';
import { recorderRules, type RecorderSink } from '@winsock-models/testing/recorder-rules';
import { DestroyWindow, WSAAsyncSelect, WSAMAKESELECTREPLY } from '../src/index.js';
import { drain, expectMessage, socketWindow, WM_SOCKET, type SocketMessage } from './helpers.js';

function windowSink(): RecorderSink {
  const hWnd = socketWindow();
  const checked = (s: number, m: SocketMessage) => {
    const ok = m.message === WM_SOCKET && m.socket === s && m.event !== 0 && (m.event & (m.event - 1)) === 0
      && m.lParam === WSAMAKESELECTREPLY(m.event, m.error);
    if (!ok) throw new Error(`unexpected message for socket ${s}: ${JSON.stringify(m)}`);
    const err = new Array<number>(10).fill(0);
    err[Math.log2(m.event)] = m.error;
    return { socket: s, bits: m.event, err };
  };
  return {
    select: (s, mask) => WSAAsyncSelect(s, hWnd, WM_SOCKET, mask),
    cancel: (s) => WSAAsyncSelect(s, hWnd, 0, 0),
    next: async (s) => checked(s, await expectMessage(hWnd)),
    now: (s) => {
      const got = drain(hWnd).map((m) => checked(s, m));
      const err = new Array<number>(10).fill(0);
      for (const n of got) err[Math.log2(n.bits)] = n.err[Math.log2(n.bits)]!;
      return { bits: got.reduce((b, n) => b | n.bits, 0), count: got.length, err };
    },
    close: () => { DestroyWindow(hWnd); },
  };
}

recorderRules(vt, { name: 'WSAAsyncSelect', makeSink: windowSink, reenablesFdReadOnFault: true });
