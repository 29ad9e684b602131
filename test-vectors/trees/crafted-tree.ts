// The crafted tree the compatibility tests commit, check out and pull with both ostree-ts and
// real ostree: every file type ostree commits, modes 4755/2755/1777/0600 (and an
// owner-unreadable file), user xattrs on files and directories, non-root owners, non-ASCII and
// 255-byte names, empty directories and files, a hardlinked pair, symlinks (relative,
// absolute, dangling, to a directory, pointing out of the tree), a multi-MiB file.
// Deterministic, so checksums can be compared across runs and implementations.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CraftedTreeOptions {
  /** Set user.* xattrs. */
  readonly xattrs?: boolean;
  /** Give files and a directory a non-root owner (needs root). */
  readonly owners?: boolean;
  /** Include setuid/setgid/sticky modes. */
  readonly specialModes?: boolean;
  /** Size of the large file in bytes (default 3 MiB). */
  readonly largeFileBytes?: number;
}

/** Deterministic bytes, mixed text and pseudo-random: compressible, but not trivially. */
export function bigContent(bytes: number, seed = 0x12345678): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 64 < 48 ? 0x61 + ((i >> 6) % 26) : x >>> 24;
  }
  return out;
}

export function makeCraftedTree(root: string, options: CraftedTreeOptions = {}): void {
  const file = (p: string, content: string | Buffer, mode = 0o644) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
    chmodSync(join(root, p), mode);
  };
  mkdirSync(root, { recursive: true });
  file('etc/hostname', 'device\n');
  file('etc/shadow', 'root:*:1::::::\n', 0o600);
  file('etc/group.conf', 'g\n', 0o640);
  file('etc/write-only', 'secret\n', 0o200);
  file('usr/bin/tool', '#!/bin/sh\necho tool\n', 0o755);
  file('usr/share/empty-file', '');
  file('usr/share/empty-exec', '', 0o755);
  file('usr/share/größe.txt', 'non-ascii\n');
  file('usr/share/日本語/ファイル', 'japanese\n');
  file(`usr/share/${'n'.repeat(255)}`, '255-byte name\n');
  file('usr/lib/big.bin', bigContent(options.largeFileBytes ?? 3 * 1024 * 1024));
  file('usr/lib/hard-a', 'hardlinked content\n');
  linkSync(join(root, 'usr/lib/hard-a'), join(root, 'usr/lib/hard-b'));
  symlinkSync('hostname', join(root, 'etc/hostname-link'));
  symlinkSync('/usr/bin/tool', join(root, 'usr/bin/abs-link'));
  symlinkSync('does-not-exist', join(root, 'usr/share/dangling'));
  symlinkSync('../share', join(root, 'usr/lib/share-dir-link'));
  symlinkSync('/tmp/outside-of-checkout', join(root, 'usr/lib/escape-link'));
  mkdirSync(join(root, 'var/empty'), { recursive: true });
  mkdirSync(join(root, 'var/lib/a/b/c'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), options.specialModes ? 0o1777 : 0o755);
  if (options.specialModes) {
    file('usr/bin/suid', '#!/bin/sh\n', 0o4755);
    file('usr/bin/sgid', '#!/bin/sh\n', 0o2755);
    mkdirSync(join(root, 'srv/shared'), { recursive: true });
    chmodSync(join(root, 'srv/shared'), 0o2775);
  }
  if (options.owners) {
    file('home/user/owned', 'mine\n');
    chownSync(join(root, 'home/user/owned'), 1000, 1000);
    chownSync(join(root, 'home/user'), 1000, 1000);
    symlinkSync('owned', join(root, 'home/user/owned-link'));
    execFileSync('chown', ['-h', '1000:1001', join(root, 'home/user/owned-link')]);
  }
  if (options.xattrs) {
    execFileSync('setfattr', ['-n', 'user.foo', '-v', 'bar', join(root, 'etc/hostname')]);
    execFileSync('setfattr', ['-n', 'user.abc', '-v', '0x00ff10', join(root, 'etc/hostname')]);
    execFileSync('setfattr', ['-n', 'user.dir', '-v', 'yes', join(root, 'usr/share')]);
    execFileSync('setfattr', ['-n', 'user.big', '-v', `0x${'ab'.repeat(300)}`, join(root, 'usr/lib/big.bin')]);
  }
  for (const d of ['', 'etc', 'usr', 'usr/bin', 'usr/share', 'usr/lib', 'var', 'var/empty', 'usr/share/日本語']) chmodSync(join(root, d), 0o755);
  chmodSync(join(root, 'var/lib/a/b'), 0o700);
}
