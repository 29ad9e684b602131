// commit --link-checkout-speedup: a hardlink checkout, edited, committed again — same commit
// and the same number of devino cache hits as ostree.
import { mkdtemp, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ours, theirs } from './helpers/run.js';
import { makeTree } from './helpers/tree.js';

describe('commit --link-checkout-speedup', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-devino-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  // ostree never trusts a hit when xattrs are dropped (always so in bare-user-only) unless -I.
  it.each([
    ['bare', [], true],
    ['bare-user-only', [], false],
    ['bare-user-only', ['-I'], true],
  ] as const)('%s %j: same checksum and cache hits as ostree', async (mode, extra, expectHits) => {
    const tree = await makeTree();
    const label = `${mode}${extra.join('')}`;
    const results: string[] = [];
    for (const [side, run] of [
      ['ours', ours],
      ['theirs', theirs],
    ] as const) {
      const repo = join(tmp, `${label}-${side}`);
      const co = join(tmp, `${label}-${side}-co`);
      const ts = '--timestamp=2024-01-01 00:00:00 +0000';
      expect((await run([`--repo=${repo}`, 'init', `--mode=${mode}`])).code).toBe(0);
      expect((await run([`--repo=${repo}`, 'commit', '-b', 'base', ts, `--tree=dir=${tree}`])).code).toBe(0);
      // Real ostree makes the checkout for both sides: the hardlinks are the input under test.
      expect((await theirs([`--repo=${repo}`, 'checkout', 'base', co])).code).toBe(0);
      await unlink(join(co, 'README')).catch(() => undefined);
      await writeFile(join(co, 'README'), 'changed\n');
      await writeFile(join(co, 'new-file'), 'new\n');
      const r = await run([`--repo=${repo}`, 'commit', '-b', 'layer', ts, '--link-checkout-speedup', ...extra, '--table-output', `--tree=dir=${co}`]);
      expect(r.code).toBe(0);
      results.push(r.stdout.replace(/Content Bytes Written: \d+\n/, ''));
    }
    expect(results[0]).toBe(results[1]);
    expect(results[0]).toMatch(expectHits ? /Content Cache Hits: [1-9]/ : /Content Cache Hits: 0\n/);
  });
});
