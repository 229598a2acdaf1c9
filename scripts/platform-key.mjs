// Writes .platform-key, which turbo.json lists in globalDependencies: turbo's cache key ignores the
// OS, CPU and Node ABI, and a cached native addon must never be replayed onto a different one.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../.platform-key', import.meta.url));
const key = `${process.platform}-${process.arch}-abi${process.versions.modules}-napi${process.versions.napi}\n`;
if (!existsSync(file) || readFileSync(file, 'utf8') !== key) writeFileSync(file, key);
