import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSystemConformance } from '@ostree-ts/io/conformance';
import { nodeFs } from '@ostree-ts/io-node';

const isRoot = process.getuid?.() === 0;
const runner = { describe, it, expect };

async function tempTarget(native: boolean, syncCalls = false) {
  const root = await mkdtemp(join(tmpdir(), 'ostree-ts-io-'));
  return { fs: nodeFs({ native, syncCalls }), root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

// When not root, the ownership checks are registered with it.skip (and EPERM is checked instead).
fileSystemConformance(() => tempTarget(true), runner, { name: 'nodeFs', privileged: isRoot });
fileSystemConformance(() => tempTarget(false), runner, { name: 'nodeFs without koffi', privileged: isRoot });
// The synchronous-call mode must behave identically, errors included.
fileSystemConformance(() => tempTarget(true, true), runner, { name: 'nodeFs with syncCalls', privileged: isRoot });
fileSystemConformance(() => tempTarget(false, true), runner, { name: 'nodeFs with syncCalls, without koffi', privileged: isRoot });
fileSystemConformance(
  async () => {
    const base = await mkdtemp(join(tmpdir(), 'ostree-ts-io-'));
    await mkdir(join(base, 'real/root'), { recursive: true });
    await symlink('real', join(base, 'link'));
    return { fs: nodeFs(), root: join(base, 'link/root'), cleanup: () => rm(base, { recursive: true, force: true }) };
  },
  runner,
  { name: 'nodeFs, root reached through a symlink', privileged: isRoot },
);
