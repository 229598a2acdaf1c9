// The select model's TCP client: a non-blocking connect waited for with select. Success shows in the
// write set; a refused connect shows in the except set, with its error in SO_ERROR (Winsock's rule:
// Linux would mark such a socket writable). Then one message, echoed back, and a graceful close.
// Run: pnpm example select echo-client [port] [host] [message]   (127.0.0.1:9000 "hello" by default)
import {
  WSAStartup, WSACleanup, WSADATA, MAKEWORD, socket, connect, send, recv, shutdown, closesocket, ioctlsocket,
  getsockopt, SOCKADDR_IN, sizeof, htons, inet_pton, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_ERROR, SD_SEND, FIONBIO,
  INVALID_SOCKET, SOCKET_ERROR, WSAEWOULDBLOCK, WSAGetLastError, wsaErrorName, fd_set, FD_ZERO, FD_SET, FD_ISSET,
  timeval, select,
} from '@winsock-models/select';

const errText = (code: number) => `${wsaErrorName(code) ?? 'error'} (${code})`;
function err_quit(what: string): never {
  console.error(`${what} failed: ${errText(WSAGetLastError())}`);
  process.exit(1);
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  const host = process.argv[3] ?? '127.0.0.1';
  const message = Buffer.from(process.argv[4] ?? 'hello');
  if (WSAStartup(MAKEWORD(2, 2), new WSADATA()) !== 0) process.exit(1);
  const sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock === INVALID_SOCKET) err_quit('socket()');
  const serveraddr = new SOCKADDR_IN();
  serveraddr.sin_family = AF_INET;
  if (inet_pton(AF_INET, host, serveraddr.sin_addr) !== 1) { console.error(`not an IPv4 address: ${host}`); process.exit(2); }
  serveraddr.sin_port = htons(port);

  ioctlsocket(sock, FIONBIO, { value: 1 });
  if (connect(sock, serveraddr, sizeof(serveraddr)) === SOCKET_ERROR && WSAGetLastError() !== WSAEWOULDBLOCK) err_quit('connect()');
  const wset = new fd_set();
  const eset = new fd_set();
  FD_ZERO(wset); FD_SET(sock, wset);
  FD_ZERO(eset); FD_SET(sock, eset);
  const timeout = new timeval();
  timeout.tv_sec = 5;
  const n = await select(0, null, wset, eset, timeout);
  if (n === SOCKET_ERROR) err_quit('select()');
  if (n === 0) { console.error(`[select] connect to ${host}:${port} timed out`); process.exit(1); }
  if (FD_ISSET(sock, eset)) {
    const error = { value: 0 };
    getsockopt(sock, SOL_SOCKET, SO_ERROR, error, { value: 4 });
    console.error(`[select] connect to ${host}:${port} failed (socket in exceptfds): ${errText(error.value)}`);
    closesocket(sock);
    process.exit(1);
  }
  console.log(`[select] connected to ${host}:${port} (socket in writefds)`);

  ioctlsocket(sock, FIONBIO, { value: 0 });   // blocking again: send and recv wait, as a textbook client's do
  if (send(sock, message, message.length, 0) === SOCKET_ERROR) err_quit('send()');
  shutdown(sock, SD_SEND);                    // nothing more to send: the server sees the end after the data
  const echoed = Buffer.alloc(message.length);
  let got = 0;
  while (got < echoed.length) {
    const r = recv(sock, echoed.subarray(got), echoed.length - got, 0);
    if (r === SOCKET_ERROR) err_quit('recv()');
    if (r === 0) break;
    got += r;
  }
  console.log(`[select] echoed ${got} of ${message.length} bytes: ${echoed.subarray(0, got).toString()}`);
  closesocket(sock);
  WSACleanup();
  process.exit(got === message.length ? 0 : 1);
}

main().catch((err) => { console.error(String(err)); process.exit(1); });
