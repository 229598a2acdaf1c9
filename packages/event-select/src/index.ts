// @winsock-models/event-select: the WSAEventSelect model. A ported program imports everything it needs
// from here: this model's calls and structs, the event calls, and core's sockets and constants.
export * from '@winsock-models/core';
export { WSAEventSelect, WSAEnumNetworkEvents } from './event-select.js';
export { WSANETWORKEVENTS } from './network-events.js';
