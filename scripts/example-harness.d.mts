// Types of example-harness.mjs, for the tests written in TypeScript.
import type { ChildProcess } from 'node:child_process';

export interface RunningExample {
  port: number;
  child: ChildProcess;
  output(): string;
  running(): boolean;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
export function startExample(pkg: string, name: string, args?: string[]): Promise<RunningExample>;
export function runExample(pkg: string, name: string, args?: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
export function pattern(size: number, seed?: number): Buffer;
export function echoClient(port: number, payload: Uint8Array, ending: 'wait' | 'half-close' | 'reset'): Promise<Buffer>;
export interface EchoExampleOptions {
  pkg: string;
  server: string;
  /** What the server's lines start with, e.g. '[select]'. */
  tag: string;
  client?: { name: string; connected: RegExp; refused: RegExp };
  halfCloseClients?: number;
}
export function echoExampleSuite(vt: typeof import('vitest'), options: EchoExampleOptions): void;
