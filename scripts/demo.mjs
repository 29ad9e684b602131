#!/usr/bin/env node
// The main job: an end-to-end OTA demo on an embedded default (a U-Boot device).
//  - Vendor side: a small device image (busybox-style userland, a kernel under usr/lib/modules,
//    /etc defaults in usr/etc) is committed as v1 and then v2 by `ostree-ts` and, beside it, by
//    real ostree (identical checksums). ostree-ts signs the commits with ed25519, generates a
//    signed static delta v1→v2 and a signed summary; real ostree checks the repo and applies the
//    delta offline.
//  - Device side: an ostree-ts sysroot with the U-Boot backend pulls v1 over HTTP (nginx on
//    127.0.0.1) with signature verification, deploys it, then `admin upgrade`s to v2 through the
//    delta; real `ostree admin status` reads the result. A tampered update is refused.
// Run with `npm run demo` (builds first; scripts/setup.sh installs everything).
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
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
// Real `ostree admin` as root would freeze /boot's filesystem (FIFREEZE): drop CAP_SYS_ADMIN.
const ostreeAdmin = (...args) =>
  execFileSync('setpriv', ['--bounding-set=-sys_admin', '--inh-caps=-sys_admin', 'ostree', 'admin', ...args], {
    encoding: 'utf8',
    env: { ...process.env, OSTREE_SYSROOT_DEBUG: 'mutable-deployments' },
  });
const indent = (text) => text.trimEnd().replace(/^/gm, '  ');
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
  file('usr/lib/os-release', `NAME="ExampleOS"\nID=exampleos\nPRETTY_NAME="ExampleOS"\nVERSION_ID=${version}\n`);
  file('usr/etc/hostname', 'device\n');
  file('usr/etc/sensor-agent.conf', version === '1.0' ? 'interval=10\n' : 'interval=10\nupload=compressed\n');
  file('usr/share/firmware/wifi.bin', Buffer.alloc(128 * 1024, 0x5a));
  if (version !== '1.0') file('usr/share/doc/CHANGES', 'v2: compressed uploads, kernel fix\n');
  mkdirSync(join(dir, 'var'), { recursive: true });
  symlinkSync('usr/bin', join(dir, 'bin'));
}

/** A fresh ed25519 key pair in ostree's text forms: base64 of seed+public (secret), of public. */
function ed25519Keys() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url');
  return { secret: Buffer.concat([seed, pub]).toString('base64'), public: pub.toString('base64') };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Debian's nginx serving `root` on 127.0.0.1, its files under `prefix`; returns url, requests(), stop(). */
async function startNginx(root, prefix) {
  mkdirSync(prefix, { recursive: true });
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  const log = join(prefix, 'access.log');
  writeFileSync(
    conf,
    `user root;\nworker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/error.log;\nevents { worker_connections 64; }\n` +
      `http {\n  default_type application/octet-stream;\n  client_body_temp_path ${prefix}/body;\n  proxy_temp_path ${prefix}/proxy;\n` +
      `  fastcgi_temp_path ${prefix}/fastcgi;\n  uwsgi_temp_path ${prefix}/uwsgi;\n  scgi_temp_path ${prefix}/scgi;\n` +
      `  log_format counted '$request_method $uri $status';\n  access_log ${log} counted;\n` +
      `  server { listen 127.0.0.1:${port}; root ${root}; }\n}\n`,
  );
  execFileSync('nginx', ['-c', conf, '-p', prefix, '-e', join(prefix, 'error.log')], { stdio: 'pipe' });
  for (let i = 0; i < 200 && !existsSync(join(prefix, 'nginx.pid')); i++) await new Promise((r) => setTimeout(r, 10));
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    stop: () => spawnSync('nginx', ['-c', conf, '-p', prefix, '-s', 'stop'], { stdio: 'ignore' }),
  };
}

