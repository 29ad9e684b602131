/**
 * Which repository a command works on, and opening it with ostree's messages: `--repo=PATH`;
 * else the working directory if it looks like a repository (has `objects/` and `config`);
 * else `$OSTREE_REPO`; else `/ostree/repo` (ostree_repo_new_default).
 * @module
 */
import { join } from 'node:path';
import { openRepo, type Repo, type RepoOptions } from '@ostree-ts/repo';
import type { Context } from './context.js';
import { errnoOf, strerror } from './errno.js';
import { CliError, UsageError } from './errors.js';

/** Where the repository is, and whether the user named it. */
export interface RepoLocation {
  readonly path: string;
  /** False when it came from the defaults (then a missing repo asks for --repo). */
  readonly explicit: boolean;
}

/** Resolves the repository path as ostree does. */
export async function locateRepo(ctx: Context, repoOption: string | undefined): Promise<RepoLocation> {
  if (repoOption !== undefined) return { path: ctx.absolute(repoOption), explicit: true };
  const objects = await ctx.fs.lstatIfExists(join(ctx.cwd, 'objects')).catch(() => undefined);
  const config = await ctx.fs.lstatIfExists(join(ctx.cwd, 'config')).catch(() => undefined);
  if (objects?.type === 'directory' && config?.type === 'file') return { path: ctx.cwd, explicit: false };
  const env = ctx.env['OSTREE_REPO'];
  if (env !== undefined && env !== '') return { path: ctx.absolute(env), explicit: false };
  return { path: '/ostree/repo', explicit: false };
}

async function expectDir(ctx: Context, path: string, shown: string): Promise<void> {
  try {
    const st = await ctx.fs.stat(path);
    if (st.type !== 'directory') throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    throw new CliError(`opening repo: opendir(${shown}): ${strerror(e)}`, { cause: e });
  }
}

/**
 * Opens the repository at `loc`.
 * @throws {UsageError} "Command requires a --repo argument" when a default location has no repo
 * @throws {CliError} ostree's "opening repo: …" messages otherwise
 */
export async function openRepoAt(ctx: Context, loc: RepoLocation, options: RepoOptions = {}): Promise<Repo> {
  try {
    await expectDir(ctx, loc.path, loc.path);
    await expectDir(ctx, join(loc.path, 'objects'), 'objects');
    try {
      const st = await ctx.fs.stat(join(loc.path, 'config'));
      if (st.type === 'directory') throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (e) {
      throw new CliError(`opening repo: openat(config): ${strerror(e)}`, { cause: e });
    }
  } catch (e) {
    if (!loc.explicit && errnoOf((e as Error).cause) === 'ENOENT') {
      throw new UsageError('Command requires a --repo argument', { trailingNewline: false });
    }
    throw e;
  }
  return openRepo(ctx.fs, loc.path, options);
}
