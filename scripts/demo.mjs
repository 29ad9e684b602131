#!/usr/bin/env node
// End-to-end demo on an embedded default: a small device rootfs is committed by real ostree
// into an archive repo; ostree-ts then computes the same commit checksum from the tree on its
// own, and verifies every object real ostree wrote (decode, re-encode, re-hash).
// Run through `npm run demo` (it builds the packages first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import * as core from '../packages/core/dist/index.js';

const work = mkdtempSync(join(tmpdir(), 'ostree-ts-demo-'));
const rootfs = join(work, 'rootfs');
const repo = join(work, 'repo');

// A tiny embedded rootfs: busybox-style symlinks, an init script, config, a firmware blob.
function makeRootfs() {
  const file = (p, content, mode = 0o644) => {
    mkdirSync(join(rootfs, p, '..'), { recursive: true });
    writeFileSync(join(rootfs, p), content);
    chmodSync(join(rootfs, p), mode);
  };
  file('usr/bin/busybox', Buffer.from('\x7fELF' + 'busybox-payload '.repeat(4096)), 0o755);
  for (const tool of ['sh', 'ls', 'cat', 'mount']) symlinkSync('busybox', join(rootfs, 'usr/bin', tool));
  file('usr/sbin/init', '#!/bin/sh\nmount -t proc proc /proc\nexec /usr/bin/app\n', 0o755);
  file('usr/bin/app', Buffer.from('\x7fELF' + 'sensor-app v1 '.repeat(2000)), 0o755);
  file('usr/etc/hostname', 'device-0001\n');
  file('usr/etc/app.conf', 'interval=5\nendpoint=https://updates.example.com\n');
  file('usr/lib/firmware/wifi.bin', Buffer.alloc(64 * 1024, 0xa5));
  file('usr/lib/os-release', 'NAME="Demo OS"\nVERSION_ID=1.0\n');
  file('usr/share/empty', '');
  mkdirSync(join(rootfs, 'var'), { recursive: true });
  symlinkSync('usr/bin', join(rootfs, 'bin'));
  for (const d of ['', 'usr', 'usr/bin', 'usr/sbin', 'usr/etc', 'usr/lib', 'usr/lib/firmware', 'usr/share', 'var']) chmodSync(join(rootfs, d), 0o755);
}

// ostree-ts side: walk the tree, hash like ostree does, build dirtrees/dirmeta bottom-up.
function commitTree(dir) {
  const entries = readdirSync(dir).sort(core.compareUtf8);
  const files = [];
  const dirs = [];
  for (const name of entries) {
    const p = join(dir, name);
    const st = lstatSync(p);
    const header = { uid: st.uid, gid: st.gid, mode: st.mode, rdev: 0, symlinkTarget: '', xattrs: [] };
    if (st.isSymbolicLink()) {
      files.push({ name, checksum: core.checksumToBytes(core.contentChecksum({ ...header, symlinkTarget: readlinkSync(p) })) });
    } else if (st.isFile()) {
      files.push({ name, checksum: core.checksumToBytes(core.contentChecksum(header, readFileSync(p))) });
    } else if (st.isDirectory()) {
      const sub = commitTree(p);
      dirs.push({ name, treeChecksum: core.checksumToBytes(sub.tree), metaChecksum: core.checksumToBytes(sub.meta) });
    }
  }
  const st = lstatSync(dir);
  return {
    tree: core.metadataChecksum(core.encodeDirTree({ files, dirs })),
    meta: core.metadataChecksum(core.encodeDirMeta({ uid: st.uid, gid: st.gid, mode: st.mode, xattrs: [] })),
  };
}

// Every object in the real repo must decode, re-encode identically and hash to its name.
function verifyRepo() {
  const counts = {};
  for (const prefix of readdirSync(join(repo, 'objects'))) {
    for (const name of readdirSync(join(repo, 'objects', prefix))) {
      const obj = core.parseLooseObjectName(prefix, name);
      const bytes = readFileSync(join(repo, 'objects', prefix, name));
      let actual;
      if (obj.type === 'file') {
        const { header, size, payloadOffset } = core.parseArchiveObject(bytes);
        const payload = core.isSymlinkMode(header.mode) ? new Uint8Array(0) : inflateRawSync(bytes.subarray(payloadOffset));
        if (BigInt(payload.length) !== size) throw new Error(`${name}: size mismatch`);
        actual = core.contentChecksum(header, payload);
      } else {
        const codecs = { commit: [core.decodeCommit, core.encodeCommit], dirtree: [core.decodeDirTree, core.encodeDirTree], dirmeta: [core.decodeDirMeta, core.encodeDirMeta] };
        const [decode, encode] = codecs[obj.type];
        if (Buffer.compare(encode(decode(bytes)), bytes) !== 0) throw new Error(`${name}: re-encoding differs`);
        actual = core.metadataChecksum(bytes);
      }
      core.assertChecksumMatches(obj.checksum, actual, `${obj.type} object`);
      counts[obj.type] = (counts[obj.type] ?? 0) + 1;
    }
  }
  return counts;
}

try {
  makeRootfs();
  const timestamp = '2026-01-01T00:00:00Z';
  execFileSync('ostree', ['init', `--repo=${repo}`, '--mode=archive']);
  const theirs = execFileSync('ostree', [
    'commit', `--repo=${repo}`, '-b', 'demo/device/stable', `--timestamp=${timestamp}`, '--no-bindings',
    '-s', 'Demo OS 1.0', '--add-metadata-string=version=1.0', `--tree=dir=${rootfs}`,
  ]).toString().trim();

  const root = commitTree(rootfs);
  const ours = core.metadataChecksum(core.encodeCommit({
    metadata: [['version', core.variant('s', '1.0')]],
    parent: undefined, related: [], subject: 'Demo OS 1.0', body: '',
    timestamp: BigInt(Date.parse(timestamp) / 1000), rootTree: root.tree, rootMeta: root.meta,
  }));

  console.log(`real ostree commit:  ${theirs}`);
  console.log(`ostree-ts computed:  ${ours}`);
  const counts = verifyRepo();
  console.log(`verified objects:    ${Object.entries(counts).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  if (ours !== theirs) {
    console.error('MISMATCH: ostree-ts and ostree disagree on the commit checksum');
    process.exitCode = 1;
  } else {
    console.log('OK: identical commit checksum, every object verified');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
