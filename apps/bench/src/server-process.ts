// Runs one model's echo server in a child process (apps/echo's CLI), so the server and the load
// generator never share an event loop or a core's worth of JavaScript. "c-epoll" is the reference
// server in C (reference/epoll_echo.c), which speaks the same command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureCompiled } from './compile.js';

/** The reference echo server's name in --models and in the reports. */
export const C_EPOLL = 'c-epoll';
/** `net` as a 2-process cluster (net-cluster.ts), the multi-core peer of the IOCP server. */
export const NET_CLUSTER = 'net-cluster';
/** `<model>-<n>w`: that model's server with n worker threads (--workers n), e.g. iocp-1w. */
const WITH_WORKERS = /^(.+)-(\d+)w$/;

const cli = fileURLToPath(new URL('./cli.js', import.meta.resolve('@winsock-models/echo')));

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts one server. `wrap` is a command line the server runs under (valgrind for the instruction
 * counts): the child is then that command, which runs the server in its own process.
 */
export function startServer(model: string, extraNodeArgs: string[] = [], wrap: string[] = []): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const workers = WITH_WORKERS.exec(model);
    const nodeArgs = model === NET_CLUSTER ? [fileURLToPath(new URL('./net-cluster.js', import.meta.url)), '--port', '0']
      : workers ? [cli, '--model', workers[1]!, '--workers', workers[2]!, '--port', '0']
      : [cli, '--model', model, '--port', '0'];
    const [cmd, ...args] = [...wrap, ...(model === C_EPOLL
      ? [ensureCompiled('reference/epoll_echo.c', 'epoll_echo'), '--port', '0']
      : [process.execPath, ...extraNodeArgs, ...nodeArgs])];
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on [^\s:]+:(\d+)/.exec(out);
      if (!m) return;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve({
        port: Number(m[1]),
        child,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null) { done(); return; }
          child.once('exit', () => done());
          child.kill('SIGINT');
        }),
      });
    };
    child.stdout!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the ${model} server exited (${code}) before listening: ${out}`)));
  });
}
