/**
 * A long-running python3-gi process answering GVariant print/parse questions with real GLib.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';

/** True if python3-gi (GLib introspection) is available. */
export function glibAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import gi; from gi.repository import GLib'], { stdio: 'ignore' });
  return r.status === 0;
}

export type OracleAnswer = { ok: unknown; error?: undefined } | { error: string; ok?: undefined };

/** The oracle process. */
export class GLibOracle {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    this.proc = spawn(PYTHON, [fileURLToPath(new URL('./glib_oracle.py', import.meta.url))]);
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
  }

  private ask(req: object): Promise<OracleAnswer> {
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as OracleAnswer));
      this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  /** g_variant_print of the value serialized as `bytes` (optionally byte-swapped first). */
  async print(type: string, bytes: Uint8Array, annotate: boolean, swap = false): Promise<string> {
    const a = await this.ask({ op: 'print', type, hex: Buffer.from(bytes).toString('hex'), annotate, swap });
    if (a.error !== undefined) throw new Error(a.error);
    return a.ok as string;
  }

  /** g_variant_parse(NULL, text): [type, serialized hex] or the error message. */
  async parse(text: string): Promise<OracleAnswer> {
    return this.ask({ op: 'parse', text });
  }

  close(): void {
    this.proc.stdin.end();
  }
}
