// Waiting for a server to be done with a run: its connections closed and its CPU idle, so that what
// is counted next (instructions, system calls) is the next run's only.
import { readdirSync } from 'node:fs';
import { cpuSeconds } from './cpu.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Descriptors the process holds (its sockets among them), or -1 where /proc cannot say. */
export function openFds(pid: number): number {
  try { return readdirSync(`/proc/${pid}/fd`).length; } catch { return -1; }
}

/**
 * Waits until the process has closed the run's connections — it holds no more descriptors than `fds`,
 * or their count has stopped falling for 2 s (a server may keep a descriptor made for its first
 * connection: the overlapped-event server's wait group event, the next AcceptEx socket) — and then
 * used no CPU for two looks 200 ms apart. CPU alone is not enough: on a busy machine a server under
 * callgrind can go 400 ms without a tick while it still has 1,000 closes to do.
 */
export async function settle(pid: number, fds: number): Promise<void> {
  let open = openFds(pid), same = 0;
  for (let i = 0; i < 1200 && fds >= 0 && open > fds && same < 20; i++) {
    await sleep(100);
    const now = openFds(pid);
    same = now === open ? same + 1 : 0;
    open = now;
  }
  let last = cpuSeconds(pid), still = 0;
  for (let i = 0; i < 100 && still < 2; i++) {
    await sleep(200);
    const now = cpuSeconds(pid);
    still = now !== null && now === last ? still + 1 : 0;
    last = now;
  }
}

