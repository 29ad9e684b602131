// Client for test-vectors/keyfile/glib_keyfile.py running as a long-lived
// JSON-lines server under the system python that has PyGObject (GLib itself).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Case, CaseResult } from './harness.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../test-vectors/keyfile/glib_keyfile.py', import.meta.url));

/** Whether GLib can be driven from here (CI installs python3-gi). */
export function glibAvailable(): boolean {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import gi; gi.require_version("GLib", "2.0"); from gi.repository import GLib'], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

export class GlibOracle {
  #child: ChildProcessWithoutNullStreams;
  #pending = new Map<number, { resolve: (r: CaseResult) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #stderr = '';
  readonly ready: Promise<string>;

  constructor() {
    this.#child = spawn(SYSTEM_PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    // GLib prints critical warnings on stderr; keep the tail for diagnostics.
    this.#child.stderr.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString('utf8')).slice(-4000);
    });
    let onReady!: (v: string) => void;
    let onFail!: (e: Error) => void;
    this.ready = new Promise<string>((res, rej) => {
      onReady = res;
      onFail = rej;
    });
    this.#child.on('exit', (code) => {
      const e = new Error(`GLib oracle exited (${code}): ${this.#stderr}`);
      onFail(e);
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
    });
    const rl = createInterface({ input: this.#child.stdout });
    rl.on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; glib?: string; id?: number; result?: CaseResult; crash?: string };
      if (msg.ready) {
        onReady(msg.glib ?? '?');
        return;
      }
      const p = this.#pending.get(msg.id!);
      if (!p) return;
      this.#pending.delete(msg.id!);
      if (msg.crash !== undefined) p.reject(new Error(`oracle crashed on case: ${msg.crash}`));
      else p.resolve(msg.result!);
    });
  }

  /** Run one case through GLib. */
  run(c: Case): Promise<CaseResult> {
    const id = this.#nextId++;
    return new Promise<CaseResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdin.write(JSON.stringify({ id, case: c }) + '\n');
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((res) => this.#child.once('exit', () => res()));
    this.#child.stdin.end();
    await exited;
  }
}
