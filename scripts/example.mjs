#!/usr/bin/env node
// pnpm example <package> <example> [args...]: runs packages/<package>/examples/<example>.ts with plain
// node, from a clean clone. It builds the package and what it depends on (turbo, cached), compiles the
// example to packages/<package>/dist/examples/<example>.js (TypeScript's transpileModule: types
// stripped, nothing bundled, so the example imports the package by its name, as a user's program
// does), then runs that file with node, passing the arguments on. `--no-build` skips the turbo step
// (the tests use it: turbo has built everything before they run).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The packages that have examples, and each one's examples (file names without `.ts`). */
export function listExamples() {
  const out = {};
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', pkg, 'examples');
    if (!existsSync(dir)) continue;
    out[pkg] = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  }
  return out;
}

/** Compiles one example to dist/examples/<name>.js beside the package's own build; returns its path. */
export async function compileExample(pkg, name) {
  const { default: ts } = await import('typescript');
  const source = join(root, 'packages', pkg, 'examples', `${name}.ts`);
  const { outputText, diagnostics } = ts.transpileModule(readFileSync(source, 'utf8'), {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  if (diagnostics?.length) throw new Error(`${source}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`);
  const out = join(root, 'packages', pkg, 'dist', 'examples', `${name}.js`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, outputText);
  return out;
}

function fail(line) {
  console.error(line);
  process.exit(2);
}

async function main(argv) {
  const build = !argv.includes('--no-build');
  const [pkg, name, ...rest] = argv.filter((a) => a !== '--no-build' && a !== '--');
  const all = listExamples();
  const usage = 'usage: pnpm example <package> <example> [args...]';
  const list = Object.entries(all).map(([p, xs]) => `  ${p}: ${xs.join(', ')}`).join('\n');
  if (!pkg || pkg === '-h' || pkg === '--help') {
    console.log(`${usage}\n${list}`);
    process.exit(0);
  }
  if (!all[pkg]) fail(`no package "${pkg}" with examples; one of: ${Object.keys(all).join(', ')}`);
  if (!name) fail(`name one of ${pkg}'s examples: ${all[pkg].join(', ')}`);
  if (!all[pkg].includes(name)) fail(`no example "${name}" in ${pkg}; one of: ${all[pkg].join(', ')}`);
  if (build) {
    const turbo = join(root, 'node_modules', '.bin', 'turbo');
    const r = spawnSync(turbo, ['run', 'build', `--filter=@winsock-models/${pkg}...`, '--output-logs=errors-only'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) fail(`building @winsock-models/${pkg} failed (run pnpm build to see why)`);
  }
  const file = await compileExample(pkg, name);
  const child = spawn(process.execPath, [file, ...rest], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
