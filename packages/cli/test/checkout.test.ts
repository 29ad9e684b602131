// `ostree-ts checkout` against `ostree checkout` on the golden repos: same trees, same errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_MODES, unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { ours, sh, theirs } from './helpers/run.js';

const listing = (dir: string) =>
  sh('sh', ['-c', 'find . -printf "%p %y %m %U %G %s %l\\n" | sort; find . -type f -exec sha256sum {} + | sort; getfattr -R -h -d -m - . 2>/dev/null | sort'], dir);

describe.each(REPO_MODES)('checkout from the %s golden repo', (mode) => {
  let repo: UnpackedRepo;
  let tmp: string;
  beforeAll(async () => {
    repo = await unpackRepo(mode);
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-cli-checkout-'));
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(tmp, { recursive: true, force: true });
  });

  const flags = mode === 'bare' ? [[], ['--force-copy'], ['--subpath=/data']] : [['-U'], ['-U', '--force-copy'], ['-U', '--subpath=/data']];
  it.each(flags)('with %j gives the tree ostree gives', async (...args) => {
    const name = args.join('').replace(/[^a-zA-Z]/g, '') || 'plain';
    const a = join(tmp, `ours-${name}`);
    const b = join(tmp, `theirs-${name}`);
    const x = await ours([`--repo=${repo.path}`, 'checkout', ...args, 'test/main', a]);
    const y = await theirs([`--repo=${repo.path}`, 'checkout', ...args, 'test/main', b]);
    expect(x).toEqual(y);
    expect(x.code).toBe(0);
    const mine = await listing(a);
    expect(mine.split('\n').length).toBeGreaterThan(10);
    expect(mine).toBe(await listing(b));
  });

  it('refuses an existing destination with ostree’s message and exit code', async () => {
    const dest = join(tmp, 'exists');
    await theirs([`--repo=${repo.path}`, 'checkout', '-U', 'test/main', dest]);
    const x = await ours([`--repo=${repo.path}`, 'checkout', '-U', 'test/main', dest]);
    const y = await theirs([`--repo=${repo.path}`, 'checkout', '-U', 'test/main', dest]);
    expect(x).toEqual(y);
    expect(x.code).toBe(1);
  });
});
