// `ostree-ts pull` from a repo real ostree wrote, served by nginx on loopback: the result is
// what `ostree pull` gives, and real ostree fsck accepts it.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type Nginx } from '../../pull/test/helpers/servers.js';
import { ours, theirs } from './helpers/run.js';
import { main } from '../src/main.js';
import { CaptureSink } from '../src/output.js';
import { nodeFs } from '@ostree-ts/io-node';

describe('ostree-ts pull over HTTP', () => {
  let tmp: string;
  let nginx: Nginx;
  let served: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'ostree-ts-cli-pull-'));
    served = join(tmp, 'served');
    const tree = join(tmp, 'tree');
    await mkdir(join(tree, 'usr/bin'), { recursive: true });
    await writeFile(join(tree, 'usr/bin/app'), 'app v1\n'.repeat(5000));
    await writeFile(join(tree, 'README'), 'hello\n');
    expect((await theirs([`--repo=${served}`, 'init', '--mode=archive'])).code).toBe(0);
    expect((await theirs([`--repo=${served}`, 'commit', '-b', 'os/stable', '--timestamp=2024-01-01 00:00:00 +0000', `--tree=dir=${tree}`])).code).toBe(0);
    expect((await theirs([`--repo=${served}`, 'summary', '-u'])).code).toBe(0);
    nginx = await startNginx(served, join(tmp, 'nginx'));
  });
  afterAll(async () => {
    await nginx?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it.each(['bare-user', 'archive'])('into a %s repo, as ostree pull does', async (mode) => {
    const results = [];
    const lines: string[] = [];
    for (const [side, run] of [
      ['ours', ours],
      ['theirs', theirs],
    ] as const) {
      const repo = join(tmp, `${mode}-${side}`);
      await run([`--repo=${repo}`, 'init', `--mode=${mode}`]);
      await run([`--repo=${repo}`, 'remote', 'add', '--no-gpg-verify', 'origin', nginx.url]);
      const r = await run([`--repo=${repo}`, 'pull', 'origin', 'os/stable']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // The summary line scripts parse; the byte count differs (ostree counts some bodies only).
      lines.push(r.stdout.replace(/; \d+ (B|KiB) transferred in \d+ seconds/, '; X transferred'));
      const fsck = await theirs([`--repo=${repo}`, 'fsck']);
      expect(fsck.code).toBe(0);
      results.push((await theirs([`--repo=${repo}`, 'ls', '-R', '-C', 'origin:os/stable'])).stdout);
    }
    expect(results[0]).toContain('/usr/bin/app');
    expect(results[0]).toBe(results[1]);
    expect(lines[0]).toMatch(/^\d+ metadata, \d+ content objects fetched; X transferred; .* content written\n$/);
    expect(lines[0]).toBe(lines[1]);
  });

  it('--mirror, --depth, --subpath and --commit-metadata-only give the repos ostree gives', async () => {
    for (const flags of [['--mirror'], ['--depth=-1'], ['--subpath=/usr'], ['--commit-metadata-only']]) {
      const state: string[] = [];
      for (const [side, run] of [
        ['ours', ours],
        ['theirs', theirs],
      ] as const) {
        const repo = join(tmp, `flags-${flags[0]!.replace(/\W/g, '')}-${side}`);
        await run([`--repo=${repo}`, 'init', '--mode=archive']);
        await run([`--repo=${repo}`, 'remote', 'add', '--no-gpg-verify', 'origin', nginx.url]);
        const r = await run([`--repo=${repo}`, 'pull', ...flags, 'origin', 'os/stable']);
        expect(r.code, `${side} ${flags.join(' ')}: ${r.stderr}`).toBe(0);
        const refs = await theirs([`--repo=${repo}`, 'refs']);
        const objects = execFileSync('find', ['objects', 'state', '-type', 'f'], { cwd: repo, encoding: 'utf8' }).split('\n').sort();
        state.push(`${refs.stdout}\n${objects.join('\n')}`);
      }
      expect(state[0], flags.join(' ')).toBe(state[1]);
    }
  });

  it('on a terminal, draws live progress and ends with the summary line; otherwise prints only the summary', async () => {
    const repo = join(tmp, 'tty');
    await ours([`--repo=${repo}`, 'init', '--mode=archive']);
    await ours([`--repo=${repo}`, 'remote', 'add', '--no-gpg-verify', 'origin', nginx.url]);
    const stdout = new CaptureSink();
    const code = await main([`--repo=${repo}`, 'pull', 'origin', 'os/stable'], {
      stdout,
      stderr: new CaptureSink(),
      fs: nodeFs(),
      cwd: tmp,
      env: {},
      stdoutIsTerminal: true,
    });
    expect(code).toBe(0);
    const text = stdout.text();
    expect(text).toMatch(/^\r\x1b\[KReceiving objects: \d+% \(\d+\/\d+\)/);
    expect(text).toMatch(/\r\x1b\[K\d+ metadata, \d+ content objects fetched; .* content written\n$/);
  });

  it('pulls the configured branches when none are named, and fails like ostree without a remote', async () => {
    const repo = join(tmp, 'branches');
    await ours([`--repo=${repo}`, 'init', '--mode=archive']);
    await ours([`--repo=${repo}`, 'remote', 'add', '--no-gpg-verify', 'origin', nginx.url, 'os/stable']);
    expect((await ours([`--repo=${repo}`, 'pull', 'origin'])).code).toBe(0);
    expect((await theirs([`--repo=${repo}`, 'rev-parse', 'origin:os/stable'])).code).toBe(0);
    const missing = await ours([`--repo=${repo}`, 'pull']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('REMOTE must be specified');
  });

  it('real ostree pulls from a repo ostree-ts committed and summarized', async () => {
    const published = join(tmp, 'published-by-ostree-ts');
    const tree = join(tmp, 'tree2');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await writeFile(join(tree, 'etc/motd'), 'served by nginx, written by ostree-ts\n');
    await writeFile(join(tree, 'big'), 'x'.repeat(300_000));
    expect((await ours([`--repo=${published}`, 'init', '--mode=archive'])).code).toBe(0);
    expect((await ours([`--repo=${published}`, 'commit', '-b', 'os/next', `--tree=dir=${tree}`])).code).toBe(0);
    expect((await ours([`--repo=${published}`, 'summary', '-u'])).code).toBe(0);
    const server = await startNginx(published, join(tmp, 'nginx2'));
    try {
      const client = join(tmp, 'real-client');
      await theirs([`--repo=${client}`, 'init', '--mode=bare-user']);
      await theirs([`--repo=${client}`, 'remote', 'add', '--no-gpg-verify', 'vendor', server.url]);
      const r = await theirs([`--repo=${client}`, 'pull', 'vendor', 'os/next']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((await theirs([`--repo=${client}`, 'fsck'])).code).toBe(0);
      const cat = await theirs([`--repo=${client}`, 'cat', 'vendor:os/next', '/etc/motd']);
      expect(cat.stdout).toBe('served by nginx, written by ostree-ts\n');
      // ostree fetched our summary and config, then objects (summary-driven pull).
      expect(server.requests().some((l) => l.includes('/summary'))).toBe(true);
    } finally {
      server.stop();
    }
  });
});
