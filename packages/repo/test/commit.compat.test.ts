// Issue 3 acceptance: for the same tree, timestamp, subject and metadata, ostree-ts and real
// ostree produce the same commit checksum in every mode; real `ostree fsck` accepts what we
// write; `ostree ls/cat/checkout` work on our commits; our fsck accepts theirs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFs } from '@ostree-ts/io-node';
import { variant, type RepoMode } from '@ostree-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitDirectory, fsckRepo, initRepo, openRepo } from '../src/index.js';
import { makeCraftedTree, type CraftedTreeOptions } from '../../../test-vectors/trees/crafted-tree.js';
import { hasOstree, ostree, ostreeResult } from './helpers/ostree.js';

const TIMESTAMP = '2024-02-29 12:34:56 +0000';
const TIMESTAMP_SECONDS = BigInt(Date.UTC(2024, 1, 29, 12, 34, 56) / 1000);

const modes: [RepoMode, CraftedTreeOptions][] = [
  ['archive', { xattrs: true, owners: true, specialModes: true }],
  ['bare-user-only', { xattrs: true, owners: true, specialModes: false }],
  ['bare-user', { xattrs: true, owners: true, specialModes: true }],
  ['bare', { xattrs: true, owners: true, specialModes: true }],
];

describe.skipIf(!hasOstree)('commit compatibility with real ostree', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-commit-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe.each(modes)('%s', (mode, treeOptions) => {
    let tree: string;
    let theirsRepo: string;
    let oursRepo: string;
    let theirs: string;
    let ours: string;

    beforeAll(async () => {
      tree = join(work, `${mode}-tree`);
      theirsRepo = join(work, `${mode}-theirs`);
      oursRepo = join(work, `${mode}-ours`);
      makeCraftedTree(tree, treeOptions);
      ostree('init', `--repo=${theirsRepo}`, `--mode=${mode}`);
      theirs = ostree(
        'commit', `--repo=${theirsRepo}`, '-b', 'os/main', `--timestamp=${TIMESTAMP}`, '-s', 'Subject', '-m', 'Body text',
        '--add-metadata-string=version=1.2.3', `--tree=dir=${tree}`,
      ).trim();
      const fs = nodeFs();
      const repo = await initRepo(fs, oursRepo, { mode });
      ours = (
        await commitDirectory(repo, fs, tree, {
          ref: 'os/main',
          subject: 'Subject',
          body: 'Body text',
          timestamp: TIMESTAMP_SECONDS,
          metadata: [
            ['version', variant('s', '1.2.3')],
            ['ostree.ref-binding', variant('as', ['os/main'])],
          ],
        })
      ).checksum;
    }, 120_000);

    it('gives the same commit checksum', () => {
      expect(ours).toMatch(/^[0-9a-f]{64}$/);
      expect(ours).toBe(theirs);
    });

    it('writes a repo real ostree fsck accepts', () => {
      const r = ostreeResult('fsck', `--repo=${oursRepo}`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('no errors found');
    });

    it('has the same ref, config and object set as ostree wrote', () => {
      expect(readFileSync(join(oursRepo, 'refs/heads/os/main'), 'utf8')).toBe(readFileSync(join(theirsRepo, 'refs/heads/os/main'), 'utf8'));
      expect(readFileSync(join(oursRepo, 'config'), 'utf8')).toBe(readFileSync(join(theirsRepo, 'config'), 'utf8'));
      const list = (r: string) => execFileSync('find', ['objects', '-type', 'f', '-o', '-type', 'l'], { cwd: r, encoding: 'utf8' }).split('\n').sort();
      expect(list(oursRepo)).toEqual(list(theirsRepo));
    });

    it('stores objects exactly as ostree does (modes, owners, xattrs; archive bytes)', () => {
      // stat of every object: type, mode, uid, gid, size; plus all xattrs.
      const describeRepo = (r: string) =>
        execFileSync('sh', ['-c', 'find objects \\( -type f -o -type l \\) -printf "%p %y %m %U %G %s\\n" | sort; getfattr -R -h -d -m - --absolute-names objects 2>/dev/null | grep -v "^#" | sort'], {
          cwd: r,
          encoding: 'utf8',
        });
      const mine = describeRepo(oursRepo);
      expect(mine.length).toBeGreaterThan(100);
      expect(mine).toBe(describeRepo(theirsRepo));
    });

    it('ostree ls -R and cat read our commit like theirs', () => {
      const lsOurs = ostree('ls', `--repo=${oursRepo}`, '-R', '-C', 'os/main');
      expect(lsOurs).toBe(ostree('ls', `--repo=${theirsRepo}`, '-R', '-C', 'os/main'));
      expect(ostree('cat', `--repo=${oursRepo}`, 'os/main', '/usr/lib/big.bin')).toBe(ostree('cat', `--repo=${theirsRepo}`, 'os/main', '/usr/lib/big.bin'));
      expect(ostree('log', `--repo=${oursRepo}`, 'os/main')).toBe(ostree('log', `--repo=${theirsRepo}`, 'os/main'));
    });

    it('ostree checkout of our commit equals the checkout of theirs', () => {
      const a = join(work, `${mode}-co-ours`);
      const b = join(work, `${mode}-co-theirs`);
      const userMode = mode === 'archive' || mode === 'bare-user' || mode === 'bare-user-only' ? ['-U'] : [];
      ostree('checkout', `--repo=${oursRepo}`, ...userMode, 'os/main', a);
      ostree('checkout', `--repo=${theirsRepo}`, ...userMode, 'os/main', b);
      const listing = (d: string) => execFileSync('sh', ['-c', 'find . -printf "%p %y %m %s %l\\n" | sort; find . -type f -exec sha256sum {} + | sort'], { cwd: d, encoding: 'utf8' });
      expect(listing(a)).toBe(listing(b));
    });

    it('our fsck accepts the repo real ostree wrote, and ours', async () => {
      for (const r of [theirsRepo, oursRepo]) {
        const result = await fsckRepo(await openRepo(nodeFs(), r));
        expect(result.issues).toEqual([]);
        expect(result.corruptionFound).toBe(false);
        expect(result.commitsVerified).toBe(1);
        expect(result.objectsVerified).toBeGreaterThan(20);
      }
    });

    it('committing the same tree again writes nothing new and gives the same checksum', async () => {
      const fs = nodeFs();
      const repo = await openRepo(fs, oursRepo);
      const again = await commitDirectory(repo, fs, tree, {
        ref: 'os/main',
        subject: 'Subject',
        body: 'Body text',
        timestamp: TIMESTAMP_SECONDS,
        metadata: [
          ['version', variant('s', '1.2.3')],
          ['ostree.ref-binding', variant('as', ['os/main'])],
        ],
      });
      expect(again.checksum).toBe(ours);
      expect(again.stats.contentWritten).toBe(0);
      expect(again.stats.metadataWritten).toBe(0);
      expect(again.stats.contentTotal).toBeGreaterThan(10);
    });
  });
});
