/**
 * nodeFs's locks against independent implementations of the same lock: real ostree (2022.7
 * locks REPO/.lock with OFD locks) and Python's fcntl module in another process.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';

const hasOstree = spawnSync('ostree', ['--version'], { stdio: 'ignore' }).status === 0;
const python = '/usr/bin/python3';
const hasPython = spawnSync(python, ['-c', 'import fcntl'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ostree-ts-locks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

/** Runs a command to completion without blocking the event loop. */
function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - start }));
  });
}

describe.skipIf(!hasOstree)('against ostree 2022.7 (REPO/.lock)', () => {
  let repo: string;
  let tree: string;
  const ostree = (...args: string[]) => run('ostree', [`--repo=${repo}`, ...args]);
  const commit = () => ostree('commit', '-b', 'main', '--tree', `dir=${tree}`);

  beforeEach(async () => {
    repo = join(dir, 'repo');
    tree = join(dir, 'tree');
    await mkdir(tree);
    await writeFile(join(tree, 'file'), 'content\n');
    expect((await run('ostree', ['init', `--repo=${repo}`, '--mode=archive'])).status).toBe(0);
    expect((await ostree('config', 'set', 'core.lock-timeout-secs', '1')).status).toBe(0);
  });

  it('an exclusive nodeFs lock makes ostree commit fail after its timeout; after release it commits', async () => {
    const fs = nodeFs();
    const lock = await fs.lockFile(join(repo, '.lock'), 'exclusive');
    const blocked = await commit();
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toBe('error: Locking repo shared failed: Resource temporarily unavailable\n');
    expect(blocked.ms).toBeGreaterThanOrEqual(1000); // it retried for core.lock-timeout-secs
    expect((await ostree('rev-parse', 'main')).status).not.toBe(0); // nothing was committed
    await lock.release();
    const ok = await commit();
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect((await ostree('rev-parse', 'main')).stdout).toBe(ok.stdout);
  });

  it('a shared nodeFs lock lets ostree commit (shared) but not prune (exclusive)', async () => {
    const fs = nodeFs();
    const lock = await fs.lockFile(join(repo, '.lock'), 'shared');
    const ok = await commit();
    expect(ok.status).toBe(0);
    const prune = await ostree('prune', '--refs-only');
    expect(prune.status).toBe(1);
    expect(prune.stderr).toBe('error: Locking repo exclusive failed: Resource temporarily unavailable\n');
    await lock.release();
    expect((await ostree('prune', '--refs-only')).status).toBe(0);
  });

  it('uses the .lock ostree created (mode kept) and creates one as ostree does (0o660 minus the umask)', async () => {
    await commit(); // ostree creates REPO/.lock
    const made = await stat(join(repo, '.lock'));
    await (await nodeFs().lockFile(join(repo, '.lock'), 'exclusive')).release();
    const after = await stat(join(repo, '.lock'));
    expect([after.ino, after.mode]).toEqual([made.ino, made.mode]);
    await rm(join(repo, '.lock'));
    await (await nodeFs().lockFile(join(repo, '.lock'), 'shared')).release();
    expect((await stat(join(repo, '.lock'))).mode & 0o777).toBe(made.mode & 0o777);
  });
});

/**
 * A Python process that takes a lock and reports on stdout, then obeys one-line commands on
 * stdin: `release`, `getlk` (F_OFD_GETLK for a write lock: prints what blocks it), `try-r`
 * (a non-blocking OFD read lock on a second descriptor), `flock-x` (flock LOCK_EX|LOCK_NB).
 */
const helper = String.raw`
import fcntl, os, struct, sys
path, how = sys.argv[1], sys.argv[2]
F_OFD_GETLK = getattr(fcntl, 'F_OFD_GETLK', 36)
F_OFD_SETLK = getattr(fcntl, 'F_OFD_SETLK', 37)
def flock_struct(t):
    # struct flock on x86_64/aarch64: short, short, 4 padding, off_t, off_t, pid_t, 4 padding
    return struct.pack('hhxxxxqqixxxx', t, os.SEEK_SET, 0, 0, 0)
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o660)
if how == 'ofd-r':
    fcntl.fcntl(fd, F_OFD_SETLK, flock_struct(fcntl.F_RDLCK))
elif how == 'ofd-w':
    fcntl.fcntl(fd, F_OFD_SETLK, flock_struct(fcntl.F_WRLCK))
elif how == 'posix-w':
    fcntl.fcntl(fd, fcntl.F_SETLK, flock_struct(fcntl.F_WRLCK))
print('ready', flush=True)
for line in sys.stdin:
    cmd = line.strip()
    if cmd == 'release':
        os.close(fd)
        print('released', flush=True)
        break
    if cmd == 'getlk':
        got = fcntl.fcntl(fd, F_OFD_GETLK, flock_struct(fcntl.F_WRLCK))
        print('getlk %d %d %d %d %d' % struct.unpack('hhxxxxqqixxxx', got), flush=True)
    elif cmd == 'try-r':
        fd2 = os.open(path, os.O_RDWR)
        try:
            fcntl.fcntl(fd2, F_OFD_SETLK, flock_struct(fcntl.F_RDLCK))
            print('try-r ok', flush=True)
        except OSError as e:
            print('try-r errno %d' % e.errno, flush=True)
        os.close(fd2)
    elif cmd == 'flock-x':
        fd3 = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd3, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print('flock-x ok', flush=True)
        except OSError as e:
            print('flock-x errno %d' % e.errno, flush=True)
        os.close(fd3)
`;

