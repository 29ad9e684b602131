/**
 * An OSTree sysroot and the operations of `ostree admin`: deploy, undeploy, pin, set-default,
 * rollback, set-origin, kargs edit-in-place and cleanup, each a deployment-list rewrite
 * through the atomic boot-configuration switch.
 * @module
 */
import { serializeBlsEntry, type Bootloader } from '@ostree-ts/bootloader';
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { KeyFile } from '@ostree-ts/keyfile';
import { openRepo, type Repo, type RepoOptions } from '@ostree-ts/repo';
import { commitString, commitVersion } from './boot-entry.js';
import { cleanupSysroot, type CleanupResult } from './cleanup.js';
import { deployTree, writeOriginFile, type EtcMergeStep } from './deploy-tree.js';
import { defaultEtcMerge } from './etc-merge-step.js';
import { isPinned, originRefspec, sameDeployment, type Deployment } from './deployment.js';
import { replaceFile } from './fs-util.js';
import { bumpDeployMtime } from './init.js';
import { KernelArgs } from './kargs.js';
import { loadSysrootState, type SysrootState } from './load.js';
import { withSysrootLock, type SysrootLockOptions } from './lock.js';
import { join, type DeploymentId } from './paths.js';
import { writeDeployments, type WriteResult } from './write-deployments.js';

const encoder = new TextEncoder();

