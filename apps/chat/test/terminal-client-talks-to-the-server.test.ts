// The terminal client (dist/client.js), driven through its stdin and read from its stdout.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { LineClient, startChat } from './helpers.js';

const clientJs = fileURLToPath(new URL('../dist/client.js', import.meta.url));

test('what is typed into the terminal client is said in the room, and what the room says is printed', async () => {
  const chat = await startChat();
  try {
    const other = await LineClient.open(chat.port);
    const child = spawn(process.execPath, [clientJs, '--port', String(chat.port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t: string) => { out += t; });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.stdin.write('/nick term\nhello from the terminal\n');
    await other.line(/^<term> hello from the terminal$/);
    other.send('hello back');
    const deadline = Date.now() + 10_000;
    while (!out.includes('<guest') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(out).toMatch(/<guest\d+> hello back/);
    expect(out).not.toMatch(/\x1b\[/);  // not a TTY: no colours
    child.stdin.end();  // end of input: the client closes its side and exits
    expect(await exited).toBe(0);
    other.end();
  } finally {
    await chat.stop();
  }
});
