// Replays every case GLib recorded in test-vectors/keyfile/vectors.json.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Case, type CaseResult, runCase } from './harness.js';

interface VectorFile {
  provenance: { glib: string; generator: string };
  cases: (Case & { name: string; description: string; glib: CaseResult })[];
}

const file = fileURLToPath(new URL('../../../test-vectors/keyfile/vectors.json', import.meta.url));
const vectors = JSON.parse(readFileSync(file, 'utf8')) as VectorFile;

describe(`GLib ${vectors.provenance.glib} test vectors`, () => {
  it('has a meaningful number of cases, ostree files included', () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(60);
    expect(vectors.cases.some((c) => c.name === 'ostree-repo-config')).toBe(true);
    expect(vectors.cases.some((c) => c.name === 'ostree-origin')).toBe(true);
  });

  for (const c of vectors.cases) {
    it(`${c.name}: ${c.description}`, () => {
      const ours = runCase(c);
      if ('output' in c.glib && 'output' in ours) {
        // Compare the text first for a readable diff, then everything else.
        expect(ours.output).toBe(c.glib.output);
      }
      expect(ours).toEqual(c.glib);
    });
  }
});
