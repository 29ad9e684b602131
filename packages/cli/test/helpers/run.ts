/**
 * Test helpers: run ostree-ts in-process with captured output, and real ostree as a process.
 */
import { execFile } from 'node:child_process';
import { nodeFs } from '@ostree-ts/io-node';
import { main } from '../../src/main.js';
import { CaptureSink } from '../../src/output.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Uint8Array;
}

const fs = nodeFs();

/** Runs `ostree-ts ARGS` in this process. */
export async function ours(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const code = await main([...args], {
    stdout,
    stderr,
    fs,
    cwd: options.cwd ?? process.cwd(),
    env: { TZ: 'UTC', ...(options.env ?? {}) },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: stdout.bytes() };
}

/** Runs the real `ostree ARGS`. */
export function theirs(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      'ostree',
      [...args],
      { cwd: options.cwd, env: { ...process.env, TZ: 'UTC', ...(options.env ?? {}) }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
        resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), stdoutBytes: new Uint8Array(stdout) });
      },
    );
  });
}

/** Runs any program, failing the test on a non-zero exit. */
export function sh(cmd: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
