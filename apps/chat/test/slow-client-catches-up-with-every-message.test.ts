// Back-pressure: a client that stops reading holds nobody up, and gets every line once it reads again;
// one that falls further behind than the bound is disconnected with a last line saying so, no gap.
import { expect, test } from 'vitest';
import { LineClient, admin, startChat } from './helpers.js';

const PAD = 'x'.repeat(900);
const sent = (ls: string[]) => ls.filter((l) => /^<fast\d> \d+ x+$/.test(l));

/** Every sender's sequence numbers, in order, with none missing: 0..n-1 per sender. */
function checkComplete(lines: string[], senders: number, each: number): void {
  for (let f = 0; f < senders; f++) {
    const seq = lines.filter((l) => l.startsWith(`<fast${f}> `)).map((l) => Number(l.split(' ')[1]));
    expect(seq).toEqual(Array.from({ length: each }, (_, i) => i));
  }
}

async function joinAs(port: number, nick: string): Promise<LineClient> {
  const c = await LineClient.open(port);
  c.send(`/nick ${nick}`);
  await c.line(new RegExp(`is now ${nick}$`));
  return c;
}

test('a client that stops reading stalls nobody, and then catches up with every message in order', async () => {
  const chat = await startChat({ queueLimit: 64 * 1024 * 1024 });
  try {
    const slow = await joinAs(chat.port, 'slow');
    const fast = await Promise.all([0, 1, 2].map((i) => joinAs(chat.port, `fast${i}`)));
    slow.sock.pause();  // stops reading: the kernel buffers fill, then its queue in the server grows
    const each = 2000;  // 3 x 2,000 lines of ~910 bytes: ~5.5 MB for every member
    for (let i = 0; i < each; i++) for (const [f, c] of fast.entries()) c.send(`${i} ${PAD}`);
    // The others get everything while the slow one still reads nothing.
    for (const c of fast) await c.until((ls) => sent(ls).length === 3 * each, 30_000, 'every line at a fast client');
    const who = await admin(chat.adminPort, 'who');
    const queued = Number(/^slow #lobby \S+ queued=(\d+)$/m.exec(who.join('\n'))?.[1]);
    expect(queued).toBeGreaterThan(0);  // it really is behind, held in its own queue
    for (const c of fast) checkComplete(c.lines, 3, each);

    slow.sock.resume();
    await slow.until((ls) => sent(ls).length === 3 * each, 30_000, 'the slow client catching up');
    checkComplete(slow.lines, 3, each);
    expect(slow.closed).toBe(false);
    expect(await admin(chat.adminPort, 'stats')).toContain('overflows 0');
    for (const c of [slow, ...fast]) c.end();
  } finally {
    await chat.stop();
  }
});

test('a client further behind than the bound is disconnected after a last line, with no gap before it', async () => {
  const chat = await startChat({ queueLimit: 256 * 1024 });
  try {
    const slow = await joinAs(chat.port, 'slow');
    const fast = await joinAs(chat.port, 'fast0');
    slow.sock.pause();
    // ~11 MB: more than the kernel buffers and the 256 KiB bound together. Sent in steps that wait
    // for the sender's own copy, so the sender (also a member) never falls behind itself.
    const each = 12000;
    for (let i = 0; i < each; i += 200) {
      for (let k = i; k < i + 200; k++) fast.send(`${k} ${PAD}`);
      await fast.until((ls) => sent(ls).length >= i + 200, 30_000, `line ${i + 199}`);
    }
    await fast.line(/^\* slow was disconnected \(too far behind\)$/, 30_000);
    await fast.until((ls) => sent(ls).length === each, 30_000, 'every line at the fast client');
    checkComplete(fast.lines, 1, each);

    slow.sock.resume();
    await slow.until(() => slow.closed, 30_000, 'the close');
    const last = slow.lines[slow.lines.length - 1]!;
    expect(last).toMatch(/^! you are more than 262144 bytes behind: disconnecting/);
    // Everything before the last line is a prefix of what was said: nothing skipped.
    const seq = sent(slow.lines).map((l) => Number(l.split(' ')[1]));
    expect(seq.length).toBeGreaterThan(0);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, i) => i));
    expect(await admin(chat.adminPort, 'stats')).toContain('overflows 1');
    fast.send('still here');
    await fast.line(/^<fast0> still here$/);
    fast.end();
  } finally {
    await chat.stop();
  }
});
