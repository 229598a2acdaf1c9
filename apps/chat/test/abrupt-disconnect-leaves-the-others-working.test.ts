// A client that resets its connection (SO_LINGER {1,0} + close) while lines are queued for it: its
// routines complete with an error, it leaves the room, and the others carry on.
import { expect, test } from 'vitest';
import { LineClient, admin, startChat } from './helpers.js';

test('a client that disconnects abruptly (RST) is dropped and the others keep chatting', async () => {
  const chat = await startChat();
  try {
    const clients = await Promise.all(['ann', 'bob', 'rude'].map(async (nick) => {
      const c = await LineClient.open(chat.port);
      c.send(`/nick ${nick}`);
      await c.line(new RegExp(`is now ${nick}$`));
      return c;
    }));
    const [ann, bob, rude] = clients as [LineClient, LineClient, LineClient];
    rude.sock.pause();
    for (let i = 0; i < 200; i++) ann.send(`before ${i} ${'y'.repeat(500)}`);
    await bob.until((ls) => ls.filter((l) => l.startsWith('<ann> before')).length === 200);
    rude.send('unread input makes the reset certain');
    rude.sock.resetAndDestroy();
    await ann.line(/^\* rude (was disconnected \(connection reset\)|left)$/);

    for (let i = 0; i < 50; i++) bob.send(`after ${i}`);
    await ann.until((ls) => ls.filter((l) => l.startsWith('<bob> after')).length === 50);
    expect(ann.lines.filter((l) => l.startsWith('<bob> after'))).toEqual(Array.from({ length: 50 }, (_, i) => `<bob> after ${i}`));
    const who = await admin(chat.adminPort, 'who');
    expect(who[0]).toBe('2 connected');
    expect(who.some((l) => l.startsWith('rude '))).toBe(false);

    // A newcomer is served as before.
    const late = await LineClient.open(chat.port);
    await late.line(/^\* welcome/);
    late.send('hi all');
    await bob.line(/^<guest\d+> hi all$/);
    for (const c of [ann, bob, late]) c.end();
  } finally {
    await chat.stop();
  }
});
