#!/usr/bin/env node
// ostree-ts side of the commit benchmark: init REPO in MODE and commit DIR to ref "bench",
// with the same metadata `ostree commit -b bench --no-bindings --timestamp=@1` records.
import { nodeFs } from '@ostree-ts/io-node';
import { commitDirectory, initRepo } from '@ostree-ts/repo';

const [repoPath, dir, mode] = process.argv.slice(2);
const fs = nodeFs();
const repo = await initRepo(fs, repoPath, { mode });
const { checksum } = await commitDirectory(repo, fs, dir, { ref: 'bench', subject: 'bench', timestamp: 1n });
process.stdout.write(`${checksum}\n`);
