export { runChat, DEFAULT_QUEUE_LIMIT } from './server.js';
export type { ChatOptions } from './server.js';
export { Chat, HELP, LOBBY } from './chat.js';
export type { Peer, ChatStats } from './chat.js';
export { adminCommand, ADMIN_HELP } from './admin.js';
