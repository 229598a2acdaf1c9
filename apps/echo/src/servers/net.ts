// The baseline: the same echo server on Node's `net`, written the way a Node programmer would.
import { createServer, type Socket } from 'node:net';
import type { EchoServer } from '../server.js';

const serve: EchoServer = ({ host, port, onListening, signal, trace }) =>
  new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const server = createServer({ noDelay: true }, (sock) => {
      sockets.add(sock);
      trace?.(`[net] accepted ${sock.remoteAddress}:${sock.remotePort}`);
      // pipe() is the idiomatic echo: it honours back-pressure, pausing reads while writes queue.
      sock.pipe(sock);
      sock.on('error', () => sock.destroy());
      sock.on('close', () => sockets.delete(sock));
    });
    server.on('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      onListening(typeof addr === 'object' && addr ? addr.port : port);
    });
    const stop = () => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });

export default serve;
