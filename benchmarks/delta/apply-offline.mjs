#!/usr/bin/env node
// The ostree-ts side of the apply benchmark: `applyOfflineDelta` from the built packages, with
// the same filesystem adapter the CLI uses. Usage: node apply-offline.mjs REPO DELTA_DIR
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, withRepoLock } from '@ostree-ts/repo';
import { applyOfflineDelta } from '@ostree-ts/delta';

const [repoPath, deltaDir] = process.argv.slice(2);
const fs = nodeFs({ syncCalls: true });
const repo = await openRepo(fs, repoPath);
const result = await withRepoLock(repo, 'shared', () => applyOfflineDelta(repo, deltaDir, fs));
process.stdout.write(JSON.stringify(result.stats) + '\n');
