/**
 * `ostree-ts admin …` against real `ostree admin` 2022.7: the same commands on two sysroots
 * must leave the same layout (deployment directories, origins, BLS entries, bootlinks,
 * loader symlinks, deployment refs, repository objects) after every step.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutDiff, layoutSnapshot } from '../../sysroot/test/helpers/layout.js';
import { OSTREE_ADMIN_ENV, SourceRepo, bootableTree, hasOstreeAdmin, ostreeAdmin, ostreeAdminResult, ostreeRun, tempDir } from '../../sysroot/test/helpers/fixtures.js';
import { ours } from './helpers/run.js';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

/** Runs one admin command on both sysroots and checks the layouts and stdout match. */
class Pair {
  readonly a = tempDir('ots-theirs-');
  readonly b = tempDir('ots-ours-');

  async both(args: string[], options: { compareStdout?: boolean } = {}): Promise<{ theirs: string; ours: string }> {
    const theirs = ostreeAdmin(...args.map((x) => x.replace('@SYSROOT@', this.a)));
    const r = await ours(['admin', ...args.map((x) => x.replace('@SYSROOT@', this.b))]);
    expect(r.stderr, `ostree-ts admin ${args.join(' ')}`).toBe('');
    expect(r.code).toBe(0);
    if (options.compareStdout !== false) expect(r.stdout.replaceAll(this.b, '@')).toBe(theirs.replaceAll(this.a, '@'));
    return { theirs, ours: r.stdout };
  }

  expectSameLayout(): void {
    const a = layoutSnapshot(this.a);
    expect(a.length).toBeGreaterThan(10);
    const diff = layoutDiff(a, layoutSnapshot(this.b));
    expect(diff).toEqual({ onlyA: [], onlyB: [] });
  }
}

