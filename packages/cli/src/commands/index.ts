/**
 * The command table: every command ostree-ts implements, in `ostree --help` order. Parsing,
 * dispatch and help all come from here.
 * @module
 */
import type { CommandSpec } from '../command.js';
import { adminCommand } from './admin.js';
import { catCommand } from './cat.js';
import { checkoutCommand } from './checkout.js';
import { commitCommand } from './commit.js';
import { configCommand } from './config.js';
import { fsckCommand } from './fsck.js';
import { initCommand } from './init.js';
import { logCommand } from './log.js';
import { lsCommand } from './ls.js';
import { pruneCommand } from './prune.js';
import { pullCommand } from './pull.js';
import { pullLocalCommand } from './pull-local.js';
import { refsCommand } from './refs.js';
import { remoteCommand } from './remote.js';
import { revParseCommand } from './rev-parse.js';
import { showCommand } from './show.js';
import { signCommand } from './sign.js';
import { staticDeltaCommand } from './static-delta.js';
import { summaryCommand } from './summary.js';

export const COMMANDS: readonly CommandSpec[] = [
  adminCommand,
  catCommand,
  checkoutCommand,
  commitCommand,
  configCommand,
  fsckCommand,
  initCommand,
  logCommand,
  lsCommand,
  pruneCommand,
  pullCommand,
  pullLocalCommand,
  refsCommand,
  remoteCommand,
  revParseCommand,
  showCommand,
  signCommand,
  staticDeltaCommand,
  summaryCommand,
];

/** ostree commands ostree-ts does not implement (a clearer error than "Unknown command"). */
export const NOT_IMPLEMENTED: readonly string[] = [
  'checksum',
  'create-usb',
  'diff',
  'export',
  'find-remotes',
  'gpg-sign',
  'reset',
  'trivial-httpd',
];
