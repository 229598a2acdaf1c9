// Docs are executable: every fenced TypeScript block of the root README, of every package's and
// app's README and of docs/*.md is type-checked against the built workspace packages, as a user's file importing them
// by name; a complete program may not use top-level await; an excerpt may only use names that the file
// it names has.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { blocksOf, excerptMismatches, readmes, root, type Block } from '../src/blocks.js';

const blocks: Block[] = readmes().flatMap(blocksOf);
const dir = join(root, 'packages/readme-check/.blocks');

/** Top-level await in a file: an await (or for await) outside every function. */
function topLevelAwaits(sf: ts.SourceFile): number[] {
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      lines.push(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line);
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(sf, visit);
  return lines;
}

test('the READMEs hold TypeScript blocks to check (the parser found them)', () => {
  const count = (kind: string) => blocks.filter((b) => b.kind === kind).length;
  expect([count('program') >= 3, count('excerpt') >= 5, count('type') >= 1]).toEqual([true, true, true]);
});

test('every complete TypeScript block type-checks against the workspace packages and uses no top-level await', () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, Block>();
  blocks.filter((b) => b.kind !== 'excerpt').forEach((b, n) => {
    const file = join(dir, `block-${n}.ts`);
    // `export {}` keeps each block a module of its own: blocks never see each other's names.
    writeFileSync(file, b.kind === 'type' ? `export type T = ${b.code};\n` : `${b.code}\nexport {};\n`);
    files.set(file, b);
  });
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile).config;
  const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, root);
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true, declaration: false, sourceMap: false });
  const problems: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const b = d.file && files.get(d.file.fileName);
    const where = b && d.start !== undefined ? `${b.readme}:${b.line + d.file!.getLineAndCharacterOfPosition(d.start).line}` : d.file?.fileName ?? '';
    problems.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  for (const [file, b] of files) {
    if (b.kind !== 'program') continue;
    for (const l of topLevelAwaits(program.getSourceFile(file)!)) {
      problems.push(`${b.readme}:${b.line + l}: top-level await (tsx rejects it in a CommonJS project: wrap the program in async function main())`);
    }
  }
  expect(problems).toEqual([]);
});

test('every excerpt uses only names the file it comes from has', () => {
  expect(blocks.filter((b) => b.kind === 'excerpt').flatMap(excerptMismatches)).toEqual([]);
});
