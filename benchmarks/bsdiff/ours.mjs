#!/usr/bin/env node
// One bsdiff or bspatch with @ostree-ts/bsdiff in its own process (so /usr/bin/time measures
// its peak RSS like the Debian CLI's). Prints one JSON line with in-process timings.
//   node ours.mjs diff OLD NEW PATCH        raw bsdiff stream → PATCH
//   node ours.mjs patch OLD PATCH NEW SIZE  one-shot bspatch
//   node ours.mjs stream OLD PATCH NEW SIZE streaming bspatch (64 KiB chunks, positional old reads)
import { open, readFile, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../packages/bsdiff/dist/', import.meta.url));
const { bsdiffMeasured, bspatch, bspatchStream } = await import(join(DIST, 'index.js'));
const [mode, a, b, c, size] = process.argv.slice(2);

if (mode === 'diff') {
  const [oldBytes, newBytes] = await Promise.all([readFile(a), readFile(b)]);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const { patch, peakHeapBytes, memoryBytes } = bsdiffMeasured(oldBytes, newBytes);
  const { user, system } = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  await writeFile(c, patch);
  console.log(JSON.stringify({ ms, cpuMs: (user + system) / 1000, peakHeapBytes, memoryBytes, patchBytes: patch.length }));
} else if (mode === 'patch') {
  const [oldBytes, patch] = await Promise.all([readFile(a), readFile(b)]);
  const t = performance.now();
  const out = bspatch(oldBytes, patch, Number(size));
  const ms = performance.now() - t;
  await writeFile(c, out);
  console.log(JSON.stringify({ ms }));
} else if (mode === 'stream') {
  const handle = await open(a, 'r');
  const old = { size: (await handle.stat()).size, read: async (buf, off, len, pos) => (await handle.read(buf, off, len, pos)).bytesRead };
  const patchHandle = await open(b, 'r');
  const out = createWriteStream(c);
  const t = performance.now();
  for await (const chunk of bspatchStream(old, chunks(patchHandle), Number(size))) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  const ms = performance.now() - t;
  await handle.close();
  await patchHandle.close();
  console.log(JSON.stringify({ ms }));
} else {
  console.error('usage: ours.mjs diff|patch|stream …');
  process.exit(2);
}

/** The patch file in 64 KiB reads. */
async function* chunks(h) {
  for (let pos = 0; ; ) {
    const buf = new Uint8Array(64 * 1024);
    const { bytesRead } = await h.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}
