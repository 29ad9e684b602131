// Test helpers: a model bspatch, patch building from triples, and the Debian bsdiff/bspatch
// CLIs (BSDIFF40 container: header, then bzip2'd control, diff and extra blocks).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROL_SIZE, encodeControl, readControl, type ControlTriple } from '../src/index.js';

/** One step of a patch with its data. */
export interface Step {
  readonly diff: Uint8Array;
  readonly extra: Uint8Array;
  readonly oldSeek: number;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The raw stream of `steps`: each control triple followed by its diff and extra bytes. */
export function buildPatch(steps: readonly Step[]): Uint8Array {
  return concat(
    steps.flatMap((s) => [encodeControl({ diffLength: s.diff.length, extraLength: s.extra.length, oldSeek: s.oldSeek }), s.diff, s.extra]),
  );
}

/** The obvious reading of the format, written independently of src/, for comparison. */
export function modelPatch(old: Uint8Array, steps: readonly Step[]): Uint8Array {
  const out: number[] = [];
  let oldPos = 0;
  for (const s of steps) {
    for (let i = 0; i < s.diff.length; i++) out.push((s.diff[i]! + old[oldPos + i]!) % 256);
    oldPos += s.diff.length;
    for (const b of s.extra) out.push(b);
    oldPos += s.oldSeek;
  }
  return Uint8Array.from(out);
}

/** Splits a raw stream into its triples and the concatenated diff and extra blocks. */
export function splitRaw(raw: Uint8Array, newSize: number): { controls: ControlTriple[]; diff: Uint8Array; extra: Uint8Array } {
  const controls: ControlTriple[] = [];
  const diffs: Uint8Array[] = [];
  const extras: Uint8Array[] = [];
  let at = 0;
  let newPos = 0;
  while (newPos < newSize) {
    const t = readControl(raw, at);
    at += CONTROL_SIZE;
    controls.push(t);
    diffs.push(raw.subarray(at, at + t.diffLength));
    at += t.diffLength;
    extras.push(raw.subarray(at, at + t.extraLength));
    at += t.extraLength;
    newPos += t.diffLength + t.extraLength;
  }
  if (at !== raw.length) throw new Error(`raw stream has ${raw.length - at} trailing bytes`);
  return { controls, diff: concat(diffs), extra: concat(extras) };
}

export const HAVE_DEBIAN_BSDIFF =
  spawnSync('bsdiff', [], { stdio: 'ignore' }).error === undefined &&
  spawnSync('bspatch', [], { stdio: 'ignore' }).error === undefined &&
  spawnSync('bzip2', ['--help'], { stdio: 'ignore' }).error === undefined;

function run(cmd: string, args: string[], input?: Uint8Array): Uint8Array {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}

const bzip2 = (data: Uint8Array) => run('bzip2', ['-c', '-9'], data);
const bunzip2 = (data: Uint8Array) => run('bzip2', ['-dc'], data);

function offt(value: number): Uint8Array {
  return encodeControl({ diffLength: value, extraLength: 0, oldSeek: 0 }).subarray(0, 8);
}

/** Wraps a raw stream in Debian's BSDIFF40 container. */
export function toBsdiff40(raw: Uint8Array, newSize: number): Uint8Array {
  const { controls, diff, extra } = splitRaw(raw, newSize);
  const ctrlBz = bzip2(concat(controls.map(encodeControl)));
  const diffBz = bzip2(diff);
  const extraBz = bzip2(extra);
  const header = concat([new TextEncoder().encode('BSDIFF40'), offt(ctrlBz.length), offt(diffBz.length), offt(newSize)]);
  return concat([header, ctrlBz, diffBz, extraBz]);
}

/** Unwraps Debian's BSDIFF40 container into the raw stream ostree uses. */
export function fromBsdiff40(patch: Uint8Array): { raw: Uint8Array; newSize: number } {
  if (new TextDecoder().decode(patch.subarray(0, 8)) !== 'BSDIFF40') throw new Error('not a BSDIFF40 patch');
  const read = (at: number) => readControl(concat([patch.subarray(at, at + 8), new Uint8Array(16)]), 0).diffLength;
  const ctrlLen = read(8);
  const diffLen = read(16);
  const newSize = read(24);
  const ctrl = bunzip2(patch.subarray(32, 32 + ctrlLen));
  const diff = bunzip2(patch.subarray(32 + ctrlLen, 32 + ctrlLen + diffLen));
  const extra = bunzip2(patch.subarray(32 + ctrlLen + diffLen));
  const parts: Uint8Array[] = [];
  let d = 0;
  let e = 0;
  for (let at = 0; at < ctrl.length; at += CONTROL_SIZE) {
    const t = readControl(ctrl, at);
    parts.push(ctrl.subarray(at, at + CONTROL_SIZE), diff.subarray(d, d + t.diffLength), extra.subarray(e, e + t.extraLength));
    d += t.diffLength;
    e += t.extraLength;
  }
  return { raw: concat(parts), newSize };
}

/** Runs `f` with a fresh temporary directory, removed afterwards. */
export function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bsdiff-test-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Debian's `bsdiff old new patch`, returned as the raw stream. */
export function debianBsdiff(old: Uint8Array, next: Uint8Array): Uint8Array {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'old'), old);
    writeFileSync(join(dir, 'new'), next);
    run('bsdiff', [join(dir, 'old'), join(dir, 'new'), join(dir, 'patch')]);
    return fromBsdiff40(new Uint8Array(readFileSync(join(dir, 'patch')))).raw;
  });
}

/** Debian's `bspatch old new patch` on our raw stream wrapped as BSDIFF40. */
export function debianBspatch(old: Uint8Array, raw: Uint8Array, newSize: number): Uint8Array {
  return withTempDir((dir) => {
    writeFileSync(join(dir, 'old'), old);
    writeFileSync(join(dir, 'patch'), toBsdiff40(raw, newSize));
    run('bspatch', [join(dir, 'old'), join(dir, 'new'), join(dir, 'patch')]);
    return new Uint8Array(readFileSync(join(dir, 'new')));
  });
}

/** Chops `bytes` into chunks of the given sizes (cycled), for streaming sources. */
export function* chunked(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** Collects an async iterable of chunks. */
export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}
