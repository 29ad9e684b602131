/**
 * `ostree commit`: commit a directory, with ostree's metadata construction (and so ostree's
 * checksums), ref bindings, bootable metadata, detached metadata, parents and timestamps.
 * @module
 */
import { basename } from 'node:path';
import { decodeCommit, encodeCommit, isOstreeError, metadataChecksum, type Metadata } from '@ostree-ts/core';
import { scanHardlinks } from '@ostree-ts/checkout';
import { commitFromFields, withRepoLock, writeCommit, writeTree } from '@ostree-ts/repo';
import { repoOf, type CommandSpec, type Invocation } from '../command.js';
import { findKernelInTree, keptEntries, keyValueEntries, withBindings, withBootable } from '../commit-metadata.js';
import { strerror } from '../errno.js';
import { CliError } from '../errors.js';
import { parseBoolean } from '../parse-boolean.js';
import type { OptionSpec } from '../goption.js';
import { setRef } from '../ref-write.js';
import { signCommitInRepo, signTypeOption, signerFor } from '../signing.js';
import { parseRefspec, validateChecksumArgument } from '../refspec.js';
import { RepoFile } from '../repo-tree.js';
import { loadCommitOrThrow } from '../object-load.js';
import { RefIsDirectoryError, resolveRev } from '../resolve-rev.js';
import { defaultCommitTime } from '../source-date-epoch.js';
import { parseTimestamp } from '../timestamp-parse.js';

const options: OptionSpec[] = [
  { long: 'parent', arg: 'string', argName: 'COMMIT', description: 'Parent commit checksum, or "none"' },
  { long: 'subject', short: 's', arg: 'string', argName: 'SUBJECT', description: 'One line subject' },
  { long: 'body', short: 'm', arg: 'string', argName: 'BODY', description: 'Full description' },
  { long: 'body-file', short: 'F', arg: 'string', argName: 'FILE', description: 'Commit message from FILE path' },
  { long: 'editor', short: 'e', arg: 'none', description: 'Use an editor to write the commit message' },
  { long: 'branch', short: 'b', arg: 'string', argName: 'BRANCH', description: 'Branch' },
  { long: 'orphan', arg: 'none', description: 'Create a commit without writing a ref' },
  { long: 'no-bindings', arg: 'none', description: 'Do not write any ref bindings' },
  { long: 'bind-ref', arg: 'strings', argName: 'BRANCH', description: 'Add a ref to ref binding commit metadata' },
  { long: 'base', arg: 'string', argName: 'REV', description: 'Start from the given commit as a base (no modifiers apply)' },
  { long: 'tree', arg: 'strings', argName: 'dir=PATH or tar=TARFILE or ref=COMMIT', description: 'Overlay the given argument as a tree' },
  { long: 'add-metadata-string', arg: 'strings', argName: 'KEY=VALUE', description: 'Add a key/value pair to metadata' },
  {
    long: 'add-metadata',
    arg: 'strings',
    argName: 'KEY=VALUE',
    description: 'Add a key/value pair to metadata, where the KEY is a string, and VALUE is in GVariant Text Format',
  },
  { long: 'keep-metadata', arg: 'strings', argName: 'KEY', description: 'Keep metadata KEY and its associated VALUE from parent' },
  { long: 'add-detached-metadata-string', arg: 'strings', argName: 'KEY=VALUE', description: 'Add a key/value pair to detached metadata' },
  { long: 'owner-uid', arg: 'int', argName: 'UID', description: 'Set file ownership user id' },
  { long: 'owner-gid', arg: 'int', argName: 'GID', description: 'Set file ownership group id' },
  {
    long: 'canonical-permissions',
    arg: 'none',
    description: 'Canonicalize permissions in the same way bare-user does for hardlinked files',
  },
  { long: 'bootable', arg: 'none', description: 'Flag this commit as a bootable OSTree (e.g. contains a Linux kernel)' },
  { long: 'mode-ro-executables', arg: 'none', description: 'Ensure executable files are not writable' },
  { long: 'no-xattrs', arg: 'none', description: 'Do not import extended attributes' },
  { long: 'selinux-policy', arg: 'string', argName: 'PATH', description: 'Set SELinux labels based on policy in root filesystem PATH (may be /)' },
  { long: 'selinux-policy-from-base', short: 'P', arg: 'none', description: 'Set SELinux labels based on first --tree argument' },
  { long: 'link-checkout-speedup', arg: 'none', description: 'Optimize for commits of trees composed of hardlinks into the repository' },
  { long: 'devino-canonical', short: 'I', arg: 'none', description: 'Assume hardlinked objects are unmodified.  Implies --link-checkout-speedup' },
  { long: 'tar-autocreate-parents', arg: 'none', description: 'When loading tar archives, automatically create parent directories as needed' },
  {
    long: 'tar-pathname-filter',
    arg: 'string',
    argName: 'REGEX,REPLACEMENT',
    description: 'When loading tar archives, use REGEX,REPLACEMENT against path names',
  },
  { long: 'skip-if-unchanged', arg: 'none', description: 'If the contents are unchanged from previous commit, do nothing' },
  { long: 'statoverride', arg: 'string', argName: 'PATH', description: 'File containing list of modifications to make to permissions' },
  { long: 'skip-list', arg: 'string', argName: 'PATH', description: 'File containing list of files to skip' },
  { long: 'consume', arg: 'none', description: 'Consume (delete) content after commit (for local directories)' },
  { long: 'table-output', arg: 'none', description: 'Output more information in a KEY: VALUE format' },
  { long: 'gpg-sign', arg: 'strings', argName: 'KEY-ID', description: 'GPG Key ID to sign the commit with' },
  { long: 'gpg-homedir', arg: 'string', argName: 'HOMEDIR', description: 'GPG Homedir to use when looking for keyrings' },
  { long: 'sign', arg: 'strings', argName: 'KEY_ID', description: 'Sign the commit with' },
  { long: 'sign-type', arg: 'string', argName: 'NAME', description: "Signature type to use (defaults to 'ed25519')" },
  { long: 'generate-sizes', arg: 'none', description: 'Generate size information along with commit metadata' },
  { long: 'disable-fsync', arg: 'none', description: 'Do not invoke fsync()', hidden: true },
  { long: 'fsync', arg: 'string', argName: 'POLICY', description: 'Specify how to invoke fsync()' },
  { long: 'timestamp', arg: 'string', argName: 'TIMESTAMP', description: 'Override the timestamp of the commit' },
];

