/**
 * Property tests: random operation sequences keep memoryFs's bookkeeping consistent
 * (link counts, '..', sizes) and every failure is an FsError with an errno code.
 * (packages/io-node/test/differential.test.ts compares memoryFs with the Linux kernel.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FsError, memoryFs, type Fs } from '@ostree-ts/io';

const seg = fc.constantFrom('a', 'b', 'c', 'd');
const path = fc
  .array(fc.oneof({ weight: 8, arbitrary: seg }, fc.constantFrom('.', '..')), { minLength: 1, maxLength: 4 })
  .map((parts) => `/${parts.join('/')}`);
const target = fc.oneof(path, seg, fc.constantFrom('../a', 'a/b', '.', '..', 'nowhere'));

type Op = (fs: Fs) => Promise<unknown>;
const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  path.map((p): [string, Op] => [`writeFile ${p}`, (fs) => fs.writeFile(p, new Uint8Array(p.length), { exclusive: false })]),
  fc.tuple(path, fc.boolean()).map(([p, r]): [string, Op] => [`mkdir ${p} ${r}`, (fs) => fs.mkdir(p, { recursive: r })]),
  fc.tuple(target, path).map(([t, p]): [string, Op] => [`symlink ${t} ${p}`, (fs) => fs.symlink(t, p)]),
  fc.tuple(path, path).map(([a, b]): [string, Op] => [`link ${a} ${b}`, (fs) => fs.link(a, b)]),
  fc
    .tuple(path, path, fc.boolean())
    .map(([a, b, n]): [string, Op] => [`rename ${a} ${b} ${n}`, (fs) => fs.rename(a, b, { noReplace: n })]),
  path.map((p): [string, Op] => [`unlink ${p}`, (fs) => fs.unlink(p)]),
  path.map((p): [string, Op] => [`rmdir ${p}`, (fs) => fs.rmdir(p)]),
  path.map((p): [string, Op] => [`removeTree ${p}`, (fs) => fs.removeTree(p)]),
  path.map((p): [string, Op] => [`setXattr ${p}`, (fs) => fs.setXattr(p, 'user.x', new Uint8Array([1]))]),
  path.map((p): [string, Op] => [`readChunks ${p}`, async (fs) => { for await (const _ of fs.readChunks(p, 2)); }]),
);

/** Walks the tree from / and checks the invariants. */
async function checkInvariants(fs: Fs): Promise<void> {
  const names = new Map<bigint, number>(); // non-directory inode -> names pointing at it
  const nlinks = new Map<bigint, number>();
  const visit = async (dir: string, parentIno: bigint): Promise<void> => {
    const st = await fs.lstat(dir || '/');
    expect((await fs.lstat(`${dir}/..`)).ino).toBe(parentIno);
    let subdirs = 0;
    for (const name of await fs.readdir(dir || '/')) {
      const child = `${dir}/${name}`;
      const cst = await fs.lstat(child);
      if (cst.type === 'directory') {
        subdirs++;
        await visit(child, st.ino);
      } else {
        names.set(cst.ino, (names.get(cst.ino) ?? 0) + 1);
        nlinks.set(cst.ino, cst.nlink);
        if (cst.type === 'file') expect((await fs.readFile(child)).length).toBe(cst.size);
        if (cst.type === 'symlink') expect(cst.size).toBe(new TextEncoder().encode(await fs.readlink(child)).length);
      }
    }
    expect(st.nlink).toBe(2 + subdirs);
  };
  await visit('', (await fs.lstat('/')).ino);
  for (const [ino, count] of names) expect(nlinks.get(ino)).toBe(count);
}

describe('memoryFs invariants under random operations', () => {
  it('link counts, .. and sizes stay consistent; failures are FsErrors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const fs = memoryFs();
        for (const [, run] of ops) {
          try {
            await run(fs);
          } catch (e) {
            expect(e).toBeInstanceOf(FsError);
            expect((e as FsError).code).toMatch(/^E[A-Z0-9]+$/);
          }
        }
        await checkInvariants(fs);
      }),
      { numRuns: 400 },
    );
  });
});
