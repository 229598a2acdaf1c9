// The loads every server is measured under, the same for all.
export interface Load {
  id: string;
  title: string;
  mode: 'pingpong' | 'stream';
  connections: number;
  size: number;
  /** The unit of the rate: round trips/s for ping-pong, MB/s of echoed bytes for streaming. */
  unit: 'round trips/s' | 'MB/s';
}

export const LOADS: Load[] = [
  { id: 'pp1', title: '1 connection x 64 B ping-pong', mode: 'pingpong', connections: 1, size: 64, unit: 'round trips/s' },
  { id: 'pp64', title: '64 connections x 64 B ping-pong', mode: 'pingpong', connections: 64, size: 64, unit: 'round trips/s' },
  { id: 'pp1000', title: '1,000 connections x 64 B ping-pong', mode: 'pingpong', connections: 1000, size: 64, unit: 'round trips/s' },
  { id: 'stream', title: '1 connection streaming 64 KiB writes', mode: 'stream', connections: 1, size: 65536, unit: 'MB/s' },
];

/** Open files the 1,000-connection load needs in a process (its sockets, the other side's, and slack). */
export const FILES_FOR_1000 = 2100;
