// Hostile commits: objects a normal commit cannot produce (written straight into the repo as
// raw GVariant), and destinations prepared to redirect writes. Every case must fail with a
// typed OstreeError (or succeed safely) and leave everything outside the destination as it
// was: no write through a symlink, no removal outside, no `..`.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codec } from '@ostree-ts/gvariant';
import { checksumToBytes, encodeDirMeta, isOstreeError, type DirTree, type FileHeader, type RepoMode } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { initRepo, writeCommit, type Repo } from '@ostree-ts/repo';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkout, type CheckoutOptions } from '../src/index.js';

const dirtreeCodec = codec('(a(say)a(sayay))');
const enc = new TextEncoder();

describe('hostile commits and destinations', () => {
  let work: string;
  let outside: string;
  const fs = nodeFs();
  let n = 0;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-hostile-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeEach(() => {
    // A directory outside every destination, with a file and a subdirectory to protect.
    outside = join(work, `outside-${n++}`);
    mkdirSync(join(outside, 'sub'), { recursive: true });
    writeFileSync(join(outside, 'precious'), 'do not touch\n');
    writeFileSync(join(outside, 'sub', 'file'), 'nested\n');
  });

  /** Everything under `outside` is exactly as beforeEach made it. */
  function expectOutsideIntact(): void {
    const list = (d: string): string[] =>
      readdirSync(d).flatMap((name) => {
        const p = join(d, name);
        const st = lstatSync(p);
        return st.isDirectory() ? [`${name}/`, ...list(p).map((x) => `${name}/${x}`)] : [`${name}:${readFileSync(p, 'utf8')}`];
      });
    expect(list(outside).sort()).toEqual(['precious:do not touch\n', 'sub/', 'sub/file:nested\n']);
  }

  async function newRepo(mode: RepoMode = 'bare-user-only'): Promise<Repo> {
    return initRepo(fs, join(work, `repo-${n++}`), { mode });
  }
  const header = (mode: number, target = ''): FileHeader => ({ uid: 0, gid: 0, mode, rdev: 0, symlinkTarget: target, xattrs: [] });
  async function file(repo: Repo, content: string, mode = 0o100644): Promise<Uint8Array> {
    const data = enc.encode(content);
    return checksumToBytes((await repo.writeContent({ header: header(mode), size: data.length, payload: data })).checksum);
  }
  async function symlink(repo: Repo, target: string): Promise<Uint8Array> {
    return checksumToBytes((await repo.writeContent({ header: header(0o120777, target), size: 0, payload: new Uint8Array(0) })).checksum);
  }
  async function dirmeta(repo: Repo): Promise<Uint8Array> {
    return checksumToBytes((await repo.writeMetadata('dirmeta', encodeDirMeta({ uid: 0, gid: 0, mode: 0o40755, xattrs: [] }))).checksum);
  }
  /** A dirtree written as raw GVariant, bypassing every check of encodeDirTree. */
  async function rawTree(repo: Repo, files: [string, Uint8Array][], dirs: [string, Uint8Array, Uint8Array][]): Promise<Uint8Array> {
    return checksumToBytes((await repo.writeMetadata('dirtree', dirtreeCodec.encode([files, dirs]))).checksum);
  }
  async function commitOf(repo: Repo, tree: Uint8Array): Promise<string> {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    return writeCommit(repo, { rootTree: hex(tree), rootMeta: hex(await dirmeta(repo)), timestamp: 1n });
  }
  async function expectRefused(repo: Repo, commit: string, code: string, message?: RegExp, options: CheckoutOptions = {}): Promise<string> {
    const dest = join(work, `dest-${n++}`);
    const e = await checkout(repo, commit, dest, options).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isOstreeError(e), String(e)).toBe(true);
    expect((e as { code: string }).code).toBe(code);
    if (message) expect((e as Error).message).toMatch(message);
    expectOutsideIntact();
    return dest;
  }

  it.each([
    ['..', /invalid file name "\.\."/],
    ['.', /invalid file name "\."/],
    ['', /empty file name/],
    ['a/b', /invalid \/ in file name/],
    ['../escape', /invalid \/ in file name/],
  ])('refuses a file named %j before writing anything', async (name, message) => {
    const repo = await newRepo();
    const tree = await rawTree(repo, [[name, await file(repo, 'x\n')]], []);
    const dest = await expectRefused(repo, await commitOf(repo, tree), 'INVALID_OBJECT', message);
    expect(existsSync(dest)).toBe(false);
  });

  it.each([['..'], ['.'], ['sub/../..']])('refuses a directory named %j below the root', async (name) => {
    const repo = await newRepo();
    const meta = await dirmeta(repo);
    const inner = await rawTree(repo, [['pwned', await file(repo, 'x\n')]], []);
    const mid = await rawTree(repo, [], [[name, inner, meta]]);
    const root = await rawTree(repo, [['ok', await file(repo, 'fine\n')]], [['d', mid, meta]]);
    const dest = await expectRefused(repo, await commitOf(repo, root), 'INVALID_OBJECT');
    expect(existsSync(join(dest, 'd', 'pwned'))).toBe(false);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
  });

  it('refuses a NUL inside a name (invalid GVariant)', async () => {
    const repo = await newRepo();
    const bytes = dirtreeCodec.encode([[['aXb', await file(repo, 'x\n')]], []]);
    bytes[bytes.indexOf(0x58)] = 0; // 'X' → NUL
    const tree = checksumToBytes((await repo.writeMetadata('dirtree', bytes)).checksum);
    await expectRefused(repo, await commitOf(repo, tree), 'INVALID_OBJECT');
  });

  it('refuses duplicate names and a symlink shadowing a directory of the same name', async () => {
    const repo = await newRepo();
    const meta = await dirmeta(repo);
    const evil = await symlink(repo, outside);
    const pwnedDir = await rawTree(repo, [['pwned', await file(repo, 'pwned\n')]], []);
    // The symlink sorts in the files, the directory that would resolve through it in the dirs.
    const shadow = await rawTree(repo, [['evil', evil]], [['evil', pwnedDir, meta]]);
    for (const options of [{}, { union: true }, { unionAdd: true }] as CheckoutOptions[]) {
      await expectRefused(repo, await commitOf(repo, shadow), 'INVALID_OBJECT', /both a file and a directory/, options);
    }
    const dup = await rawTree(repo, [['evil', evil], ['evil', await file(repo, 'over\n')]], []);
    await expectRefused(repo, await commitOf(repo, dup), 'INVALID_OBJECT', /not sorted or duplicated/);
    const unsorted = await rawTree(repo, [['b', evil], ['a', await file(repo, 'x\n')]], []);
    await expectRefused(repo, await commitOf(repo, unsorted), 'INVALID_OBJECT', /not sorted/);
  });

  it('checks names again at its own boundary (a tree that bypassed decodeDirTree)', async () => {
    const repo = await newRepo();
    const evil = await symlink(repo, outside);
    const hostile: DirTree[] = [
      { files: [{ name: '..', checksum: evil }], dirs: [] },
      { files: [{ name: 'a/b', checksum: evil }], dirs: [] },
      { files: [{ name: '', checksum: evil }], dirs: [] },
      { files: [{ name: 'evil', checksum: evil }], dirs: [{ name: 'evil', treeChecksum: evil, metaChecksum: evil }] },
    ];
    const commit = await commitOf(repo, await rawTree(repo, [['ok', evil]], []));
    const expected: [string, RegExp][] = [
      ['INVALID_FILENAME', /^Invalid path uplink filename '\.\.'$/],
      ['INVALID_FILENAME', /^Invalid \/ in filename a\/b$/],
      ['INVALID_FILENAME', /^Invalid empty filename$/],
      ['INVALID_OBJECT', /both a file and a directory/],
    ];
    for (let i = 0; i < hostile.length; i++) {
      const stubbed = Object.create(repo) as Repo;
      stubbed.loadDirTree = async () => hostile[i]!;
      const dest = await expectRefused(stubbed, commit, expected[i]![0], expected[i]![1]);
      expect(existsSync(dest)).toBe(false);
    }
  });

  describe.each([
    ['--union', { union: true }],
    ['--union-add', { unionAdd: true }],
    ['--union-identical', { unionIdentical: true, requireHardlinks: true }],
  ] as [string, CheckoutOptions][])('an existing symlink in the destination is never followed (%s)', (_flag, options) => {
    it('where the commit has a directory', async () => {
      const repo = await newRepo();
      const meta = await dirmeta(repo);
      const layer1 = await commitOf(repo, await rawTree(repo, [['evil', await symlink(repo, outside)]], []));
      const pwned = await rawTree(repo, [['precious', await file(repo, 'overwritten\n')], ['pwned', await file(repo, 'pwned\n')]], []);
      const layer2 = await commitOf(repo, await rawTree(repo, [], [['evil', pwned, meta]]));
      const dest = join(work, `dest-${n++}`);
      await checkout(repo, layer1, dest);
      const r = await checkout(repo, layer2, dest, options).then(
        () => 'ok',
        (e: unknown) => e,
      );
      expectOutsideIntact();
      if (options.unionIdentical) {
        expect(isOstreeError(r, 'ALREADY_EXISTS')).toBe(true);
        expect(lstatSync(join(dest, 'evil')).isSymbolicLink()).toBe(true);
      } else {
        expect(r).toBe('ok');
        expect(lstatSync(join(dest, 'evil')).isDirectory()).toBe(true);
        expect(readFileSync(join(dest, 'evil', 'pwned'), 'utf8')).toBe('pwned\n');
      }
    });

    it('where the commit has a file or a symlink', async () => {
      const repo = await newRepo();
      const layer1 = await commitOf(
        repo,
        await rawTree(repo, [['a', await symlink(repo, join(outside, 'precious'))], ['b', await symlink(repo, join(outside, 'precious'))], ['c', await symlink(repo, outside)]], []),
      );
      const layer2 = await commitOf(
        repo,
        await rawTree(repo, [['a', await file(repo, 'overwritten\n')], ['b', await file(repo, '')], ['c', await symlink(repo, 'elsewhere')]], []),
      );
      const dest = join(work, `dest-${n++}`);
      await checkout(repo, layer1, dest);
      const r = await checkout(repo, layer2, dest, options).then(
        () => 'ok',
        (e: unknown) => e,
      );
      expectOutsideIntact();
      if (options.unionIdentical) expect(isOstreeError(r, 'ALREADY_EXISTS')).toBe(true);
      else expect(r).toBe('ok');
      if (options.union) {
        expect(readFileSync(join(dest, 'a'), 'utf8')).toBe('overwritten\n');
        expect(lstatSync(join(dest, 'b')).isFile()).toBe(true);
        expect(execFileSync('readlink', [join(dest, 'c')], { encoding: 'utf8' }).trim()).toBe('elsewhere');
      }
    });
  });

  it('a whiteout never reaches outside its directory', async () => {
    const repo = await newRepo();
    const empty = await file(repo, '');
    // ".wh..." would name "..": ostree would remove the parent's contents.
    const parentWipe = await commitOf(repo, await rawTree(repo, [['.wh...', empty]], []));
    const dest = await expectRefused(repo, parentWipe, 'INVALID_FILENAME', /'\.\.'/, { whiteouts: true, union: true });
    expect(existsSync(dest)).toBe(true);
    // ".wh.evil" where evil is a symlink to a directory outside: the link goes, not its target.
    const layer1 = await commitOf(repo, await rawTree(repo, [['evil', await symlink(repo, outside)]], []));
    const layer2 = await commitOf(repo, await rawTree(repo, [['.wh.evil', empty]], []));
    const dest2 = join(work, `dest-${n++}`);
    await checkout(repo, layer1, dest2);
    await checkout(repo, layer2, dest2, { union: true, whiteouts: true });
    expect(existsSync(join(dest2, 'evil'))).toBe(false);
    expectOutsideIntact();
  });

  it('a subpath cannot climb out of the commit', async () => {
    const repo = await newRepo();
    const commit = await commitOf(repo, await rawTree(repo, [['f', await file(repo, 'x\n')]], []));
    await expectRefused(repo, commit, 'OBJECT_NOT_FOUND', /^No such file or directory: \/\.\.$/, { subpath: '../..' });
    await expectRefused(repo, commit, 'INVALID_ARGUMENT', /^Not a directory$/, { subpath: '/f/..' });
  });

  it('a corrupt archive object and a missing object are typed errors', async () => {
    const repo = await newRepo('archive');
    const f = await file(repo, 'some content that deflates\n'.repeat(50));
    const commit = await commitOf(repo, await rawTree(repo, [['f', f]], []));
    const hex = Buffer.from(f).toString('hex');
    const objPath = join(repo.path, 'objects', hex.slice(0, 2), `${hex.slice(2)}.filez`);
    const bytes = readFileSync(objPath);
    const headerLen = bytes.readUInt32BE(0) + 8;
    bytes.fill(0xff, headerLen); // garbage where the deflate stream was
    writeFileSync(objPath, bytes);
    await expectRefused(repo, commit, 'INVALID_OBJECT');
    rmSync(objPath);
    await expectRefused(repo, commit, 'OBJECT_NOT_FOUND', /No such file object/);
  });

  it('a hostile symlink target is created as a link, never resolved', async () => {
    const repo = await newRepo('bare');
    const commit = await commitOf(repo, await rawTree(repo, [['abs', await symlink(repo, join(outside, 'precious'))], ['up', await symlink(repo, '../../../../../../etc/shadow')]], []));
    for (const options of [{}, { forceCopy: true }, { userMode: true }] as CheckoutOptions[]) {
      const dest = join(work, `dest-${n++}`);
      await checkout(repo, commit, dest, options);
      expect(lstatSync(join(dest, 'up')).isSymbolicLink()).toBe(true);
      expect(lstatSync(join(dest, 'abs')).isSymbolicLink()).toBe(true);
      expectOutsideIntact();
    }
    // A destination symlink to a directory, used as the checkout root, is the caller's choice
    // and followed (as ostree does); nothing escapes the directory it names.
    symlinkSync(outside, join(work, 'root-link'));
    await expect(checkout(repo, commit, join(work, 'root-link'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS', message: 'mkdirat: File exists' });
    expectOutsideIntact();
  });
});
