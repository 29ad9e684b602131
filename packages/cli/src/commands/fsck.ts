/**
 * `ostree fsck`: verify every object reachable from every complete commit.
 * @module
 */
import { fsckRepo, type FsckIssue } from '@ostree-ts/repo';
import { repoOf, type CommandSpec } from '../command.js';
import { CliError } from '../errors.js';
import { ProgressLines } from '../progress.js';

function issueText(issue: FsckIssue): string {
  switch (issue.kind) {
    case 'missing':
      return issue.commits.length > 0
        ? `Object missing in commits ${issue.commits.join(', ')}: ${issue.checksum}.${issue.type}\n`
        : `Object missing: ${issue.checksum}.${issue.type}\n`;
    case 'corrupted':
      return `${issue.message}\n`;
    case 'marked-partial':
      return `Marking commit as partial: ${issue.commit}\n`;
  }
}

export const fsckCommand: CommandSpec = {
  name: 'fsck',
  description: 'Check the repository for consistency',
  parameters: '',
  repo: 'open',
  options: [
    { long: 'add-tombstones', arg: 'none', description: 'Add tombstones for missing commits' },
    { long: 'quiet', short: 'q', arg: 'none', description: 'Only print error messages' },
    { long: 'all', short: 'a', arg: 'none', description: "Don't stop on first error" },
    { long: 'delete', arg: 'none', description: 'Remove corrupted objects' },
    { long: 'verify-bindings', arg: 'none', description: 'Verify ref bindings' },
    { long: 'verify-back-refs', arg: 'none', description: 'Verify back-references (implies --verify-bindings)' },
  ],
  async run(inv) {
    const o = inv.options;
    for (const name of ['add-tombstones', 'verify-bindings', 'verify-back-refs']) {
      if (o.flag(name)) throw new CliError(`--${name} is not supported by ostree-ts`);
    }
    const quiet = o.flag('quiet');
    // The callbacks are synchronous; lines are queued in order and written as they come.
    const lines: Promise<void>[] = [];
    const out = (text: string): void => void lines.push(inv.ctx.print(text));
    const err = (text: string): void => void lines.push(inv.ctx.printErr(text));
    const progress = new ProgressLines(out);
    const phaseText = { refs: 'Validating refs...\n', 'collection-refs': 'Validating refs in collections...\n', commits: 'Enumerating commits...\n' };
    const result = await fsckRepo(repoOf(inv), {
      delete: o.flag('delete'),
      all: o.flag('all'),
      onPhase: (phase, n) => {
        if (quiet) return;
        out(phase === 'objects' ? `Verifying content integrity of ${n ?? 0} commit objects...\n` : phaseText[phase]);
      },
      onProgress: (done, total) => progress.update('fsck objects', done, total),
      onIssue: (issue) => err(issueText(issue)),
    });
    await Promise.all(lines);
    if (result.partialCommits > 0) await inv.ctx.print(`${result.partialCommits} partial commits not verified\n`);
    if (result.corruptionFound) throw new CliError('Repository corruption encountered');
    if (result.fsckPartialCommits > 0) throw new CliError(`${result.partialCommits} partial commits from fsck-detected corruption`);
    await inv.ctx.print(`object fsck of ${result.commitsVerified} commits completed successfully - no errors found.\n`);
  },
};
