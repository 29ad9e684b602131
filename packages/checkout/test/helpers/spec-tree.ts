// Small trees described as data: `{ 'a/b': 'content', 'l': { symlink: 'target' }, 'd': {} }`.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type SpecEntry = string | { readonly symlink: string } | { readonly dir: true; readonly mode?: number } | { readonly content: string; readonly mode: number };
export type TreeSpec = Readonly<Record<string, SpecEntry>>;

export function writeSpecTree(root: string, spec: TreeSpec): void {
  mkdirSync(root, { recursive: true });
  for (const [path, entry] of Object.entries(spec)) {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof entry === 'string') writeFileSync(p, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, p);
    else if ('dir' in entry) {
      mkdirSync(p, { recursive: true });
      if (entry.mode !== undefined) chmodSync(p, entry.mode);
    } else {
      writeFileSync(p, entry.content);
      chmodSync(p, entry.mode);
    }
  }
}