/** A running helper; `ask` sends a command and resolves with the next line it prints. */
interface Helper {
  readonly child: ChildProcessWithoutNullStreams;
  ask(cmd: string): Promise<string>;
}

async function startHelper(path: string, how: 'ofd-r' | 'ofd-w' | 'posix-w' | 'none'): Promise<Helper> {
  const child = spawn(python, ['-c', helper, path, how]);
  let buffered = '';
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`python helper silent; stderr: ${stderr}`)), 5000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  expect(await next()).toBe('ready');
  return {
    child,
    ask: (cmd) => {
      child.stdin.write(`${cmd}\n`);
      return next();
    },
  };
}

describe.skipIf(!hasPython)('against Python fcntl in another process', () => {
  const helpers: Helper[] = [];
  const start = async (path: string, how: Parameters<typeof startHelper>[1]): Promise<Helper> => {
    const h = await startHelper(path, how);
    helpers.push(h);
    return h;
  };
  afterEach(() => {
    for (const h of helpers.splice(0)) h.child.kill();
  });

  it('a shared OFD lock held by Python: nodeFs exclusive is EAGAIN, shared succeeds, a waiting exclusive gets it on release', async () => {
    const path = join(dir, '.lock');
    const py = await start(path, 'ofd-r');
    const fs = nodeFs();
    expect(await codeOf(() => fs.lockFile(path, 'exclusive'))).toBe('EAGAIN');
    expect(await codeOf(() => fs.lockFile(path, 'exclusive', { waitMs: 120 }))).toBe('EAGAIN');
    const shared = await fs.lockFile(path, 'shared');
    await shared.release();
    const waiting = fs.lockFile(path, 'exclusive', { waitMs: 5000 });
    setTimeout(() => void py.ask('release'), 100);
    const x = await waiting;
    await x.release();
  });

  it('Python sees nodeFs locks as whole-file OFD locks (F_OFD_GETLK: pid -1, start 0, len 0 = to EOF)', async () => {
    const path = join(dir, '.lock');
    const fs = nodeFs();
    const py = await start(path, 'none');
    const F_RDLCK = 0;
    const F_WRLCK = 1;
    const F_UNLCK = 2;
    const x = await fs.lockFile(path, 'exclusive');
    // type whence start len pid: an OFD lock reports pid -1 (a classic lock, node's pid).
    expect(await py.ask('getlk')).toBe(`getlk ${F_WRLCK} 0 0 0 -1`);
    expect(await py.ask('try-r')).toBe('try-r errno 11'); // EAGAIN
    await x.release();
    expect(await py.ask('getlk')).toBe(`getlk ${F_UNLCK} 0 0 0 0`); // nothing left
    const s = await fs.lockFile(path, 'shared');
    expect(await py.ask('getlk')).toBe(`getlk ${F_RDLCK} 0 0 0 -1`);
    expect(await py.ask('try-r')).toBe('try-r ok');
    await s.release();
  });

  it('an exclusive OFD lock held by Python blocks both kinds in nodeFs', async () => {
    const path = join(dir, '.lock');
    const py = await start(path, 'ofd-w');
    const fs = nodeFs();
    expect(await codeOf(() => fs.lockFile(path, 'shared'))).toBe('EAGAIN');
    expect(await codeOf(() => fs.lockFile(path, 'exclusive'))).toBe('EAGAIN');
    expect(await py.ask('release')).toBe('released');
    await (await fs.lockFile(path, 'exclusive')).release();
  });

  it('a classic F_SETLK lock of another process conflicts too; flock locks are a separate world', async () => {
    const path = join(dir, '.lock');
    const py = await start(path, 'posix-w');
    const fs = nodeFs();
    // Across processes classic record locks and OFD locks conflict (within one process they would not).
    expect(await codeOf(() => fs.lockFile(path, 'shared'))).toBe('EAGAIN');
    expect(await py.ask('release')).toBe('released');
    // flock(2) locks do not interact with fcntl locks on Linux (local filesystems): ostree uses
    // flock only where OFD locks fail with EINVAL, and so does nodeFs.
    const other = await start(path, 'none');
    const x = await fs.lockFile(path, 'exclusive');
    expect(await other.ask('flock-x')).toBe('flock-x ok');
    await x.release();
  });
});