let nginx;
try {
  step('Set up both repositories (archive mode, as a device vendor publishes them)');
  ostreeTs('init', `--repo=${ours}`, '--mode=archive');
  ostree('init', `--repo=${theirs}`, '--mode=archive');
  console.log(`  ostree-ts: ${ours}\n  ostree:    ${theirs}`);
  const keys = ed25519Keys();
  console.log(`  vendor signing key (ed25519, public): ${keys.public}`);
  nginx = await startNginx(ours, join(work, 'nginx'));
  console.log(`  ${ours} served by nginx at ${nginx.url}`);

  const sysroot = join(work, 'device');
  const deviceRepo = join(sysroot, 'ostree/repo');
  const commits = [];
  const publish = (version) => {
    const args = ['-b', REF, '--bootable', `--timestamp=${version === '1.0' ? '2026-01-01' : '2026-02-01'} 00:00:00 +0000`, '-s', `ExampleOS ${version}`];
    const image = join(work, `image-${version}`);
    makeImage(image, version);
    const a = ostreeTs('commit', `--repo=${ours}`, ...args, `--add-metadata-string=version=${version}`, `--tree=dir=${image}`).trim();
    const b = ostree('commit', `--repo=${theirs}`, ...args, `--add-metadata-string=version=${version}`, `--tree=dir=${image}`).trim();
    console.log(`  ostree-ts: ${a}\n  ostree:    ${b}`);
    check(a === b, 'identical commit checksum');
    commits.push(a);
    ostreeTs('sign', `--repo=${ours}`, a, keys.secret);
    check(ostreeTs('sign', `--repo=${ours}`, '--verify', a, keys.public).includes('Signature verified successfully'), `commit ${version} signed (ed25519) and verifies`);
  };

  step('Commit ExampleOS 1.0 (bootable) with ostree-ts and with ostree; sign and publish it');
  publish('1.0');
  ostreeTs('static-delta', 'generate', `--repo=${ours}`, '--empty', `--to=${commits[0]}`, `--sign=${keys.secret}`);
  ostreeTs('summary', `--repo=${ours}`, '-u', `--sign=${keys.secret}`);

  step('Device: a fresh sysroot (U-Boot) pulls 1.0 over HTTP, verifying signatures, and deploys it');
  mkdirSync(sysroot);
  ostreeTs('admin', 'init-fs', sysroot);
  ostreeTs('admin', 'os-init', 'exampleos', `--sysroot=${sysroot}`);
  ostreeTs('config', `--repo=${deviceRepo}`, 'set', 'sysroot.bootloader', 'uboot');
  // The factory image carries U-Boot's environment file; like ostree, the U-Boot backend
  // expects boot/loader/uEnv.txt to exist (U-Boot itself loads boot/uEnv.txt -> loader/uEnv.txt).
  mkdirSync(join(sysroot, 'boot/loader.0'));
  writeFileSync(join(sysroot, 'boot/loader.0/uEnv.txt'), '');
  symlinkSync('loader.0', join(sysroot, 'boot/loader'));
  symlinkSync('loader/uEnv.txt', join(sysroot, 'boot/uEnv.txt'));
  ostreeTs('remote', 'add', `--repo=${deviceRepo}`, '--no-gpg-verify', `--sign-verify=ed25519=inline:${keys.public}`, 'vendor', nginx.url, REF);
  console.log(indent(ostreeTs('pull', `--repo=${deviceRepo}`, 'vendor', REF)));
  ostreeTs('admin', 'deploy', `--sysroot=${sysroot}`, '--os=exampleos', '--karg=root=LABEL=rootfs', '--karg-append=console=ttyS0,115200', `vendor:${REF}`);
  const status1 = ostreeTs('admin', 'status', `--sysroot=${sysroot}`);
  console.log(indent(status1));
  check(status1.includes(commits[0]), 'device runs ExampleOS 1.0');
  console.log('  boot/loader/uEnv.txt:');
  console.log(indent(readFileSync(join(sysroot, 'boot/loader/uEnv.txt'), 'utf8')).replace(/^/gm, '  '));

  step('Commit the OTA update ExampleOS 2.0 with both; ostree-ts signs it and publishes a signed delta 1.0→2.0');
  publish('2.0');
  const log = ostreeTs('log', `--repo=${ours}`, REF);
  check(log === ostree('log', `--repo=${theirs}`, REF), 'ostree-ts log == ostree log');
  check(ostreeTs('ls', `--repo=${ours}`, '-R', REF) === ostree('ls', `--repo=${theirs}`, '-R', REF), 'ostree-ts ls -R == ostree ls -R');
  ostreeTs('static-delta', 'generate', `--repo=${ours}`, `--from=${commits[0]}`, `--to=${commits[1]}`, `--sign=${keys.secret}`);
  ostreeTs('summary', `--repo=${ours}`, '-u', `--sign=${keys.secret}`);
  console.log(indent(ostreeTs('static-delta', 'list', `--repo=${ours}`)));
  check(ostreeTs('static-delta', 'list', `--repo=${ours}`) === ostree('static-delta', 'list', `--repo=${ours}`), 'ostree-ts static-delta list == ostree static-delta list');
  check(ostreeTs('fsck', `--repo=${ours}`).includes('no errors found'), 'ostree-ts fsck accepts the repo');
  check(ostree('fsck', `--repo=${ours}`).includes('no errors found'), 'real ostree fsck accepts the repo ostree-ts wrote');

  step('Real ostree applies the ostree-ts delta offline');
  const offline = join(work, 'offline-repo');
  ostree('init', `--repo=${offline}`, '--mode=bare-user');
  ostree('pull-local', `--repo=${offline}`, ours, commits[0]);
  const deltaDir = join(ours, 'deltas');
  const superblock = readdirSync(deltaDir, { recursive: true }).map(String).find((p) => p.endsWith('superblock') && p.includes('-'));
  ostree('static-delta', 'apply-offline', `--repo=${offline}`, join(deltaDir, superblock));
  check(ostree('show', `--repo=${offline}`, commits[1]).includes(commits[1]), 'real ostree apply-offline wrote ExampleOS 2.0');
  check(ostree('fsck', `--repo=${offline}`).includes('no errors found'), 'and its repo is fsck-clean');

  step('Device: admin upgrade fetches 2.0 through the delta (signatures verified) and deploys it');
  const before = nginx.requests().length;
  console.log(indent(ostreeTs('admin', 'upgrade', `--sysroot=${sysroot}`, '--os=exampleos')));
  const fetched = nginx.requests().slice(before).filter((r) => r.startsWith('GET '));
  console.log(`  HTTP requests for the upgrade: ${fetched.length} (${fetched.filter((r) => r.includes('/deltas/')).length} of them delta files)`);
  check(fetched.some((r) => r.includes('/deltas/')), 'the upgrade used the static delta');
  const status2 = ostreeTs('admin', 'status', `--sysroot=${sysroot}`);
  console.log(indent(status2));
  check(status2.indexOf(commits[1]) >= 0 && status2.indexOf(commits[1]) < status2.indexOf(commits[0]), 'ExampleOS 2.0 is the default, 1.0 kept for rollback');
  const theirStatus = ostreeAdmin('status', `--sysroot=${sysroot}`);
  check(theirStatus.indexOf(commits[1]) >= 0 && theirStatus.indexOf(commits[1]) < theirStatus.indexOf(commits[0]), 'real ostree admin status reads the same deployments');
  const etc = readFileSync(join(sysroot, 'ostree/deploy/exampleos/deploy', readdirSync(join(sysroot, 'ostree/deploy/exampleos/deploy')).find((d) => d.startsWith(commits[1]) && !d.endsWith('.origin')), 'etc/sensor-agent.conf'), 'utf8');
  check(etc.includes('upload=compressed'), 'the new /etc default arrived through the /etc merge');
  check(ostree('fsck', `--repo=${deviceRepo}`).includes('no errors found'), 'device repo is fsck-clean (real ostree)');

  step('A tampered update is refused: ExampleOS 2.1 committed without the vendor key');
  const image3 = join(work, 'image-2.1');
  makeImage(image3, '2.1');
  ostreeTs('commit', `--repo=${ours}`, '-b', REF, '-s', 'ExampleOS 2.1 (unsigned)', `--tree=dir=${image3}`);
  ostreeTs('summary', `--repo=${ours}`, '-u', `--sign=${keys.secret}`);
  const refused = spawnSync(process.execPath, [bin, 'pull', `--repo=${deviceRepo}`, 'vendor', REF], { encoding: 'utf8' });
  console.log(indent(refused.stderr));
  check(refused.status !== 0, 'the unsigned commit is refused');
  check(ostreeTs('rev-parse', `--repo=${deviceRepo}`, `vendor:${REF}`).trim() === commits[1], 'the device ref did not move');

  step('Rollback: the device switches back to 1.0 in one atomic rename');
  ostreeTs('admin', 'rollback', `--sysroot=${sysroot}`);
  const status3 = ostreeAdmin('status', `--sysroot=${sysroot}`);
  console.log(indent(status3));
  check(status3.indexOf(commits[0]) >= 0 && status3.indexOf(commits[0]) < status3.indexOf(commits[1]), 'real ostree admin status: 1.0 is the default again');

  console.log(failures === 0 ? '\nOK: ostree-ts and real ostree agree at every step' : `\n${failures} check(s) failed`);
  process.exitCode = failures === 0 ? 0 : 1;
} catch (e) {
  console.error(`demo failed: ${e.stderr ?? e.message}`);
  process.exitCode = 1;
} finally {
  nginx?.stop();
  rmSync(work, { recursive: true, force: true });
}
