/**
 * `ostree init [--mode=MODE] [--collection-id=ID]`: create a repository (a no-op where one
 * already exists, whatever its mode, as with ostree).
 * @module
 */
import { join } from 'node:path';
import { initRepo, parseRepoMode } from '@ostree-ts/repo';
import type { CommandSpec } from '../command.js';
import { strerror } from '../errno.js';
import { CliError } from '../errors.js';
import { validateCollectionId } from '../refspec.js';

export const initCommand: CommandSpec = {
  name: 'init',
  description: 'Initialize a new empty repository',
  parameters: '',
  repo: 'locate',
  options: [
    { long: 'mode', arg: 'string', description: 'Initialize repository in given mode (bare, bare-user, bare-user-only, archive)' },
    {
      long: 'collection-id',
      arg: 'string',
      argName: 'COLLECTION-ID',
      description: 'Globally unique ID for this repository as an collection of refs for redistribution to other repositories',
    },
  ],
  async run(inv) {
    const { fs } = inv.ctx;
    const path = inv.location!.path;
    const mode = parseRepoMode(inv.options.string('mode') ?? 'bare');
    const collectionId = inv.options.string('collection-id');
    if (collectionId !== undefined) validateCollectionId(collectionId);
    // ostree_repo_create: an existing objects/ means there is nothing to do.
    if ((await fs.lstatIfExists(join(path, 'objects'))) !== undefined) return;
    // Only the last component is created (mkdirat), as ostree does.
    try {
      await fs.mkdir(path, { mode: 0o775 });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw new CliError(`Creating repo: mkdirat: ${strerror(e)}`, { cause: e });
    }
    const repo = await initRepo(fs, path, collectionId === undefined ? { mode } : { mode, collectionId });
    // ostree_repo_open() creates the cache directory of a writable repository.
    await fs.mkdir(join(repo.tmpDir, 'cache'), { recursive: true, mode: 0o775 });
  },
};
