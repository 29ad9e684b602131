/**
 * How a file on disk becomes an object header: owner, mode and xattrs as ostree commits them,
 * after the commit's modifiers (canonical permissions, owner overrides, skipped xattrs).
 * @module
 */
import { S_IFMT, canonicalXattrs, xattr, type Xattr } from '@ostree-ts/core';
import type { Fs, Stat } from '@ostree-ts/io';

/** Modifiers that change what is recorded for each file (ostree's commit modifier flags). */
export interface CommitModifiers {
  /** Record uid/gid 0 and `mode & (S_IFMT|0755)` (always on for bare-user-only repos). */
  readonly canonicalPermissions?: boolean;
  /** Record no extended attributes (always on for bare-user-only repos). */
  readonly skipXattrs?: boolean;
  /** Record this uid for every file and directory. */
  readonly ownerUid?: number;
  /** Record this gid for every file and directory. */
  readonly ownerGid?: number;
}

/** Owner and mode as they will be recorded. */
export interface RecordedStat {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/** Applies the modifiers to a stat. */
export function recordedStat(st: Stat, m: CommitModifiers): RecordedStat {
  // Canonical permissions squash setuid/setgid/sticky and o+w on files and directories;
  // symlink modes are left alone, as ostree does.
  if (m.canonicalPermissions) return { uid: 0, gid: 0, mode: st.type === 'symlink' ? st.mode : st.mode & (S_IFMT | 0o755) };
  return { uid: m.ownerUid ?? st.uid, gid: m.ownerGid ?? st.gid, mode: st.mode };
}

/** The xattrs to record for `path`: sorted, empty values dropped (as libglnx reads them). */
export async function recordedXattrs(fs: Fs, path: string, m: CommitModifiers): Promise<Xattr[]> {
  if (m.skipXattrs || m.canonicalPermissions || !fs.capabilities.xattrs) return [];
  const raw = await fs.getXattrs(path);
  return canonicalXattrs(raw.filter(([, v]) => v.length > 0).map(([n, v]) => xattr(n, v)));
}
