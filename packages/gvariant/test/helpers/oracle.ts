/** Client for test/oracle/glib_oracle.py: one long-lived /usr/bin/python3 child per test file. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../oracle/glib_oracle.py', import.meta.url));

/** True when GLib's Python bindings are importable (CI installs python3-gi). */
export function glibAvailable(): boolean {
  try {
    return spawnSync(PYTHON, ['-c', 'import gi; gi.require_version("GLib", "2.0"); from gi.repository import GLib'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

export class GLibOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  private buffer = '';
  private exited: Error | undefined;

  constructor() {
    this.child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const p = this.pending.shift();
        if (p === undefined) continue;
        const msg = JSON.parse(line) as { error?: string };
        if (msg.error !== undefined) p.reject(new Error(`oracle: ${msg.error}`));
        else p.resolve(msg);
      }
    });
    let stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = new Error(`GLib oracle exited (code ${code}, signal ${signal}): ${stderr}`);
      for (const p of this.pending.splice(0)) p.reject(this.exited);
    });
  }

  request<T>(req: object): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}
