// Fault injection with a Node HTTP server on 127.0.0.1 serving a real ostree archive repo:
// missing objects, server errors, truncated bodies, substituted and corrupted bytes, ref
// bindings. Nothing unverified may be stored and the ref must not move.
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, verifyObject, type Repo } from '@ostree-ts/repo';
import { parseLooseObjectName } from '@ostree-ts/core';
import { pull } from '../src/index.js';
import { hasOstree, initRepoWithOrigin, makeTree, ostree, ostreeResult } from './helpers/ostree.js';
import { startFaultServer, type FaultServer } from './helpers/servers.js';

const fs = nodeFs();
let tmp: string;
let src: string;
let server: FaultServer;
let mainCommit: string;
let otherCommit: string;
let counter = 0;

const obj = (checksum: string, ext: string) => `/objects/${checksum.slice(0, 2)}/${checksum.slice(2)}.${ext}`;

/** Checksum of a path in test/main (ostree ls -C). */
function contentChecksum(path: string): string {
  const line = ostree('ls', `--repo=${src}`, '-C', 'test/main', path).trim();
  return line.split(/\s+/)[4]!;
}

function dirtreeOf(path: string): string {
  // `ostree ls -C -d` prints the dirtree and dirmeta checksums of a directory.
  const parts = ostree('ls', `--repo=${src}`, '-C', '-d', 'test/main', path).trim().split(/\s+/);
  return parts[4]!;
}

async function newRepo(mode = 'archive'): Promise<{ path: string; repo: Repo }> {
  const path = initRepoWithOrigin(join(tmp, `repo-${counter++}`), mode, server.url);
  return { path, repo: await openRepo(fs, path) };
}

/** Every stored object verifies (checksum and structure), and no temp file is left behind. */
async function assertAllVerified(path: string, repo: Repo): Promise<number> {
  let n = 0;
  for (const d of readdirSync(join(path, 'objects'))) {
    for (const f of readdirSync(join(path, 'objects', d))) {
      const o = parseLooseObjectName(d, f)!;
      if (o.type === 'commitmeta') continue;
      expect(await verifyObject(repo, o.checksum, o.type), `${d}/${f}`).toBeUndefined();
      n++;
    }
  }
  expect(readdirSync(join(path, 'tmp')).filter((f) => f !== 'cache')).toEqual([]);
  return n;
}

