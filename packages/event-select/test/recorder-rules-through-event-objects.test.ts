// The recorder's rules (winsock-spec §3.0, §3.7), the suite shared with async-select, delivered to an
// event object: WSAEventSelect registers, WSAWaitForMultipleEvents waits, WSAEnumNetworkEvents reads.
import * as vt from 'vitest';
import { recorderRules, type RecorderSink } from '@winsock-models/testing/recorder-rules';
import { WSACreateEvent, WSACloseEvent, WSAEventSelect } from '../src/index.js';
import { enumerate, next } from './helpers.js';

function eventSink(): RecorderSink {
  const ev = WSACreateEvent();
  const notice = (s: number, ne: { lNetworkEvents: number; iErrorCode: ArrayLike<number> }) => ({
    socket: s, bits: ne.lNetworkEvents, err: Array.from({ length: 10 }, (_, b) => (ne.lNetworkEvents & (1 << b) ? ne.iErrorCode[b]! : 0)),
  });
  return {
    select: (s, mask) => WSAEventSelect(s, ev, mask),
    cancel: (s) => WSAEventSelect(s, null, 0),
    next: async (s) => notice(s, await next(s, ev)),
    now: (s) => {
      const n = notice(s, enumerate(s, ev));
      return { bits: n.bits, count: n.bits ? 1 : 0, err: n.err };
    },
    close: () => { WSACloseEvent(ev); },
  };
}

recorderRules(vt, { name: 'WSAEventSelect', makeSink: eventSink, reenablesFdReadOnFault: false });
