// The fenced TypeScript blocks of the repository's READMEs, and how each is checked. The info string
// says what a block is:
//   ```ts                       a complete program or module: type-checked as written, and it may not
//                               use top-level await (a fresh `npm init` project is CommonJS, where tsx
//                               rejects it: wrap the program in `async function main()` instead)
//   ```ts type                  a type written as a literal (e.g. a JSON document's shape): checked as
//                               `type T = <block>;`
//   ```ts excerpt <file>        lines taken from <file> (relative to the repository root), which its own
//                               package type-checks, rewrapped and elided with `...`: every identifier
//                               of the block must be one that file has
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

export type BlockKind = 'program' | 'type' | 'excerpt';

export interface Block {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  kind: BlockKind;
  /** For an excerpt: the file it comes from, relative to the repository root. */
  from?: string;
  code: string;
}

export const root = new URL('../../../', import.meta.url).pathname;

/** The root README, every package's and app's, and the pages in docs/. */
export function readmes(): string[] {
  const out = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  if (existsSync(docs)) out.push(...readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => join(docs, f)));
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'README.md');
      if (existsSync(file)) out.push(file);
    }
  }
  return out;
}

const FENCE = /^(\s*)(`{3,})\s*(ts|typescript)\b(.*)$/;

/** Every TypeScript block of one README; throws on an info string it does not know. */
export function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const readme = relative(root, file);
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]!);
    if (!m) continue;
    const [, indent, fence, , rest] = m;
    const words = rest!.trim().split(/\s+/).filter(Boolean);
    let kind: BlockKind;
    let from: string | undefined;
    if (words.length === 0) kind = 'program';
    else if (words[0] === 'type' && words.length === 1) kind = 'type';
    else if (words[0] === 'excerpt' && words.length === 2) { kind = 'excerpt'; from = words[1]; }
    else throw new Error(`${readme}:${i + 1}: unknown info string "${lines[i]!.trim()}" (ts, ts type, ts excerpt <file>)`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== fence) end++;
    if (end === lines.length) throw new Error(`${readme}:${i + 1}: the block is never closed`);
    const code = lines.slice(start, end).map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l)).join('\n');
    out.push({ readme, line: start + 1, kind, from, code });
    i = end;
  }
  return out;
}

/** The identifiers of TypeScript code, comments and string and template literals (with what they hold) left out. */
export function identifiers(code: string): Set<string> {
  const bare = code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/`(?:\\.|[^\\`])*`/g, ' ')
    .replace(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g, ' ')
    .replace(/\/\/.*$/gm, ' ');
  return new Set(bare.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/**
 * An excerpt's identifiers that its file does not have, as "README:line: name"; empty when none. The
 * side-by-side excerpts are rewrapped to sit beside the C and elide with `...`, so they are not
 * compared line for line: what drifts in practice — a call, a constant, a field or a variable renamed
 * or gone — shows as a name the file no longer has.
 */
export function excerptMismatches(block: Block): string[] {
  const known = identifiers(readFileSync(join(root, block.from!), 'utf8'));
  const lines = block.code.split('\n');
  return [...identifiers(block.code)].filter((name) => !known.has(name)).map((name) => {
    const k = lines.findIndex((l) => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(l));
    return `${block.readme}:${block.line + Math.max(k, 0)}: "${name}" is not in ${block.from}`;
  });
}
