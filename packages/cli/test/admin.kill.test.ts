/**
 * Crash safety of `ostree-ts admin deploy`: the built CLI runs as a child process and is
 * killed with SIGKILL at random moments; after every kill the sysroot's boot configuration
 * must be whole (old or new, never a mix, never pointing at a missing deployment), readable
 * by ostree-ts and by real `ostree admin status`, and the next deploy must succeed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { loadSysrootState } from '@ostree-ts/sysroot';
import { SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdminResult, tempDir } from '../../sysroot/test/helpers/fixtures.js';
import { validateBootConfig } from '../../sysroot/test/helpers/validate.js';

const root = join(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/ostree-ts.mjs');

function build(): void {
  // The whole build first, as CI does; if an unrelated package does not build, the CLI alone.
  const full = spawnSync('npx', ['tsc', '-b', 'packages/cli/tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (full.status === 0) return;
  execFileSync('npx', ['tsc', '-p', 'packages/cli/tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}

function cli(args: string[]): { status: number; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr };
}

/** Starts a deploy and kills it after `delayMs`; resolves with how it ended. */
function deployAndKill(args: string[], delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    let finished = false;
    const timer = setTimeout(() => {
      if (!finished) child.kill('SIGKILL');
    }, delayMs);
    child.on('exit', (code, signal) => {
      finished = true;
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : code === 0 ? 'finished' : 'finished');
    });
  });
}

describe.skipIf(!hasOstreeAdmin)('ostree-ts admin as a child process (built CLI)', () => {
  beforeAll(() => build(), 600_000);

  it('never leaves a half-written boot configuration or one naming a missing deployment', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree({ kernel: 'K1' }), 'os/a', '1');
    src.commit(bootableTree({ kernel: 'K2', etc: { 'b.conf': 'b\n' } }), 'os/b', '2');
    const sysroot = tempDir('ots-kill-');
    expect(cli(['admin', 'init-fs', sysroot]).status).toBe(0);
    expect(cli(['admin', 'os-init', `--sysroot=${sysroot}`, 'os']).status).toBe(0);
    src.pullInto(sysroot, 'os/a');
    src.pullInto(sysroot, 'os/b');
    expect(cli(['admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', '--karg=root=LABEL=r', 'os/a']).stderr).toBe('');

    // How long an uninterrupted deploy takes here, to spread the kills over all of it.
    const t0 = performance.now();
    expect(cli(['admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', 'os/b']).status).toBe(0);
    const span = Math.max(50, performance.now() - t0);

    let killed = 0;
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const iterations = 40;
    for (let i = 0; i < iterations; i++) {
      const flags = i % 5 === 0 ? ['--retain'] : i % 7 === 0 ? ['--not-as-default'] : [];
      // Runs of the same ref make lists of equal boot configurations: those writes only swap bootlinks.
      const ref = i % 3 === 0 ? 'os/b' : 'os/a';
      const how = await deployAndKill(['admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', ...flags, ref], random() * span * 1.1);
      if (how === 'killed') killed++;
      expect(validateBootConfig(sysroot), `iteration ${i} (${how})`).toEqual([]);
      const state = await loadSysrootState(nodeFs(), sysroot);
      expect(state.deployments.length).toBeGreaterThan(0);
      const theirs = ostreeAdminResult('status', `--sysroot=${sysroot}`);
      expect(theirs.stderr).toBe('');
      expect(theirs.status).toBe(0);
      if (i % 8 === 7) {
        // Recovery: an uninterrupted deploy after a crash works and cleans up what the crash left.
        const r = cli(['admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', ref]);
        expect(r.stderr).toBe('');
        expect(validateBootConfig(sysroot)).toEqual([]);
      }
    }
    expect(killed).toBeGreaterThan(iterations / 4);
    // A final uninterrupted deploy leaves nothing of the crashes behind: no temporaries, no
    // deployment directories the configuration does not name.
    expect(cli(['admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', 'os/a']).stderr).toBe('');
    const leftovers = execFileSync('find', [sysroot, '-path', join(sysroot, 'ostree/repo'), '-prune', '-o', '-name', '.tmp-*', '-print'], { encoding: 'utf8' });
    expect(leftovers).toBe('');
    const dirs = readdirSync(join(sysroot, 'ostree/deploy/os/deploy')).filter((n) => !n.endsWith('.origin'));
    const state = await loadSysrootState(nodeFs(), sysroot);
    expect(dirs.sort()).toEqual(state.deployments.map((d) => `${d.csum}.${d.deployserial}`).sort());
  }, 900_000);

  it.skipIf(process.getuid?.() !== 0)('works as a normal user on a bare-user repository', () => {
    const src = new SourceRepo();
    src.commit(bootableTree(), 'os/a', '1');
    const sysroot = tempDir('ots-user-');
    chownSync(sysroot, 65534, 65534);
    chmodSync(src.path, 0o755);
    const asNobody = (cmd: string, ...args: string[]): { status: number; stdout: string; stderr: string } => {
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...args], { encoding: 'utf8', cwd: sysroot });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    expect(asNobody(process.execPath, bin, 'admin', 'init-fs', sysroot).status).toBe(0);
    expect(asNobody(process.execPath, bin, 'admin', 'os-init', `--sysroot=${sysroot}`, 'os').status).toBe(0);
    // init-fs makes a bare repository (as ostree does), which needs root; a user sysroot uses bare-user.
    rmSync(join(sysroot, 'ostree/repo'), { recursive: true });
    expect(asNobody('ostree', 'init', `--repo=${join(sysroot, 'ostree/repo')}`, '--mode=bare-user').status).toBe(0);
    expect(asNobody('ostree', 'pull-local', `--repo=${join(sysroot, 'ostree/repo')}`, src.path, 'os/a').status).toBe(0);
    const r = asNobody(process.execPath, bin, 'admin', 'deploy', `--sysroot=${sysroot}`, '--os=os', 'os/a');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(validateBootConfig(sysroot)).toEqual([]);
    const status = asNobody(process.execPath, bin, 'admin', 'status', `--sysroot=${sysroot}`);
    expect(status.stdout).toMatch(/^ {2}os [0-9a-f]{64}\.0\n {4}Version: 1\n {4}origin refspec: os\/a\n$/);
  }, 120_000);
});
