// docs/textbook-map.md maps each C call of the study notes to its TypeScript form and names the package
// it comes from. Every Winsock-looking name in a TypeScript cell must be exported by that package (as a
// value, or as a type in its .d.ts), and so must any name some workspace package exports: a renamed,
// missing or misattributed call fails here.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { identifiers, root } from '../src/blocks.js';

const PACKAGES = ['core', 'select', 'async-select', 'event-select', 'overlapped-event', 'overlapped-routine'];
/** Every name each package exports, values and types, re-exports included (TypeScript's own view). */
function exportsOf(packages: string[]): Map<string, Set<string>> {
  // Its own directory: vitest runs this package's files in parallel, and the README blocks' test
  // empties .blocks/ when it starts (this file's exports.ts vanished under it once, in CI).
  const dir = join(root, 'packages/readme-check/.exports');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'exports.ts');
  writeFileSync(file, packages.map((p, i) => `import * as M${i} from '@winsock-models/${p}';\nexport { M${i} };\n`).join(''));
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config;
  const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, root);
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  const sf = program.getSourceFile(file)!;
  sf.statements.filter(ts.isImportDeclaration).forEach((imp, i) => {
    const symbol = checker.getSymbolAtLocation(imp.moduleSpecifier)!;
    out.set(`@winsock-models/${packages[i]}`, new Set(checker.getExportsOfModule(symbol).map((s) => s.name)));
  });
  return out;
}

// Names of the Winsock and Win32 API by their shape; a port's own names (WM_SOCKET, SOCKETINFO, ...) are not.
const API = /^(WSA|FD_|WAIT_|WM_(?!SOCKET$)|SO_|SOL_|MSG_|INADDR_|AF_|SOCK_|SD_|PM_)|^(AcceptEx|ConnectEx|GetAcceptExSockaddrs|SleepEx|WaitFor\w+|QueueUserAPC|GetCurrentThread|PostMessage|PostQuitMessage|SendMessage|GetMessage|PeekMessage|TranslateMessage|DispatchMessage|DefWindowProc|CreateWindow|DestroyWindow|RegisterClass|WNDCLASS|MSG|HWND|ZeroMemory|MAKEWORD|INFINITE|TRUE|FALSE|SOCKET_ERROR|INVALID_SOCKET|SOMAXCONN|FIONBIO|SOCKADDR_IN|SOCKET)$/;

test('every API name in the TypeScript column of the textbook map is exported by the package the row names', () => {
  const exported = exportsOf(PACKAGES);
  const anywhere = new Set([...exported.values()].flatMap((s) => [...s]));
  const lines = readFileSync(join(root, 'docs/textbook-map.md'), 'utf8').split('\n');
  const problems: string[] = [];
  let rows = 0;
  lines.forEach((line, k) => {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const from = /^`(@winsock-models\/[a-z-]+)`$/.exec(cells[2] ?? '')?.[1];
    if (cells.length !== 3 || !from) return;
    rows++;
    const code = [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\\\|/g, '|')).join('\n');
    for (const name of identifiers(code)) {
      if ((API.test(name) || anywhere.has(name)) && !exported.get(from)!.has(name)) {
        problems.push(`docs/textbook-map.md:${k + 1}: ${name} is not exported by ${from}`);
      }
    }
  });
  expect(rows).toBeGreaterThanOrEqual(40);
  expect(problems).toEqual([]);
});
