// --mirror, --depth, --commit-metadata-only, --subpath, summary caching and file:// remotes:
// each pull is done by ostree-ts and by real ostree from the same nginx-served repo, and the
// resulting repositories are compared (objects, refs, commitpartial state, summary cache).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';
import { pull, type PullOptions } from '../src/index.js';
import { hasOstree, initRepoWithOrigin, makeTree, ostree, ostreeResult } from './helpers/ostree.js';
import { startNginx, type Nginx } from './helpers/servers.js';

const fs = nodeFs();
let tmp: string;
let src: string;
let nginx: Nginx;
let head: string;
let counter = 0;

function newRepo(mode: string, url = nginx.url): string {
  return initRepoWithOrigin(join(tmp, `repo-${counter++}`), mode, url);
}

function files(root: string, sub: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(join(root, sub));
  return out.sort();
}

/** Objects, refs (with targets) and state markers of a repository. */
function repoState(path: string): { objects: string[]; refs: string[]; state: string[]; summary: boolean } {
  return {
    objects: files(path, 'objects'),
    refs: files(path, 'refs').map((r) => `${r} ${readFileSync(join(path, r), 'utf8').trim()}`),
    state: files(path, 'state'),
    summary: existsSync(join(path, 'summary')),
  };
}

/** Same pull by ostree-ts and by real ostree into fresh repos of `mode`; returns both states. */
async function both(mode: string, options: Omit<PullOptions, 'remote'>, flags: string[]) {
  const ours = newRepo(mode);
  await pull(await openRepo(fs, ours), { remote: 'origin', ...options });
  const theirs = newRepo(mode);
  ostree('pull', `--repo=${theirs}`, ...flags, 'origin', ...options.refs);
  return { ours, theirs, o: repoState(ours), t: repoState(theirs) };
}

