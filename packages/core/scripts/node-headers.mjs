// The running Node's own headers, for node-gyp's --nodedir: node-gyp must never download them.
// Node installs them as <prefix>/include/node beside <prefix>/bin/node.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function nodeHeadersDir() {
  const fromEnv = process.env.npm_config_nodedir;
  if (fromEnv && existsSync(join(fromEnv, 'include', 'node', 'node_api.h'))) return fromEnv;
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null;
}
