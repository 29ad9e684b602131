/**
 * A source tree exercising everything a commit must record: every file type, special mode
 * bits, owners, user xattrs, non-ASCII and 255-byte names, empty directories, a hardlinked
 * pair, a multi-MiB file and a kernel (for --bootable).
 */
import { createHash } from 'node:crypto';
import { chmod, chown, link, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sh } from './run.js';

function pseudoRandom(bytes: number, seed: string): Buffer {
  const out = Buffer.alloc(bytes);
  let block = createHash('sha256').update(seed).digest();
  for (let pos = 0; pos < bytes; pos += block.length) {
    block.copy(out, pos);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Creates the tree in a new temporary directory and returns its path. */
export async function makeTree(options: { bootable?: boolean } = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ostree-ts-cli-tree-'));
  const p = (...parts: string[]) => join(root, ...parts);
  await writeFile(p('README'), 'hello from the crafted tree\n');
  await writeFile(p('empty'), '');
  await writeFile(p('private'), 'secret\n');
  await chmod(p('private'), 0o600);
  await mkdir(p('bin'));
  await writeFile(p('bin', 'tool'), '#!/bin/sh\necho tool\n');
  await chmod(p('bin', 'tool'), 0o755);
  await writeFile(p('bin', 'suid'), 'setuid\n');
  await chmod(p('bin', 'suid'), 0o4755);
  await writeFile(p('bin', 'sgid'), 'setgid\n');
  await chmod(p('bin', 'sgid'), 0o2755);
  await mkdir(p('tmp'));
  await chmod(p('tmp'), 0o1777);
  await writeFile(p('tmp', 'note'), 'sticky dir\n');
  await mkdir(p('empty-dir'));
  await mkdir(p('names'));
  await writeFile(p('names', 'größe-日本語.txt'), 'non-ascii\n');
  await writeFile(p('names', 'x'.repeat(251) + '.txt'), 'long name\n');
  await mkdir(p('links'));
  await symlink('/etc/os-release', p('links', 'absolute'));
  await symlink('../README', p('links', 'relative'));
  await symlink('does-not-exist', p('links', 'dangling'));
  await mkdir(p('hard'));
  await writeFile(p('hard', 'a'), 'hardlinked content\n');
  await link(p('hard', 'a'), p('hard', 'b'));
  await mkdir(p('big'));
  await writeFile(p('big', 'blob'), pseudoRandom(3 * 1024 * 1024 + 17, 'blob'));
  await writeFile(p('owned'), 'owned by 1000\n');
  await chown(p('owned'), 1000, 1000);
  await mkdir(p('xattrs'));
  await writeFile(p('xattrs', 'file'), 'has xattrs\n');
  await sh('setfattr', ['-n', 'user.foo', '-v', 'bar', p('xattrs', 'file')]);
  await sh('setfattr', ['-n', 'user.abc', '-v', '0x0001ff', p('xattrs', 'file')]);
  await sh('setfattr', ['-n', 'user.dir', '-v', 'dirvalue', p('xattrs')]);
  if (options.bootable) {
    await mkdir(p('usr', 'lib', 'modules', '6.1.0-test'), { recursive: true });
    await writeFile(p('usr', 'lib', 'modules', '6.1.0-test', 'vmlinuz'), 'not really a kernel\n');
    await writeFile(p('usr', 'lib', 'modules', '6.1.0-test', 'initramfs.img'), 'not really an initramfs\n');
  }
  await chmod(root, 0o755);
  return root;
}
