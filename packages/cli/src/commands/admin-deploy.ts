/**
 * `ostree admin deploy [--os=] [--karg…] [--retain…] [--not-as-default] [--no-merge] REFSPEC`.
 * @module
 */
import { KeyFile } from '@ostree-ts/keyfile';
import { KernelArgs, type DeployOptions } from '@ostree-ts/sysroot';
import { usageError, type CommandSpec, type Invocation } from '../command.js';
import { CliError } from '../errors.js';
import { ADMIN_OS_OPTION, ADMIN_SYSROOT_OPTION, withLockedSysroot } from './admin-common.js';

/** The kernel arguments a deploy asks for, or undefined for "inherit the merge deployment's" (ot-admin-builtin-deploy.c). */
export async function deployKargs(inv: Invocation, mergeOptions: string | undefined, hasMerge: boolean): Promise<string[] | undefined> {
  const o = inv.options;
  const replace = o.strings('karg');
  const append = o.strings('karg-append');
  const del = o.string('karg-delete');
  let kargs: KernelArgs | undefined;
  if (o.flag('karg-none')) kargs = new KernelArgs();
  else if (o.flag('karg-proc-cmdline')) {
    const text = new TextDecoder().decode(await inv.ctx.fs.readFile('/proc/cmdline')).replace(/\s+$/, '');
    kargs = new KernelArgs();
    // ostree drops the arguments that name the running deployment.
    for (const a of text.split(' ')) if (!a.startsWith('BOOT_IMAGE=') && !a.startsWith('initrd=')) kargs.append(a);
  } else if (hasMerge && (replace.length > 0 || append.length > 0 || del !== undefined)) {
    kargs = KernelArgs.parse(mergeOptions);
  }
  if (replace.length > 0) {
    kargs ??= new KernelArgs();
    for (const a of replace) kargs.replace(a);
  }
  if (append.length > 0) {
    kargs ??= new KernelArgs();
    for (const a of append) kargs.append(a);
  }
  if (del !== undefined) {
    if (kargs === undefined) throw new CliError(`No karg '${del}' found`);
    kargs.delete(del);
  }
  return kargs?.toArray();
}

export const DEPLOY_KARG_OPTIONS = [
  { long: 'karg-proc-cmdline', arg: 'none', description: 'Import current /proc/cmdline' },
  {
    long: 'karg',
    arg: 'strings',
    argName: 'NAME=VALUE',
    description: 'Set kernel argument, like root=/dev/sda1; this overrides any earlier argument with the same name',
  },
  { long: 'karg-append', arg: 'strings', argName: 'NAME=VALUE', description: 'Append kernel argument; useful with e.g. console= that can be used multiple times' },
  { long: 'karg-none', arg: 'none', description: 'Do not import kernel arguments' },
  { long: 'karg-delete', arg: 'string', argName: 'NAME=VALUE', description: 'Delete kernel argument if exists' },
] as const;

export const adminDeployCommand: CommandSpec = {
  name: 'deploy',
  description: 'Checkout revision REFSPEC as the new default deployment',
  parameters: 'REFSPEC',
  repo: 'none',
  options: [
    ADMIN_OS_OPTION,
    { long: 'origin-file', arg: 'string', argName: 'FILENAME', description: 'Specify origin file' },
    { long: 'no-prune', arg: 'none', description: "Don't prune the repo when done" },
    { long: 'no-merge', arg: 'none', description: 'Do not apply configuration (/etc and kernel arguments) from booted deployment' },
    { long: 'retain', arg: 'none', description: 'Do not delete previous deployments' },
    { long: 'stage', arg: 'none', description: 'Complete deployment at OS shutdown' },
    { long: 'retain-pending', arg: 'none', description: 'Do not delete pending deployments' },
    { long: 'retain-rollback', arg: 'none', description: 'Do not delete rollback deployments' },
    { long: 'not-as-default', arg: 'none', description: 'Append rather than prepend new deployment' },
    ...DEPLOY_KARG_OPTIONS,
    { long: 'overlay-initrd', arg: 'strings', argName: 'FILE', description: 'Overlay iniramfs file' },
    ADMIN_SYSROOT_OPTION,
  ],
  async run(inv) {
    const o = inv.options;
    if (inv.args.length < 1) usageError('REF/REV must be specified');
    if (o.flag('karg-proc-cmdline') && o.flag('karg-none')) usageError('Can\'t specify both --karg-proc-cmdline and --karg-none');
    if (o.flag('karg-none') && o.has('karg-delete')) usageError("Can't specify both --karg-none and --karg-delete");
    if (o.flag('no-merge') && o.has('karg-delete')) usageError("Can't specify both --no-merge and --karg-delete");
    if (o.flag('stage')) throw new CliError('--stage is not supported by ostree-ts (it needs a booted system)');
    if (o.has('overlay-initrd')) throw new CliError('--overlay-initrd is not supported by ostree-ts');
    const refspec = inv.args[0]!;
    let origin: KeyFile | undefined;
    const originFile = o.string('origin-file');
    if (originFile !== undefined) origin = KeyFile.parse(new TextDecoder().decode(await inv.ctx.fs.readFile(inv.ctx.absolute(originFile))), { keepComments: false });
    await withLockedSysroot(inv, async (sysroot) => {
      const osname = o.string('os');
      try {
        sysroot.requireOsname(osname);
      } catch (e) {
        throw new CliError(`Looking for booted deployment: ${(e as Error).message}`, { cause: e });
      }
      const merge = o.flag('no-merge') ? undefined : sysroot.mergeDeployment(osname);
      const kargs = await deployKargs(inv, merge?.options, merge !== undefined);
      const options: DeployOptions = {
        ...(osname !== undefined ? { osname } : {}),
        ...(origin !== undefined ? { origin } : {}),
        ...(kargs !== undefined ? { kargs } : {}),
        noMerge: o.flag('no-merge'),
        retain: o.flag('retain'),
        retainPending: o.flag('retain-pending'),
        retainRollback: o.flag('retain-rollback'),
        notAsDefault: o.flag('not-as-default'),
        noPrune: o.flag('no-prune'),
      };
      await sysroot.deploy(refspec, options);
    });
  },
};
