// pull() against real servers on 127.0.0.1: a repo made by real ostree, served by nginx,
// pulled into archive, bare-user and bare-user-only repos; results checked by real ostree
// (fsck, checkout) against a real `ostree pull` of the same repo.
import { mkdtempSync, rmSync, readdirSync, unlinkSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import { isOstreeError, type RepoMode } from '@ostree-ts/core';
import { pull, type PullProgress } from '../src/index.js';
import { hasOstree, initRepoWithOrigin, makeTree, ostree, ostreeResult, snapshot } from './helpers/ostree.js';
import { startNginx, type Nginx } from './helpers/servers.js';

const fs = nodeFs();
let tmp: string;
let src: string;
let nginx: Nginx;
let mainCommit: string;
let canonicalCommit: string;
let counter = 0;

function newRepo(mode: string, url: string): string {
  return initRepoWithOrigin(join(tmp, `repo-${counter++}`), mode, url);
}

/** Checkout of REF from a repo filled by real `ostree pull` (cached per mode/ref). */
const realCheckouts = new Map<string, string[]>();
function realCheckout(mode: string, ref: string, flags: string[]): string[] {
  const key = `${mode} ${ref}`;
  let snap = realCheckouts.get(key);
  if (!snap) {
    const path = newRepo(mode, nginx.url);
    ostree('pull', `--repo=${path}`, 'origin', ref);
    const out = join(tmp, `real-co-${counter++}`);
    ostree('checkout', `--repo=${path}`, ...flags, `origin:${ref}`, out);
    snap = snapshot(out);
    realCheckouts.set(key, snap);
  }
  return snap;
}

function ourCheckout(path: string, ref: string, flags: string[]): string[] {
  const out = join(tmp, `our-co-${counter++}`);
  ostree('checkout', `--repo=${path}`, ...flags, `origin:${ref}`, out);
  return snapshot(out);
}

function countObjects(path: string): number {
  let n = 0;
  for (const d of readdirSync(join(path, 'objects'))) n += readdirSync(join(path, 'objects', d)).length;
  return n;
}

describe.skipIf(!hasOstree)('pull over HTTP (nginx)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-pull-'));
    src = join(tmp, 'src');
    makeTree(join(tmp, 'tree-a'), { xattrs: true });
    makeTree(join(tmp, 'tree-b'), { xattrs: false });
    ostree('init', `--repo=${src}`, '--mode=archive');
    ostree('commit', `--repo=${src}`, '-b', 'test/main', '-s', 'main', '--tree=dir=' + join(tmp, 'tree-a'));
    ostree('commit', `--repo=${src}`, '-b', 'canonical', '-s', 'canonical', '--canonical-permissions', '--no-xattrs', '--tree=dir=' + join(tmp, 'tree-b'));
    ostree('summary', '-u', `--repo=${src}`);
    mainCommit = ostree('rev-parse', `--repo=${src}`, 'test/main').trim();
    canonicalCommit = ostree('rev-parse', `--repo=${src}`, 'canonical').trim();
    nginx = await startNginx(src, join(tmp, 'nginx'));
  });

  afterAll(() => {
    nginx?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const cases: { mode: RepoMode; ref: string; flags: string[] }[] = [
    { mode: 'archive', ref: 'test/main', flags: [] },
    { mode: 'bare-user', ref: 'test/main', flags: ['-U'] },
    { mode: 'bare-user-only', ref: 'canonical', flags: ['-U'] },
  ];
  for (const c of cases) {
    it(`pulls ${c.ref} into a ${c.mode} repo: fsck clean, checkout equals real ostree pull`, async () => {
      const path = newRepo(c.mode, nginx.url);
      const repo = await openRepo(fs, path);
      const progress: PullProgress[] = [];
      const result = await pull(repo, { remote: 'origin', refs: [c.ref], onProgress: (p) => progress.push(p) });
      const expected = c.ref === 'canonical' ? canonicalCommit : mainCommit;
      expect(result.commits.get(c.ref)).toBe(expected);
      expect(ostree('rev-parse', `--repo=${path}`, `origin:${c.ref}`).trim()).toBe(expected);
      expect(await repo.isCommitPartial(expected)).toBe(false);
      expect(existsSync(join(path, 'state', `${expected}.commitpartial`))).toBe(false);
      expect(progress.length).toBeGreaterThan(10);
      expect(result.progress.fetchedObjects).toBe(result.progress.requestedObjects);
      const fsck = ostreeResult('fsck', `--repo=${path}`);
      expect(fsck.stderr).toBe('');
      expect(fsck.status).toBe(0);
      expect(ourCheckout(path, c.ref, c.flags)).toEqual(realCheckout(c.mode, c.ref, c.flags));
    });
  }

  it('the summary is used: one request per object, none twice', async () => {
    const path = newRepo('archive', nginx.url);
    const before = nginx.requests().length;
    await pull(await openRepo(fs, path), { remote: 'origin', refs: ['test/main'] });
    const reqs = nginx.requests().slice(before);
    expect(reqs.slice(0, 3)).toEqual(['GET /summary.sig 404', 'GET /summary 200', 'GET /config 200']);
    expect(reqs[3]).toBe(`GET /objects/${mainCommit.slice(0, 2)}/${mainCommit.slice(2)}.commitmeta 404`);
    expect(reqs[4]).toBe(`GET /objects/${mainCommit.slice(0, 2)}/${mainCommit.slice(2)}.commit 200`);
    expect(new Set(reqs).size).toBe(reqs.length);
    expect(reqs.filter((r) => !r.endsWith(' 200'))).toEqual([reqs[0], reqs[3]]);
    // Every object of the pulled repo was requested exactly once.
    expect(reqs.filter((r) => r.startsWith('GET /objects/') && r.endsWith(' 200')).length).toBe(countObjects(path));
    // Into an archive repo, content is stored as served (verified, not re-compressed).
    let filez = 0;
    for (const d of readdirSync(join(path, 'objects'))) {
      for (const f of readdirSync(join(path, 'objects', d)).filter((n) => n.endsWith('.filez'))) {
        expect(readFileSync(join(path, 'objects', d, f)).equals(readFileSync(join(src, 'objects', d, f)))).toBe(true);
        filez++;
      }
    }
    expect(filez).toBeGreaterThan(40);
  });

  it('resumes: after deleting objects and re-marking partial, only missing objects are fetched', async () => {
    const path = newRepo('archive', nginx.url);
    let repo = await openRepo(fs, path);
    await pull(repo, { remote: 'origin', refs: ['test/main'] });
    const total = countObjects(path);
    // Delete 5 content objects and one dirtree (not the root), as an interrupted pull leaves it.
    const deleted: string[] = [];
    const objs: { name: string; ext: string }[] = [];
    for (const d of readdirSync(join(path, 'objects'))) {
      for (const f of readdirSync(join(path, 'objects', d))) objs.push({ name: `${d}/${f}`, ext: f.split('.')[1]! });
    }
    const root = (await repo.loadCommit(mainCommit)).rootTree;
    for (const o of objs.filter((o) => o.ext === 'filez').slice(0, 5)) deleted.push(o.name);
    const tree = objs.find((o) => o.ext === 'dirtree' && o.name.replace('/', '') !== `${root}.dirtree`)!;
    deleted.push(tree.name);
    for (const name of deleted) unlinkSync(join(path, 'objects', name));
    await repo.setCommitPartial(mainCommit, true);

    repo = await openRepo(fs, path);
    const before = nginx.requests().length;
    const result = await pull(repo, { remote: 'origin', refs: ['test/main'] });
    const objectRequests = nginx
      .requests()
      .slice(before)
      .filter((r) => r.startsWith('GET /objects/') && !r.includes('.commitmeta'))
      .map((r) => r.split(' ')[1]!.slice('/objects/'.length));
    // Exactly the deleted objects: present dirtrees are walked locally, present files skipped.
    expect(new Set(objectRequests)).toEqual(new Set(deleted));
    expect(result.progress.fetchedObjects).toBe(deleted.length);
    expect(countObjects(path)).toBe(total);
    expect(await repo.isCommitPartial(mainCommit)).toBe(false);
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);

    // A complete commit is not scanned again: only summary.sig, summary, config and commitmeta.
    const before2 = nginx.requests().length;
    const again = await pull(repo, { remote: 'origin', refs: ['test/main'] });
    expect(again.progress.requestedObjects).toBe(0);
    expect(nginx.requests().slice(before2).map((r) => r.split(' ')[1])).toEqual([
      '/summary.sig',
      '/summary',
      '/config',
      `/objects/${mainCommit.slice(0, 2)}/${mainCommit.slice(2)}.commitmeta`,
    ]);
  });

  it('pulls by commit checksum without writing a ref, and several refs at once', async () => {
    const path = newRepo('archive', nginx.url);
    const repo = await openRepo(fs, path);
    const r = await pull(repo, { remote: 'origin', refs: [canonicalCommit] });
    expect(r.commits.get(canonicalCommit)).toBe(canonicalCommit);
    expect(await repo.listRemoteRefs('origin')).toEqual(new Map());
    const r2 = await pull(repo, { remote: 'origin', refs: ['test/main', 'canonical'], concurrency: 2 });
    expect([...r2.commits.values()]).toEqual([mainCommit, canonicalCommit]);
    expect(await repo.listRemoteRefs('origin')).toEqual(new Map([['origin:canonical', canonicalCommit], ['origin:test/main', mainCommit]]));
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
  });

  it('refuses an unknown ref, a non-archive remote and a remote that wants GPG', async () => {
    const path = newRepo('archive', nginx.url);
    const repo: Repo = await openRepo(fs, path);
    await expect(pull(repo, { remote: 'origin', refs: ['nope'] })).rejects.toMatchObject({
      code: 'REF_NOT_FOUND',
      message: "No such branch 'nope' in repository summary",
    });
    ostree('remote', 'add', `--repo=${path}`, 'signed', nginx.url);
    await expect(pull(await openRepo(fs, path), { remote: 'signed', refs: ['test/main'] })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(pull(repo, { remote: 'missing', refs: ['test/main'] })).rejects.toMatchObject({ code: 'REF_NOT_FOUND' });
    // A bare repo served over HTTP.
    const bare = join(tmp, 'bare-src');
    ostree('init', `--repo=${bare}`, '--mode=bare-user');
    const bareServer = await startNginx(bare, join(tmp, 'nginx-bare'));
    try {
      const err = await pull(repo, { url: bareServer.url, refs: [mainCommit] }).catch((e: unknown) => e);
      expect(isOstreeError(err, 'UNSUPPORTED')).toBe(true);
      expect((err as Error).message).toBe('Can\'t pull from archives with mode "bare-user"');
    } finally {
      bareServer.stop();
    }
    expect(readFileSync(join(path, 'config'), 'utf8')).toContain('[remote "origin"]');
  });
});
