// Every object of the repos real ostree 2022.7 wrote (test-vectors/repos) decodes, re-encodes to
// identical bytes, and re-hashes to its name — content objects from their stored form in each
// mode, with the header derived here (not taken from the manifest).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_MODES, unpackRepo, type ObjectEntry, type RepoMode, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import {
  S_IFMT,
  canonicalXattrs,
  commitContentChecksum,
  contentChecksum,
  decodeBareUserMeta,
  decodeCommit,
  decodeCommitMeta,
  decodeDirMeta,
  decodeDirTree,
  decodeTombstone,
  encodeCommit,
  encodeCommitMeta,
  encodeDirMeta,
  encodeDirTree,
  fromHex,
  metadataChecksum,
  parseArchiveObject,
  toHex,
  xattr,
  type FileHeader,
} from '../src/index.js';

const S_IFLNK = 0o120000;
const enc = new TextEncoder();

function headerFromStorage(mode: RepoMode, o: ObjectEntry, onDisk: Uint8Array): { header: FileHeader; payload: Uint8Array } {
  const stMode = Number.parseInt(o.mode, 8);
  if (mode === 'bare-user') {
    const meta = decodeBareUserMeta(fromHex(o.xattrs['user.ostreemeta']!));
    if ((meta.mode & S_IFMT) === S_IFLNK) {
      expect(onDisk[onDisk.length - 1]).toBe(0);
      const target = new TextDecoder().decode(onDisk.subarray(0, -1));
      return { header: { ...meta, rdev: 0, symlinkTarget: target }, payload: new Uint8Array(0) };
    }
    return { header: { ...meta, rdev: 0, symlinkTarget: '' }, payload: onDisk };
  }
  const symlink = o.type === 'symlink';
  const xattrs = mode === 'bare' ? canonicalXattrs(Object.entries(o.xattrs).map(([n, v]) => xattr(n, fromHex(v)))) : [];
  const owner = mode === 'bare' ? { uid: o.uid, gid: o.gid } : { uid: 0, gid: 0 };
  return {
    header: { ...owner, mode: stMode, rdev: 0, symlinkTarget: symlink ? o.symlinkTarget! : '', xattrs },
    payload: symlink ? new Uint8Array(0) : onDisk,
  };
}

describe.each(REPO_MODES)('%s repo written by real ostree', (mode) => {
  let repo: UnpackedRepo;
  beforeAll(async () => {
    repo = await unpackRepo(mode);
  });
  afterAll(async () => {
    await repo?.cleanup();
  });

  it('every object decodes, re-encodes byte for byte and hashes to its name', async () => {
    const seen: Record<string, number> = {};
    for (const o of repo.manifest.objects) {
      const bytes = o.type === 'symlink' ? new Uint8Array(0) : new Uint8Array(await readFile(join(repo.path, o.path)));
      seen[o.objtype] = (seen[o.objtype] ?? 0) + 1;
      switch (o.objtype) {
        case 'commit':
          expect(toHex(encodeCommit(decodeCommit(bytes)))).toBe(toHex(bytes));
          expect(metadataChecksum(bytes)).toBe(o.checksum);
          break;
        case 'dirtree':
          expect(toHex(encodeDirTree(decodeDirTree(bytes)))).toBe(toHex(bytes));
          expect(metadataChecksum(bytes)).toBe(o.checksum);
          break;
        case 'dirmeta':
          expect(toHex(encodeDirMeta(decodeDirMeta(bytes)))).toBe(toHex(bytes));
          expect(metadataChecksum(bytes)).toBe(o.checksum);
          break;
        case 'commitmeta':
          expect(toHex(encodeCommitMeta(decodeCommitMeta(bytes)))).toBe(toHex(bytes));
          break;
        case 'tombstone-commit':
          expect(decodeTombstone(bytes)).toBe(o.checksum);
          break;
        case 'filez': {
          const { header, size, payloadOffset } = parseArchiveObject(bytes);
          const payload = (header.mode & S_IFMT) === S_IFLNK ? new Uint8Array(0) : new Uint8Array(inflateRawSync(bytes.subarray(payloadOffset)));
          expect(BigInt(payload.length)).toBe(size);
          expect(contentChecksum(header, payload)).toBe(o.checksum);
          break;
        }
        case 'file': {
          const { header, payload } = headerFromStorage(mode, o, bytes);
          expect(contentChecksum(header, payload)).toBe(o.checksum);
          break;
        }
        default:
          break;
      }
    }
    // The repos hold every kind the generator made; make sure none was silently skipped.
    expect(seen.commit).toBeGreaterThanOrEqual(2);
    expect((seen.file ?? 0) + (seen.filez ?? 0)).toBeGreaterThan(20);
    expect(seen.dirtree).toBeGreaterThan(5);
  });

  it('commit fields and content checksums match what ostree reports', async () => {
    for (const c of repo.manifest.commits) {
      const commit = decodeCommit(new Uint8Array(await readFile(join(repo.path, 'objects', c.checksum.slice(0, 2), `${c.checksum.slice(2)}.commit`))));
      expect(commit.subject).toBe(c.subject);
      expect(commit.body).toBe(c.body);
      expect(commit.parent ?? null).toBe(c.parent);
      expect(Number(commit.timestamp)).toBe(c.timestamp);
      expect(commit.rootTree).toBe(c.rootDirtree);
      expect(commit.rootMeta).toBe(c.rootDirmeta);
      expect(commitContentChecksum(commit)).toBe(c.contentChecksum);
    }
  });
});

it('a non-ASCII name sorts by UTF-8 bytes inside real dirtrees', async () => {
  const repo = await unpackRepo('archive');
  try {
    for (const o of repo.manifest.objects.filter((x) => x.objtype === 'dirtree')) {
      const tree = decodeDirTree(new Uint8Array(await readFile(join(repo.path, o.path))));
      const names = tree.files.map((f) => enc.encode(f.name));
      for (let i = 1; i < names.length; i++) expect(Buffer.compare(names[i - 1]!, names[i]!)).toBeLessThan(0);
    }
  } finally {
    await repo.cleanup();
  }
});
