// Module state that must exist once per realm, whichever build holds it. A program may load core's
// ESM build and its CommonJS build in one realm (an ESM app using a CommonJS dependency), and tsup's
// CommonJS entries each carry their own copy of the modules: a plain module-level variable would then
// exist two or three times, and the native callbacks one copy registers would not see another's state.
// The addon's exports object is the one thing all of them share (both load it through require's
// cache), so the state lives there, made once by whichever copy asks first.
import { addonExports } from './binding.js';

const KEY = Symbol.for('@winsock-models/core.realm-state');

/** The realm's one instance of `name`, made by `make` (which also does any one-time registration). */
export function realmState<T extends object>(name: string, make: () => T): T {
  const host = addonExports as Record<symbol, Record<string, object> | undefined>;
  const states = (host[KEY] ??= Object.create(null) as Record<string, object>);
  return (states[name] ??= make()) as T;
}
