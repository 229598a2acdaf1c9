// The shape of each model's loop, in two or three lines: what the program waits in, what wakes it,
// what it does then. One entry per model of @winsock-models/echo (net is the baseline).
import type { ModelName } from '@winsock-models/echo';

export const LOOPS: Record<ModelName, string[]> = {
  select: [
    'while (true) { FD_ZERO; FD_SET the listener and each client: into writefds while it has unsent bytes, readfds otherwise;',
    '  await select(0, rset, wset, null, null); then FD_ISSET each: accept() on the listener, recv()/send() on the clients }',
    'Level-triggered: a socket is ready as long as its condition holds; nothing is recorded or re-enabled.',
  ],
  'async-select': [
    'WSAAsyncSelect(s, hWnd, WM_SOCKET, FD_ACCEPT|FD_READ|FD_WRITE|FD_CLOSE); then while (await GetMessage(msg)) DispatchMessage(msg);',
    'The window procedure switches on WSAGETSELECTEVENT(lParam): accept on FD_ACCEPT, recv on FD_READ, send on FD_WRITE, close on FD_CLOSE.',
    'One message per recorded event; an event is recorded again only after the call that re-enables it (recv, send failing, accept).',
  ],
  'event-select': [
    'WSAEventSelect(s, hEvent, FD_*) per socket; while (true) { i = await WSAWaitForMultipleEvents(n, events, FALSE, WSA_INFINITE, FALSE);',
    '  WSAEnumNetworkEvents(sock[i], events[i], &ne) resets the event and reports what was recorded: accept/recv/send/close on each bit }',
    'At most 64 events per wait (WSA_MAXIMUM_WAIT_EVENTS); the same re-enabling rules as WSAAsyncSelect.',
  ],
  'event-select-groups': [
    'The WSAEventSelect loop, once per group of up to 64 sockets: an acceptor loop waits on the listener\'s event and hands each',
    '  accepted socket to the emptiest group, whose loop runs WSAWaitForMultipleEvents + WSAEnumNetworkEvents over its own array;',
    'as a C server runs one thread per 64 events, here each group is one async loop on the same event loop.',
  ],
  'overlapped-event': [
    'Each socket has a WSAOVERLAPPED whose hEvent is in the wait array; WSARecv/WSASend return at once (often WSA_IO_PENDING);',
    '  i = await WSAWaitForMultipleEvents(...); WSAResetEvent; WSAGetOverlappedResult reads the bytes; then issue the next WSASend/WSARecv.',
    'Accepting is AcceptEx with its own event; nothing is "ready": the data is already in the buffer when the event is set.',
  ],
  'overlapped-routine': [
    'WSARecv/WSASend with a completion routine; the main loop only waits alertably: WaitForSingleObjectEx(hAcceptEvent, INFINITE, TRUE).',
    '  Each completion queues its routine to the issuing thread; the wait runs them and returns WAIT_IO_COMPLETION, then waits again.',
    'The routine sends what it received, or receives again after a send: the whole echo happens inside routines.',
  ],
  iocp: [
    'One completion port; 2 x CPUs worker threads loop on await GetQueuedCompletionStatus(hcp, &bytes, &key, &lpOverlapped, INFINITE);',
    '  the main thread accepts (AcceptEx + event), associates each socket with the port and issues its first WSARecv.',
    'Any worker may dequeue any completion: lpOverlapped is the SOCKETINFO in shared memory (IoArena); it echoes and re-issues.',
  ],
  net: [
    'Node\'s net: a \'data\' callback writes the chunk back; libuv\'s epoll loop does the waiting. The baseline: no Winsock calls.',
  ],
};
