// A comparable description of a directory tree: for every entry its type, mode, owner,
// symlink target or content hash, xattrs (getfattr -h -d -m -), which repository object it is
// a hardlink of (by inode, as `stat -c %i` would show), and whether its mtime is 0.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** ino → object path relative to the repo, for every content object (and uncompressed cache entry) of `repos`. */
export function objectInodes(...repos: string[]): Map<bigint, string> {
  const map = new Map<bigint, string>();
  for (const repo of repos) {
    for (const sub of ['objects', 'uncompressed-objects-cache']) {
      let prefixes: string[];
      try {
        prefixes = readdirSync(join(repo, sub));
      } catch {
        continue;
      }
      for (const p of prefixes) {
        for (const n of readdirSync(join(repo, sub, p))) {
          if (!n.endsWith('.file')) continue;
          map.set(lstatSync(join(repo, sub, p, n), { bigint: true }).ino, `${sub}/${p}/${n}`);
        }
      }
    }
  }
  return map;
}

function getfattr(root: string): Map<string, string> {
  const out = execFileSync('getfattr', ['-R', '-h', '-d', '-m', '-', '-e', 'hex', '.'], { cwd: root, encoding: 'latin1', maxBuffer: 64 << 20 });
  const map = new Map<string, string>();
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    if (lines.length === 0) continue;
    const head = lines.shift()!;
    if (!head.startsWith('# file: ')) throw new Error(`unexpected getfattr output: ${head}`);
    map.set(head.slice('# file: '.length), lines.sort().join(' '));
  }
  return map;
}

export interface SnapshotOptions {
  /** Map of object inodes (see objectInodes): hardlinks are shown as `link=<object>`. */
  readonly objects?: Map<bigint, string>;
  /** Include whether mtimes are 0 (default true). */
  readonly mtimes?: boolean;
  /** Skip xattrs (default false). */
  readonly noXattrs?: boolean;
}

/** One line per entry, sorted by path. */
export function snapshot(root: string, options: SnapshotOptions = {}): string[] {
  const xattrs = options.noXattrs ? new Map<string, string>() : getfattr(root);
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p, { bigint: true });
      const rel = relative(root, p);
      const mode = Number(st.mode).toString(8);
      let desc = `${rel} mode=${mode} uid=${st.uid} gid=${st.gid}`;
      if (st.isSymbolicLink()) desc += ` -> ${readlinkSync(p)}`;
      else if (st.isFile()) desc += ` size=${st.size} sha=${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}`;
      const link = options.objects?.get(st.ino);
      if (link !== undefined) desc += ` link=${link}`;
      if ((options.mtimes ?? true) && (st.isDirectory() || link !== undefined)) desc += ` mtime0=${st.mtimeMs === 0n}`;
      const key = Buffer.from(rel, 'utf8').toString('latin1');
      const x = xattrs.get(key);
      if (x) desc += ` xattrs[${x}]`;
      lines.push(desc);
      if (st.isDirectory()) walk(p);
    }
  };
  const st = lstatSync(root, { bigint: true });
  lines.push(`. mode=${Number(st.mode).toString(8)} uid=${st.uid} gid=${st.gid}${(options.mtimes ?? true) ? ` mtime0=${st.mtimeMs === 0n}` : ''}${xattrs.get('.') ? ` xattrs[${xattrs.get('.')}]` : ''}`);
  walk(root);
  return lines.sort();
}