describe.skipIf(!hasOstree)('pull with faults (Node server)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-pull-faults-'));
    src = join(tmp, 'src');
    makeTree(join(tmp, 'tree'), { xattrs: true });
    ostree('init', `--repo=${src}`, '--mode=archive');
    ostree('commit', `--repo=${src}`, '-b', 'test/main', '-s', 'main', `--tree=dir=${join(tmp, 'tree')}`);
    ostree('commit', `--repo=${src}`, '-b', 'other', '-s', 'other', '--no-xattrs', `--tree=dir=${join(tmp, 'tree')}`);
    ostree('summary', '-u', `--repo=${src}`);
    mainCommit = ostree('rev-parse', `--repo=${src}`, 'test/main').trim();
    otherCommit = ostree('rev-parse', `--repo=${src}`, 'other').trim();
    server = await startFaultServer(src);
  });
  afterAll(async () => {
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.faults.clear();
    server.requests.length = 0;
  });

  it('without a summary, resolves refs/heads/REF', async () => {
    server.faults.set('/summary', { kind: 'status', status: 404 });
    const { path, repo } = await newRepo();
    const r = await pull(repo, { remote: 'origin', refs: ['test/main'] });
    expect(r.commits.get('test/main')).toBe(mainCommit);
    expect(server.requests.slice(0, 5)).toEqual(['/summary.sig', '/summary', '/config', '/refs/heads/test/main', obj(mainCommit, 'commitmeta')]);
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
  });

  it('a 404 for a content object fails with OBJECT_NOT_FOUND; the ref stays, the commit stays partial', async () => {
    const { path, repo } = await newRepo();
    await pull(repo, { remote: 'origin', refs: ['other'] });
    await repo.setRef({ remote: 'origin', ref: 'test/main' }, otherCommit);
    const big = contentChecksum('/usr/lib/big.bin');
    server.faults.set(obj(big, 'filez'), { kind: 'status', status: 404 });
    const { path: p2, repo: r2 } = await newRepo();
    await expect(pull(r2, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    expect(await r2.isCommitPartial(mainCommit)).toBe(true);
    expect(await r2.hasObject(mainCommit, 'commit')).toBe(true);
    expect(await r2.listRemoteRefs()).toEqual(new Map());
    await assertAllVerified(p2, r2);
    // Same with an existing ref: it does not move.
    await expect(pull(repo, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    expect((await repo.listRemoteRefs()).get('origin:test/main')).toBe(otherCommit);
    // Fixed server: the pull resumes and completes.
    // The pool stopped at the first failure, so other objects may be missing too; only those
    // (including big.bin) are requested, nothing already stored.
    const stored = new Set<string>();
    for (const d of readdirSync(join(p2, 'objects'))) for (const f of readdirSync(join(p2, 'objects', d))) stored.add(`/objects/${d}/${f}`);
    server.faults.clear();
    server.requests.length = 0;
    await pull(r2, { remote: 'origin', refs: ['test/main'] });
    const fetched = server.requests.filter((r) => r.startsWith('/objects/') && !r.endsWith('.commitmeta'));
    expect(fetched).toContain(obj(big, 'filez'));
    expect(fetched.filter((r) => stored.has(r))).toEqual([]);
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(await r2.isCommitPartial(mainCommit)).toBe(false);
    expect(ostreeResult('fsck', `--repo=${p2}`).status).toBe(0);
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
  });

  it('HTTP 500 is a NETWORK_ERROR', async () => {
    server.faults.set(obj(dirtreeOf('/usr/share'), 'dirtree'), { kind: 'status', status: 500 });
    const { path, repo } = await newRepo();
    await expect(pull(repo, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(await repo.listRemoteRefs()).toEqual(new Map());
    await assertAllVerified(path, repo);
  });

  it('a truncated body stores nothing', async () => {
    const big = contentChecksum('/usr/lib/big.bin');
    server.faults.set(obj(big, 'filez'), { kind: 'truncate', bytes: 100_000 });
    const { path, repo } = await newRepo('bare-user');
    const err = await pull(repo, { remote: 'origin', refs: ['test/main'] }).catch((e: unknown) => e);
    expect(['NETWORK_ERROR', 'INVALID_OBJECT']).toContain((err as { code: string }).code);
    expect(await repo.hasObject(big, 'file')).toBe(false);
    expect(await repo.listRemoteRefs()).toEqual(new Map());
    await assertAllVerified(path, repo);
  });

  it('retries a transient 5xx with backoff and completes', async () => {
    const big = contentChecksum('/usr/lib/big.bin');
    server.faults.set(obj(big, 'filez'), { kind: 'status', status: 503, times: 2 });
    const { path, repo } = await newRepo();
    await pull(repo, { remote: 'origin', refs: ['test/main'] });
    expect(server.requests.filter((r) => r === obj(big, 'filez'))).toHaveLength(3);
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
    expect((await repo.listRemoteRefs()).get('origin:test/main')).toBe(mainCommit);
  });

  it('resumes a body broken mid-way and stores the right bytes', async () => {
    const big = contentChecksum('/usr/lib/big.bin');
    server.faults.set(obj(big, 'filez'), { kind: 'truncate', bytes: 50_000, times: 1 });
    const { path, repo } = await newRepo('bare-user');
    await pull(repo, { remote: 'origin', refs: ['test/main'] });
    expect(server.requests.filter((r) => r === obj(big, 'filez'))).toHaveLength(2);
    expect(await repo.hasObject(big, 'file')).toBe(true);
    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
  });

  it('a stalled server ends in a timeout error, not a hang, and moves no ref', async () => {
    const big = contentChecksum('/usr/lib/big.bin');
    server.faults.set(obj(big, 'filez'), { kind: 'stall', bytes: 10_000 });
    const { path, repo } = await newRepo();
    const err = await pull(repo, { remote: 'origin', refs: ['test/main'], stallTimeoutMs: 300, retries: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((err as Error).message).toMatch(/Timeout/);
    expect(await repo.hasObject(big, 'file')).toBe(false);
    expect(await repo.listRemoteRefs()).toEqual(new Map());
    await assertAllVerified(path, repo);
  });

  it('a substituted content object is refused with CHECKSUM_MISMATCH', async () => {
    const tool = contentChecksum('/usr/bin/tool');
    const hostname = contentChecksum('/etc/hostname');
    server.faults.set(obj(tool, 'filez'), { kind: 'file', path: join(src, obj(hostname, 'filez')) });
    const { path, repo } = await newRepo();
    const err = await pull(repo, { remote: 'origin', refs: ['test/main'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await repo.hasObject(tool, 'file')).toBe(false);
    expect(await repo.listRemoteRefs()).toEqual(new Map());
    await assertAllVerified(path, repo);
  });

  it('a corrupted compressed payload is refused', async () => {
    const big = contentChecksum('/usr/lib/big.bin');
    const bytes = readFileSync(join(src, obj(big, 'filez')));
    const bad = Buffer.from(bytes);
    for (let i = 2000; i < 2100; i++) bad[i] = bad[i]! ^ 0x5a;
    server.faults.set(obj(big, 'filez'), { kind: 'replace', body: bad });
    const { path, repo } = await newRepo();
    const err = await pull(repo, { remote: 'origin', refs: ['test/main'] }).catch((e: unknown) => e);
    expect(['CHECKSUM_MISMATCH', 'INVALID_OBJECT']).toContain((err as { code: string }).code);
    expect(await repo.hasObject(big, 'file')).toBe(false);
    await assertAllVerified(path, repo);
  });

  it('a compressed payload padded with endless empty deflate blocks is cut off, not stored', async () => {
    const hostname = contentChecksum('/etc/hostname');
    const filez = readFileSync(join(src, obj(hostname, 'filez')));
    const headerLen = 8 + filez.readUInt32BE(0);
    // Non-final empty stored blocks inflate to nothing; then the real data.
    const padding = Buffer.alloc(5 * 200_000);
    for (let i = 0; i < padding.length; i += 5) padding.set([0, 0, 0, 0xff, 0xff], i);
    const body = Buffer.concat([filez.subarray(0, headerLen), padding, deflateRawSync(Buffer.from('device\n'))]);
    server.faults.set(obj(hostname, 'filez'), { kind: 'replace', body });
    for (const mode of ['archive', 'bare-user']) {
      const { path, repo } = await newRepo(mode);
      const err = await pull(repo, { remote: 'origin', refs: ['test/main'] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INVALID_OBJECT', message: expect.stringContaining('compressed payload larger than') });
      expect(await repo.hasObject(hostname, 'file')).toBe(false);
      await assertAllVerified(path, repo);
    }
  });

  it('corrupted dirtree and commit bytes are refused with CHECKSUM_MISMATCH', async () => {
    const tree = dirtreeOf('/usr');
    const bytes = Buffer.from(readFileSync(join(src, obj(tree, 'dirtree'))));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    server.faults.set(obj(tree, 'dirtree'), { kind: 'replace', body: bytes });
    const { path, repo } = await newRepo();
    await expect(pull(repo, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await repo.hasObject(tree, 'dirtree')).toBe(false);
    await assertAllVerified(path, repo);

    server.faults.clear();
    // The other commit's bytes served as test/main's commit (same size, so under the summary cap).
    server.faults.set(obj(mainCommit, 'commit'), { kind: 'file', path: join(src, obj(otherCommit, 'commit')) });
    const { path: p2, repo: r2 } = await newRepo();
    await expect(pull(r2, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await r2.hasObject(mainCommit, 'commit')).toBe(false);
    expect(await r2.hasObject(otherCommit, 'commit')).toBe(false);
    expect(existsSync(join(p2, 'state', `${mainCommit}.commitpartial`))).toBe(false);
    expect(await assertAllVerified(p2, r2)).toBe(0);
  });

  it('a commit larger than the summary says is refused before it is stored', async () => {
    const bytes = readFileSync(join(src, obj(mainCommit, 'commit')));
    server.faults.set(obj(mainCommit, 'commit'), { kind: 'replace', body: Buffer.concat([bytes, Buffer.alloc(64)]) });
    const { repo } = await newRepo();
    await expect(pull(repo, { remote: 'origin', refs: ['test/main'] })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringContaining(`exceeded maximum size of ${bytes.length} bytes`),
    });
    expect(await repo.hasObject(mainCommit, 'commit')).toBe(false);
  });

  it('checks ostree.ref-binding with ostree\'s message', async () => {
    server.faults.set('/summary', { kind: 'status', status: 404 });
    // refs/heads/evil on the server points at a commit bound to test/main.
    const refFile = join(tmp, 'evil-ref');
    writeFileSync(refFile, `${mainCommit}\n`);
    server.faults.set('/refs/heads/evil', { kind: 'file', path: refFile });
    const { repo } = await newRepo();
    await expect(pull(repo, { remote: 'origin', refs: ['evil'] })).rejects.toMatchObject({
      code: 'INVALID_OBJECT',
      message: `Commit ${mainCommit}: Commit has no requested ref ‘evil’ in ref binding metadata (‘test/main’)`,
    });
    expect(await repo.hasObject(mainCommit, 'commit')).toBe(false);
    expect(await repo.listRemoteRefs()).toEqual(new Map());
  });

  it('an aborted pull rejects with ABORTED and moves no ref', async () => {
    const { repo } = await newRepo();
    const controller = new AbortController();
    let n = 0;
    const p = pull(repo, {
      remote: 'origin',
      refs: ['test/main'],
      signal: controller.signal,
      onProgress: () => {
        if (++n === 5) controller.abort(new Error('stop'));
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringContaining('stop') });
    expect(await repo.listRemoteRefs()).toEqual(new Map());
    expect(await repo.isCommitPartial(mainCommit)).toBe(true);
  });
});
