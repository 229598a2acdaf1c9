// A child process's CPU time (user + system), from /proc on Linux; null elsewhere. Round trips per
// second swing with whatever else the machine runs; CPU time per round trip is the steadier measure
// of a server's own cost.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;  // USER_HZ on Linux

/**
 * The CPU time of the process and of its live descendants: a server that runs as several processes
 * (net-cluster's workers) is all of them. Descendants that ended during a measurement are not counted
 * (none do while a server runs).
 */
export function cpuSeconds(pid: number): number | null {
  const own = processSeconds(pid);
  if (own === null) return null;
  return processTree(pid).slice(1).reduce((total, p) => total + (processSeconds(p) ?? 0), own);
}

function processSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;  // utime, stime
  } catch {
    return null;
  }
}

/** The process and its live descendants, the process first. */
export function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** The process's children, from every one of its threads (a child belongs to the thread that forked it). */
function childrenOf(pid: number): number[] {
  try {
    const out: number[] = [];
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) for (const c of list.split(' ')) out.push(Number(c));
    }
    return out;
  } catch {
    return [];  // no such process any more, or a kernel without /proc/.../children
  }
}
