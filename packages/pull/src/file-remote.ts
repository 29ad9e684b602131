/**
 * `file://` remotes: ostree imports from a repository on this machine instead of fetching,
 * in any source mode. This is {@link pullLocal} with the pull's ref naming (remote refs, or
 * local refs when mirroring).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { openRepo, type Repo } from '@ostree-ts/repo';
import { pullLocal } from './local.js';
import { ProgressTracker } from './progress.js';
import type { PullOptions, PullResult } from './pull.js';
import type { RemoteSpec } from './remote-config.js';

export async function pullFromFileUrl(repo: Repo, path: string, remote: RemoteSpec, options: PullOptions): Promise<PullResult> {
  if (options.subpaths !== undefined && options.subpaths.length > 0) {
    throw new OstreeError('UNSUPPORTED', 'subpath pulls from file:// remotes are not supported yet');
  }
  options.signal?.throwIfAborted();
  const source = await openRepo(repo.fs, path, { hash: repo.hash });
  const progress = new ProgressTracker(() => 0, options.onProgress);
  const refs = options.refs.length > 0 ? options.refs : undefined;
  const result = await pullLocal(repo, source, {
    ...(refs !== undefined ? { refs } : {}),
    // Mirrors write local refs; otherwise refs go under the remote (none for a bare URL).
    ...(!options.mirror && remote.name !== undefined ? { remote: remote.name } : {}),
    ...(options.depth !== undefined ? { depth: options.depth } : {}),
    ...(options.commitMetadataOnly ? { commitMetadataOnly: true } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(!options.mirror && remote.name === undefined ? { writeRefs: false } : {}),
  });
  progress.fetchedMetadata = result.metadataCopied;
  progress.fetchedContent = result.objectsCopied - result.metadataCopied;
  progress.requested = result.objectsCopied;
  progress.contentBytesWritten = result.contentBytesCopied;
  return { commits: result.commits, progress: progress.snapshot(), local: true };
}
