// sign-verify / sign-verify-summary: a repo written by real ostree, signed with ed25519 through
// @ostree-ts/sign (Debian's ostree has no ed25519), served by nginx in good and tampered
// variants. A refused pull leaves the client repository exactly as it was.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';
import { encodeMetadata } from '@ostree-ts/core';
import { defaultEd25519, ed25519Signer, formatEd25519PublicKey, formatEd25519SecretKey, signCommit, signSummary } from '@ostree-ts/sign';
import { pull } from '../src/index.js';
import { hasOstree, initRepoWithOrigin, makeTree, ostree, ostreeResult } from './helpers/ostree.js';
import { startNginx, type Nginx } from './helpers/servers.js';

const fs = nodeFs();
let tmp: string;
let nginx: Nginx;
let counter = 0;
const seedA = new Uint8Array(32).fill(7);
const seedB = new Uint8Array(32).fill(9);
const signerA = () => ed25519Signer(formatEd25519SecretKey(seedA));
const signerB = () => ed25519Signer(formatEd25519SecretKey(seedB));
const publicA = () => formatEd25519PublicKey(defaultEd25519().publicKey(seedA));

const objPath = (repo: string, checksum: string, ext: string) => join(repo, 'objects', checksum.slice(0, 2), `${checksum.slice(2)}.${ext}`);
const rev = (repo: string, ref: string) => ostree('rev-parse', `--repo=${repo}`, ref).trim();

function signCommitIn(repo: string, checksum: string, signer: ReturnType<typeof ed25519Signer>): void {
  const bytes = readFileSync(objPath(repo, checksum, 'commit'));
  writeFileSync(objPath(repo, checksum, 'commitmeta'), encodeMetadata(signCommit(bytes, undefined, signer)));
}

function signSummaryIn(repo: string, signer: ReturnType<typeof ed25519Signer>): void {
  ostree('summary', '-u', `--repo=${repo}`);
  writeFileSync(join(repo, 'summary.sig'), signSummary(readFileSync(join(repo, 'summary')), undefined, [signer]));
}

/** A copy of the good repo under the served root, changed by `change`; returns its URL. */
function variant(name: string, change: (repo: string) => void): string {
  const dir = join(tmp, 'served', name);
  execFileSync('cp', ['-a', join(tmp, 'served', 'good'), dir]);
  change(dir);
  return `${nginx.url}${name}/`;
}

/** Every file of a repository with its content (the summary cache aside), to compare before/after. */
function snapshot(repo: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (n !== '.lock' && !relative(repo, p).startsWith('tmp/cache/')) out.push(`${relative(repo, p)} ${readFileSync(p).toString('base64')}`);
    }
  };
  walk(repo);
  return out.sort();
}

/** A client with `os/old` already pulled (verified), configured for `url`. */
async function client(url: string, options: { summary?: boolean; keyFile?: boolean } = {}): Promise<string> {
  const path = initRepoWithOrigin(join(tmp, `client-${counter++}`), 'bare-user', `${nginx.url}good/`);
  const set = (k: string, v: string) => ostree('config', `--repo=${path}`, 'set', `remote "origin".${k}`, v);
  set('sign-verify', 'true');
  if (options.keyFile) {
    const file = join(tmp, `keys-${counter++}`);
    writeFileSync(file, `${formatEd25519PublicKey(defaultEd25519().publicKey(seedB))}\n${publicA()}\n`);
    set('verification-ed25519-file', file);
  } else {
    set('verification-ed25519-key', publicA());
  }
  if (options.summary !== false) set('sign-verify-summary', 'true');
  await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/old'] });
  set('url', url);
  return path;
}

