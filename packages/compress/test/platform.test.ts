// Platform independence: no static node:* imports or Buffer in the sources, and the pako
// fallback is chosen (and works) when node:zlib is missing or misbehaves.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { binaryBytes, expectBytes, textBytes, thrown } from './helpers.js';

type Api = typeof import('../src/index.js');
const SRC = new URL('../src/', import.meta.url);

describe('sources', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s has no static node:* import, require or Buffer', (f) => {
    const text = readFileSync(new URL(f, SRC), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(text).not.toMatch(/from\s+['"]node:/);
    expect(text).not.toMatch(/import\(\s*['"]node:/);
    expect(text).not.toMatch(/\brequire\s*\(/);
    expect(text).not.toMatch(/\bBuffer\b/);
  });
});

describe('runtime selection', () => {
  const proc = process as { getBuiltinModule?: unknown };
  const original = proc.getBuiltinModule;
  afterEach(() => {
    proc.getBuiltinModule = original;
    vi.resetModules();
  });

  async function freshApi(): Promise<Api> {
    vi.resetModules();
    return (await import('../src/index.js')) as Api;
  }

  it('uses node:zlib on this Node', async () => {
    const api = await freshApi();
    expect(api.activeBackends()).toEqual({ exactDeflate: 'pako', fastDeflate: 'node:zlib', inflate: 'node:zlib' });
  });

  it('without process.getBuiltinModule (browsers, old Node): pako everywhere, same results', async () => {
    const data = textBytes(300_000, 1);
    const nodeApi = await freshApi();
    const exact = nodeApi.deflateRaw(data);
    proc.getBuiltinModule = undefined;
    const api = await freshApi();
    expect(api.activeBackends()).toEqual({ exactDeflate: 'pako', fastDeflate: 'pako', inflate: 'pako' });
    expectBytes(api.deflateRaw(data), exact);
    expectBytes(api.inflateRaw(api.deflateRaw(data, { exact: false })), data);
    const e = thrown(() => api.inflateRaw(new Uint8Array([...exact, 0])));
    expect(api.isCompressError(e, 'COMPRESS_CORRUPT')).toBe(true);
  });

  it('a node:zlib look-alike that fails the self-test is not used', async () => {
    const real = (original as (id: string) => unknown).call(process, 'node:zlib') as Record<string, unknown>;
    // Same API, but it does not report consumed input (so trailing garbage would go unnoticed)
    // and its deflate ignores the dictionary option.
    const fake = {
      ...real,
      inflateRawSync: (d: Uint8Array, o?: Record<string, unknown>) => {
        const r = (real['inflateRawSync'] as (d: Uint8Array, o?: unknown) => unknown)(d, o);
        return o?.['info'] ? { buffer: (r as { buffer: Uint8Array }).buffer, engine: {} } : r;
      },
      deflateRawSync: (d: Uint8Array, o?: Record<string, unknown>) =>
        (real['deflateRawSync'] as (d: Uint8Array, o?: unknown) => Uint8Array)(d, { ...o, dictionary: undefined }),
    };
    proc.getBuiltinModule = (id: string) => (id === 'node:zlib' ? fake : (original as (id: string) => unknown).call(process, id));
    const api = await freshApi();
    expect(api.activeBackends()).toEqual({ exactDeflate: 'pako', fastDeflate: 'pako', inflate: 'pako' });
    const data = binaryBytes(100_000, 2);
    expectBytes(api.inflateRaw(api.deflateRaw(data, { exact: false })), data);
  });
});
