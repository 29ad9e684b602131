/**
 * `ostree admin SUBCOMMAND`: sysroot and deployment management.
 * @module
 */
import type { CommandSpec } from '../command.js';
import { adminDeployCommand } from './admin-deploy.js';
import { adminInitFsCommand } from './admin-init-fs.js';
import { adminKargsCommand } from './admin-kargs.js';
import { adminOsInitCommand } from './admin-os-init.js';
import { adminCleanupCommand, adminPinCommand } from './admin-pin.js';
import { adminSetOriginCommand } from './admin-set-origin.js';
import { adminStatusCommand } from './admin-status.js';
import { adminRollbackCommand, adminSetDefaultCommand, adminUndeployCommand } from './admin-undeploy.js';
import { adminUpgradeCommand } from './admin-upgrade.js';

export const adminCommand: CommandSpec = {
  name: 'admin',
  description: 'Commands for managing a host system booted with ostree',
  parameters: 'COMMAND',
  repo: 'none',
  options: [],
  subcommands: [
    adminCleanupCommand,
    adminDeployCommand,
    adminInitFsCommand,
    adminKargsCommand,
    adminOsInitCommand,
    adminPinCommand,
    adminRollbackCommand,
    adminSetDefaultCommand,
    adminSetOriginCommand,
    adminStatusCommand,
    adminUndeployCommand,
    adminUpgradeCommand,
  ],
};
