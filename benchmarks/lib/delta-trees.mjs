// Tree pairs for the static-delta benchmarks (generate and apply), committed as v1 and v2.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeNoise } from './noise.mjs';

/**
 * Two trees under `dir` holding one `mib` MiB incompressible file, v2 = v1 with 10 scattered
 * one-byte edits per MiB, the MiB at mib/4 rewritten and 64 KiB inserted at mib/2. `dense`: one
 * byte edited every 4 KiB instead, so that rollsum finds too few equal chunks and ostree falls
 * back to bsdiff. Returns [v1, v2].
 */
export function editedBinaryTrees(dir, mib, dense = false) {
  const size = mib * 1024 * 1024;
  const v1 = join(dir, `big${mib}-v1`);
  const v2 = join(dir, `big${mib}-v2`);
  mkdirSync(join(v1, 'usr/lib/firmware'), { recursive: true });
  mkdirSync(join(v2, 'usr/lib/firmware'), { recursive: true });
  writeNoise(join(v1, 'usr/lib/firmware/image.bin'), size, 42);
  writeNoise(join(v2, 'usr/lib/firmware/image.bin'), size, 42, (block, at) => {
    const b = Buffer.from(block);
    if (dense) for (let i = 0; i < b.length; i += 4096) b[i] ^= 0x5a;
    else for (let k = 0; k < 10; k++) b[(k * 104729 + at) % b.length] ^= 0x5a;
    if (at === Math.floor(mib / 4) * 1024 * 1024) b.fill(0x33);
    if (at === Math.floor(mib / 2) * 1024 * 1024) return Buffer.concat([Buffer.alloc(65536, 0x77), b]);
    return b;
  });
  return [v1, v2];
}

/** A new archive repo at `repo` with `t1` then `t2` committed by real ostree on branch `bench`. */
export function commitTreePair(repo, t1, t2) {
  execFileSync('ostree', ['init', `--repo=${repo}`, '--mode=archive']);
  const commit = (tree, v) =>
    execFileSync('ostree', ['commit', `--repo=${repo}`, '-b', 'bench', `--subject=${v}`, '--no-bindings', '--timestamp=2024-01-01T00:00:00Z', `--tree=dir=${tree}`], {
      encoding: 'utf8',
    }).trim();
  return { from: commit(t1, 'v1'), to: commit(t2, 'v2') };
}
