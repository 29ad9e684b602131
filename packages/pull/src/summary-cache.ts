/**
 * ostree's per-remote summary cache: `tmp/cache/summaries/REMOTE` and `REMOTE.sig`, each with
 * the server's ETag in the `user.etag` xattr and its Last-Modified as the file's mtime, so the
 * next pull can ask "changed since?" and skip downloading an unchanged summary. Only written
 * when the remote has a `summary.sig` (the signature is what tells whether the summary changed).
 * Everything here is best effort, as in ostree: a cache that cannot be read or written is
 * treated as absent.
 * @module
 */
import { hasErrorCode } from '@ostree-ts/io';
import { joinPath, type Repo } from '@ostree-ts/repo';
import type { CacheValidators } from './fetcher.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ETAG_XATTR = 'user.etag';

/** The cache of one remote's summary and signature in one repository. */
export class SummaryCache {
  private readonly dir: string;

  constructor(
    private readonly repo: Repo,
    private readonly remote: string,
  ) {
    this.dir = joinPath(repo.path, 'tmp', 'cache', 'summaries');
  }

  private path(sig: boolean): string {
    return joinPath(this.dir, sig ? `${this.remote}.sig` : this.remote);
  }

  /** The cached bytes, or undefined. */
  async load(sig: boolean): Promise<Uint8Array | undefined> {
    try {
      return await this.repo.fs.readFile(this.path(sig));
    } catch (e) {
      if (hasErrorCode(e, 'ENOENT')) return undefined;
      throw e;
    }
  }

  /** ETag and Last-Modified (the file's mtime) of a cached file, for a conditional request. */
  async validators(sig: boolean): Promise<CacheValidators | undefined> {
    const p = this.path(sig);
    const st = await this.repo.fs.lstatIfExists(p);
    if (st === undefined) return undefined;
    let etag: string | undefined;
    try {
      const raw = await this.repo.fs.getXattr(p, ETAG_XATTR);
      // An ETag is a quoted string; anything else is ignored, as ostree does.
      if (raw !== undefined && raw.length >= 2 && raw[0] === 0x22 && raw[raw.length - 1] === 0x22) etag = decoder.decode(raw);
    } catch {
      etag = undefined;
    }
    return { ...(etag !== undefined ? { etag } : {}), lastModified: Math.floor(st.mtimeMs / 1000) };
  }

  /** Drops the cached signature (a signature without its summary is useless). */
  async dropSignature(): Promise<void> {
    try {
      await this.repo.fs.unlink(this.path(true));
    } catch (e) {
      if (!hasErrorCode(e, 'ENOENT')) throw e;
    }
  }

  /** Replaces the cached summary and signature. */
  async save(summary: Uint8Array, summaryValidators: CacheValidators, sig: Uint8Array, sigValidators: CacheValidators): Promise<void> {
    await this.repo.fs.mkdir(this.dir, { recursive: true, mode: 0o775 });
    await this.write(false, summary, summaryValidators);
    await this.write(true, sig, sigValidators);
  }

  private async write(sig: boolean, bytes: Uint8Array, validators: CacheValidators): Promise<void> {
    const p = this.path(sig);
    const tmp = `${p}.tmp-${Math.random().toString(36).slice(2)}`;
    await this.repo.fs.writeFile(tmp, bytes, { mode: 0o644 });
    await this.repo.fs.rename(tmp, p);
    // The caching properties are advisory: failures are ignored (as ostree does).
    try {
      if (validators.etag !== undefined) await this.repo.fs.setXattr(p, ETAG_XATTR, encoder.encode(validators.etag));
    } catch {
      /* filesystem without user xattrs */
    }
    if (validators.lastModified !== undefined && validators.lastModified > 0) {
      const ms = validators.lastModified * 1000;
      await this.repo.fs.lutimes(p, ms, ms).catch(() => undefined);
    }
  }
}
