// Unknown BLS keys: ostree keeps them in a GLib hash table and writes them after the known
// keys in the table's iteration order. Injected into a deployment's entry, they come back
// in the entry ostree rewrites on the next deploy; our serializer must order them the same.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blsGet, parseBlsEntry, serializeBlsEntry } from '../src/index.js';
import { adminDeploy, bootversionOf, commitOs, hasAdminOstree, makeSysroot, removeSysroot } from './helpers/real-sysroot.js';

const created: string[] = [];
afterAll(() => created.forEach(removeSysroot));

const EXTRA_KEYS = ['zz', 'aa', 'custom-key', 'x', 'machine-id', 'grub_users', 'grub_arg', 'grub_class', 'sort-key', 'architecture', 'efi', 'k1', 'k2', 'k3'];

describe.skipIf(!hasAdminOstree)('unknown BLS keys are written in GLib hash order like ostree', () => {
  it.each([3, 7, 14])('with %i extra keys', (count) => {
    const sysroot = makeSysroot('none');
    created.push(sysroot);
    commitOs(sysroot, '1.0');
    adminDeploy(sysroot, ['--karg=root=LABEL=root', 'testos/stable']);
    const dir = join(sysroot, `boot/loader.${bootversionOf(sysroot)}/entries`);
    const [name] = readdirSync(dir);
    const original = readFileSync(join(dir, name!), 'utf8');
    const injected = original + EXTRA_KEYS.slice(0, count).map((k, i) => `${k} value-${i}\n`).join('');
    writeFileSync(join(dir, name!), injected);

    commitOs(sysroot, '2.0', { 'usr/lib/modules/5.10.0-test/vmlinuz': 'KERNEL 2' });
    adminDeploy(sysroot, ['testos/stable']);
    const newDir = join(sysroot, `boot/loader.${bootversionOf(sysroot)}/entries`);
    const rewritten = readdirSync(newDir)
      .map((n) => readFileSync(join(newDir, n), 'utf8'))
      .find((t) => t.includes('(ostree:1)'))!;
    expect(rewritten).toContain('zz value-0\n');
    const tail = parseBlsEntry(rewritten).fields.map(([k]) => k).filter((k) => EXTRA_KEYS.includes(k));
    expect(tail).toHaveLength(count);
    // Not simply insertion order: the hash table's layout decides.
    expect(tail).not.toEqual(EXTRA_KEYS.slice(0, count));

    // Ours: the injected entry with the known keys set to ostree's new values, in place.
    const theirs = parseBlsEntry(rewritten);
    const fields = parseBlsEntry(injected).fields.map(([k, v]) => [k, blsGet(theirs, k) ?? v] as const);
    expect(serializeBlsEntry({ fields })).toBe(rewritten);
  });
});
