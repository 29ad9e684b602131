/**
 * Optional kernel-side copies. The `Fs` interface has no clone or copy call, so a filesystem
 * implementation that can do better than reading and writing the bytes advertises it by also
 * implementing one of these methods; copies from bare-family repositories (whose objects are
 * plain files) then use it, as ostree's glnx_regfile_copy_bytes does (FICLONE first, then
 * copy_file_range/sendfile). Archive objects must be inflated and never use them.
 * @module
 */
import type { Fs } from '@ostree-ts/io';

/** An {@link Fs} that can clone files (btrfs, XFS with reflink=1, bcachefs, …). */
export interface ReflinkFs extends Fs {
  /**
   * Creates `dest` (which must not exist: EEXIST otherwise, like O_EXCL) as a copy-on-write
   * clone of the regular file `src`. Must not fall back to copying bytes: when the filesystem
   * cannot share extents it throws an error whose `code` is one of
   * {@link REFLINK_UNSUPPORTED_CODES} and leaves no `dest` behind; the checkout then copies
   * (with {@link KernelCopyFs.copyFile} if available) and stops trying to clone.
   */
  cloneFile(src: string, dest: string): Promise<void>;
}

/** An {@link Fs} whose kernel can copy a file without the bytes passing through JavaScript. */
export interface KernelCopyFs extends Fs {
  /**
   * Creates `dest` (exclusively: EEXIST if it exists) with the bytes of the regular file `src`,
   * copied by the kernel (reflink when possible, else copy_file_range or sendfile; Node's
   * `fs.copyFile(src, dest, COPYFILE_EXCL | COPYFILE_FICLONE)` does exactly this). On an
   * error whose `code` is one of {@link REFLINK_UNSUPPORTED_CODES} the checkout copies through
   * memory instead and stops using it.
   */
  copyFile(src: string, dest: string): Promise<void>;
}

/** True if `fs` implements {@link ReflinkFs.cloneFile}. */
export function canReflink(fs: Fs): fs is ReflinkFs {
  return typeof (fs as Partial<ReflinkFs>).cloneFile === 'function';
}

/** True if `fs` implements {@link KernelCopyFs.copyFile}. */
export function canKernelCopy(fs: Fs): fs is KernelCopyFs {
  return typeof (fs as Partial<KernelCopyFs>).copyFile === 'function';
}

/** Error codes meaning "this filesystem (pair) cannot do it": copy through memory instead. */
export const REFLINK_UNSUPPORTED_CODES: ReadonlySet<string> = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ETXTBSY']);
