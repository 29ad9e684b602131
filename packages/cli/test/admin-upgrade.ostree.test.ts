/**
 * `ostree-ts admin upgrade` (pull with @ostree-ts/pull, then deploy) and `admin set-origin`
 * against real ostree, from a remote served by nginx on loopback: the same layout after each
 * step, including `--pull-only` then `--deploy-only`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type Nginx } from '../../pull/test/helpers/servers.js';
import { SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdmin, ostreeAdminResult, ostreeRun, tempDir } from '../../sysroot/test/helpers/fixtures.js';
import { layoutDiff, layoutSnapshot } from '../../sysroot/test/helpers/layout.js';
import { ours } from './helpers/run.js';

describe.skipIf(!hasOstreeAdmin)('admin upgrade against real ostree', () => {
  let nginx: Nginx;
  let src: SourceRepo;
  beforeAll(async () => {
    src = new SourceRepo();
    src.commit(bootableTree(), 'os/stable', '1.0');
    ostreeRun('summary', `--repo=${src.path}`, '-u');
    nginx = await startNginx(src.path, tempDir('ots-nginx-'));
  });
  afterAll(() => nginx?.stop());

  it('upgrade, no-update, --pull-only then --deploy-only, set-origin: same layout', async () => {
    const a = tempDir('ots-up-theirs-');
    const b = tempDir('ots-up-ours-');
    const both = async (args: string[]): Promise<void> => {
      const theirs = ostreeAdmin(...args, `--sysroot=${a}`);
      const r = await ours(['admin', ...args, `--sysroot=${b}`]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout).toBe(theirs);
      const diff = layoutDiff(layoutSnapshot(a), layoutSnapshot(b));
      expect(diff, args.join(' ')).toEqual({ onlyA: [], onlyB: [] });
    };
    for (const s of [a, b]) {
      ostreeAdmin('init-fs', s);
      ostreeAdmin('os-init', `--sysroot=${s}`, 'os');
      ostreeRun('remote', 'add', `--repo=${join(s, 'ostree/repo')}`, '--no-gpg-verify', 'origin', nginx.url);
      ostreeRun('pull', `--repo=${join(s, 'ostree/repo')}`, 'origin', 'os/stable');
    }
    await both(['deploy', '--os=os', '--karg=root=LABEL=root', 'origin:os/stable']);

    const v2 = src.commit(bootableTree({ kernel: 'K2', etc: { 'app.conf': 'v2\n' } }), 'os/stable', '2.0');
    ostreeRun('summary', `--repo=${src.path}`, '-u');
    await both(['upgrade', '--os=os']);
    await both(['upgrade', '--os=os']);

    src.commit(bootableTree({ kernel: 'K3' }), 'os/stable', '3.0');
    ostreeRun('summary', `--repo=${src.path}`, '-u');
    await both(['upgrade', '--os=os', '--pull-only']);
    await both(['upgrade', '--os=os', '--deploy-only']);
    // Back to 2.0 by checksum: refused as a downgrade, then allowed; the new origin records it.
    const refused = ostreeAdminResult('upgrade', '--os=os', `--override-commit=${v2}`, `--sysroot=${a}`);
    const r = await ours(['admin', 'upgrade', '--os=os', `--override-commit=${v2}`, `--sysroot=${b}`]);
    expect(r.stderr).toMatch(/is chronologically older than current revision/);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: refused.status, stderr: refused.stderr });
    expect(layoutDiff(layoutSnapshot(a), layoutSnapshot(b))).toEqual({ onlyA: [], onlyB: [] });
    await both(['upgrade', '--os=os', '--allow-downgrade', `--override-commit=${v2}`]);

    await both(['set-origin', '--index=0', '--set=gpg-verify=false', 'mirror', 'http://127.0.0.1:9/repo']);
    await both(['set-origin', '--index=1', 'mirror', 'http://127.0.0.1:9/other', 'os/testing']);
    await both(['status']);
  }, 120_000);
});
