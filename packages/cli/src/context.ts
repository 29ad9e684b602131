/**
 * Everything a command needs from its surroundings: output streams, environment, working
 * directory and filesystem. `main()` builds one from the process; tests build one in memory.
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import type { Fs } from '@ostree-ts/io';
import { Output, type Sink } from './output.js';

/** The process-level inputs of a run. */
export interface Environment {
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** Environment variables (OSTREE_REPO, SOURCE_DATE_EPOCH, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Absolute working directory. */
  readonly cwd: string;
  readonly fs: Fs;
  /** Name shown in help and fatal messages (default `ostree-ts`). */
  readonly programName?: string;
  /** Whether stdout is a terminal (progress bars instead of a final summary line). */
  readonly stdoutIsTerminal?: boolean;
}

/** A run's context, shared by all commands. */
export class Context {
  readonly out: Output;
  readonly err: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly fs: Fs;
  readonly programName: string;
  readonly stdoutIsTerminal: boolean;

  constructor(e: Environment) {
    this.out = new Output(e.stdout);
    this.err = new Output(e.stderr);
    this.env = e.env;
    this.cwd = e.cwd;
    this.fs = e.fs;
    this.programName = e.programName ?? 'ostree-ts';
    this.stdoutIsTerminal = e.stdoutIsTerminal ?? false;
  }

  /** An argument path made absolute against the working directory. */
  absolute(path: string): string {
    return isAbsolute(path) ? resolve(path) : resolve(this.cwd, path);
  }

  /** Writes text to stdout. */
  print(text: string): Promise<void> {
    return this.out.text(text);
  }

  /** Writes text to stderr (stdout is flushed first so the two stay in order). */
  async printErr(text: string): Promise<void> {
    await this.out.flush();
    await this.err.text(text);
    await this.err.flush();
  }
}
