// Byte-identity with real ostree: the golden archive repo made by ostree 2022.7
// (test-vectors/repos), the small-object vectors (test-vectors/objects/filez.json), and fresh
// repos committed by the installed `ostree` binary, including `[archive] zlib-level` settings.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRawInflateWith, inflateWith } from '../src/inflate.js';
import { archiveZlibLevel, createRawDeflate, deflateRaw, inflateRaw } from '../src/index.js';
import { fromHex, loadObjectVectorsSync, tarballPath, unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { binaryBytes, chunked, expectBytes, haveCommand, parseFilez, randomBytes, runTransform, textBytes } from './helpers.js';

const SEED = 20261124;
const HAVE_GOLDEN = existsSync(tarballPath('archive')) && haveCommand('tar');
const HAVE_OSTREE = haveCommand('ostree');

const sha256hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Compares our exact deflate of `payload` with ostree's bytes: one-shot and random chunkings. */
function checkExact(payload: Uint8Array, ostreeBytes: Uint8Array, level: number, chunkings: number[][]): void {
  expectBytes(deflateRaw(payload, { level }), ostreeBytes, `one-shot level ${level}`);
  for (const sizes of chunkings) {
    expectBytes(runTransform(createRawDeflate({ level }), chunked(payload, sizes)), ostreeBytes, `streamed ${sizes.join(',')}`);
  }
}

/** Random chunkings with a fixed seed (same every run). */
function chunkings(n: number, seed: number): number[][] {
  return fc.sample(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 6 }), { seed, numRuns: n });
}

/** Inflates ostree's compressed bytes with every engine and path; returns the payload. */
function inflateAllWays(compressed: Uint8Array, size: number): Uint8Array {
  const out = inflateRaw(compressed, { maxOutputBytes: size });
  expect(out.length).toBe(size);
  expectBytes(inflateWith(compressed, size, true), out, 'pako one-shot');
  for (const pako of [false, true]) {
    expectBytes(runTransform(createRawInflateWith({ maxOutputBytes: size }, pako), chunked(compressed, [8191])), out, 'streamed');
  }
  return out;
}

describe('small .filez vectors from ostree 2022.7 (test-vectors/objects/filez.json)', () => {
  const file = loadObjectVectorsSync('filez');
  const regular = file.vectors.filter((v) => v.symlinkTarget === null);
  it('has regular-file vectors', () => expect(regular.length).toBeGreaterThanOrEqual(10));
  it.each(regular.map((v) => [v.path, v] as const))('%s', (_p, v) => {
    const whole = fromHex(v.hex);
    const { header, compressed } = parseFilez(whole);
    expect(Buffer.from(header).toString('hex')).toBe(v.storedHeaderHex);
    expect(Buffer.from(compressed).toString('hex')).toBe(v.compressedPayloadHex);
    const payload = inflateAllWays(compressed, v.payloadSize);
    expect(Buffer.from(payload).toString('hex')).toBe(v.payloadHex);
    checkExact(payload, compressed, 6, [[1], [3, 5]]);
  });
  it('symlink objects carry no deflate payload', () => {
    for (const v of file.vectors.filter((x) => x.symlinkTarget !== null)) expect(v.compressedPayloadHex).toBe('');
  });
});

describe.skipIf(!HAVE_GOLDEN)('golden archive repo made by ostree 2022.7 (test-vectors/repos/archive.tar.gz)', () => {
  let repo: UnpackedRepo;
  beforeAll(async () => {
    repo = await unpackRepo('archive');
  });
  afterAll(async () => {
    await repo?.cleanup();
  });

  it('every regular-file .filez: inflates to the recorded payload and re-deflates to the same bytes', () => {
    const filez = repo.manifest.objects.filter((o) => o.objtype === 'filez' && o.content?.symlinkTarget === null);
    expect(filez.length).toBeGreaterThanOrEqual(20);
    expect(filez.some((o) => (o.content?.payloadSize ?? 0) > 1 << 20)).toBe(true);
    const level = archiveZlibLevel(null); // the golden config has no [archive] group
    expect(repo.manifest.config).not.toContain('zlib-level');
    let i = 0;
    for (const o of filez) {
      const c = o.content!;
      const { compressed } = parseFilez(new Uint8Array(readFileSync(join(repo.path, o.path))));
      const payload = inflateAllWays(compressed, c.payloadSize);
      expect(sha256hex(payload), o.path).toBe(c.payloadSha256);
      checkExact(payload, compressed, level, chunkings(3, SEED + i++));
    }
  });

  it('symlink .filez objects end right after the header', () => {
    const links = repo.manifest.objects.filter((o) => o.objtype === 'filez' && o.content?.symlinkTarget !== null);
    expect(links.length).toBeGreaterThan(0);
    for (const o of links) expect(parseFilez(new Uint8Array(readFileSync(join(repo.path, o.path)))).compressed.length).toBe(0);
  });
});

