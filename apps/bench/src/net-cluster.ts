// `net` as a 2-process cluster (node:cluster): the fair multi-core peer of the IOCP server's worker
// threads, since one `net` process cannot spread one listening socket's connections over threads.
// Each process runs apps/echo's net server; the primary prints the echo CLI's "listening" line once
// the first worker listens, and stops both on SIGINT/SIGTERM. Usage: node net-cluster.js --port <n>.
import cluster from 'node:cluster';
import { loadServer } from '@winsock-models/echo';

const PROCESSES = 2;
const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? 0);

if (cluster.isPrimary) {
  let announced = false;
  cluster.on('listening', (_worker, address) => {
    if (announced) return;
    announced = true;
    console.log(`[net-cluster] listening on 127.0.0.1:${address.port}`);
  });
  for (let i = 0; i < PROCESSES; i++) cluster.fork();
  const stop = () => { for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGINT'); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  cluster.on('exit', () => { if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0); });
} else {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const serve = await loadServer('net');
  await serve({ host: '127.0.0.1', port, signal: controller.signal, onListening: () => {} });
  process.exit(0);
}
