/** koffi failing to load (missing module or binary): nodeFs keeps working without the native helpers. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';

vi.mock('node:module', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:module')>()),
  createRequire: () => (id: string) => {
    throw new Error(`Cannot find module '${id}' (simulated)`);
  },
}));

it('capabilities report no xattrs, xattr calls say why, the rest works', async () => {
  const { nodeFs } = await import('@ostree-ts/io-node');
  const dir = await mkdtemp(join(tmpdir(), 'ostree-ts-nokoffi-'));
  try {
    const fs = nodeFs();
    expect(fs.capabilities.xattrs).toBe(false);
    expect(fs.capabilities.atomicNoReplace).toBe(false);
    expect(fs.capabilities.locks).toBe(false);
    const lockError = await fs.lockFile(join(dir, '.lock'), 'shared').catch((err: unknown) => err);
    expect(lockError).toMatchObject({ code: 'ENOTSUP' });
    expect((lockError as Error).message).toContain('file locks need libc through the koffi native module');
    expect((lockError as Error).message).toContain("Cannot find module 'koffi' (simulated)");
    await fs.writeFile(join(dir, 'a'), new Uint8Array([1]));
    const e = await fs.setXattr(join(dir, 'a'), 'user.a', new Uint8Array(1)).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'ENOTSUP' });
    expect((e as Error).message).toContain("Cannot find module 'koffi' (simulated)");
    await fs.rename(join(dir, 'a'), join(dir, 'b'), { noReplace: true });
    expect([...(await readFile(join(dir, 'b')))]).toEqual([1]);
    await writeFile(join(dir, 'c'), 'c');
    expect((await fs.rename(join(dir, 'b'), join(dir, 'c'), { noReplace: true }).catch((err: { code: string }) => err.code))).toBe('EEXIST');
    await fs.chmod(join(dir, 'c'), 0o600);
    await fs.syncfs(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
