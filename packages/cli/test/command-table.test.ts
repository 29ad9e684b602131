import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';

describe('command table', () => {
  it('loads each command lazily with the name and description its entry lists', async () => {
    expect(COMMANDS.length).toBeGreaterThan(0);
    for (const entry of COMMANDS) {
      expect(entry.load, entry.name).toBeDefined();
      const spec = await entry.load!();
      expect(spec.load, entry.name).toBeUndefined();
      expect({ name: spec.name, description: spec.description }).toEqual({ name: entry.name, description: entry.description });
    }
  });
});
