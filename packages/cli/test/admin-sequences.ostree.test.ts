/**
 * Random sequences of `admin` operations (deploy with random retention flags and kernel
 * arguments, pin, unpin, undeploy, cleanup) run by real ostree and by ostree-ts on two sysroots:
 * after every step the layouts are identical (or both commands fail with the same message).
 * The commits cover the modules layout with and without initramfs and devicetree, the legacy
 * `/boot` layout and os-release without PRETTY_NAME.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdmin, ostreeAdminResult, tempDir } from '../../sysroot/test/helpers/fixtures.js';
import { layoutDiff, layoutSnapshot } from '../../sysroot/test/helpers/layout.js';
import { ours } from './helpers/run.js';

const LEGACY_SUM = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

type Op =
  | { kind: 'deploy'; ref: string; flags: string[] }
  | { kind: 'pin'; index: number; unpin: boolean }
  | { kind: 'undeploy'; index: number }
  | { kind: 'cleanup' };

const REFS = ['os/a', 'os/b', 'os/noinitrd', 'os/legacy', 'os/dtb'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('deploy' as const),
      ref: fc.constantFrom(...REFS),
      flags: fc.subarray(['--retain', '--retain-pending', '--retain-rollback', '--not-as-default', '--no-merge', '--karg=quiet', '--karg-append=console=ttyS0', '--karg=root=LABEL=r2']),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pin' as const), index: fc.nat(3), unpin: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('undeploy' as const), index: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cleanup' as const) }) },
);

function argsOf(op: Op): string[] {
  switch (op.kind) {
    case 'deploy':
      return ['deploy', '--os=os', ...op.flags, op.ref];
    case 'pin':
      return ['pin', ...(op.unpin ? ['--unpin'] : []), String(op.index)];
    case 'undeploy':
      return ['undeploy', String(op.index)];
    case 'cleanup':
      return ['cleanup'];
  }
}

describe.skipIf(!hasOstreeAdmin)('random admin sequences against real ostree', () => {
  it('leave the same layout after every step', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree({ kernel: 'KA' }), 'os/a', '1.0');
    src.commit(bootableTree({ kernel: 'KB', etc: { 'app.conf': 'b\n', 'b.conf': 'b\n' } }), 'os/b', '2.0');
    src.commit(bootableTree({ kernel: 'KN', initramfs: null }), 'os/noinitrd', '3.0');
    src.commit(
      bootableTree({
        kver: 'unused',
        extra: { [`boot/vmlinuz-4.19-${LEGACY_SUM}`]: 'LK', [`boot/initramfs-4.19.img-${LEGACY_SUM}`]: 'LI', 'usr/lib/os-release': 'ID=legacyos\n' },
      }),
      'os/legacy',
      '4.0',
    );
    src.commit(bootableTree({ kernel: 'KD', devicetree: 'DT' }), 'os/dtb', '5.0');

    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 9 }), async (ops) => {
        run++;
        const a = tempDir('ots-seq-theirs-');
        const b = tempDir('ots-seq-ours-');
        for (const s of [a, b]) {
          ostreeAdmin('init-fs', s);
          ostreeAdmin('os-init', `--sysroot=${s}`, 'os');
          for (const ref of REFS) src.pullInto(s, ref);
        }
        ostreeAdmin('deploy', `--sysroot=${a}`, '--os=os', '--karg=root=LABEL=r', 'os/a');
        expect((await ours(['admin', 'deploy', `--sysroot=${b}`, '--os=os', '--karg=root=LABEL=r', 'os/a'])).code).toBe(0);
        for (const [i, op] of ops.entries()) {
          const args = argsOf(op);
          const theirs = ostreeAdminResult(...args, `--sysroot=${a}`);
          const r = await ours(['admin', ...args, `--sysroot=${b}`]);
          const what = `run ${run} step ${i}: ${args.join(' ')}`;
          expect({ code: r.code, stderr: r.stderr, stdout: r.stdout.replaceAll(b, '@') }, what).toEqual({
            code: theirs.status,
            stderr: theirs.stderr,
            stdout: theirs.stdout.replaceAll(a, '@'),
          });
          expect(layoutDiff(layoutSnapshot(a), layoutSnapshot(b)), what).toEqual({ onlyA: [], onlyB: [] });
        }
      }),
      { numRuns: 6, seed: 20261122, endOnFailure: true },
    );
  }, 600_000);
});
