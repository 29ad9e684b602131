// Child process for the crash test: commits a directory into a repo and moves a ref,
// printing the checksum when done. Runs the BUILT packages (node cannot run TypeScript).
import { nodeFs } from '@ostree-ts/io-node';
import { commitDirectory, openRepo } from '@ostree-ts/repo';

const [repoPath, dir, ref, subject] = process.argv.slice(2);
const fs = nodeFs();
const repo = await openRepo(fs, repoPath);
const { checksum } = await commitDirectory(repo, fs, dir, { ref, subject, timestamp: 1n });
process.stdout.write(`${checksum}\n`);
