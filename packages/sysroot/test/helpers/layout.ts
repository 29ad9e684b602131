/**
 * Layout snapshots of a sysroot for comparing what ostree-ts and real ostree leave behind:
 * every path with its type, permission bits, symlink target and file SHA-256, ignoring what
 * legitimately differs (timestamps, inode numbers, lock files, repository temp state).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface LayoutOptions {
  /** Relative paths (prefixes) to leave out, in addition to the defaults. */
  readonly ignore?: readonly string[];
  /** Describe deployment directories only by their top level (large trees). */
  readonly shallowDeployments?: boolean;
}

const DEFAULT_IGNORE = ['ostree/lock', 'ostree/repo/.lock', 'ostree/repo/tmp', 'ostree/repo/state'];

/** One line per path, sorted: `TYPE MODE PATH [-> TARGET | sha256]`. */
export function layoutSnapshot(root: string, options: LayoutOptions = {}): string[] {
  const ignore = [...DEFAULT_IGNORE, ...(options.ignore ?? [])];
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(rel === '' ? root : join(root, rel))) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (ignore.some((p) => r === p || r.startsWith(`${p}/`))) continue;
      const abs = join(root, r);
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.push(`l ${r} -> ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.push(`d ${mode} ${r}`);
        const isDeployment = /^ostree\/deploy\/[^/]+\/deploy\/[0-9a-f]{64}\.[0-9]+$/.test(r);
        if (!(isDeployment && options.shallowDeployments)) walk(r);
      } else if (st.isFile()) {
        out.push(`f ${mode} ${r} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
      } else out.push(`? ${mode} ${r}`);
    }
  };
  walk('');
  return out.sort();
}

/** Lines in one snapshot and not the other, for readable assertion failures. */
export function layoutDiff(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return { onlyA: a.filter((l) => !sb.has(l)), onlyB: b.filter((l) => !sa.has(l)) };
}
