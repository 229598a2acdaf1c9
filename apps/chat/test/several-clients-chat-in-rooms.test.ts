import { afterAll, beforeAll, expect, test } from 'vitest';
import { LineClient, admin, startChat } from './helpers.js';

let chat: Awaited<ReturnType<typeof startChat>>;
beforeAll(async () => { chat = await startChat(); });
afterAll(async () => { await chat.stop(); });

test('five clients take nicknames and every one sees every message of the room, in the same order', async () => {
  const clients = await Promise.all(Array.from({ length: 5 }, () => LineClient.open(chat.port)));
  for (const [i, c] of clients.entries()) {
    await c.line(/^\* welcome guest\d+/);
    c.send(`/nick user${i}`);
    await c.line(new RegExp(`is now user${i}$`));
  }
  for (let round = 0; round < 20; round++) for (const [i, c] of clients.entries()) c.send(`hello ${round} from ${i}`);
  const said = (ls: string[]) => ls.filter((l) => /^<user\d> hello/.test(l));
  for (const c of clients) await c.until((ls) => said(ls).length === 100, 10_000, '100 messages');
  const reference = said(clients[0]!.lines);
  for (const c of clients) expect(said(c.lines)).toEqual(reference);
  // Each sender's own messages arrive in the order it sent them.
  for (let i = 0; i < 5; i++) {
    const mine = reference.filter((l) => l.startsWith(`<user${i}>`));
    expect(mine).toEqual(Array.from({ length: 20 }, (_, r) => `<user${i}> hello ${r} from ${i}`));
  }
  for (const c of clients) c.end();
});

test('rooms: /join, /part, /who and /rooms; a room hears only its members', async () => {
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => LineClient.open(chat.port)));
  for (const [n, x] of [['ann', a!], ['bob', b!], ['cy', c!]] as const) { x.send(`/nick ${n}`); await x.line(new RegExp(`is now ${n}$`)); }
  a!.send('/join dev');
  b!.send('/join dev');
  await a!.line(/^\* bob joined #dev$/);
  a!.send('/who');
  expect(await a!.line(/^\* in #dev:/)).toBe('* in #dev: ann bob');
  b!.send('only dev hears this');
  await a!.line(/^<bob> only dev hears this$/);
  c!.send('/rooms');
  expect(await c!.line(/^\* rooms:/)).toMatch(/#dev \(2\)/);
  c!.send('lobby talk');
  await c!.line(/^<cy> lobby talk$/);
  expect(a!.lines.some((l) => l.includes('lobby talk'))).toBe(false);
  b!.send('/part');
  await a!.line(/^\* bob left #dev$/);
  await c!.line(/^\* bob joined #lobby$/);
  a!.send('/nick bob');
  await a!.line(/^! bob is taken$/);
  expect(await admin(chat.adminPort, 'rooms')).toEqual(expect.arrayContaining(['#dev 1']));
  for (const x of [a!, b!, c!]) x.end();
});

test('the admin port (select) answers who, stats and kick', async () => {
  const x = await LineClient.open(chat.port);
  x.send('/nick victim');
  await x.line(/is now victim$/);
  const who = await admin(chat.adminPort, 'who');
  expect(who.some((l) => /^victim #lobby 127\.0\.0\.1:\d+ queued=\d+$/.test(l))).toBe(true);
  const stats = await admin(chat.adminPort, 'stats');
  expect(stats).toEqual(expect.arrayContaining([expect.stringMatching(/^clients \d+$/), expect.stringMatching(/^overflows \d+$/)]));
  expect(await admin(chat.adminPort, 'kick victim too loud')).toEqual(['kicked victim']);
  await x.line(/^! too loud$/);
  await x.until(() => x.closed, 10_000, 'the close');
  expect(await admin(chat.adminPort, 'kick nobody')).toEqual(['no such nick: nobody']);
  expect((await admin(chat.adminPort, 'who')).some((l) => l.startsWith('victim '))).toBe(false);
});
