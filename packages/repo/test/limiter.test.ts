import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { describe, expect, it } from 'vitest';
import { Limiter, initRepo, writeTree } from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Limiter.all', () => {
  it('after the first failure starts nothing new, waits for running tasks, then throws the first error', async () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    const finished: number[] = [];
    const run = limiter.all([0, 1, 2, 3, 4, 5], async (i) => {
      started.push(i);
      if (i === 0) {
        await sleep(5);
        throw new Error('first');
      }
      if (i === 1) {
        await sleep(40);
        finished.push(i);
        throw new Error('second');
      }
      await sleep(5);
      finished.push(i);
    });
    await expect(run).rejects.toThrow('first');
    // Task 1 was running when 0 failed: it finished before all() returned; 3–5 never started.
    expect(finished).toContain(1);
    expect(started).not.toContain(3);
    expect(started.length).toBeLessThanOrEqual(3);
  });

  it('resolves when every task succeeds, never running more than the limit at once', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    await limiter.all(Array.from({ length: 20 }, (_, i) => i), async () => {
      peak = Math.max(peak, ++active);
      await sleep(2);
      active--;
    });
    expect(peak).toBe(3);
  });
});

describe('a commit that fails part-way', () => {
  it('leaves no write running or temporary file behind when it rejects', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ostree-ts-abort-'));
    try {
      const tree = join(work, 'tree');
      mkdirSync(tree);
      for (let i = 0; i < 200; i++) writeFileSync(join(tree, `f${String(i).padStart(3, '0')}`), `file ${i}\n`.repeat(200));
      // Refused when its directory is reached, while the root's file writes are running.
      mkdirSync(join(tree, 'sub'));
      execFileSync('mkfifo', [join(tree, 'sub/fifo')]);
      const fs = nodeFs();
      const repo = await initRepo(fs, join(work, 'repo'), { mode: 'archive' });
      const snapshot = () =>
        execFileSync('sh', ['-c', 'find objects tmp -type f | sort'], { cwd: join(work, 'repo'), encoding: 'utf8' });
      await expect(writeTree(repo, fs, tree, { concurrency: 8 })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      // Right at the rejection: no temporary file, and nothing changes afterwards.
      const atRejection = snapshot();
      expect(atRejection).not.toMatch(/tmp\/ostree-ts-/);
      await sleep(100);
      expect(snapshot()).toBe(atRejection);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