/** Options of {@link Sysroot.open}. */
export interface SysrootOptions extends RepoOptions {
  /** The bootloader backend for bootswaps; a function is asked once per write (e.g. `selectBootloader`). */
  readonly bootloader?: Bootloader | ((fs: Fs, sysroot: string, repo: Repo) => Promise<Bootloader | undefined>);
  /** The `/etc` three-way merge (spec §7.9); default {@link defaultEtcMerge}. */
  readonly etcMerge?: EtcMergeStep;
  /** Messages ostree prints on stdout (`Copying /etc changes: …`, `Bootloader updated; …`). */
  readonly log?: (message: string) => void;
  /** Messages ostree prints on stderr (`note: Deploying commit … /var/…`). */
  readonly warn?: (message: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Formats the `Freed objects: SIZE` line after a prune (GLib's g_format_size in the CLI). */
  readonly formatSize?: (bytes: number) => string;
  /** Test hook: called before each step of a deployment write. */
  readonly onStep?: (step: string) => Promise<void> | void;
  /**
   * The booted deployment, instead of detecting it (ostree detects it only on `/` of a system
   * booted by ostree). Retention, the merge deployment, undeploy and status follow it.
   */
  readonly booted?: DeploymentId;
}

/** Flags of {@link Sysroot.deploy} (`ostree admin deploy`). */
export interface DeployOptions {
  /** Stateroot (`--os`); default: the booted one. */
  readonly osname?: string;
  /** Origin keyfile (default: `[origin] refspec=REFSPEC`). */
  readonly origin?: KeyFile;
  /** Kernel arguments replacing the merge deployment's entirely (from `--karg*`). */
  readonly kargs?: readonly string[];
  readonly noMerge?: boolean;
  readonly retain?: boolean;
  readonly retainPending?: boolean;
  readonly retainRollback?: boolean;
  readonly notAsDefault?: boolean;
  /** `--no-prune`: cleanup without pruning the repository. */
  readonly noPrune?: boolean;
}

/** One deployment as `ostree admin status` describes it (and `--json` prints it). */
export interface DeploymentStatus {
  readonly index: number;
  readonly osname: string;
  readonly checksum: string;
  readonly serial: number;
  readonly booted: boolean;
  readonly pending: boolean;
  readonly rollback: boolean;
  readonly staged: boolean;
  readonly pinned: boolean;
  readonly unlocked: string;
  readonly version: string | undefined;
  /** The commit's `ostree.source-title`. */
  readonly sourceTitle: string | undefined;
  readonly refspec: string | undefined;
  /** False when the `.origin` file is missing (`origin: none`). */
  readonly hasOrigin: boolean;
  readonly bootcsum: string;
  readonly options: string | undefined;
}

/** An open sysroot. State is reloaded after every change. */
export class Sysroot {
  private constructor(
    readonly fs: Fs,
    readonly path: string,
    readonly repo: Repo,
    private readonly options: SysrootOptions,
    private current: SysrootState,
  ) {}

  /**
   * Opens the sysroot at `path` (it must have `ostree/repo`).
   * @throws {OstreeError} REPO_NOT_FOUND without a repository; INVALID_SYSROOT for a malformed boot configuration
   */
  static async open(fs: Fs, path: string, options: SysrootOptions = {}): Promise<Sysroot> {
    const repo = await openRepo(fs, join(path, 'ostree/repo'), options);
    return new Sysroot(fs, path, repo, options, await loadSysrootState(fs, path, bootedOption(options)));
  }

  /** The loaded state (bootversion, subbootversion, deployments, booted). */
  get state(): SysrootState {
    return this.current;
  }

  get deployments(): readonly Deployment[] {
    return this.current.deployments;
  }

  get booted(): Deployment | undefined {
    return this.current.booted;
  }

  /** Re-reads the boot configuration from disk. */
  async reload(): Promise<void> {
    this.current = await loadSysrootState(this.fs, this.path, bootedOption(this.options));
  }

  /** Emits a message through the `log` option, in order with the sysroot's own. */
  note(message: string): void {
    this.options.log?.(message);
  }

  /** Runs `fn` under the sysroot lock, with freshly loaded state. */
  async locked<T>(fn: () => Promise<T>, options: SysrootLockOptions = {}): Promise<T> {
    return withSysrootLock(
      this.fs,
      this.path,
      async () => {
        await this.reload();
        return fn();
      },
      options,
    );
  }

  /** Pending and rollback deployments of `osname` around the booted one (ostree_sysroot_query_deployments_for). */
  queryDeploymentsFor(osname: string | undefined): { pending: Deployment | undefined; rollback: Deployment | undefined } {
    const os = osname ?? this.booted?.osname;
    let pending: Deployment | undefined;
    let rollback: Deployment | undefined;
    let foundBooted = false;
    for (const d of this.deployments) {
      if (d.osname !== os) continue;
      if (this.booted !== undefined && sameDeployment(d, this.booted)) {
        foundBooted = true;
        continue;
      }
      if (!foundBooted && pending === undefined) pending = d;
      else if (foundBooted && rollback === undefined) rollback = d;
    }
    return { pending, rollback };
  }

  /** The deployment whose `/etc` and kernel arguments a new deployment of `osname` inherits. */
  mergeDeployment(osname: string | undefined): Deployment | undefined {
    const os = osname ?? this.booted?.osname;
    if (this.booted !== undefined && this.booted.osname === os) return this.booted;
    return this.queryDeploymentsFor(os).pending;
  }

  /** The stateroot a command acts on: `--os`, else the booted one. */
  requireOsname(osname: string | undefined): string {
    const os = osname ?? this.booted?.osname;
    if (os === undefined) throw new OstreeError('INVALID_SYSROOT', 'Not currently booted into an OSTree system and no --os= argument given');
    return os;
  }

  /** Deployment at `index` (ot_admin_get_indexed_deployment). */
  indexed(index: number): Deployment {
    if (index < 0) throw new OstreeError('INVALID_ARGUMENT', `Invalid index ${index}`);
    const d = this.deployments[index];
    if (d === undefined) throw new OstreeError('INVALID_ARGUMENT', `Out of range deployment index ${index}, expected < ${this.deployments.length}`);
    return d;
  }

  private async resolveBootloader(): Promise<Bootloader | undefined> {
    const b = this.options.bootloader;
    const chosen = typeof b === 'function' ? await b(this.fs, this.path, this.repo) : b;
    // BLS-only is ostree's "no bootloader": nothing to write, and the switch is not reported atomic.
    return chosen?.name === 'none' ? undefined : chosen;
  }

  /**
   * Makes `list` the deployment list through the atomic switch, then reloads (and cleans up
   * without pruning when `postclean`).
   */
  async writeDeployments(list: readonly Deployment[], options: { postclean?: boolean } = {}): Promise<WriteResult> {
    const bootloader = await this.resolveBootloader();
    const result = await writeDeployments(this.repo, this.path, this.current, list, {
      ...(bootloader !== undefined ? { bootloader } : {}),
      ...(this.options.env !== undefined ? { env: this.options.env } : {}),
      ...(this.options.onStep !== undefined ? { onStep: this.options.onStep } : {}),
    });
    if (!result.changed) return result;
    this.note(result.message);
    await bumpDeployMtime(this.fs, this.path);
    await this.reload();
    if (options.postclean) await this.cleanup({ prune: true });
    return result;
  }

  /**
   * Removes leftovers: other bootversions, unreferenced deployments and boot directories,
   * stale deployment refs; with `prune`, unreachable repository objects ("Freed objects").
   */
  async cleanup(options: { prune?: boolean } = {}): Promise<CleanupResult> {
    const result = await cleanupSysroot(this.repo, this.path, this.current, options);
    const freed = result.prune?.bytesFreed ?? 0;
    if (freed > 0) this.note(`Freed objects: ${(this.options.formatSize ?? ((n) => `${n} bytes`))(freed)}`);
    return result;
  }

  /** Resolves a ref or checksum in the sysroot repository. */
  async resolveRev(rev: string): Promise<string> {
    return (await this.repo.resolveRev(rev))!;
  }

  /**
   * `ostree admin deploy`: checks out `refspec` as a new deployment and writes the new list
   * (retention rules of ostree_sysroot_simple_write_deployment), then cleans up and prunes.
   */
  async deploy(refspec: string, options: DeployOptions = {}): Promise<Deployment> {
    const osname = this.requireOsname(options.osname);
    const origin = options.origin ?? originFromRefspec(refspec);
    const revision = await this.resolveRev(refspec);
    const merge = options.noMerge ? undefined : this.mergeDeployment(options.osname);
    await this.cleanup();
    const deployment = await deployTree(this.repo, this.path, {
      osname,
      revision,
      origin,
      merge,
      ...(options.kargs !== undefined ? { overrideKargs: options.kargs } : {}),
      etcMerge: this.options.etcMerge ?? defaultEtcMerge,
      log: (m) => this.note(m),
      ...(this.options.warn !== undefined ? { warn: this.options.warn } : {}),
    });
    await this.simpleWriteDeployment(osname, deployment, merge, options);
    await this.cleanup({ prune: !options.noPrune });
    return deployment;
  }

  /** The list a new deployment makes, by ostree's retention rules (without writing it). */
  planDeploymentList(osname: string | undefined, added: Deployment, merge: Deployment | undefined, flags: DeployOptions = {}): Deployment[] {
    const booted = this.booted;
    const os = osname ?? booted?.osname;
    const makeDefault = !flags.notAsDefault;
    let retain = flags.retain === true;
    const retainPending = flags.retainPending === true;
    const retainRollback = flags.retainRollback === true;
    const out: Deployment[] = [];
    let addedNew = false;
    if (makeDefault) {
      out.push(added);
      addedNew = true;
    }
    if (booted === undefined && merge === undefined && (retainPending || retainRollback)) retain = true;
    let beforeBooted = true;
    let beforeMerge = true;
    for (const d of this.deployments) {
      const osMatches = os === undefined || d.osname === os;
      const isBooted = sameDeployment(d, booted);
      const isMerge = sameDeployment(d, merge);
      if (isBooted) beforeBooted = false;
      if (isMerge) beforeMerge = false;
      const passedCrossover = booted !== undefined ? !beforeBooted : !beforeMerge;
      if (retain || isPinned(d) || !osMatches || (retainPending && !passedCrossover) || isBooted || isMerge || (retainRollback && passedCrossover)) {
        out.push(d);
      }
      if (!addedNew && passedCrossover) {
        out.push(added);
        addedNew = true;
      }
    }
    if (!addedNew) out.push(added);
    return out;
  }

  private async simpleWriteDeployment(osname: string | undefined, added: Deployment, merge: Deployment | undefined, flags: DeployOptions): Promise<WriteResult> {
    return this.writeDeployments(this.planDeploymentList(osname, added, merge, flags));
  }

  /**
   * What `ostree admin upgrade` works from (OstreeSysrootUpgrader): the merge deployment of
   * `osname` and its origin without transient state, split into remote and ref.
   * @throws {OstreeError} INVALID_SYSROOT without a previous deployment or origin refspec
   */
  upgradeSource(osname: string | undefined): { merge: Deployment; origin: KeyFile; remote: string | undefined; ref: string; overrideCommit: string | undefined } {
    const os = this.requireOsname(osname);
    const merge = this.mergeDeployment(os);
    if (merge === undefined) throw new OstreeError('INVALID_SYSROOT', `No previous deployment for OS '${os}'`);
    const origin = merge.origin?.clone() ?? new KeyFile();
    if (origin.hasGroup('libostree-transient')) origin.removeGroup('libostree-transient');
    const refspec = origin.hasKey('origin', 'refspec') ? origin.getString('origin', 'refspec') : undefined;
    if (refspec === undefined) throw new OstreeError('INVALID_SYSROOT', 'No origin/refspec in current deployment origin; cannot upgrade via ostree');
    const colon = refspec.indexOf(':');
    const overrideCommit = origin.hasKey('origin', 'override-commit') ? origin.getString('origin', 'override-commit') : undefined;
    return { merge, origin, remote: colon < 0 ? undefined : refspec.slice(0, colon), ref: colon < 0 ? refspec : refspec.slice(colon + 1), overrideCommit };
  }

  /**
   * Refuses moving from commit `from` to an older `to` (a different commit with an earlier
   * timestamp), with ostree's message; equal timestamps pass.
   * @throws {OstreeError} INVALID_ARGUMENT for a downgrade
   */
  async assertNotDowngrade(from: string, to: string): Promise<void> {
    if (from === to) return;
    const a = await this.repo.loadCommit(from).catch(() => undefined);
    if (a === undefined) return;
    const b = await this.repo.loadCommit(to);
    if (b.timestamp >= a.timestamp) return;
    throw new OstreeError(
      'INVALID_ARGUMENT',
      `Upgrade target revision '${to}' with timestamp '${cTime(b.timestamp)}' is chronologically older than current revision '${from}' with timestamp '${cTime(a.timestamp)}'; use --allow-downgrade to permit`,
    );
  }

  /** The commit an upgrade from `src` goes to: the origin's `override-commit`, else its refspec resolved locally. */
  async upgradeTarget(src: { remote: string | undefined; ref: string; overrideCommit: string | undefined }): Promise<string> {
    return src.overrideCommit ?? (await this.resolveRev(src.remote === undefined ? src.ref : `${src.remote}:${src.ref}`));
  }

  /**
   * The deploy half of `ostree admin upgrade` (after the pull): resolves the origin's refspec
   * and, if it moved, deploys it with the merge deployment. Returns undefined when there is no
   * update. Refuses a target older than the current commit unless `allowDowngrade`;
   * `overrideCommit` deploys that commit instead (and records it in the new origin).
   */
  async upgrade(osname: string | undefined, options: { allowDowngrade?: boolean; overrideCommit?: string } = {}): Promise<Deployment | undefined> {
    const os = this.requireOsname(osname);
    let src = this.upgradeSource(os);
    if (options.overrideCommit !== undefined) {
      // `--override-commit`: recorded in the new deployment's origin, not in the current one.
      src.origin.setString('origin', 'override-commit', options.overrideCommit);
      src = { ...src, overrideCommit: options.overrideCommit };
    }
    const target = await this.upgradeTarget(src);
    const from = src.merge.csum;
    if (target === from) return undefined;
    if (!options.allowDowngrade) await this.assertNotDowngrade(from, target);
    await this.cleanup();
    const deployment = await deployTree(this.repo, this.path, {
      osname: os,
      revision: target,
      origin: src.origin,
      merge: src.merge,
      etcMerge: this.options.etcMerge ?? defaultEtcMerge,
      log: (m) => this.note(m),
      ...(this.options.warn !== undefined ? { warn: this.options.warn } : {}),
    });
    await this.writeDeployments(this.planDeploymentList(os, deployment, src.merge), { postclean: true });
    return deployment;
  }

  /**
   * `ostree admin undeploy INDEX`: writes the list without it (and cleans up) and returns it.
   * Like ostree, the CLI then reports it and runs {@link cleanup} with `prune` once more.
   */
  async undeploy(index: number): Promise<Deployment> {
    const target = this.indexed(index);
    if (sameDeployment(target, this.booted)) throw new OstreeError('INVALID_ARGUMENT', `Cannot undeploy currently booted deployment ${index}`);
    await this.writeDeployments(this.deployments.filter((_, i) => i !== index), { postclean: true });
    return target;
  }

  /** `ostree admin set-default INDEX` (upstream 2023.6): moves the deployment to the front. */
  async setDefault(index: number): Promise<Deployment> {
    const target = this.indexed(index);
    const list = this.deployments.filter((_, i) => i !== index);
    list.unshift(target);
    await this.writeDeployments(list, { postclean: true });
    await this.cleanup({ prune: true });
    return target;
  }

  /**
   * `ostree-ts admin rollback` (as rpm-ostree's): when booted into the default deployment,
   * makes the rollback deployment (the next one of its stateroot) the default; when a pending
   * deployment is the default, makes the booted one the default again. Not booted, the second
   * deployment becomes the default.
   * @throws {OstreeError} INVALID_SYSROOT when there is nothing to roll back to
   */
  async rollback(): Promise<Deployment> {
    let target: Deployment | undefined;
    const booted = this.booted;
    if (booted !== undefined) {
      const { pending, rollback } = this.queryDeploymentsFor(booted.osname);
      const bootedIsDefault = sameDeployment(this.deployments[0], booted);
      target = bootedIsDefault ? rollback : pending !== undefined ? booted : rollback;
    } else target = this.deployments[1];
    if (target === undefined) throw new OstreeError('INVALID_SYSROOT', 'No rollback deployment found');
    return this.setDefault(this.deployments.findIndex((d) => sameDeployment(d, target)));
  }

  /** Replaces a deployment's `.origin` (ostree_sysroot_write_origin_file), then reloads. */
  async writeOrigin(d: Deployment, origin: KeyFile): Promise<void> {
    await writeOriginFile(this.fs, this.path, d, origin, true);
    await bumpDeployMtime(this.fs, this.path);
    await this.reload();
  }

  /** `ostree admin pin [--unpin] INDEX`. Returns false when it was already in that state. */
  async setPinned(index: number, pinned: boolean): Promise<boolean> {
    const d = this.indexed(index);
    if (isPinned(d) === pinned) return false;
    const origin = d.origin?.clone() ?? new KeyFile();
    if (pinned) origin.setBoolean('libostree-transient', 'pinned', true);
    else if (origin.hasKey('libostree-transient', 'pinned')) origin.removeKey('libostree-transient', 'pinned');
    await this.writeOrigin(d, origin);
    return true;
  }

  /**
   * `ostree admin set-origin REMOTE URL [BRANCH]` after the remote exists: points the
   * deployment's origin at `REMOTE:BRANCH` (default: its current branch).
   */
  async setOriginRefspec(d: Deployment, remote: string, branch: string | undefined): Promise<string> {
    const current = originRefspec(d);
    if (current === undefined && branch === undefined) throw new OstreeError('INVALID_ARGUMENT', 'No origin/refspec in current deployment origin');
    const ref = branch ?? current!.slice(current!.indexOf(':') + 1);
    const refspec = `${remote}:${ref}`;
    await this.writeOrigin(d, originFromRefspec(refspec));
    return refspec;
  }

  /**
   * `ostree admin kargs edit-in-place --append-if-missing=ARG…`: rewrites each entry of the
   * current bootversion in place (not an atomic switch, as in ostree).
   */
  async kargsEditInPlace(appendIfMissing: readonly string[]): Promise<void> {
    if (this.deployments.length === 0) throw new OstreeError('INVALID_SYSROOT', 'Unable to find a deployment in sysroot');
    const n = this.deployments.length;
    for (const d of this.deployments) {
      const kargs = KernelArgs.parse(d.options);
      for (const a of appendIfMissing) kargs.appendIfMissing(a);
      const fields = (d.bootconfig?.fields ?? []).map(([k, v]) => [k, k === 'options' ? kargs.toString() : v] as [string, string]);
      if (!fields.some(([k]) => k === 'options')) fields.push(['options', kargs.toString()]);
      const path = join(this.path, `boot/loader.${this.current.bootversion}/entries/ostree-${n - d.index}-${d.osname}.conf`);
      await replaceFile(this.fs, path, encoder.encode(serializeBlsEntry({ fields })), 0o644, true);
    }
    await this.reload();
  }

  /** What `ostree admin status` shows, deployment by deployment. */
  async status(): Promise<DeploymentStatus[]> {
    const booted = this.booted;
    const { pending, rollback } = booted !== undefined ? this.queryDeploymentsFor(booted.osname) : { pending: undefined, rollback: undefined };
    const out: DeploymentStatus[] = [];
    for (const d of this.deployments) {
      const version = await commitVersion(this.repo, d.csum);
      out.push({
        index: d.index,
        osname: d.osname,
        checksum: d.csum,
        serial: d.deployserial,
        booted: sameDeployment(d, booted),
        pending: sameDeployment(d, pending),
        rollback: sameDeployment(d, rollback),
        staged: false,
        pinned: isPinned(d),
        unlocked: d.unlocked,
        version,
        sourceTitle: await commitString(this.repo, d.csum, 'ostree.source-title'),
        refspec: originRefspec(d),
        hasOrigin: d.origin !== undefined,
        bootcsum: d.bootcsum,
        options: d.options,
      });
    }
    return out;
  }
}

function bootedOption(options: SysrootOptions): { booted?: DeploymentId } {
  return options.booted !== undefined ? { booted: options.booted } : {};
}

// g_date_time_format (dt, "%c") in the C locale: `Tue Nov 14 22:13:20 2023`.
function cTime(seconds: bigint): string {
  const d = new Date(Number(seconds) * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `[origin] refspec=REFSPEC` (ostree_sysroot_origin_new_from_refspec). */
export function originFromRefspec(refspec: string): KeyFile {
  const kf = new KeyFile();
  kf.setString('origin', 'refspec', refspec);
  return kf;
}