/** Options ostree has that ostree-ts parses but cannot honour: using one is an error. */
const UNSUPPORTED = [
  'editor',
  'base',
  'mode-ro-executables',
  'selinux-policy',
  'selinux-policy-from-base',
  'tar-autocreate-parents',
  'tar-pathname-filter',
  'statoverride',
  'skip-list',
  'consume',
  'gpg-sign',
  'generate-sizes',
];


async function sourceDirectory(inv: Invocation): Promise<string> {
  const trees = inv.options.strings('tree');
  const specs = trees.length > 0 ? trees : [`dir=${inv.args[0] ?? '.'}`];
  const dirs: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) throw new CliError(`Missing type in tree specification '${spec}'`);
    const type = spec.slice(0, eq);
    if (type === 'tar' || type === 'ref') throw new CliError(`--tree=${type}= is not supported by ostree-ts`);
    if (type !== 'dir') throw new CliError(`Invalid tree type specification '${type}'`);
    dirs.push(spec.slice(eq + 1));
  }
  if (dirs.length > 1) throw new CliError('Overlaying several --tree arguments is not supported by ostree-ts');
  const dir = dirs[0]!;
  try {
    // ostree opens the tree with O_NOFOLLOW: a symlink to a directory is "Not a directory".
    const st = await inv.ctx.fs.lstat(inv.ctx.absolute(dir));
    if (st.type !== 'directory') throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    throw new CliError(`opendir(${dir}): ${strerror(e)}`, { cause: e });
  }
  return inv.ctx.absolute(dir);
}

/** ostree's wording for a source entry that is neither a file, a symlink nor a directory. */
function unsupportedFileMessage(e: unknown): CliError | undefined {
  if (!isOstreeError(e, 'UNSUPPORTED')) return undefined;
  const m = /^Unsupported file type for (.*): only regular files/s.exec(e.message);
  return m === null ? undefined : new CliError(`Not a regular file or symlink: ${basename(m[1]!)}`, { cause: e });
}

async function commitBody(inv: Invocation): Promise<string | undefined> {
  const file = inv.options.string('body-file');
  if (file === undefined) return inv.options.string('body');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await inv.ctx.fs.readFile(inv.ctx.absolute(file)));
  } catch (e) {
    throw new CliError(`${file}: ${strerror(e)}`, { cause: e });
  }
}

export const commitCommand: CommandSpec = {
  name: 'commit',
  description: 'Commit a new revision',
  parameters: '[PATH]',
  repo: 'open',
  options,
  // Shared repository lock, as ostree's commit transaction: prune waits for it.
  run: (inv) => withRepoLock(repoOf(inv), 'shared', () => runCommit(inv)),
};

