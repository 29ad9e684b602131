// The committed wasm/bsdiff.wasm is exactly what scripts/build-wasm.sh makes from native/*.c
// (checked wherever clang-14 is installed, as in CI), and src/bsdiff-wasm.generated.ts embeds
// exactly those bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BSDIFF_WASM_BASE64 } from '../src/bsdiff-wasm.generated.js';
import { withTempDir } from './helpers.js';

const PKG = join(import.meta.dirname, '..');
const committedWasm = () => new Uint8Array(readFileSync(join(PKG, 'wasm/bsdiff.wasm')));
const HAVE_CLANG = spawnSync('clang-14', ['--version'], { stdio: 'ignore' }).status === 0;

describe('bsdiff.wasm', () => {
  it('is embedded byte for byte in the generated module', () => {
    expect(new Uint8Array(Buffer.from(BSDIFF_WASM_BASE64, 'base64'))).toEqual(committedWasm());
  });

  it('imports nothing and exports memory and the bsdiff functions', () => {
    const module = new WebAssembly.Module(committedWasm());
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(
      ['bsdiff_alloc', 'bsdiff_heap_peak', 'bsdiff_patch_size', 'bsdiff_reset', 'bsdiff_run', 'bsdiff_suffix_array', 'memory'].sort(),
    );
  });

  it.runIf(HAVE_CLANG)('is rebuilt identically from native/ by scripts/build-wasm.sh', () => {
    withTempDir((dir) => {
      const r = spawnSync('sh', [join(PKG, 'scripts/build-wasm.sh'), dir], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(new Uint8Array(readFileSync(join(dir, 'wasm/bsdiff.wasm')))).toEqual(committedWasm());
      expect(readFileSync(join(dir, 'src/bsdiff-wasm.generated.ts'), 'utf8')).toBe(readFileSync(join(PKG, 'src/bsdiff-wasm.generated.ts'), 'utf8'));
    });
  });
});
