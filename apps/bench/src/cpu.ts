// A child process's CPU time (user + system), from /proc on Linux; null elsewhere. Round trips per
// second swing with whatever else the machine runs; CPU time per round trip is the steadier measure
// of a server's own cost.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;  // USER_HZ on Linux

export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;  // utime, stime
  } catch {
    return null;
  }
}