async function runCommit(inv: Invocation): Promise<void> {
  {
    const repo = repoOf(inv);
    const o = inv.options;
    for (const name of UNSUPPORTED) {
      if (o.has(name)) throw new CliError(`--${name} is not supported by ostree-ts`);
    }
    const branch = o.string('branch');
    const orphan = o.flag('orphan');
    if (branch === undefined && !orphan) throw new CliError('A branch must be specified with --branch, or use --orphan');

    let parent: string | undefined;
    const parentOption = o.string('parent');
    if (parentOption !== undefined) {
      if (parentOption !== 'none') {
        validateChecksumArgument(parentOption);
        parent = parentOption;
      }
    } else if (!orphan) {
      try {
        parent = await resolveRev(repo, branch!, { allowNoent: true });
      } catch (e) {
        if (!(e instanceof RefIsDirectoryError)) throw e;
      }
    }
    const keep = o.strings('keep-metadata');
    if (parent === undefined && keep.length > 0) {
      throw new CliError('Either --branch or --parent must be specified when using --keep-metadata');
    }

    let metadata: Metadata | undefined;
    const strings = o.strings('add-metadata-string');
    const variants = o.strings('add-metadata');
    if (strings.length > 0 || variants.length > 0 || keep.length > 0 || o.flag('bootable')) {
      const kept = keep.length > 0 ? keptEntries((await loadCommitOrThrow(repo, parent!)).metadata, parent!, keep) : [];
      metadata = [...keyValueEntries(strings, false), ...keyValueEntries(variants, true), ...kept];
    }
    // --sign: keys checked before anything is written.
    const signType = o.has('sign') ? signTypeOption(o.string('sign-type')) : undefined;
    const signers = signType === undefined ? [] : o.strings('sign').map((key) => signerFor(signType, key, inv.ctx.env));
    const detachedArgs = o.strings('add-detached-metadata-string');
    const detached = detachedArgs.length > 0 ? keyValueEntries(detachedArgs, false) : undefined;

    const canonical = o.flag('canonical-permissions');
    const ownerUid = o.int('owner-uid') ?? -1;
    const ownerGid = o.int('owner-gid') ?? -1;
    if (canonical && ownerUid > 0) throw new CliError('Cannot specify both --canonical-permissions and non-zero --owner-uid');
    if (canonical && ownerGid > 0) throw new CliError('Cannot specify both --canonical-permissions and non-zero --owner-gid');
    let fsync = !o.flag('disable-fsync');
    const fsyncPolicy = o.string('fsync');
    if (fsyncPolicy !== undefined) fsync = parseBoolean(fsyncPolicy);

    const body = await commitBody(inv);
    const dir = await sourceDirectory(inv);
    // --link-checkout-speedup: files hardlinked to repo objects (a hardlink checkout) are
    // recorded by (device, inode) without being read; -I trusts every such hit.
    const devinoCanonical = o.flag('devino-canonical');
    const devino = devinoCanonical || o.flag('link-checkout-speedup') ? await scanHardlinks(repo) : undefined;
    const { rootTree, rootMeta, stats } = await writeTree(repo, inv.ctx.fs, dir, {
      canonicalPermissions: canonical,
      skipXattrs: o.flag('no-xattrs'),
      ...(ownerUid >= 0 ? { ownerUid } : {}),
      ...(ownerGid >= 0 ? { ownerGid } : {}),
      ...(devino !== undefined ? { devino, devinoCanonical } : {}),
    }).catch((e: unknown) => {
      throw unsupportedFileMessage(e) ?? e;
    });

    let checksum: string;
    if (o.flag('skip-if-unchanged') && parent !== undefined && (await sameRoot(inv, parent, rootTree, rootMeta))) {
      checksum = parent;
    } else {
      if (!o.flag('no-bindings')) metadata = withBindings(metadata, branch, o.strings('bind-ref'), repo.settings.collectionId);
      if (o.flag('bootable')) {
        const root = await RepoFile.forTree(repo, rootTree, rootMeta);
        metadata = withBootable(metadata, await findKernelInTree(root));
      }
      const timestampText = o.string('timestamp');
      let timestamp: bigint;
      if (timestampText !== undefined) {
        const parsed = parseTimestamp(timestampText, inv.ctx.env['TZ']);
        if (parsed === undefined) throw new CliError(`Could not parse '${timestampText}'`);
        timestamp = parsed;
      } else timestamp = defaultCommitTime(inv.ctx.env);
      const fields = {
        parent,
        subject: o.string('subject') ?? '',
        body: body ?? '',
        metadata: metadata ?? [],
        timestamp: BigInt.asUintN(64, timestamp),
        rootTree,
        rootMeta,
      };
      // ostree counts the commit object among the metadata objects of --table-output.
      const expected = metadataChecksum(encodeCommit(commitFromFields(fields)), repo.hash);
      stats.metadataTotal++;
      if (!(await repo.hasObject(expected, 'commit'))) stats.metadataWritten++;
      checksum = await writeCommit(repo, fields);
      if (detached !== undefined) await repo.writeCommitMeta(checksum, detached);
      for (const signer of signers) await signCommitInRepo(repo, checksum, signer);
      if (branch !== undefined) {
        if (fsync) await repo.sync();
        const { remote, ref } = parseRefspec(branch);
        await setRef(repo, remote, ref, checksum);
      }
    }

    if (o.flag('table-output')) {
      await inv.ctx.print(
        `Commit: ${checksum}\nMetadata Total: ${stats.metadataTotal}\nMetadata Written: ${stats.metadataWritten}\n` +
          `Content Total: ${stats.contentTotal}\nContent Written: ${stats.contentWritten}\nContent Cache Hits: ${stats.devinoCacheHits}\n` +
          `Content Bytes Written: ${stats.contentBytesWritten}\n`,
      );
    } else {
      await inv.ctx.print(`${checksum}\n`);
    }
  }
}

async function sameRoot(inv: Invocation, parent: string, rootTree: string, rootMeta: string): Promise<boolean> {
  const c = decodeCommit(await repoOf(inv).readMetadata('commit', parent));
  return c.rootTree === rootTree && c.rootMeta === rootMeta;
}
