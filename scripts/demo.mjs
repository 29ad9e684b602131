#!/usr/bin/env node
// The main job: an end-to-end demo on an embedded default. A small device image (busybox-style
// userland, a kernel under usr/lib/modules, /etc defaults in usr/etc) is committed as v1 and then
// as an OTA update v2 — by the `ostree-ts` command and, beside it, by real ostree. Then ostree-ts
// writes the summary and checks the repo, and real ostree reads it, verifies it and pulls from it.
// Run with `npm run demo` (builds first; scripts/setup.sh installs everything).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/cli/bin/ostree-ts.mjs');
const work = mkdtempSync(join(tmpdir(), 'ostree-ts-demo-'));
const ours = join(work, 'repo-ostree-ts');
const theirs = join(work, 'repo-ostree');
const REF = 'exampleos/arm64/stable';
let failures = 0;

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
const ostreeTs = (...args) => run(process.execPath, [bin, ...args]);
const ostree = (...args) => run('ostree', args);
const step = (title) => console.log(`\n== ${title}`);
const check = (ok, what) => {
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
  if (!ok) failures++;
};

function makeImage(dir, version) {
  const file = (p, content, mode = 0o644) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), content);
    chmodSync(join(dir, p), mode);
  };
  file('usr/bin/busybox', Buffer.from('\x7fELF' + `busybox ${version} `.repeat(8192)), 0o755);
  for (const tool of ['sh', 'ls', 'cat', 'mount', 'ip']) symlinkSync('busybox', join(dir, 'usr/bin', tool));
  file('usr/bin/sensor-agent', Buffer.from('\x7fELF' + `sensor-agent ${version} `.repeat(4000)), 0o755);
  file('usr/lib/modules/6.1.0-rpi/vmlinuz', Buffer.from(`kernel image ${version >= '2' ? 'patched' : ''}`.repeat(20000)));
  file('usr/lib/modules/6.1.0-rpi/initramfs.img', Buffer.from('initramfs '.repeat(5000)));
  file('usr/lib/os-release', `NAME="ExampleOS"\nVERSION_ID=${version}\n`);
  file('usr/etc/hostname', 'device\n');
  file('usr/etc/sensor-agent.conf', version === '1.0' ? 'interval=10\n' : 'interval=10\nupload=compressed\n');
  file('usr/share/firmware/wifi.bin', Buffer.alloc(128 * 1024, 0x5a));
  if (version !== '1.0') file('usr/share/doc/CHANGES', 'v2: compressed uploads, kernel fix\n');
  mkdirSync(join(dir, 'var'), { recursive: true });
  symlinkSync('usr/bin', join(dir, 'bin'));
}

try {
  step('Set up both repositories (archive mode, as a device vendor publishes them)');
  ostreeTs('init', `--repo=${ours}`, '--mode=archive');
  ostree('init', `--repo=${theirs}`, '--mode=archive');
  console.log(`  ostree-ts: ${ours}\n  ostree:    ${theirs}`);

  const commits = [];
  for (const [version, date] of [['1.0', '2026-01-01 00:00:00 +0000'], ['2.0', '2026-02-01 00:00:00 +0000']]) {
    step(`Commit ExampleOS ${version} (bootable) with ostree-ts and with ostree`);
    const image = join(work, `image-${version}`);
    makeImage(image, version);
    const args = ['-b', REF, '--bootable', `--timestamp=${date}`, '-s', `ExampleOS ${version}`, `--add-metadata-string=version=${version}`, `--tree=dir=${image}`];
    const a = ostreeTs('commit', `--repo=${ours}`, ...args).trim();
    const b = ostree('commit', `--repo=${theirs}`, ...args).trim();
    console.log(`  ostree-ts: ${a}\n  ostree:    ${b}`);
    check(a === b, 'identical commit checksum');
    commits.push(a);
  }

  step('ostree-ts log (same text as ostree log)');
  const log = ostreeTs('log', `--repo=${ours}`, REF);
  console.log(log.trimEnd().replace(/^/gm, '  '));
  check(log === ostree('log', `--repo=${theirs}`, REF), 'ostree-ts log == ostree log');
  check(ostreeTs('ls', `--repo=${ours}`, '-R', REF) === ostree('ls', `--repo=${theirs}`, '-R', REF), 'ostree-ts ls -R == ostree ls -R');

  step('Publish: summary, then verify with both implementations');
  ostreeTs('summary', `--repo=${ours}`, '-u');
  console.log(ostreeTs('summary', `--repo=${ours}`, '--view').replace(/^/gm, '  ').trimEnd());
  const fsckOurs = ostreeTs('fsck', `--repo=${ours}`);
  check(fsckOurs.includes('no errors found'), 'ostree-ts fsck accepts the repo');
  check(ostree('fsck', `--repo=${ours}`).includes('no errors found'), 'real ostree fsck accepts the repo ostree-ts wrote');

  step('A device pulls the update with real ostree from the repo ostree-ts wrote');
  const device = join(work, 'device-repo');
  ostree('init', `--repo=${device}`, '--mode=bare-user');
  ostree('pull-local', `--repo=${device}`, ours, REF);
  const checkout = join(work, 'device-root');
  ostree('checkout', `--repo=${device}`, '-U', REF, checkout);
  check(ostree('rev-parse', `--repo=${device}`, REF).trim() === commits[1], `device is at ExampleOS 2.0 (${commits[1].slice(0, 12)}…)`);
  check(ostree('fsck', `--repo=${device}`).includes('no errors found'), 'device repo is fsck-clean');

  console.log(failures === 0 ? '\nOK: ostree-ts and real ostree agree at every step' : `\n${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
} catch (e) {
  console.error(`demo failed: ${e.stderr ?? e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
