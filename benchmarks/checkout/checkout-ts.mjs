#!/usr/bin/env node
// ostree-ts side of the checkout benchmark: `checkout-ts.mjs REPO REV DEST [FLAG...]` with the
// flags of `ostree checkout` the benchmark uses (-U, -C, -H, --disable-cache), plus
// --kernel-copy: give the Fs a `copyFile` (Node's fs.copyFile with COPYFILE_FICLONE, i.e.
// reflink or copy_file_range in the kernel), which io-node's nodeFs does not have (yet).
import { constants, promises as fsp } from 'node:fs';
import { checkout } from '@ostree-ts/checkout';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';

const [repoPath, rev, dest, ...flags] = process.argv.slice(2);
const options = {};
// Direct file system calls, as the ostree-ts CLI makes them (see io-node's syncCalls).
let fs = nodeFs({ syncCalls: true });
for (const f of flags) {
  if (f === '-U') options.userMode = true;
  else if (f === '-C') options.forceCopy = true;
  else if (f === '-H') options.requireHardlinks = true;
  else if (f === '--disable-cache') options.disableCache = true;
  else if (f.startsWith('--concurrency=')) options.concurrency = Number(f.slice(14));
  else if (f === '--kernel-copy') {
    const base = fs;
    const copyFile = (src, to) => fsp.copyFile(src, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    fs = new Proxy(base, {
      get: (t, p) => (p === 'copyFile' ? copyFile : typeof t[p] === 'function' ? t[p].bind(t) : t[p]),
      has: (t, p) => p === 'copyFile' || p in t,
    });
  } else throw new Error(`unknown flag ${f}`);
}
const repo = await openRepo(fs, repoPath);
const { stats } = await checkout(repo, rev, dest, options);
process.stdout.write(`${JSON.stringify(stats)}\n`);
