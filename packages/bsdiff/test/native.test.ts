// The C sources under AddressSanitizer and UndefinedBehaviorSanitizer, natively: inside
// WebAssembly an out-of-bounds read within linear memory does not trap, so a bug there could
// hide behind round trips that still pass. native/test/harness.c checks suffix order and
// applies every patch with its own bspatch loop.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { withTempDir } from './helpers.js';

const NATIVE = join(import.meta.dirname, '../native');

function build(dir: string): { ok: boolean; output: string } {
  const r = spawnSync(
    'clang-14',
    ['-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-Wno-unknown-attributes', `-I${NATIVE}`, '-o', join(dir, 'harness'),
      join(NATIVE, 'test/harness.c'), join(NATIVE, 'test/heap-asan.c'), join(NATIVE, 'sais.c'), join(NATIVE, 'bsdiff.c')],
    { encoding: 'utf8' },
  );
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const CAN_BUILD = withTempDir((dir) => build(dir).ok);

it.runIf(CAN_BUILD)('bsdiff and SA-IS are clean under ASan and UBSan on varied inputs', () => {
  withTempDir((dir) => {
    expect(build(dir).ok).toBe(true);
    const r = spawnSync(join(dir, 'harness'), ['120'], { encoding: 'utf8', timeout: 600_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok 120 runs');
    expect(r.status).toBe(0);
  });
}, 660_000);
