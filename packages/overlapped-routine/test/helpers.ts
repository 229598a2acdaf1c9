// The loopback set-up of the tests that moved here from core (issue 18): core's one list of it,
// packages/core/test/helpers.ts, not a copy (these helpers hand back socket numbers only, the same
// whether core is loaded from its source or its build).
export { startup, tcpPair } from '../../core/test/helpers.js';
