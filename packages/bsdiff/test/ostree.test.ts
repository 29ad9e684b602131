// Against real ostree 2022.7: our bspatch applies the bsdiff patches ostree's own bsdiff
// (mendsley) writes into a static delta, and ostree applies a delta whose bsdiff payload was
// replaced by ours (`static-delta apply-offline`, then fsck and the file's bytes compared). A
// delta carrying a wrong patch is refused, so the check cannot pass by ostree skipping the op.
// Delta parts are read and rewritten by test/ostree-delta.py (python3-gi, spec §5).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasOstree, ostree, ostreeResult } from '../../../test-vectors/trees/ostree.js';
import { bspatch, bspatchStream, bsdiffSync, oldFileFromBytes } from '../src/index.js';
import { collect, concat, withTempDir } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'ostree-delta.py');
const HAVE_ORACLE = hasOstree && existsSync(PYTHON) && execFileSync(PYTHON, ['-c', 'import gi, lzma; print(1)'], { encoding: 'utf8' }).trim() === '1';

/** Deterministic binary-like bytes. */
function pseudoRandom(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Version 2: a byte flipped every 2 KiB (so ostree's rollsum finds no reusable chunks and picks bsdiff), an insert and a delete. */
function edited(old: Uint8Array): Uint8Array {
  const next = old.slice();
  for (let i = 0; i < next.length; i += 2048) next[i]! ^= 0x55;
  return concat([next.subarray(0, 5000), new TextEncoder().encode('inserted by v2 '.repeat(20)), next.subarray(5000, 90_000), next.subarray(93_000)]);
}

interface DeltaPatch {
  part: number;
  size: number;
  patch: string;
}

const extract = (superblock: string): DeltaPatch[] => JSON.parse(execFileSync(PYTHON, [SCRIPT, 'extract', superblock], { encoding: 'utf8' }));
const replace = (superblock: string, patchFile: string) => execFileSync(PYTHON, [SCRIPT, 'replace', superblock, '0', patchFile]);

function findSuperblock(dir: string): string {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (entry.endsWith('superblock')) return join(dir, entry);
  throw new Error(`no superblock under ${dir}`);
}

/** A bare-user repo with v1 and v2 of data.bin, and the from→to delta ostree generates. */
function makeDelta(dir: string, v1: Uint8Array, v2: Uint8Array) {
  const repo = join(dir, 'repo');
  for (const [name, data] of [['v1', v1], ['v2', v2]] as const) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'data.bin'), data);
  }
  ostree('init', `--repo=${repo}`, '--mode=bare-user');
  const from = ostree('commit', `--repo=${repo}`, '-b', 'os/main', '--timestamp=2021-01-01 00:00:00 +0000', join(dir, 'v1')).trim();
  const to = ostree('commit', `--repo=${repo}`, '-b', 'os/main', '--timestamp=2021-01-02 00:00:00 +0000', join(dir, 'v2')).trim();
  ostree('static-delta', 'generate', `--repo=${repo}`, `--from=${from}`, `--to=${to}`, '--min-fallback-size=0');
  return { repo, from, to, superblock: findSuperblock(join(repo, 'deltas')) };
}

/** Applies the delta offline into a fresh bare-user repo holding only the from-commit. */
function applyOffline(dir: string, delta: ReturnType<typeof makeDelta>, name: string) {
  const target = join(dir, name);
  ostree('init', `--repo=${target}`, '--mode=bare-user');
  ostree('pull-local', `--repo=${target}`, delta.repo, delta.from);
  const result = ostreeResult('static-delta', 'apply-offline', `--repo=${target}`, delta.superblock);
  return { target, result };
}

const PAIRS: [string, () => [Uint8Array, Uint8Array]][] = [
  ['200 KB of pseudo-random bytes, edited', () => [pseudoRandom(200_000, 7), edited(pseudoRandom(200_000, 7))]],
];
if (existsSync('/usr/bin/bsdiff') && existsSync('/usr/bin/bspatch')) {
  // Two real ELF binaries (ostree picks bsdiff by basename and a size within ±30%; both are data.bin here).
  PAIRS.push(['ELF /usr/bin/bsdiff → /usr/bin/bspatch', () => [new Uint8Array(readFileSync('/usr/bin/bsdiff')), new Uint8Array(readFileSync('/usr/bin/bspatch'))]]);
}

describe.runIf(HAVE_ORACLE).each(PAIRS)('with real ostree static deltas: %s', (_name, pair) => {
  const [v1, v2] = pair();

  let ostreePatches: DeltaPatch[] = [];
  beforeAll(() => {
    ostreePatches = withTempDir((dir) => extract(makeDelta(dir, v1, v2).superblock));
  });

  it("our bspatch applies the patch ostree's bsdiff wrote", async () => {
    expect(ostreePatches).toHaveLength(1);
    const { size, patch } = ostreePatches[0]!;
    expect(size).toBe(v2.length);
    const raw = new Uint8Array(Buffer.from(patch, 'base64'));
    expect(Buffer.from(bspatch(v1, raw, size)).equals(v2)).toBe(true);
    expect(Buffer.from(concat(await collect(bspatchStream(oldFileFromBytes(v1), raw, size, { chunkSize: 4096 })))).equals(v2)).toBe(true);
  });

  it('ostree applies a delta carrying our bsdiff patch', () => {
    withTempDir((dir) => {
      const delta = makeDelta(dir, v1, v2);
      const ours = bsdiffSync(v1, v2);
      writeFileSync(join(dir, 'ours.patch'), ours);
      replace(delta.superblock, join(dir, 'ours.patch'));
      const carried = extract(delta.superblock);
      expect(carried).toHaveLength(1);
      expect(Buffer.from(carried[0]!.patch, 'base64').equals(ours)).toBe(true);

      const { target, result } = applyOffline(dir, delta, 'applied');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(ostreeResult('fsck', `--repo=${target}`).status).toBe(0);
      const data = execFileSync('ostree', ['cat', `--repo=${target}`, delta.to, '/data.bin'], { maxBuffer: 1 << 26 });
      expect(data.equals(v2)).toBe(true);
    });
  });

  it('ostree refuses the same delta carrying a wrong patch (the op really runs)', () => {
    withTempDir((dir) => {
      const delta = makeDelta(dir, v1, v2);
      const wrongTarget = v2.slice();
      wrongTarget[1234]! ^= 1;
      const wrong = bsdiffSync(v1, wrongTarget); // a valid stream for the right size, one byte off
      writeFileSync(join(dir, 'wrong.patch'), wrong);
      replace(delta.superblock, join(dir, 'wrong.patch'));
      const { result } = applyOffline(dir, delta, 'applied');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/checksum|Corrupted|bsdiff/i);
    });
  });
});
