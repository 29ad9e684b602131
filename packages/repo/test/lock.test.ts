// The repository lock interoperates with real ostree: our writers hold it shared, our prune
// exclusive, and each side waits for (or times out on) the other.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitDirectory, openRepo, pruneRepo, withRepoLock } from '../src/index.js';
import { hasOstree, ostree, ostreeResult } from './helpers/ostree.js';

describe.skipIf(!hasOstree)('repository lock against real ostree', () => {
  let work: string;
  let repoPath: string;
  let tree: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-lock-'));
    repoPath = join(work, 'repo');
    tree = join(work, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'f'), 'x\n');
    ostree('init', `--repo=${repoPath}`, '--mode=archive');
    ostree('config', `--repo=${repoPath}`, 'set', 'core.lock-timeout-secs', '1');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('while ostree-ts holds the shared lock, ostree commits but cannot prune', async () => {
    const repo = await openRepo(nodeFs(), repoPath);
    await withRepoLock(repo, 'shared', async () => {
      expect(ostreeResult('commit', `--repo=${repoPath}`, '-b', 'a', `--tree=dir=${tree}`).status).toBe(0);
      const prune = ostreeResult('prune', `--repo=${repoPath}`, '--refs-only');
      expect(prune.status).toBe(1);
      expect(prune.stderr).toBe('error: Locking repo exclusive failed: Resource temporarily unavailable\n');
    });
    expect(ostreeResult('prune', `--repo=${repoPath}`, '--refs-only').status).toBe(0);
  });

  it('while ostree-ts prunes (exclusive), ostree cannot commit; ostree-ts times out like ostree', async () => {
    const fs = nodeFs();
    const repo = await openRepo(fs, repoPath);
    await withRepoLock(repo, 'exclusive', async () => {
      const commit = ostreeResult('commit', `--repo=${repoPath}`, '-b', 'b', `--tree=dir=${tree}`);
      expect(commit.status).toBe(1);
      expect(commit.stderr).toBe('error: Locking repo shared failed: Resource temporarily unavailable\n');
    });
    // Another holder (a separate handle, as another process would be) blocks our commit too.
    const other = await fs.lockFile(join(repoPath, '.lock'), 'exclusive');
    try {
      const second = await openRepo(fs, repoPath);
      await expect(commitDirectory(second, fs, tree, { ref: 'c' })).rejects.toMatchObject({
        code: 'REPO_LOCKED',
        message: 'Locking repo shared failed: Resource temporarily unavailable',
      });
      await expect(pruneRepo(second)).rejects.toMatchObject({ code: 'REPO_LOCKED' });
    } finally {
      await other.release();
    }
    const again = await openRepo(fs, repoPath);
    expect((await commitDirectory(again, fs, tree, { ref: 'c' })).checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('core.locking=false skips the lock', async () => {
    const fs = nodeFs();
    const other = await fs.lockFile(join(repoPath, '.lock'), 'exclusive');
    try {
      const repo = await openRepo(fs, repoPath);
      repo.config.setValue('core', 'locking', 'false');
      await repo.saveConfig();
      await expect(commitDirectory(repo, fs, tree, { ref: 'd' })).resolves.toBeDefined();
      repo.config.removeKey('core', 'locking');
      await repo.saveConfig();
    } finally {
      await other.release();
    }
  });
});
