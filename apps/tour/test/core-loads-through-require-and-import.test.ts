// From a package that depends on @winsock-models/core (this one), both module systems load it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd, encoding: 'utf8' }).trim();

test('require(\'@winsock-models/core\') works and WSAStartup answers 0', () => {
  expect(run(['-e', "const c = require('@winsock-models/core'); console.log(c.WSAStartup(c.MAKEWORD(2,2), new c.WSADATA()), c.WSAEWOULDBLOCK)"]))
    .toBe('0 10035');
});

test('import(\'@winsock-models/core\') works and sees the same constants', () => {
  expect(run(['--input-type=module', '-e', "import * as c from '@winsock-models/core'; console.log(c.WSAStartup(c.MAKEWORD(2,2), new c.WSADATA()), c.AF_INET6)"]))
    .toBe('0 23');
});