describe.skipIf(!hasOstreeAdmin)('admin against real ostree', () => {
  it('init-fs, os-init, deploy, upgrade-style redeploys, pin, undeploy, cleanup, kargs: same layout after every step', async () => {
    const src = new SourceRepo();
    const v1 = src.commit(bootableTree(), 'testos/stable', '1.0');
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'testos']);
    p.expectSameLayout();
    for (const s of [p.a, p.b]) src.pullInto(s, 'testos/stable');

    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', '--karg=root=LABEL=root', '--karg=quiet', 'testos/stable']);
    p.expectSameLayout();
    const entry = readFileSync(join(p.b, 'boot/loader/entries/ostree-1-testos.conf'), 'utf8');
    expect(entry).toContain(`ostree=/ostree/boot.1/testos/`);
    expect(readFileSync(join(p.b, `ostree/deploy/testos/deploy/${v1}.0.origin`), 'utf8')).toBe('[origin]\nrefspec=testos/stable\n');

    // Local /etc edits in the deployment, then v2 with upstream changes: the /etc merge.
    for (const s of [p.a, p.b]) {
      const etc = join(s, `ostree/deploy/testos/deploy/${v1}.0/etc`);
      writeFileSync(join(etc, 'app.conf'), 'setting=local\n');
      rmSync(join(etc, 'hostname'));
      writeFileSync(join(etc, 'local.conf'), 'mine\n');
    }
    src.commit(bootableTree({ etc: { 'app.conf': 'setting=2\n', hostname: 'device2\n', 'new.conf': 'n\n' }, kernel: 'KERNEL-2' }), 'testos/stable', '2.0');
    for (const s of [p.a, p.b]) src.pullInto(s, 'testos/stable');
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', 'testos/stable']);
    p.expectSameLayout();

    await p.both(['pin', '--sysroot=@SYSROOT@', '1']);
    p.expectSameLayout();
    await p.both(['status', '--sysroot=@SYSROOT@']);

    src.commit(bootableTree({ kernel: 'KERNEL-2' }), 'testos/stable', '3.0');
    for (const s of [p.a, p.b]) src.pullInto(s, 'testos/stable');
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', '--karg-append=console=ttyS0', 'testos/stable']);
    p.expectSameLayout();
    await p.both(['status', '--sysroot=@SYSROOT@']);

    await p.both(['pin', '--sysroot=@SYSROOT@', '--unpin', '2']);
    await p.both(['undeploy', '--sysroot=@SYSROOT@', '2']);
    p.expectSameLayout();

    // Same commit again (serial 1), not as default, retaining everything.
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', '--retain', '--not-as-default', 'testos/stable']);
    p.expectSameLayout();

    await p.both(['kargs', 'edit-in-place', '--sysroot=@SYSROOT@', '--append-if-missing=foo=bar']);
    p.expectSameLayout();
    await p.both(['undeploy', '--sysroot=@SYSROOT@', '0']);
    p.expectSameLayout();
    await p.both(['cleanup', '--sysroot=@SYSROOT@']);
    p.expectSameLayout();
    await p.both(['status', '--sysroot=@SYSROOT@']);

    // Two deployments of one commit with equal kernels, arguments and versions: the next deploy
    // of it only swaps bootlinks (ostree/boot.B.M), the BLS entries stay.
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', 'testos/stable']);
    p.expectSameLayout();
    const { ours: out } = await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=testos', 'testos/stable']);
    expect(out).toContain('Transaction complete; bootconfig swap: no;');
    p.expectSameLayout();

    // --json (upstream's format) carries what the text shows (checked against real ostree's text).
    const text = ostreeAdmin('status', `--sysroot=${p.a}`);
    const jsonText = (await ours(['admin', 'status', '--json', `--sysroot=${p.b}`])).stdout;
    const json = JSON.parse(jsonText) as {
      deployments: { stateroot: string; checksum: string; serial: number; index: number; version?: string; refspec?: string; pinned: boolean; booted: boolean }[];
    };
    expect(json.deployments.map((d) => d.index)).toEqual(json.deployments.map((_, i) => i));
    const fromJson = json.deployments
      .map((d) => `${d.booted ? '*' : ' '} ${d.stateroot} ${d.checksum}.${d.serial}\n${d.version !== undefined ? `    Version: ${d.version}\n` : ''}${d.pinned ? '    Pinned: yes\n' : ''}    origin refspec: ${d.refspec}\n`)
      .join('');
    expect(fromJson).toBe(text);
    // util-linux's writer layout: three spaces per level, objects joined by "},{".
    expect(jsonText).toMatch(/^\{\n {3}"deployments": \[\n {6}\{\n {9}"checksum": "[0-9a-f]{64}",\n {9}"stateroot": "testos",\n/);
    expect(jsonText).toContain('"unlocked": "none",\n         "version": "3.0"\n      },{\n         "checksum"');
    expect(jsonText.endsWith('\n      }\n   ]\n}\n')).toBe(true);
  }, 120_000);

  it('two stateroots, U-Boot and syslinux configs, devicetree, --no-merge, --retain-rollback: same layout', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree({ devicetree: 'DTB' }), 'a/stable', '1.0');
    src.commit(bootableTree({ prettyName: 'Other OS', kernel: 'K-B' }), 'b/stable', '7');
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    for (const s of [p.a, p.b]) {
      src.pullInto(s, 'a/stable');
      src.pullInto(s, 'b/stable');
    }
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'osa']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'osb']);
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osa', '--karg=root=/dev/mmcblk0p2', 'a/stable']);
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osa', '--karg-proc-cmdline', '--karg=extra=1', 'a/stable']);
    p.expectSameLayout();
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osa', '--karg-delete=extra=1', '--karg-append=extra=2', 'a/stable']);
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osa', '--karg-none', '--karg=root=/dev/mmcblk0p2', 'a/stable']);
    p.expectSameLayout();
    // Bootloader configs appear at the next bootswap: U-Boot is detected from loader/uEnv.txt, syslinux from its config.
    for (const s of [p.a, p.b]) {
      writeFileSync(join(s, 'boot/loader/uEnv.txt'), 'placeholder\n');
    }
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osb', '--karg=root=LABEL=b', 'b/stable']);
    p.expectSameLayout();
    expect(readFileSync(join(p.b, 'boot/loader/uEnv.txt'), 'utf8')).toContain('kernel_image=/boot/ostree/osb-');
    const entries = readdirSync(join(p.b, 'boot/loader/entries'));
    expect(readFileSync(join(p.b, 'boot/loader/entries', `ostree-${entries.length}-osb.conf`), 'utf8')).toContain('(ostree:osb:0)');
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osa', '--no-merge', '--retain-rollback', '--karg=quiet', 'a/stable']);
    p.expectSameLayout();
    for (const s of [p.a, p.b]) {
      rmSync(join(s, 'boot/loader/uEnv.txt'));
      const syslinux = join(s, 'boot/syslinux');
      rmSync(syslinux, { recursive: true, force: true });
      mkdirSync(syslinux, { recursive: true });
      writeFileSync(join(syslinux, 'syslinux.cfg'), 'PROMPT 1\nTIMEOUT 50\nLABEL mylinux\n\tKERNEL /vmlinuz\n');
    }
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=osb', '--retain', 'b/stable']);
    p.expectSameLayout();
    expect(readFileSync(join(p.b, 'boot/loader/syslinux.cfg'), 'utf8')).toContain('LABEL Other OS 7 (ostree:osb:0)');
    await p.both(['status', '--sysroot=@SYSROOT@']);

    // Each reads the other's sysroot the same way.
    const theirsOnOurs = ostreeAdmin('status', `--sysroot=${p.b}`);
    const oursOnTheirs = await ours(['admin', 'status', `--sysroot=${p.a}`]);
    expect(oursOnTheirs.stdout).toBe(theirsOnOurs);
    expect(theirsOnOurs.split('\n').filter((l) => /^[ *] os[ab] /.test(l)).length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('fails like ostree: same messages and exit codes', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree(), 'os/a', '1');
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'os']);
    for (const s of [p.a, p.b]) src.pullInto(s, 'os/a');
    await p.both(['status', '--sysroot=@SYSROOT@']);
    const cases = [
      ['os-init', '--sysroot=@SYSROOT@', 'os'],
      ['deploy', '--sysroot=@SYSROOT@', 'nope'],
      ['deploy', '--sysroot=@SYSROOT@', '--os=os', 'nope'],
      ['deploy', '--sysroot=@SYSROOT@', '--os=nosuch', 'os/a'],
      ['undeploy', '--sysroot=@SYSROOT@', 'abc'],
      ['set-origin', '--sysroot=@SYSROOT@', 'r', 'http://127.0.0.1:9/'],
      ['undeploy', '--sysroot=@SYSROOT@', '3'],
      ['pin', '--sysroot=@SYSROOT@', '0'],
      ['pin', '--sysroot=@SYSROOT@', 'x1'],
      ['kargs', 'edit-in-place', '--sysroot=@SYSROOT@', '--append-if-missing=a'],
      ['upgrade', '--sysroot=@SYSROOT@', '--os=os'],
      ['status', `--sysroot=${tempDir('ots-empty-')}`],
    ];
    for (const args of cases) {
      const theirs = ostreeAdminResult(...args.map((x) => x.replace('@SYSROOT@', p.a)));
      const r = await ours(['admin', ...args.map((x) => x.replace('@SYSROOT@', p.b))]);
      expect({ code: r.code, stderr: r.stderr }, args.join(' ')).toEqual({ code: theirs.status, stderr: theirs.stderr });
    }
    p.expectSameLayout();
  }, 60_000);

  it('trees with /var content or only /etc: the same notes and errors as ostree', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree({ extra: { 'var/lib/thing': 'x', 'var/cache/c': 'y' } }), 'os/var', '1');
    const etcOnly = bootableTree({ etc: {}, extra: { 'etc/hostname': 'h\n' } });
    rmSync(join(etcOnly, 'usr/etc'), { recursive: true, force: true });
    src.commit(etcOnly, 'os/etc', '2');
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'os']);
    for (const s of [p.a, p.b]) {
      src.pullInto(s, 'os/var');
      src.pullInto(s, 'os/etc');
    }
    for (const ref of ['os/var', 'os/etc']) {
      const args = ['deploy', '--os=os', ref];
      const theirs = ostreeAdminResult(...args, `--sysroot=${p.a}`);
      const r = await ours(['admin', ...args, `--sysroot=${p.b}`]);
      expect({ code: r.code, stderr: [...r.stderr.split('\n')].sort(), stdout: r.stdout }, ref).toEqual({
        code: theirs.status,
        stderr: [...theirs.stderr.split('\n')].sort(),
        stdout: theirs.stdout,
      });
    }
    await p.both(['cleanup', '--sysroot=@SYSROOT@']);
    p.expectSameLayout();
  }, 60_000);

  it('one sysroot managed by both tools in turn ends exactly like one managed by ostree alone', async () => {
    const src = new SourceRepo();
    for (const v of ['1', '2', '3']) src.commit(bootableTree({ kernel: `K${v}` }), `os/v${v}`, v);
    const alone = tempDir('ots-alone-');
    const mixed = tempDir('ots-mixed-');
    for (const s of [alone, mixed]) {
      ostreeAdmin('init-fs', s);
      ostreeAdmin('os-init', `--sysroot=${s}`, 'os');
      for (const v of ['1', '2', '3']) src.pullInto(s, `os/v${v}`);
    }
    const steps = [
      ['deploy', '--os=os', '--karg=root=LABEL=r', 'os/v1'],
      ['deploy', '--os=os', 'os/v2'],
      ['pin', '1'],
      ['deploy', '--os=os', '--karg-append=quiet', 'os/v3'],
      ['undeploy', '1'],
      ['kargs', 'edit-in-place', '--append-if-missing=x=y'],
      ['deploy', '--os=os', '--retain', 'os/v1'],
      ['pin', '--unpin', '2'],
      ['cleanup'],
    ];
    for (const [i, step] of steps.entries()) {
      const expected = ostreeAdmin(...step, `--sysroot=${alone}`);
      let out: string;
      if (i % 2 === 1) {
        const r = await ours(['admin', ...step, `--sysroot=${mixed}`]);
        expect(r.stderr).toBe('');
        out = r.stdout;
      } else out = ostreeAdmin(...step, `--sysroot=${mixed}`);
      expect(out, step.join(' ')).toBe(expected);
      expect(layoutDiff(layoutSnapshot(alone), layoutSnapshot(mixed)), step.join(' ')).toEqual({ onlyA: [], onlyB: [] });
    }
  }, 120_000);

  it('GRUB 2 through OSTREE_GRUB2_EXEC (the generator protocol): the same grub.cfg and layout', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree(), 'os/a', '1');
    src.commit(bootableTree({ kernel: 'K2' }), 'os/b', '2');
    const gen = join(tempDir('ots-grubgen-'), 'gen.sh');
    // A minimal generator: one menuentry per BLS entry next to the output file.
    writeFileSync(
      gen,
      `#!/bin/sh
out="$2"; dir=$(dirname "$out")/entries
{ echo "# bootversion \${_OSTREE_GRUB2_BOOTVERSION:-?}"
  for f in $(ls "$dir" | sort); do
    echo "menuentry '$(sed -n 's/^title //p' "$dir/$f")' { linux $(sed -n 's/^linux //p' "$dir/$f") $(sed -n 's/^options //p' "$dir/$f") }"
  done; } > "$out"
`,
      { mode: 0o755 },
    );
    const env = { ...OSTREE_ADMIN_ENV, OSTREE_GRUB2_EXEC: gen };
    const real = (...args: string[]): string =>
      execFileSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], { encoding: 'utf8', env });
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'os']);
    for (const s of [p.a, p.b]) {
      src.pullInto(s, 'os/a');
      src.pullInto(s, 'os/b');
      mkdirSync(join(s, 'boot/grub2'), { recursive: true });
      writeFileSync(join(s, 'boot/grub2/grub.cfg'), 'placeholder\n');
    }
    for (const ref of ['os/a', 'os/b']) {
      const theirs = real('deploy', `--sysroot=${p.a}`, '--os=os', ref);
      const r = await ours(['admin', 'deploy', `--sysroot=${p.b}`, '--os=os', ref], { env: { OSTREE_GRUB2_EXEC: gen } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(theirs);
      p.expectSameLayout();
    }
    const cfg = readFileSync(join(p.b, 'boot/loader/grub.cfg'), 'utf8');
    expect(cfg.startsWith('# bootversion 0\n')).toBe(true);
    expect(cfg).toContain("menuentry 'TestOS 1 2 (ostree:0)' { linux /ostree/os-");
  }, 60_000);

  it('init-fs --modern, deploy --origin-file, and origins rewritten by pin lose comments as in ostree', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree(), 'os/a', '1', ['--add-metadata-string=ostree.source-title=Built from main']);
    const p = new Pair();
    await p.both(['init-fs', '--modern', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'os']);
    p.expectSameLayout();
    const originFile = join(tempDir('ots-origin-'), 'my.origin');
    writeFileSync(originFile, '# upstream channel\n[origin]\nrefspec=os/a\ncustom=1\n\n[extra]\n# note\nkey=value with spaces\n');
    for (const s of [p.a, p.b]) src.pullInto(s, 'os/a');
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=os', `--origin-file=${originFile}`, 'os/a']);
    p.expectSameLayout();
    for (const s of [p.a, p.b]) {
      const origin = join(s, 'ostree/deploy/os/deploy', readdirSync(join(s, 'ostree/deploy/os/deploy')).find((n) => n.endsWith('.origin'))!);
      writeFileSync(origin, `# hand edit\n${readFileSync(origin, 'utf8')}`);
    }
    await p.both(['pin', '--sysroot=@SYSROOT@', '0']);
    p.expectSameLayout();
    const { ours: status } = await p.both(['status', '--sysroot=@SYSROOT@']);
    expect(status).toContain('    `- Built from main\n');
  }, 60_000);

  it('[sysroot] bls-append-except-default: the same extra keys, in GLib hash order, on non-default entries', async () => {
    const src = new SourceRepo();
    src.commit(bootableTree(), 'os/a', '1');
    const p = new Pair();
    await p.both(['init-fs', '@SYSROOT@']);
    await p.both(['os-init', '--sysroot=@SYSROOT@', 'os']);
    for (const s of [p.a, p.b]) {
      src.pullInto(s, 'os/a');
      ostreeRun('config', `--repo=${join(s, 'ostree/repo')}`, 'set', 'sysroot.bls-append-except-default', 'grub_users="";foo=bar;zeta=1');
    }
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=os', 'os/a']);
    await p.both(['deploy', '--sysroot=@SYSROOT@', '--os=os', '--karg=quiet', 'os/a']);
    p.expectSameLayout();
    expect(readFileSync(join(p.b, 'boot/loader/entries/ostree-1-os.conf'), 'utf8')).toMatch(/\nfoo bar\nzeta 1\ngrub_users ""\n$/);
    expect(readFileSync(join(p.b, 'boot/loader/entries/ostree-2-os.conf'), 'utf8')).not.toContain('foo bar');
  }, 60_000);
});
