// The scratch copy the release test versions and publishes: the working tree's files (tracked and
// untracked, not ignored), links to the workspace's installed node_modules and to core's development
// build, and a git repo of its own (changeset publish tags). Nothing in
// the real checkout is changed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function makeScratch(root, dest) {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;  // deleted in the working tree
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(join(root, file), join(dest, file), { preserveTimestamps: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dest, 'node_modules'));
  // core's development build is the checkout's own (same sources; a release ships prebuilds, never
  // build/): linked, so core's build script finds it up to date instead of compiling it again.
  if (existsSync(join(root, 'packages/core/build/config.gypi'))) {
    symlinkSync(join(root, 'packages/core/build'), join(dest, 'packages/core/build'));
  }
  // Each workspace package's node_modules holds only links: copied as links (relative ones land in the
  // scratch copy, so workspace packages link to the scratch copies).
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const nm = join(root, group, name, 'node_modules');
      if (existsSync(nm)) copyLinks(nm, join(dest, group, name, 'node_modules'));
    }
  }
  const git = (...args) => execFileSync('git', args, { cwd: dest, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', 'commit', '-qm', 'scratch');
}

function copyLinks(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const st = lstatSync(src);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), join(to, entry));
    else if (st.isDirectory()) copyLinks(src, join(to, entry));
    else cpSync(src, join(to, entry));
  }
}
