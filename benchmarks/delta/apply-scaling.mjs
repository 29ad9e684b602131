#!/usr/bin/env node
// benchmarks/delta/apply-scaling: peak RSS of `static-delta apply-offline` as the changed file
// grows, real ostree beside ostree-ts. For each size (MiB, --sizes 32,128,400) one file of
// pseudo-random bytes is committed with real ostree, and a scratch delta is written with this
// package's codec: part 0 the metadata, part 1 the file as one open-splice-and-close, both
// xz-compressed at preset 0 (a 256 KiB dictionary; real ostree cannot read uncompressed part
// files: it mmaps them at offset 1 and fails with EINVAL), so the numbers show the executors'
// memory (ostree's own preset 8 adds up to a 32 MiB dictionary on both sides: see apply.mjs).
// Each result is checked with `ostree fsck`.
// Usage: npm run build && node benchmarks/delta/apply-scaling.mjs [--sizes 32,128,400] [--runs N]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checksumFromBytes, deltaDirectory, metadataChecksum } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';
import { OpWriter, encodePartFile, encodePartPayload, encodeSuperblock, superblockMetadata } from '@ostree-ts/delta';
import * as lzma from 'node-liblzma';
import { gitCommit, machine, measure, medianRun } from '../lib/measure.mjs';
import { REPO_ROOT as root, option } from '../lib/args.mjs';
import { writeNoise } from '../lib/noise.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = option('sizes', '32,128,400').split(',').map(Number);
const runs = Number(option('runs', 1));
const ostree = (...a) => execFileSync('ostree', a, { encoding: 'utf8', maxBuffer: 64 << 20 });

/** A scratch delta of commit `to` in `srcPath` (bare-user), written with the codec. */
async function writeScratchDelta(srcPath, to) {
  const repo = await openRepo(nodeFs(), srcPath);
  const commitBytes = await repo.readMetadata('commit', to);
  const commit = await repo.loadCommit(to);
  const meta = [];
  const files = [];
  const seen = new Set();
  const walk = async (tree, dirmeta) => {
    if (!seen.has(dirmeta)) meta.push({ type: 'dirmeta', checksum: dirmeta }), seen.add(dirmeta);
    if (!seen.has(tree)) meta.push({ type: 'dirtree', checksum: tree }), seen.add(tree);
    const t = await repo.loadDirTree(tree);
    for (const f of t.files) files.push(checksumFromBytes(f.checksum));
    for (const d of t.dirs) await walk(checksumFromBytes(d.treeChecksum), checksumFromBytes(d.metaChecksum));
  };
  await walk(commit.rootTree, commit.rootMeta);
  // part 0: metadata
  const blobs = [];
  let off = 0;
  const ops0 = new OpWriter();
  for (const m of meta) {
    const bytes = await repo.readMetadata(m.type, m.checksum);
    ops0.spliceMetadata(bytes.length, off);
    blobs.push(bytes);
    off += bytes.length;
  }
  const xz = (payload) => encodePartFile(0x78, lzma.xzSync(Buffer.from(payload.buffer, payload.byteOffset, payload.length), { preset: 0, check: lzma.check.CRC64 }));
  const part0 = xz(encodePartPayload({ modes: [], xattrs: [], blob: Buffer.concat(blobs), operations: ops0.bytes() }));
  // part 1: the file
  const obj = await repo.loadContent(files[0]);
  const data = await obj.readAll();
  const part1 = xz(
    encodePartPayload({
      modes: [{ uid: obj.header.uid, gid: obj.header.gid, mode: obj.header.mode }],
      xattrs: [[]],
      blob: data,
      operations: new OpWriter().spliceContent(0, 0, data.length, 0).bytes(),
    }),
  );
  const header = (file, objects, usize) => ({ version: 0, checksum: metadataChecksum(file), size: BigInt(file.length), uncompressedSize: BigInt(usize), objects });
  const sb = encodeSuperblock({
    metadata: superblockMetadata({ from: undefined, to, endianness: 'little' }),
    timestamp: 0n,
    from: undefined,
    to,
    commitBytes,
    parts: [header(part0, meta, off), header(part1, [{ type: 'file', checksum: files[0] }], data.length)],
    fallbacks: [],
    endianness: 'little',
  });
  const dir = join(srcPath, deltaDirectory(undefined, to));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '0'), part0);
  writeFileSync(join(dir, '1'), part1);
  writeFileSync(join(dir, 'superblock'), sb);
  return dir;
}

const work = mkdtempSync(join(tmpdir(), 'bench-delta-scaling-'));
const results = [];
try {
  for (const mib of sizes) {
    const src = join(work, `src-${mib}`);
    const tree = join(work, `tree-${mib}`);
    mkdirSync(join(tree, 'usr/lib'), { recursive: true });
    writeNoise(join(tree, 'usr/lib/image.bin'), mib << 20, mib);
    ostree('init', `--repo=${src}`, '--mode=bare-user');
    const to = ostree('commit', `--repo=${src}`, '-b', 'b', '--no-bindings', `--tree=dir=${tree}`).trim();
    rmSync(tree, { recursive: true, force: true });
    const dir = await writeScratchDelta(src, to);
    const side = (who) => {
      const out = [];
      for (let i = 0; i < runs; i++) {
        const repo = join(work, `t-${mib}-${who}-${i}`);
        ostree('init', `--repo=${repo}`, '--mode=bare-user');
        const argv = who === 'ostree' ? ['ostree', `--repo=${repo}`, 'static-delta', 'apply-offline', dir] : ['node', join(here, 'apply-offline.mjs'), repo, dir];
        out.push(measure(argv));
        ostree(`--repo=${repo}`, 'fsck', '--quiet');
        rmSync(repo, { recursive: true, force: true });
      }
      return medianRun(out);
    };
    results.push({ mib, ostree: side('ostree'), ostreeTs: side('ostree-ts') });
    rmSync(src, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log('apply-offline of a scratch delta with one changed file (xz preset 0 parts), into bare-user');
console.log('file MiB   ostree: wall s  peak RSS MiB    ostree-ts: wall s  peak RSS MiB');
for (const r of results) {
  console.log(
    `${String(r.mib).padStart(8)}   ${r.ostree.wallS.toFixed(2).padStart(13)} ${(r.ostree.maxRssKiB / 1024).toFixed(0).padStart(13)}    ${r.ostreeTs.wallS.toFixed(2).padStart(16)} ${(r.ostreeTs.maxRssKiB / 1024).toFixed(0).padStart(13)}`,
  );
}
console.log(JSON.stringify({ bench: 'delta-apply-scaling', date: new Date().toISOString(), commit: await gitCommit(root), machine: await machine(), runs, results }));
