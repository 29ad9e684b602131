// A tree description read through the Fs interface (works on memoryFs and nodeFs alike).
import { createHash } from 'node:crypto';
import type { Fs } from '@ostree-ts/io';

export async function fsSnapshot(fs: Fs, root: string): Promise<string[]> {
  const lines: string[] = [];
  const describe = async (path: string, rel: string) => {
    const st = await fs.lstat(path);
    let d = `${rel} ${st.type} mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid}`;
    if (st.type === 'symlink') d += ` -> ${await fs.readlink(path)}`;
    if (st.type === 'file') d += ` sha=${createHash('sha256').update(await fs.readFile(path)).digest('hex').slice(0, 16)}`;
    if (fs.capabilities.xattrs && st.type !== 'symlink') {
      const x = (await fs.getXattrs(path)).map(([n, v]) => `${n}=${Buffer.from(v).toString('hex')}`).sort();
      if (x.length) d += ` xattrs[${x.join(' ')}]`;
    }
    lines.push(d);
    if (st.type === 'directory') for (const name of await fs.readdir(path)) await describe(`${path}/${name}`, `${rel}/${name}`);
  };
  await describe(root, '.');
  return lines.sort();
}
