/**
 * `ostree remote SUBCOMMAND`.
 * @module
 */
import type { CommandSpec } from '../command.js';
import { remoteAddCommand } from './remote-add.js';
import { remoteDeleteCommand } from './remote-delete.js';
import { remoteListCommand } from './remote-list.js';
import { remoteShowUrlCommand } from './remote-show-url.js';

export const remoteCommand: CommandSpec = {
  name: 'remote',
  description: 'Remote commands that may involve internet access',
  parameters: 'COMMAND',
  repo: 'none',
  options: [],
  subcommands: [remoteAddCommand, remoteDeleteCommand, remoteShowUrlCommand, remoteListCommand],
};
