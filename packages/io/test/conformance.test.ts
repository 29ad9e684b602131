import { describe, expect, it } from 'vitest';
import { memoryFs } from '@ostree-ts/io';
import { fileSystemConformance } from '@ostree-ts/io/conformance';

const runner = { describe, it, expect };

fileSystemConformance(async () => ({ fs: memoryFs(), root: '/' }), runner, {
  name: 'memoryFs (root, at /)',
  privileged: true,
});

fileSystemConformance(
  async () => {
    const fs = memoryFs();
    await fs.mkdir('/srv/real/tmp', { recursive: true });
    await fs.symlink('real', '/srv/link');
    return { fs, root: '/srv/link/tmp' };
  },
  runner,
  { name: 'memoryFs (root reached through a symlink)', privileged: true },
);

fileSystemConformance(
  async () => {
    const fs = memoryFs({ uid: 1000, gid: 1000, umask: 0o077 });
    return { fs, root: '/' };
  },
  runner,
  { name: 'memoryFs (uid 1000, umask 077)', privileged: false },
);
