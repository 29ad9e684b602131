// Deltas made by real ostree 2022.7, for the codec and apply tests: two commits of a small tree
// whose changes exercise every kind of operation (plain, rollsum, bsdiff, symlinks, xattrs).
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, symlinkSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ostree } from '../../../../test-vectors/trees/ostree.js';
import { bigContent } from '../../../../test-vectors/trees/crafted-tree.js';
import { noise } from '../../../../test-vectors/trees/noise.js';

// Re-exported for the suites that take it from here.
export { noise };

export interface RealDeltaFixture {
  readonly dir: string;
  /** archive repo holding both commits */
  readonly repo: string;
  readonly v1: string;
  readonly v2: string;
  /** Generates a delta into `repo` with extra flags; returns nothing (use superblockOf). */
  generate(...flags: string[]): void;
  /** Removes every delta from `repo`. */
  clearDeltas(): void;
  cleanup(): void;
}

function writeTree(root: string, version: 1 | 2): void {
  const file = (p: string, content: string | Uint8Array, mode = 0o644) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
    chmodSync(join(root, p), mode);
  };
  mkdirSync(root, { recursive: true });
  file('etc/hostname', version === 1 ? 'device\n' : 'device2\n');
  file('etc/os-release', 'NAME=test\nVERSION=' + version + '\n');
  file('usr/bin/tool', Buffer.concat([noise(150_000, 7), Buffer.from(`v${version}`)]), 0o755);
  // rollsum candidate: mostly identical, an inserted block in v2
  const base = bigContent(400_000, 3);
  file(
    'usr/lib/libbig.so',
    version === 1 ? base : Buffer.concat([base.subarray(0, 200_000), noise(5000, 99), base.subarray(200_000)]),
    0o755,
  );
  // bsdiff candidate: scattered byte edits defeat rollsum chunk matching
  const bin = noise(300_000, 11);
  if (version === 2) for (let i = 0; i < bin.length; i += 1500) bin[i] = (bin[i]! + 1) & 0xff;
  file('usr/lib/libedit.so', bin, 0o755);
  file('usr/share/empty', '');
  file(`usr/share/only-v${version}.txt`, `only in ${version}\n`);
  file('var/secret', 'mode 600\n', 0o600);
  symlinkSync(version === 1 ? 'tool' : '../bin/tool', join(root, 'usr/bin/link'));
  mkdirSync(join(root, 'var/empty-dir'), { recursive: true });
  if (version === 2) file('usr/share/big-new.bin', noise(5_000_000, 1234)); // fallback candidate
}

export function makeRealDeltaFixture(): RealDeltaFixture {
  const dir = mkdtempSync(join(tmpdir(), 'delta-fixture-'));
  const repo = join(dir, 'repo');
  ostree('init', `--repo=${repo}`, '--mode=archive');
  const commit = (version: 1 | 2): string => {
    const tree = join(dir, `tree${version}`);
    writeTree(tree, version);
    return ostree(`--repo=${repo}`, 'commit', '-b', 'main', `--tree=dir=${tree}`, '--owner-uid=0', '--owner-gid=0', '--no-xattrs', `--subject=v${version}`, '--timestamp=2020-01-01T00:00:00Z').trim();
  };
  const v1 = commit(1);
  const v2 = commit(2);
  return {
    dir,
    repo,
    v1,
    v2,
    generate: (...flags) => void ostree(`--repo=${repo}`, 'static-delta', 'generate', ...flags),
    clearDeltas: () => rmSync(join(repo, 'deltas'), { recursive: true, force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function readRepoFile(repo: string, rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(repo, rel)));
}
