// `ostree-ts static-delta …` beside real ostree 2022.7: list/show/indexes print what ostree
// prints (on deltas ostree made and on deltas ostree-ts made), reindex writes the same index
// files, deltas generated here are applied by `ostree static-delta apply-offline` and used by
// `ostree pull` over HTTP (nginx on 127.0.0.1).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaDirectory } from '@ostree-ts/core';
import { startNginx } from '../../pull/test/helpers/servers.js';
import { hasOstree } from '../../../test-vectors/trees/ostree.js';
import { writeVersion } from './helpers/delta-versions.js';
import { ours, theirs } from './helpers/run.js';

const run = async (side: typeof ours, args: string[]) => {
  const r = await side(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

describe.skipIf(!hasOstree)('static-delta', { timeout: 300_000 }, () => {
  let tmp: string;
  let repo: string;
  let v1: string;
  let v2: string;
  let v3: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-static-delta-'));
    repo = join(tmp, 'repo');
    await run(theirs, [`--repo=${repo}`, 'init', '--mode=archive']);
    const commit = async (v: number) => {
      const tree = join(tmp, `tree${v}`);
      writeVersion(tree, v);
      return (await run(theirs, [`--repo=${repo}`, 'commit', '-b', 'os', `--tree=dir=${tree}`, '--no-xattrs', `--subject=v${v}`])).trim();
    };
    v1 = await commit(1);
    v2 = await commit(2);
    v3 = await commit(3);
  });
  afterAll(() => (process.env['KEEP_TMP'] ? console.log(tmp) : rmSync(tmp, { recursive: true, force: true })));

  const same = async (args: string[]) => {
    const a = await ours([`--repo=${repo}`, ...args]);
    const b = await theirs([`--repo=${repo}`, ...args]);
    expect({ code: a.code, stdout: a.stdout, stderr: a.stderr }).toEqual({ code: b.code, stdout: b.stdout, stderr: b.stderr });
    return a.stdout;
  };

  it('the static-delta usage, --help and subcommand errors match ostree (program name aside)', async () => {
    for (const args of [['static-delta'], ['static-delta', '--help'], ['static-delta', 'foo']]) {
      const a = await ours(args);
      const b = await theirs(args);
      const norm = (t: string) => t.replaceAll('ostree-ts ', 'ostree ');
      expect({ code: a.code, stdout: norm(a.stdout), stderr: norm(a.stderr) }).toEqual({ code: b.code, stdout: b.stdout, stderr: b.stderr });
    }
  });

  it('list, indexes and errors on an empty repo match ostree', async () => {
    expect(await same(['static-delta', 'list'])).toBe('(No static deltas)\n');
    expect(await same(['static-delta', 'indexes'])).toBe('(No static deltas indexes)\n');
    await same(['static-delta', 'show']);
    await same(['static-delta', 'show', 'foo']);
    await same(['static-delta', 'show', `${v1}-${v2}`]);
    await same(['static-delta', 'delete', v2]);
    await same(['static-delta', 'reindex', '--to=os']);
    await same(['static-delta', 'generate', '--to=os', '--set-endianness=x']);
    await same(['static-delta', 'generate', '--empty', '--from=os', '--to=os']);
  });

  it('list, show and indexes match ostree on deltas ostree made (bsdiff, fallback, scratch, big-endian)', async () => {
    await run(theirs, [`--repo=${repo}`, 'static-delta', 'generate', `--from=${v1}`, `--to=${v2}`]);
    await run(theirs, [`--repo=${repo}`, 'static-delta', 'generate', '--empty', `--to=${v2}`, '--swap-endianness', '--max-chunk-size=1']);
    await run(theirs, [`--repo=${repo}`, 'static-delta', 'generate', `--to=${v3}`, '--min-fallback-size=0']);
    await run(theirs, [`--repo=${repo}`, 'summary', '-u']);
    const list = await same(['static-delta', 'list']);
    expect(list.trim().split('\n').sort()).toEqual([`${v1}-${v2}`, v2, `${v2}-${v3}`].sort());
    expect((await same(['static-delta', 'indexes'])).trim().split('\n').sort()).toEqual([v2, v3].sort());
    for (const name of list.trim().split('\n')) await same(['static-delta', 'show', name]);
    const show = await same(['static-delta', 'show', `${v1}-${v2}`]);
    expect(show).toMatch(/Number of fallback entries: 1\n/);
    expect(await same(['static-delta', 'show', v2])).toMatch(/Endianness: big\n/);
  });

  it('reindex writes the same delta-indexes files as ostree, and --to only touches one', async () => {
    const snapshot = () => {
      const base = join(repo, 'delta-indexes');
      const out: Record<string, string> = {};
      for (const p of readdirSync(base)) for (const f of readdirSync(join(base, p))) out[`${p}/${f}`] = readFileSync(join(base, p, f)).toString('hex');
      return out;
    };
    rmSync(join(repo, 'delta-indexes'), { recursive: true, force: true });
    await run(theirs, [`--repo=${repo}`, 'static-delta', 'reindex']);
    const expected = snapshot();
    expect(Object.keys(expected)).toHaveLength(2);
    rmSync(join(repo, 'delta-indexes'), { recursive: true, force: true });
    await run(ours, [`--repo=${repo}`, 'static-delta', 'reindex']);
    expect(snapshot()).toEqual(expected);
    rmSync(join(repo, 'delta-indexes'), { recursive: true, force: true });
    await run(ours, [`--repo=${repo}`, 'static-delta', 'reindex', `--to=${v3}`]);
    expect(Object.keys(snapshot())).toHaveLength(1);
  });

  it('generate: ostree applies the delta offline; show and list agree with ostree; delete removes it', async () => {
    const out = await run(ours, [`--repo=${repo}`, 'static-delta', 'generate', `--to=${v3}`, '--min-fallback-size=0', '-n']);
    expect(out).toBe(`Delta ${v2}-${v3} already exists.\n`);
    await run(ours, [`--repo=${repo}`, 'static-delta', 'delete', `${v2}-${v3}`]);
    expect(await same(['static-delta', 'list'])).not.toContain(`${v2}-${v3}`);
    const gen = await run(ours, [`--repo=${repo}`, 'static-delta', 'generate', `--to=${v3}`, '--min-fallback-size=0']);
    expect(gen).toBe(`Generating static delta:\n  From: ${v2}\n  To:   ${v3}\n`);
    const show = await same(['static-delta', 'show', `${v2}-${v3}`]);
    expect(show).toMatch(/bspatch=[1-9]/);
    const client = join(tmp, 'offline');
    await run(theirs, [`--repo=${client}`, 'init', '--mode=bare-user']);
    await run(theirs, [`--repo=${client}`, 'pull-local', repo, v2]);
    await run(theirs, [`--repo=${client}`, 'static-delta', 'apply-offline', join(repo, deltaDirectory(v2, v3), 'superblock')]);
    await run(theirs, [`--repo=${client}`, 'fsck']);
    expect(await run(theirs, [`--repo=${client}`, 'ls', '-R', v3])).toBe(await run(theirs, [`--repo=${repo}`, 'ls', '-R', v3]));
  });

  it('real ostree pull uses deltas ostree-ts generated (from-to with a fallback, and a big-endian inline scratch delta) over HTTP', async () => {
    const served = join(tmp, 'served');
    await run(ours, [`--repo=${served}`, 'init', '--mode=archive']);
    await run(ours, [`--repo=${served}`, 'pull-local', repo, v1, v2]);
    await run(theirs, [`--repo=${served}`, 'refs', '--create=os', v2]);
    await run(ours, [`--repo=${served}`, 'static-delta', 'generate', `--from=${v1}`, `--to=${v2}`]);
    await run(ours, [`--repo=${served}`, 'static-delta', 'generate', '--empty', `--to=${v1}`, '--inline', '--swap-endianness']);
    await run(ours, [`--repo=${served}`, 'summary', '-u']);
    const summary = await run(theirs, [`--repo=${served}`, 'summary', '--view']);
    expect(summary).toContain(`${v1}-${v2}`);
    const nginx = await startNginx(served, join(tmp, 'nginx'));
    try {
      const client = join(tmp, 'client');
      await run(theirs, [`--repo=${client}`, 'init', '--mode=bare-user']);
      await run(theirs, [`--repo=${client}`, 'remote', 'add', '--no-gpg-verify', 'origin', nginx.url]);
      await run(theirs, [`--repo=${client}`, 'pull', 'origin', v1]);
      await run(theirs, [`--repo=${client}`, 'pull', 'origin', 'os']);
      await run(theirs, [`--repo=${client}`, 'fsck']);
      const requests = nginx.requests();
      expect(requests.some((r) => /^GET \/deltas\/[^-]+\/superblock 200$/.test(r))).toBe(true); // scratch
      expect(requests.some((r) => /^GET \/deltas\/.+-.+\/superblock 200$/.test(r))).toBe(true); // from-to
      expect(requests.some((r) => /^GET \/deltas\/.+-.+\/0 200$/.test(r))).toBe(true);
      // The fallback (the 4.5 MB file) came as a plain object. (ostree 2022.7 also fetches a few
      // objects of a part it just applied as plain objects, with its own deltas too.)
      const show = await run(ours, [`--repo=${served}`, 'static-delta', 'show', `${v1}-${v2}`]);
      const fallback = /^ {2}([0-9a-f]{64})$/m.exec(show)![1]!;
      expect(requests).toContain(`GET /objects/${fallback.slice(0, 2)}/${fallback.slice(2)}.filez 200`);
      expect(await run(theirs, [`--repo=${client}`, 'rev-parse', 'origin:os'])).toBe(`${v2}\n`);
    } finally {
      nginx.stop();
    }
  });
});
