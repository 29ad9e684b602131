/**
 * OSTree sysroots: deployments, `/etc` merge, bootlinks and the atomic boot switch — the
 * engine of `ostree admin`, byte-compatible with ostree 2022.7's sysroot layout.
 * @module
 */
export { Sysroot, originFromRefspec, type SysrootOptions, type DeployOptions, type DeploymentStatus } from './sysroot.js';
export { initFs, initOsname, ensureSysrootInitialized, bumpDeployMtime, type InitFsOptions } from './init.js';
export { loadSysrootState, readBootversion, readSubbootversion, readLoaderEntries, readOrigin, type SysrootState } from './load.js';
export { isPinned, originRefspec, sameDeployment, type Deployment, type UnlockedState } from './deployment.js';
export { deployTree, allocateDeployserial, writeOriginFile, type DeployTreeOptions, type EtcMergeStep } from './deploy-tree.js';
export { writeDeployments, assignBootserials, type WriteResult, type WriteDeploymentsOptions } from './write-deployments.js';
export { cleanupSysroot, generateDeploymentRefs, listDeploymentDirs, type CleanupResult } from './cleanup.js';
export { findKernelLayout, type KernelLayout } from './kernel-layout.js';
export { KernelArgs } from './kargs.js';
export { parseOsRelease, shellUnquote } from './os-release.js';
export { withSysrootLock, type SysrootLockOptions } from './lock.js';
export { deploymentName, deploymentRelPath, originRelPath, parseDeploymentName, parseOstreeKarg, type DeploymentId } from './paths.js';
export { defaultEtcMerge } from './etc-merge-step.js';
export { mergeEtc, diffEtc, etcMergeSummary, type EtcMergeOptions, type EtcMergeResult } from './etc-merge.js';
