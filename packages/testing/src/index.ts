// @winsock-models/testing: the one fixture module of the repo's tests. Loopback fixtures (real sockets
// on 127.0.0.1, never mocks), bound here to @winsock-models/core; `fixtures(face)` binds them to another
// face (core's own tests pass core's source). Also: the child-process fixture runner, loopTurns for
// negative checks, and the recorder's rules as one suite run against each sink.
import * as core from '@winsock-models/core';
import { fixtures } from './fixtures.js';

export { fixtures, loopTurns, until, type WinsockFace, type LoopbackAddress } from './fixtures.js';
export {
  FIXTURE_TIMEOUT_MS, fixtureFolder, fixtureCommand, runFixtureScript, ending, field, expectCleanExit, linesStarting,
  type FixtureRun,
} from './child-fixtures.js';

export const {
  startup, check, loopback, loopback4, loopback6, listener, dial, pair, udpPair, refusedAddress, hasIPv6Loopback,
  nonblocking, closeAll,
} = fixtures(core);