describe.skipIf(!hasOstree)('pull options against real ostree (nginx)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-pull-opts-'));
    src = join(tmp, 'src');
    const tree = join(tmp, 'tree');
    makeTree(tree, { xattrs: false });
    ostree('init', `--repo=${src}`, '--mode=archive');
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(tree, 'etc/hostname'), `device-${i}\n`);
      writeFileSync(join(tree, `usr/share/doc/gen-${i}.txt`), `generation ${i}\n`);
      ostree('commit', `--repo=${src}`, '-b', 'os/main', '-s', `gen ${i}`, `--tree=dir=${tree}`);
    }
    ostree('commit', `--repo=${src}`, '-b', 'os/other', '-s', 'other', `--tree=dir=${join(tree, 'etc')}`);
    ostree('summary', '-u', `--repo=${src}`);
    head = ostree('rev-parse', `--repo=${src}`, 'os/main').trim();
    nginx = await startNginx(src, join(tmp, 'nginx'));
  });
  afterAll(() => {
    nginx?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('--mirror of every ref: local refs, same objects, summary copied', async () => {
    const { ours, o, t } = await both('archive', { refs: [], mirror: true }, ['--mirror']);
    expect(o).toEqual(t);
    expect(o.refs.map((r) => r.split(' ')[0])).toEqual(['refs/heads/os/main', 'refs/heads/os/other']);
    expect(o.summary).toBe(true);
    expect(readFileSync(join(ours, 'summary'))).toEqual(readFileSync(join(src, 'summary')));
    expect(ostreeResult('fsck', `--repo=${ours}`).status).toBe(0);
  });

  it('--mirror of one ref writes refs/heads and no summary', async () => {
    const { o, t } = await both('archive', { refs: ['os/main'], mirror: true }, ['--mirror']);
    expect(o).toEqual(t);
    expect(o.summary).toBe(false);
  });

  it.each([1, 2, -1])('--depth=%i fetches the same parents and objects', async (depth) => {
    const { ours, o, t } = await both('bare-user', { refs: ['os/main'], depth }, [`--depth=${depth}`]);
    expect(o).toEqual(t);
    expect(o.state).toEqual([]);
    const commits = o.objects.filter((x) => x.endsWith('.commit'));
    expect(commits).toHaveLength(depth === -1 ? 4 : depth + 1);
    expect(ostreeResult('fsck', `--repo=${ours}`).status).toBe(0);
  });

  it('--commit-metadata-only: commit objects only, left partial, ref written', async () => {
    const { o, t } = await both('archive', { refs: ['os/main'], commitMetadataOnly: true, depth: 1 }, ['--commit-metadata-only', '--depth=1']);
    expect(o).toEqual(t);
    expect(o.objects.every((x) => x.endsWith('.commit'))).toBe(true);
    expect(o.state).toContain(`state/${head}.commitpartial`);
  });

  it.each([['/etc'], ['/usr/share/doc', '/usr/bin/tool'], ['/usr/lib/big.bin']])('--subpath=%s fetches what ostree fetches', async (...subpaths) => {
    const { ours, o, t } = await both(
      'bare-user',
      { refs: ['os/main'], subpaths },
      subpaths.map((p) => `--subpath=${p}`),
    );
    expect(o).toEqual(t);
    expect(o.state).toEqual([`state/${head}.commitpartial`]);
    // A later full pull completes the commit.
    await pull(await openRepo(fs, ours), { remote: 'origin', refs: ['os/main'] });
    expect(repoState(ours).state).toEqual([]);
    expect(ostreeResult('fsck', `--repo=${ours}`).status).toBe(0);
  });

  it('caches summary and summary.sig like ostree, and revalidates them with conditional requests', async () => {
    // Any bytes do as a signature when nothing verifies it: ostree caches them all the same.
    writeFileSync(join(src, 'summary.sig'), 'not really a signature\n');
    try {
      const { ours, theirs } = await both('archive', { refs: ['os/other'] }, []);
      const cache = (p: string) => files(p, 'tmp/cache').map((f) => `${f} ${readFileSync(join(p, f)).toString('base64')}`);
      expect(cache(ours)).toEqual(cache(theirs));
      expect(cache(ours)).toHaveLength(2);
      for (const f of ['summary', 'summary.sig']) {
        const cached = join(ours, 'tmp/cache/summaries', f === 'summary' ? 'origin' : 'origin.sig');
        expect(Math.floor(statSync(cached).mtimeMs / 1000)).toBe(Math.floor(statSync(join(src, f)).mtimeMs / 1000));
      }
      // Second pull: summary.sig answered 304, the summary comes from the cache.
      const before = nginx.requests().length;
      await pull(await openRepo(fs, ours), { remote: 'origin', refs: ['os/other'] });
      const reqs = nginx.requests().slice(before);
      expect(reqs[0]).toBe('GET /summary.sig 304');
      expect(reqs.some((r) => r.startsWith('GET /summary '))).toBe(false);
      // Real ostree does the same on its second pull.
      const before2 = nginx.requests().length;
      ostree('pull', `--repo=${theirs}`, 'origin', 'os/other');
      expect(nginx.requests().slice(before2).filter((r) => r.includes('summary'))).toEqual(['GET /summary.sig 304']);
    } finally {
      rmSync(join(src, 'summary.sig'));
    }
  });

  it('without summary.sig, nothing is cached (as ostree)', async () => {
    const path = newRepo('archive');
    await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/other'] });
    expect(files(path, 'tmp/cache')).toEqual([]);
  });

  it('pulls from a file:// remote of any mode, like ostree', async () => {
    const bare = join(tmp, 'bare-src');
    ostree('init', `--repo=${bare}`, '--mode=bare-user');
    ostree('pull-local', `--repo=${bare}`, src, 'os/main');
    const ours = newRepo('archive', `file://${bare}`);
    const r = await pull(await openRepo(fs, ours), { remote: 'origin', refs: ['os/main'] });
    expect(r.local).toBe(true);
    expect(r.commits.get('os/main')).toBe(head);
    const theirs = newRepo('archive', `file://${bare}`);
    ostree('pull', `--repo=${theirs}`, 'origin', 'os/main');
    expect(repoState(ours)).toEqual(repoState(theirs));
    expect(ostreeResult('fsck', `--repo=${ours}`).status).toBe(0);
  });

  it('contenturl: objects from the content URL, metadata from url', async () => {
    const path = newRepo('archive', 'http://127.0.0.1:9/unused/');
    const mirror = join(tmp, 'content-mirror');
    ostree('init', `--repo=${mirror}`, '--mode=archive');
    ostree('pull-local', `--repo=${mirror}`, src, 'os/other');
    const content = await startNginx(mirror, join(tmp, 'nginx-content'));
    try {
      ostree('config', `--repo=${path}`, 'set', 'remote "origin".url', nginx.url);
      ostree('config', `--repo=${path}`, 'set', 'remote "origin".contenturl', content.url);
      await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/other'] });
      const served = content.requests();
      expect(served.length).toBeGreaterThan(3);
      expect(served.every((r) => /^GET \/objects\/.*\.(dirtree|dirmeta|filez|commit) 200$/.test(r))).toBe(true);
      expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
    } finally {
      content.stop();
    }
  });

  it('collection-id remotes: bindings checked as ostree checks them, with its messages', async () => {
    const col = join(tmp, 'collection-src');
    ostree('init', `--repo=${col}`, '--mode=archive', '--collection-id=org.example.Os');
    ostree('commit', `--repo=${col}`, '-b', 'os/main', `--tree=dir=${join(tmp, 'tree', 'etc')}`);
    ostree('commit', `--repo=${col}`, '-b', 'os/unbound', '--no-bindings', `--tree=dir=${join(tmp, 'tree', 'etc')}`);
    ostree('summary', '-u', `--repo=${col}`);
    const server = await startNginx(col, join(tmp, 'nginx-collection'));
    try {
      for (const [cid, ref] of [
        ['org.example.Os', 'os/main'],
        ['org.other', 'os/main'],
        ['org.example.Os', 'os/unbound'],
      ] as const) {
        const client = (side: string) => {
          const path = join(tmp, `col-${side}-${counter++}`);
          ostree('init', `--repo=${path}`, '--mode=archive');
          ostree('remote', 'add', `--repo=${path}`, '--no-gpg-verify', `--collection-id=${cid}`, 'origin', server.url);
          return path;
        };
        const real = ostreeResult('pull', `--repo=${client('theirs')}`, 'origin', ref);
        const ours = client('ours');
        const err = await pull(await openRepo(fs, ours), { remote: 'origin', refs: [ref] }).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        if (real.status === 0) {
          expect(err).toBeUndefined();
          expect(ostreeResult('fsck', `--repo=${ours}`).status).toBe(0);
        } else {
          expect(err).toMatchObject({ code: 'INVALID_OBJECT' });
          expect(`error: ${err!.message}\n`).toBe(real.stderr);
          expect(files(ours, 'refs')).toEqual([]);
        }
      }
      // --disable-verify-bindings pulls the unbound commit.
      const path = newRepo('archive', server.url);
      ostree('config', `--repo=${path}`, 'set', 'remote "origin".collection-id', 'org.example.Os');
      await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/unbound'], disableVerifyBindings: true });
    } finally {
      server.stop();
    }
  });
});
