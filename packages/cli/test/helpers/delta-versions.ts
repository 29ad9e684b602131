// Versions of a small OS tree for the static-delta suites: each version changes a binary in place
// (bsdiff), a library in its middle (rollsum), adds a text file and a 4.5 MB incompressible file
// (above ostree's 4 MB fallback threshold, so a fallback unless --min-fallback-size=0).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noise } from '../../../../test-vectors/trees/noise.js';

/** Writes version `v` (1, 2, 3, …) of the tree under `root`. */
export function writeVersion(root: string, v: number): void {
  const file = (p: string, content: string | Uint8Array, mode = 0o644) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
    chmodSync(join(root, p), mode);
  };
  file('etc/os-release', `VERSION=${v}\n`);
  const bin = noise(200_000, 5);
  for (let i = 0; i < bin.length; i += 997 * v) bin[i] = (bin[i]! + v) & 0xff;
  file('usr/bin/app', bin, 0o755);
  file('usr/lib/libx.so', Buffer.concat([noise(100_000, 9), noise(3000, 100 + v), noise(100_000, 10)]), 0o755);
  file(`usr/share/doc-${v}.txt`, 'doc\n'.repeat(100 * v));
  file(`usr/share/big-${v}.bin`, noise(4_500_000, 1000 + v));
}