describe.skipIf(!hasOstree)('pull with sign-verify (ed25519)', () => {
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-pull-sign-'));
    const good = join(tmp, 'served', 'good');
    mkdirSync(join(tmp, 'served'));
    const tree = join(tmp, 'tree');
    makeTree(tree, { xattrs: false });
    ostree('init', `--repo=${good}`, '--mode=archive');
    ostree('commit', `--repo=${good}`, '-b', 'os/old', '-s', 'old', `--tree=dir=${join(tree, 'etc')}`);
    ostree('commit', `--repo=${good}`, '-b', 'os/main', '-s', 'main', `--tree=dir=${tree}`);
    signCommitIn(good, rev(good, 'os/old'), signerA());
    signCommitIn(good, rev(good, 'os/main'), signerA());
    signSummaryIn(good, signerA());
    nginx = await startNginx(join(tmp, 'served'), join(tmp, 'nginx'));
  });
  afterAll(() => {
    nginx?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('pulls commits signed with a trusted key (inline key or key file), summary verified', async () => {
    for (const keyFile of [false, true]) {
      const path = await client(`${nginx.url}good/`, { keyFile });
      const r = await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'] });
      expect(r.commits.get('os/main')).toBe(rev(join(tmp, 'served', 'good'), 'os/main'));
      expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
    }
  });

  const refused: [string, (repo: string) => void, string, RegExp, { summary?: boolean }?][] = [
    ['unsigned commit', (r) => unlinkSync(objPath(r, rev(r, 'os/main'), 'commitmeta')), 'SIGNATURE_MISSING', /without detached metadata/],
    ['commit signed by another key', (r) => signCommitIn(r, rev(r, 'os/main'), signerB()), 'SIGNATURE_INVALID', /Can't verify commit .*couldn't be verified/],
    [
      'tampered commit carrying the original signature (summary re-signed)',
      (r) => {
        const original = rev(r, 'os/main');
        ostree('commit', `--repo=${r}`, '-b', 'os/main', '-s', 'evil', '--tree=ref=os/main');
        writeFileSync(objPath(r, rev(r, 'os/main'), 'commitmeta'), readFileSync(objPath(r, original, 'commitmeta')));
        signSummaryIn(r, signerA());
      },
      'SIGNATURE_INVALID',
      /Can't verify commit/,
    ],
    [
      'tampered summary',
      (r) => {
        const sig = readFileSync(join(r, 'summary.sig'));
        ostree('commit', `--repo=${r}`, '-b', 'os/extra', '--tree=ref=os/old');
        ostree('summary', '-u', `--repo=${r}`);
        writeFileSync(join(r, 'summary.sig'), sig);
      },
      'SIGNATURE_INVALID',
      /ed25519/,
    ],
    ['summary signed by another key', (r) => signSummaryIn(r, signerB()), 'SIGNATURE_INVALID', /ed25519/],
    ['missing summary.sig', (r) => unlinkSync(join(r, 'summary.sig')), 'SIGNATURE_MISSING', /no summary.sig found/],
  ];
  for (const [name, change, code, message] of refused) {
    it(`refuses a ${name}; the repository is unchanged`, async () => {
      const url = variant(name.replace(/\W+/g, '-'), change);
      const path = await client(url);
      // Without a cached summary (a cached one whose signature matches would be used instead).
      rmSync(join(path, 'tmp/cache'), { recursive: true, force: true });
      const before = snapshot(path);
      const err = await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toMatch(message);
      expect(snapshot(path)).toEqual(before);
      // A summary that failed verification is not cached either.
      if (name.includes('summary') && !name.includes('re-signed')) expect(existsSync(join(path, 'tmp/cache/summaries/origin'))).toBe(false);
    });
  }

  it('a tampered summary with an unchanged summary.sig is not even downloaded when the cache has the signed one', async () => {
    const url = variant('tampered-summary-cached', (r) => {
      const sig = readFileSync(join(r, 'summary.sig'));
      ostree('commit', `--repo=${r}`, '-b', 'os/main', '-s', 'other', '--tree=ref=os/old');
      ostree('summary', '-u', `--repo=${r}`);
      writeFileSync(join(r, 'summary.sig'), sig);
    });
    const path = await client(url);
    const before = nginx.requests().length;
    const r = await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'] });
    // The cached (verified) summary's os/main, not the tampered one's.
    expect(r.commits.get('os/main')).toBe(rev(join(tmp, 'served', 'good'), 'os/main'));
    expect(nginx.requests().slice(before).some((l) => l.includes('/summary '))).toBe(false);
  });

  it('with sign-verify-summary off, a tampered summary still cannot bring an unsigned commit', async () => {
    const url = variant('unsigned-no-summary-check', (r) => {
      ostree('commit', `--repo=${r}`, '-b', 'os/main', '-s', 'unsigned', '--tree=ref=os/main');
      ostree('summary', '-u', `--repo=${r}`);
    });
    const path = await client(url, { summary: false });
    const before = snapshot(path);
    await expect(pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'] })).rejects.toMatchObject({ code: 'SIGNATURE_MISSING' });
    expect(snapshot(path)).toEqual(before);
  });
});
