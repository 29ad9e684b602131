/**
 * Refs (spec §3.3): `refs/heads/REF`, `refs/remotes/REMOTE/REF`, each a file holding a
 * checksum and a newline, written atomically. Aliases are symlinks between ref files.
 * @module
 */
import { OstreeError, assertValidRef, isChecksum, parseRefspec, type Refspec } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import { dirname, joinPath } from './path.js';
import { tempPath } from './temp.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Where refs live, relative to nothing: a ref file path for a refspec. */
export function refPath(repoPath: string, { remote, ref }: Refspec): string {
  return remote === undefined ? joinPath(repoPath, 'refs/heads', ref) : joinPath(repoPath, 'refs/remotes', remote, ref);
}

/** Reads a ref file; undefined when absent. @throws {OstreeError} INVALID_CHECKSUM for garbage */
export async function readRefFile(fs: Fs, path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = decoder.decode(await fs.readFile(path));
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT') || hasErrorCode(e, 'EISDIR') || hasErrorCode(e, 'ENOTDIR')) return undefined;
    throw e;
  }
  const csum = text.trimEnd();
  if (!isChecksum(csum)) throw new OstreeError('INVALID_CHECKSUM', `Invalid checksum in ref file ${path}: ${JSON.stringify(csum)}`);
  return csum;
}

async function walkRefs(fs: Fs, dir: string, prefix: string, out: Map<string, string>): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) return;
    throw e;
  }
  for (const name of names) {
    const p = joinPath(dir, name);
    const st = await fs.stat(p).catch(() => undefined); // aliases are symlinks to ref files
    if (st === undefined) continue;
    const ref = prefix ? `${prefix}/${name}` : name;
    if (st.type === 'directory') await walkRefs(fs, p, ref, out);
    else if (st.type === 'file') {
      const csum = await readRefFile(fs, p);
      if (csum !== undefined) out.set(ref, csum);
    }
  }
}

/** Local refs (`refs/heads`), optionally only those under `prefix/`. Keys are ref names. */
export async function listLocalRefs(fs: Fs, repoPath: string, prefix?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const base = joinPath(repoPath, 'refs/heads');
  if (prefix === undefined || prefix === '') await walkRefs(fs, base, '', out);
  else {
    const single = await readRefFile(fs, joinPath(base, prefix)).catch(() => undefined);
    if (single !== undefined) out.set(prefix, single);
    else await walkRefs(fs, joinPath(base, prefix), prefix, out);
  }
  return out;
}

/** Remote refs, keyed `remote:ref`. */
export async function listRemoteRefs(fs: Fs, repoPath: string, remote?: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const base = joinPath(repoPath, 'refs/remotes');
  let remotes: string[];
  try {
    remotes = remote === undefined ? await fs.readdir(base) : [remote];
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) return out;
    throw e;
  }
  for (const r of remotes) {
    const refs = new Map<string, string>();
    await walkRefs(fs, joinPath(base, r), '', refs);
    for (const [ref, csum] of refs) out.set(`${r}:${ref}`, csum);
  }
  return out;
}

/**
 * Resolves a refspec as ostree does: a checksum is itself; a local ref is looked up in
 * `refs/heads`, then (`fallbackRemote`) `refs/remotes/REF` and then every remote.
 */
export async function readRefspec(fs: Fs, repoPath: string, spec: Refspec, fallbackRemote: boolean): Promise<string | undefined> {
  if (isChecksum(spec.ref)) return spec.ref;
  const direct = await readRefFile(fs, refPath(repoPath, spec));
  if (direct !== undefined || spec.remote !== undefined || !fallbackRemote) return direct;
  const viaRemotes = await readRefFile(fs, joinPath(repoPath, 'refs/remotes', spec.ref));
  if (viaRemotes !== undefined) return viaRemotes;
  let remotes: string[] = [];
  try {
    remotes = await fs.readdir(joinPath(repoPath, 'refs/remotes'));
  } catch (e) {
    if (!hasErrorCode(e, 'ENOENT')) throw e;
  }
  for (const r of remotes.sort()) {
    const c = await readRefFile(fs, joinPath(repoPath, 'refs/remotes', r, spec.ref));
    if (c !== undefined) return c;
  }
  return undefined;
}

/** Parses a rev as ostree's CLI accepts it: `[remote:]ref` or a checksum, with `^` suffixes. */
export function parseRev(rev: string): { spec: Refspec; parents: number } {
  let parents = 0;
  let base = rev;
  while (base.endsWith('^')) {
    parents++;
    base = base.slice(0, -1);
  }
  if (isChecksum(base)) return { spec: { remote: undefined, ref: base }, parents };
  return { spec: parseRefspec(base), parents };
}

/**
 * Points a ref at `checksum` (or deletes it when `checksum` is undefined), atomically:
 * written to a temporary file and renamed over the old one.
 */
export async function writeRef(fs: Fs, repoPath: string, tmpDir: string, spec: Refspec, checksum: string | undefined): Promise<void> {
  assertValidRef(spec.ref);
  const path = refPath(repoPath, spec);
  if (checksum === undefined) {
    try {
      await fs.unlink(path);
    } catch (e) {
      if (!hasErrorCode(e, 'ENOENT')) throw e;
    }
    return;
  }
  if (!isChecksum(checksum)) throw new OstreeError('INVALID_CHECKSUM', `Invalid checksum ${checksum}`);
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o775 });
  const tmp = tempPath(tmpDir, 'ref');
  await fs.writeFile(tmp, encoder.encode(`${checksum}\n`), { mode: 0o644 });
  await fs.rename(tmp, path);
}
