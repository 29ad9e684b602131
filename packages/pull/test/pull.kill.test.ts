// The server dies mid-pull: nginx (rate-limited so the pull takes a few seconds) is SIGKILLed
// once part of the objects have been served, the pull fails without moving the ref, nginx is
// restarted at the same address, and a second pull completes fetching only what the first did
// not store — counted from nginx's access log.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo } from '@ostree-ts/repo';
import { pull } from '../src/index.js';
import { hasOstree, initRepoWithOrigin, ostree, ostreeResult } from './helpers/ostree.js';
import { startNginx, type Nginx } from './helpers/servers.js';

const fs = nodeFs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function storedObjects(repo: string): Set<string> {
  const out = new Set<string>();
  for (const d of readdirSync(join(repo, 'objects'))) for (const f of readdirSync(join(repo, 'objects', d))) out.add(`${d}/${f}`);
  return out;
}

/** Object paths (XX/REST.ext) of successful object requests in log lines. */
function servedObjects(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('GET /objects/') && l.endsWith(' 200')).map((l) => l.split(' ')[1]!.slice('/objects/'.length));
}

describe.skipIf(!hasOstree)('pull when the server is killed halfway', () => {
  let tmp: string;
  let src: string;
  let nginx: Nginx | undefined;
  const files = 160;
  // Each connection gets 64 KiB/s: 160 × 24 KiB incompressible files take a few seconds over 8 connections.
  const location = 'limit_rate 64k;';

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-pull-kill-'));
    src = join(tmp, 'src');
    const tree = join(tmp, 'tree');
    mkdirSync(join(tree, 'data'), { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(join(tree, 'data', `f${i}`), randomBytes(24 * 1024));
    ostree('init', `--repo=${src}`, '--mode=archive');
    ostree('commit', `--repo=${src}`, '-b', 'os/main', `--tree=dir=${tree}`);
    ostree('summary', '-u', `--repo=${src}`);
  });
  afterAll(() => {
    nginx?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the second pull completes and fetches only the objects the first did not store', async () => {
    const prefix = join(tmp, 'nginx');
    nginx = await startNginx(src, prefix, { location });
    const port = nginx.port;
    const path = initRepoWithOrigin(join(tmp, 'client'), 'bare-user', nginx.url);
    const commit = ostree('rev-parse', `--repo=${src}`, 'os/main').trim();

    // First pull; kill nginx once a third of the files have been served.
    const first = pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'], retries: 1, disableStaticDeltas: true });
    const outcome = first.then(
      () => 'completed',
      (e: unknown) => e,
    );
    for (let i = 0; i < 600 && servedObjects(nginx.requests()).filter((o) => o.endsWith('.filez')).length < files / 3; i++) await sleep(20);
    nginx.kill();
    const err = await outcome;
    expect(err).toMatchObject({ code: 'NETWORK_ERROR' });
    const afterFirst = storedObjects(path);
    const firstServed = servedObjects(nginx.requests());
    // The kill landed halfway: some content stored, not all.
    const storedFiles = [...afterFirst].filter((o) => o.endsWith('.file')).length;
    expect(storedFiles).toBeGreaterThan(0);
    expect(storedFiles).toBeLessThan(files);
    expect((await (await openRepo(fs, path)).listRemoteRefs()).size).toBe(0);
    expect(await (await openRepo(fs, path)).isCommitPartial(commit)).toBe(true);

    // Restart at the same address; pull again.
    const logged = nginx.requests().length;
    nginx = await startNginx(src, prefix, { location, port });
    const result = await pull(await openRepo(fs, path), { remote: 'origin', refs: ['os/main'], disableStaticDeltas: true });
    expect(result.commits.get('os/main')).toBe(commit);
    const secondServed = servedObjects(nginx.requests().slice(logged));

    // Exactly the objects that were missing were fetched (archive .filez ↔ bare-user .file).
    const asStored = (o: string) => o.replace(/\.filez$/, '.file');
    const missing = [...storedObjects(path)].filter((o) => !afterFirst.has(o));
    expect(secondServed.map(asStored).sort()).toEqual(missing.sort());
    // Nothing stored by the first pull was fetched again; at most the requests in flight at the kill repeat.
    expect(secondServed.filter((o) => afterFirst.has(asStored(o)))).toEqual([]);
    const repeated = secondServed.filter((o) => firstServed.includes(o));
    expect(repeated.length).toBeLessThanOrEqual(8);

    expect(ostreeResult('fsck', `--repo=${path}`).status).toBe(0);
    expect(await (await openRepo(fs, path)).isCommitPartial(commit)).toBe(false);
    expect(ostree('rev-parse', `--repo=${path}`, 'origin:os/main').trim()).toBe(commit);
  }, 60_000);
});
