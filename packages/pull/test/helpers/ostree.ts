// Running real ostree, and comparing checked-out trees.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bigContent } from '../../../../test-vectors/trees/crafted-tree.js';

import { hasOstree, ostree, ostreeResult } from '../../../../test-vectors/trees/ostree.js';

export { hasOstree, ostree, ostreeResult };

/** Creates a `mode` repository at `path` with real ostree, with a remote `origin` at `url` (no GPG). */
export function initRepoWithOrigin(path: string, mode: string, url: string): string {
  ostree('init', `--repo=${path}`, `--mode=${mode}`);
  ostree('remote', 'add', `--repo=${path}`, '--no-gpg-verify', 'origin', url);
  return path;
}

/** A tree with regular files of several modes, a multi-MiB file, symlinks, xattrs, empty dirs. */
export function makeTree(root: string, options: { xattrs: boolean }): void {
  const file = (p: string, content: string | Buffer, mode = 0o644) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
    chmodSync(join(root, p), mode);
  };
  mkdirSync(root, { recursive: true });
  file('etc/hostname', 'device\n');
  file('etc/shadow', 'root:*:1::::::\n', 0o600);
  file('usr/bin/tool', '#!/bin/sh\necho tool\n', 0o755);
  file('usr/share/empty-file', '');
  file('usr/share/größe.txt', 'non-ascii\n');
  file('usr/lib/big.bin', bigContent(3 * 1024 * 1024));
  file('usr/lib/medium.bin', bigContent(300 * 1024, 7));
  for (let i = 0; i < 40; i++) file(`usr/share/doc/f${i}.txt`, `file number ${i}\n`.repeat(i + 1));
  file('usr/share/doc/dup.txt', 'file number 3\n'.repeat(4)); // same content as f3
  symlinkSync('hostname', join(root, 'etc/hostname-link'));
  symlinkSync('/usr/bin/tool', join(root, 'usr/bin/abs-link'));
  symlinkSync('does-not-exist', join(root, 'usr/share/dangling'));
  mkdirSync(join(root, 'var/empty'), { recursive: true });
  mkdirSync(join(root, 'var/lib/a/b/c'), { recursive: true });
  if (options.xattrs) {
    execFileSync('setfattr', ['-n', 'user.test', '-v', 'file-attr', join(root, 'etc/hostname')]);
    execFileSync('setfattr', ['-n', 'user.other', '-v', '0x00ff10', join(root, 'usr/lib/big.bin')]);
    execFileSync('setfattr', ['-n', 'user.dir', '-v', 'dir-attr', join(root, 'var/lib')]);
  }
}

/** type, mode, owner, content hash / link target and user xattrs of every entry. */
export function snapshot(root: string): string[] {
  const lines: string[] = [];
  const walk = (path: string, rel: string) => {
    const st = lstatSync(path);
    let d = `${rel} mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid}`;
    if (st.isSymbolicLink()) d += ` -> ${readlinkSync(path)}`;
    else {
      if (st.isFile()) d += ` sha=${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
      const x = execFileSync('getfattr', ['-h', '-d', '-m', '^user\\.', '-e', 'hex', '--absolute-names', path], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes('='))
        .sort();
      if (x.length) d += ` xattrs[${x.join(' ')}]`;
    }
    lines.push(d);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name), `${rel}/${name}`);
  };
  walk(root, '.');
  return lines;
}
