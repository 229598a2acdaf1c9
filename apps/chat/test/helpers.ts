// Test clients for the chat: real loopback connections on Node's net, collecting lines.
import { connect, type Socket } from 'node:net';
import { runChat, type ChatOptions } from '../src/server.js';
import type { Chat } from '../src/chat.js';

export async function startChat(extra: Partial<ChatOptions> = {}): Promise<{ port: number; adminPort: number; stop(): Promise<Chat> }> {
  const controller = new AbortController();
  let done!: Promise<Chat>;
  const ports = await new Promise<{ port: number; adminPort: number }>((resolve, reject) => {
    done = runChat({ port: 0, adminPort: 0, signal: controller.signal, onListening: resolve, ...extra });
    done.catch(reject);
  });
  return { ...ports, stop: async () => { controller.abort(); return done; } };
}

export class LineClient {
  readonly lines: string[] = [];
  closed = false;
  error: Error | null = null;
  private partial = '';
  private waiters: Array<() => void> = [];

  private constructor(readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (t: string) => {
      this.partial += t;
      const parts = this.partial.split('\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      this.wake();
    });
    sock.on('error', (e) => { this.error = e; });
    sock.on('close', () => { this.closed = true; this.wake(); });
  }

  static open(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, noDelay: true }, () => { s.off('error', reject); resolve(new LineClient(s)); });
      s.once('error', reject);
    });
  }

  send(line: string): void { this.sock.write(`${line}\n`); }

  private wake(): void { for (const w of this.waiters.splice(0)) w(); }

  /** Resolves once `pred` holds over the lines received so far; rejects after `ms`. */
  until(pred: (lines: string[]) => boolean, ms = 10_000, what = 'lines'): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; last lines: ${this.lines.slice(-5).join(' | ')}`)), ms);
      const check = () => {
        if (pred(this.lines)) { clearTimeout(timer); resolve(); return; }
        if (this.closed) { clearTimeout(timer); reject(new Error(`closed while waiting for ${what}; last: ${this.lines.slice(-3).join(' | ')}`)); return; }
        this.waiters.push(check);
      };
      check();
    });
  }

  /** Waits for a line matching `re` and returns it. */
  async line(re: RegExp, ms?: number): Promise<string> {
    await this.until((ls) => ls.some((l) => re.test(l)), ms, String(re));
    return this.lines.find((l) => re.test(l))!;
  }

  end(): void { this.sock.end(); }
}

/** One admin command over a fresh connection; the reply's lines (up to the "." line). */
export async function admin(port: number, command: string): Promise<string[]> {
  const c = await LineClient.open(port);
  await c.line(/^chat admin/);
  const start = c.lines.length;
  c.send(command);
  await c.until((ls) => ls.slice(start).includes('.'), 10_000, `the reply to ${command}`);
  const reply = c.lines.slice(start, c.lines.indexOf('.', start));
  c.send('quit');
  c.end();
  return reply;
}