/** Makes an archive repo with the installed ostree, commits `files`, returns {name → .filez}. */
function ostreeCommit(dir: string, files: Record<string, Uint8Array>, zlibLevel?: string): Map<string, Uint8Array> {
  const repo = join(dir, 'repo');
  const tree = join(dir, 'tree');
  mkdirSync(tree, { recursive: true });
  execFileSync('ostree', ['init', `--repo=${repo}`, '--mode=archive']);
  if (zlibLevel !== undefined) appendFileSync(join(repo, 'config'), `\n[archive]\nzlib-level=${zlibLevel}\n`);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(tree, name), data);
  execFileSync('ostree', ['commit', `--repo=${repo}`, '--branch=main', `--tree=dir=${tree}`, '--subject=t', '--no-xattrs', '--timestamp=2022-01-01T00:00:00Z']);
  // Map each payload sha256 to its .filez file.
  const byHash = new Map<string, Uint8Array>();
  const objects = join(repo, 'objects');
  for (const sub of readdirSync(objects)) {
    for (const f of readdirSync(join(objects, sub))) {
      if (!f.endsWith('.filez')) continue;
      const { compressed } = parseFilez(new Uint8Array(readFileSync(join(objects, sub, f))));
      byHash.set(sha256hex(inflateRaw(compressed)), compressed);
    }
  }
  const res = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    const c = byHash.get(sha256hex(data));
    if (!c) throw new Error(`no .filez for ${name}`);
    res.set(name, c);
  }
  return res;
}

describe.skipIf(!HAVE_OSTREE)('fresh archive repos committed by the installed ostree', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ostree-ts-compress-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const MiB = 1 << 20;
  const node = readFileSync(process.execPath);
  const files: Record<string, Uint8Array> = {
    'text-1m5.txt': textBytes(1.5 * MiB, 1),
    'random-1m.bin': randomBytes(MiB, 2),
    'zeros-3m.bin': new Uint8Array(3 * MiB),
    'binary-2m.bin': binaryBytes(2 * MiB, 3),
    'elf-2m.bin': new Uint8Array(node.subarray(0, 2 * MiB)),
    'small.txt': new TextEncoder().encode('hello, ostree\n'),
    'empty': new Uint8Array(0),
    'text-65535.txt': textBytes(65535, 4),
    'text-65536.txt': textBytes(65536, 5),
    'text-65537.txt': textBytes(65537, 6),
    'mixed-1m.bin': new Uint8Array(Buffer.concat([textBytes(300_000, 7), randomBytes(300_000, 8), new Uint8Array(200_000), binaryBytes(248_576, 9)])),
  };

  it('default level: every .filez payload equals our exact deflate, one-shot and streamed', () => {
    const got = ostreeCommit(join(dir, 'default'), files);
    let i = 0;
    for (const [name, data] of Object.entries(files)) {
      const compressed = got.get(name)!;
      expectBytes(inflateAllWays(compressed, data.length), data, `${name} inflate`);
      checkExact(data, compressed, 6, chunkings(3, SEED + 100 + i++));
    }
  });

  // Values as written into the repo config; ostree parses them with g_ascii_strtoull and clamps.
  const values = ['1', '2', '3', '4', '5', '7', '8', '9', '0', '10', '-1', 'abc', '7x', '+4', '99999999999999999999999', '007'];
  it.each(values)('[archive] zlib-level=%s', (value) => {
    const level = archiveZlibLevel(value);
    const data = {
      'a.txt': textBytes(400_000, 10),
      'b.bin': binaryBytes(300_000, 11),
      'c.elf': new Uint8Array(node.subarray(4 * MiB, 4 * MiB + 400_000)),
    };
    const got = ostreeCommit(join(dir, `level-${values.indexOf(value)}`), data, value);
    // Levels whose output equals ostree's for every file; must be exactly the parsed level,
    // which proves both the parsing and that the level really made the difference.
    let matching = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    for (const [name, payload] of Object.entries(data)) {
      const compressed = got.get(name)!;
      checkExact(payload, compressed, level, chunkings(1, SEED + level));
      matching = matching.filter((l) => Buffer.compare(deflateRaw(payload, { level: l }), compressed) === 0);
    }
    expect(matching).toEqual([level]);
  });
});
