/**
 * OSTree repositories: create and open them in every mode, read and write objects, move refs,
 * and commit directory trees, byte-compatible with real ostree.
 * @module
 */
export { Repo, openRepo, initRepo, type RepoOptions, type InitOptions } from './repo.js';
export { parseRepoMode, repoModeConfigName, readCoreSettings, initialConfig, remoteGroup, type CoreSettings } from './config.js';
export type { ContentObject } from './objects/content-read.js';
export type { StoreContext, AsyncDeflater, AsyncDeflaterFactory } from './objects/store-context.js';
export { readDiskXattrs } from './objects/content-read.js';
export type { ContentInput, ContentWriteOptions } from './objects/content-write.js';
export type { WriteResult } from './objects/metadata-objects.js';
export { parseRev, refPath } from './refs.js';
export { writeTree, type WriteTreeOptions, type WriteTreeResult, type WriteStats, type DevinoLookup } from './commit/write-tree.js';
export type { CommitModifiers } from './commit/source-metadata.js';
export {
  writeCommit,
  commitDirectory,
  commitFromFields,
  type CommitFields,
  type CommitDirectoryOptions,
  type CommitDirectoryResult,
} from './commit/write-commit.js';
export { findKernelVersion, addBootableMetadata } from './commit/bootable.js';
export { joinPath } from './path.js';
export { objectKey, parseObjectKey, traverseCommit, type ObjectKey, type TraverseOptions } from './traverse.js';
export { listDeltas } from './deltas.js';
export { generateSummary, updateSummary, reindexDeltas, type SummaryOptions, type ReindexOptions } from './summary.js';
export { fsckRepo, verifyObject, type FsckOptions, type FsckResult, type FsckIssue } from './fsck.js';
export { pruneRepo, pruneOrphanDeltas, type PruneOptions, type PruneResult } from './prune.js';
export { withRepoLock } from './lock.js';
export { Limiter } from './commit/limiter.js';
