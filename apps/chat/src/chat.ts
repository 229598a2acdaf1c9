// The chat itself — nicknames, rooms, commands, broadcast — with no sockets in it. The server gives it
// a Peer per connection; a peer's deliver() queues a line for that client (it never blocks and never
// drops: see Client in client-io.ts for the bound).
export interface Peer {
  readonly id: number;
  /** "127.0.0.1:5555" */
  readonly address: string;
  nick: string;
  room: string;
  /** Queue one line (without its newline) for this client. */
  deliver(line: string): void;
  /** Bytes waiting in this client's outgoing queue. */
  queued(): number;
  /** End this client's connection (it gets `reason` first). */
  close(reason: string, how?: string): void;
}

export interface ChatStats {
  clients: number;
  rooms: number;
  messagesIn: number;
  linesOut: number;
  connectionsTotal: number;
  disconnectsAbortive: number;
  overflows: number;
}

export const LOBBY = 'lobby';
const NICK = /^[A-Za-z0-9_\-[\]{}^`|]{1,24}$/;
const ROOM = /^[A-Za-z0-9_\-]{1,32}$/;

export const HELP = [
  '/nick NAME    change your nickname',
  '/join ROOM    leave your room and join ROOM (created on first join)',
  '/part         leave your room, back to #lobby',
  '/who          who is in your room',
  '/rooms        the rooms and how many are in each',
  '/quit         leave',
  'anything else is said to your room',
];

export class Chat {
  private readonly peers = new Map<number, Peer>();
  private readonly rooms = new Map<string, Set<Peer>>();
  private guests = 0;
  readonly stats: ChatStats = { clients: 0, rooms: 0, messagesIn: 0, linesOut: 0, connectionsTotal: 0, disconnectsAbortive: 0, overflows: 0 };

  /** A new connection: a guest nickname, the lobby, a welcome. */
  join(peer: Peer): void {
    do peer.nick = `guest${++this.guests}`; while (this.byNick(peer.nick));
    this.peers.set(peer.id, peer);
    this.stats.connectionsTotal++;
    this.stats.clients = this.peers.size;
    this.send(peer, `* welcome ${peer.nick}; /help lists the commands`);
    this.enter(peer, LOBBY);
  }

  /** The connection ended (any way); `how` goes to the room. */
  leave(peer: Peer, how: string): void {
    if (!this.peers.delete(peer.id)) return;
    this.exit(peer, `* ${peer.nick} ${how}`);
    this.stats.clients = this.peers.size;
  }

  /** One line the client sent. */
  line(peer: Peer, text: string): void {
    this.stats.messagesIn++;
    if (!text.startsWith('/')) {
      if (text.length) this.broadcast(peer.room, `<${peer.nick}> ${text}`);
      return;
    }
    const [cmd, ...rest] = text.slice(1).split(' ');
    const arg = rest.join(' ').trim();
    switch (cmd) {
      case 'nick': {
        if (!NICK.test(arg)) return this.send(peer, '! usage: /nick NAME (letters, digits, _-[]{}^`|, up to 24)');
        const other = this.byNick(arg);
        if (other && other !== peer) return this.send(peer, `! ${arg} is taken`);
        const old = peer.nick;
        peer.nick = arg;
        this.broadcast(peer.room, `* ${old} is now ${arg}`);
        return;
      }
      case 'join': {
        const room = arg.replace(/^#/, '');
        if (!ROOM.test(room)) return this.send(peer, '! usage: /join ROOM (letters, digits, _-, up to 32)');
        if (room === peer.room) return this.send(peer, `! you are in #${room}`);
        this.exit(peer, `* ${peer.nick} left #${peer.room}`);
        this.enter(peer, room);
        return;
      }
      case 'part':
        if (peer.room === LOBBY) return this.send(peer, '! you are in #lobby');
        this.exit(peer, `* ${peer.nick} left #${peer.room}`);
        this.enter(peer, LOBBY);
        return;
      case 'who':
        return this.send(peer, `* in #${peer.room}: ${[...this.rooms.get(peer.room)!].map((p) => p.nick).sort().join(' ')}`);
      case 'rooms':
        return this.send(peer, `* rooms: ${this.roomList().map(([r, n]) => `#${r} (${n})`).join(' ')}`);
      case 'help':
        for (const h of HELP) this.send(peer, `* ${h}`);
        return;
      case 'quit':
        peer.close('* bye');
        return;
      default:
        this.send(peer, `! unknown command /${cmd}; /help lists them`);
    }
  }

  byNick(nick: string): Peer | undefined {
    for (const p of this.peers.values()) if (p.nick === nick) return p;
    return undefined;
  }

  list(): Peer[] { return [...this.peers.values()]; }

  roomList(): Array<[string, number]> {
    return [...this.rooms].map(([r, m]) => [r, m.size] as [string, number]).sort((a, b) => a[0].localeCompare(b[0]));
  }

  private enter(peer: Peer, room: string): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    members.add(peer);
    peer.room = room;
    this.stats.rooms = this.rooms.size;
    this.broadcast(room, `* ${peer.nick} joined #${room}`);
  }

  private exit(peer: Peer, note: string): void {
    const members = this.rooms.get(peer.room);
    if (!members) return;
    members.delete(peer);
    if (members.size === 0 && peer.room !== LOBBY) this.rooms.delete(peer.room);
    else this.broadcast(peer.room, note);
    this.stats.rooms = this.rooms.size;
  }

  private send(peer: Peer, line: string): void {
    this.stats.linesOut++;
    peer.deliver(line);
  }

  /** To every member of the room, in the same order for all: each member's own queue keeps it. */
  broadcast(room: string, line: string): void {
    for (const p of this.rooms.get(room) ?? []) this.send(p, line);
  }
}
