// A kill -9 at any moment of a large commit never leaves a repository that real `ostree fsck`
// rejects, and the ref only ever points at a complete commit.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsckRepo, initRepo, openRepo } from '../src/index.js';
import { hasOstree, ostreeResult } from './helpers/ostree.js';

const child = join(import.meta.dirname, 'helpers/commit-child.mjs');
const ITERATIONS = 12;

// Deterministic pseudo-random delays, so a failure can be replayed.
function* delays(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    yield 30 + (x % 1500);
  }
}

function runAndKill(args: string[], delayMs: number): Promise<{ finished: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ finished: false, stdout });
      else if (code === 0) resolve({ finished: true, stdout });
      else reject(new Error(`child failed (${code}): ${stderr}`));
    });
  });
}

describe.skipIf(!hasOstree)('kill -9 during commit', () => {
  let work: string;
  let tree: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-crash-'));
    tree = join(work, 'tree');
    for (let d = 0; d < 40; d++) {
      mkdirSync(join(tree, `dir${d}`), { recursive: true });
      for (let f = 0; f < 60; f++) writeFileSync(join(tree, `dir${d}`, `file${f}`), `content ${d}/${f}\n`.repeat(1 + ((d * f) % 50)));
    }
    writeFileSync(join(tree, 'large.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(['archive', 'bare-user'] as const)('%s: every interrupted commit leaves an fsck-clean repo', async (mode) => {
    const repoPath = join(work, `repo-${mode}`);
    await initRepo(nodeFs(), repoPath, { mode });
    const delay = delays(mode === 'archive' ? 1 : 2);
    let killed = 0;
    let finished = 0; // reported in the failure message of the next assertion when it matters
    let lastComplete: string | undefined;
    for (let i = 0; i < ITERATIONS; i++) {
      // Each round changes the tree so there is always something new to write.
      writeFileSync(join(tree, `round-${mode}`), `round ${i}\n`);
      const r = await runAndKill([repoPath, tree, 'main', `round ${i}`], delay.next().value as number);
      if (r.finished) {
        finished++;
        lastComplete = r.stdout.trim();
      } else killed++;
      const fsck = ostreeResult('fsck', `--repo=${repoPath}`);
      expect({ round: i, status: fsck.status, stderr: fsck.stderr }).toEqual({ round: i, status: 0, stderr: '' });
      const refFile = join(repoPath, 'refs/heads/main');
      if (existsSync(refFile)) {
        const ref = readFileSync(refFile, 'utf8').trim();
        if (r.finished) expect(ref).toBe(lastComplete);
        expect(ostreeResult('ls', `--repo=${repoPath}`, '-R', ref).status).toBe(0);
      }
    }
    // The schedule must actually interrupt commits, or this test proves nothing.
    expect({ killed, finished }).toMatchObject({ killed: expect.toSatisfy((n: number) => n > 2) });
    const ours = await fsckRepo(await openRepo(nodeFs(), repoPath));
    expect(ours.corruptionFound).toBe(false);
  }, 600_000);
});
