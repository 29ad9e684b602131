// fsck finds and names corrupted, missing and truncated objects — and real ostree agrees
// about the same damage.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { OstreeError, type RepoMode } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitDirectory, fsckRepo, initRepo, openRepo } from '../src/index.js';
import { hasOstree, ostreeResult } from './helpers/ostree.js';

function findObjects(repo: string, ext: string): string[] {
  const out: string[] = [];
  for (const p of readdirSync(join(repo, 'objects'))) for (const n of readdirSync(join(repo, 'objects', p))) if (n.endsWith(`.${ext}`)) out.push(join(repo, 'objects', p, n));
  return out.sort();
}

async function fsckError(path: string): Promise<OstreeError> {
  try {
    await fsckRepo(await openRepo(nodeFs(), path));
  } catch (e) {
    return e as OstreeError;
  }
  throw new Error('fsck passed');
}

describe.each(['archive', 'bare-user', 'bare', 'bare-user-only'] as RepoMode[])('fsck in %s repos', (mode) => {
  let work: string;
  let pristine: string;
  let commit: string;
  const ext = mode === 'archive' ? 'filez' : 'file';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-fsck-'));
    const tree = join(work, 'tree');
    for (const [p, c] of [['a/one', 'first file\n'], ['a/two', 'second file, a little longer\n'], ['three', 'x'.repeat(5000)]] as const) {
      const full = join(tree, p);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, c);
    }
    pristine = join(work, 'pristine');
    const fs = nodeFs();
    const repo = await initRepo(fs, pristine, { mode });
    commit = (await commitDirectory(repo, fs, tree, { ref: 'main', subject: 's', timestamp: 1n })).checksum;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // cp -a: bare-user objects keep their metadata in xattrs, which node's cpSync drops.
  const copy = (name: string) => {
    const dest = join(work, name);
    execFileSync('cp', ['-a', pristine, dest]);
    return dest;
  };
  const largest = (repo: string) => findObjects(repo, ext).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;

  it('accepts the intact repo', async () => {
    const r = await fsckRepo(await openRepo(nodeFs(), pristine));
    expect(r).toMatchObject({ commitsVerified: 1, corruptionFound: false, issues: [] });
    // The commit, two dirtrees, one dirmeta (both directories have the same one), three files.
    expect(r.objectsVerified).toBe(1 + 2 + 1 + 3);
  });

  it('names a corrupted content object, as ostree does', async () => {
    const repo = copy('corrupt');
    const victim = largest(repo);
    if (mode === 'archive') {
      const bytes = readFileSync(victim);
      bytes[bytes.length - 3]! ^= 0xff; // inside the deflate stream
      writeFileSync(victim, bytes);
    } else appendFileSync(victim, 'garbage');
    const err = await fsckError(repo);
    const name = victim.split('/').slice(-2).join('').replace(/\.[a-z]+$/, '');
    expect(err).toBeInstanceOf(OstreeError);
    expect(err.message).toContain(`fsck content object ${name}`);
    expect(err.message).toContain(`In commits ${commit}`);
    if (hasOstree) {
      const theirs = ostreeResult('fsck', `--repo=${repo}`);
      expect(theirs.status).toBe(1);
      expect(theirs.stderr).toContain(`fsck content object ${name}`);
      if (mode !== 'archive') expect(`error: ${err.message}\n`).toBe(theirs.stderr);
    }
  });

  it('names a missing object, marks its commit partial, and ostree agrees', async () => {
    const repo = copy('missing');
    const victim = findObjects(repo, ext)[0]!;
    rmSync(victim);
    const name = victim.split('/').slice(-2).join('').replace(/\.[a-z]+$/, '');
    const r = await fsckRepo(await openRepo(nodeFs(), repo));
    expect(r.corruptionFound).toBe(true);
    expect(r.issues).toContainEqual({ kind: 'missing', checksum: name, type: 'file', commits: [commit] });
    expect(r.issues).toContainEqual({ kind: 'marked-partial', commit });
    expect(readdirSync(join(repo, 'state'))).toEqual([`${commit}.commitpartial`]);
    if (hasOstree) {
      const fresh = copy('missing-theirs');
      rmSync(join(fresh, victim.slice(repo.length)));
      const theirs = ostreeResult('fsck', `--repo=${fresh}`);
      expect(theirs.status).toBe(1);
      expect(theirs.stderr).toContain(`Object missing in commits ${commit}: ${name}.file`);
    }
  });

  it('names a truncated object', async () => {
    const repo = copy('truncated');
    const victim = largest(repo);
    truncateSync(victim, mode === 'archive' ? 60 : 10);
    const err = await fsckError(repo);
    expect(err).toBeInstanceOf(OstreeError);
    expect(err.message).toMatch(/fsck content object [0-9a-f]{64}: /);
    if (hasOstree) expect(ostreeResult('fsck', `--repo=${repo}`).status).toBe(1);
  });

  it('with delete, removes the corrupted object and marks the commit partial', async () => {
    const repo = copy('delete');
    const victim = findObjects(repo, 'dirtree')[0]!;
    appendFileSync(victim, 'x');
    const r = await fsckRepo(await openRepo(nodeFs(), repo), { delete: true });
    expect(r.corruptionFound).toBe(true);
    expect(r.issues.some((i) => i.kind === 'corrupted' && i.type === 'dirtree' && i.deleted)).toBe(true);
    expect(r.issues).toContainEqual({ kind: 'marked-partial', commit });
    expect(findObjects(repo, 'dirtree')).not.toContain(victim);
    // A second run skips the partial commit and reports it.
    const again = await fsckRepo(await openRepo(nodeFs(), repo));
    expect(again).toMatchObject({ commitsVerified: 0, partialCommits: 1, fsckPartialCommits: 1 });
  });
});
