// The package runs in any JS runtime: no node: imports, no Buffer, no process in src/, and the
// wasm is embedded rather than loaded from a file or URL.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');

it.each(readdirSync(SRC).filter((f) => f.endsWith('.ts')))('src/%s uses no Node-only API', (file) => {
  const code = readFileSync(join(SRC, file), 'utf8');
  expect(code).not.toMatch(/from ['"]node:|import\(['"]node:|require\(/);
  expect(code).not.toMatch(/\bBuffer\b|\bprocess\.|__dirname|import\.meta\.url|\bfetch\(/);
});
