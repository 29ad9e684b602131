/**
 * Byte-for-byte comparison with the outputs real ostree 2022.7 recorded for the golden repos.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_MODES, loadManifest, unpackRepo, type UnpackedRepo } from '../../../test-vectors/repos/unpack.js';
import { ours, theirs } from './helpers/run.js';

describe.each(REPO_MODES)('golden %s repo', (mode) => {
  const manifest = loadManifest(mode);
  let g: UnpackedRepo;
  beforeAll(async () => {
    g = await unpackRepo(mode);
  });
  afterAll(async () => {
    await g.cleanup();
  });
  const run = (...args: string[]) => ours([`--repo=${g.path}`, ...args]);

  it('refs', async () => {
    const r = await run('refs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(manifest.ostreeOutputs.refs);
  });

  it('fsck', async () => {
    const r = await run('fsck');
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: manifest.fsck.exitCode,
      stdout: manifest.fsck.stdout,
      stderr: manifest.fsck.stderr,
    });
  });

  if (manifest.ostreeOutputs.summaryView !== undefined) {
    it('summary --view', async () => {
      const r = await run('summary', '--view');
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(manifest.ostreeOutputs.summaryView);
    });

    it.each(['America/New_York', 'Asia/Kolkata', 'Australia/Eucla'])('summary --view in TZ=%s', async (TZ) => {
      const a = await ours([`--repo=${g.path}`, 'summary', '--view'], { env: { TZ } });
      const b = await theirs([`--repo=${g.path}`, 'summary', '--view'], { env: { TZ } });
      expect(a.stdout).toBe(b.stdout);
    });
  }

  describe.each(manifest.commits.map((c) => [c.checksum.slice(0, 12), c] as const))('commit %s', (_, c) => {
    it.each([
      ['log', ['log'], c.ostree.log],
      ['show', ['show'], c.ostree.show],
      ['ls -R', ['ls', '-R'], c.ostree.lsR],
      ['ls -R -C', ['ls', '-R', '-C'], c.ostree.lsRC],
      ['ls -R -X', ['ls', '-R', '-X'], c.ostree.lsRX],
    ] as const)('%s', async (_name, args, expected) => {
      const r = await run(...args, c.checksum);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(expected);
    });

    it.each(Object.entries(c.ostree.cat))('cat %s', async (path, expected) => {
      const r = await run('cat', c.checksum, path);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(expected);
    });

    if (c.ostree.showPrintSizes !== undefined) {
      it('show --print-sizes', async () => {
        const r = await run('show', '--print-sizes', c.checksum);
        expect(r.stdout).toBe(c.ostree.showPrintSizes);
      });
    }

    for (const [key, expected] of Object.entries(c.ostree.showDetachedKey ?? {})) {
      it(`show --print-detached-metadata-key=${key}`, async () => {
        const r = await run('show', `--print-detached-metadata-key=${key}`, c.checksum);
        expect(r.stdout).toBe(expected);
      });
    }

    it('show --raw prints the metadata GLib printed', async () => {
      const r = await run('show', '-B', c.checksum);
      expect(r.stdout.split('\n')[1]!.startsWith(`(${c.metadataText}, `)).toBe(true);
    });
  });
});
