/**
 * Checks that a sysroot's live boot configuration is whole: `boot/loader` names an existing
 * `loader.N` whose entries all parse, every entry's `ostree=` bootlink resolves to an existing
 * deployment with its `.origin`, and every kernel and initramfs an entry names exists. Used
 * after kill -9 to prove a crash never leaves a half-written or dangling configuration.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Returns the problems found (empty when the configuration is consistent). */
export function validateBootConfig(sysroot: string): string[] {
  const problems: string[] = [];
  const loader = join(sysroot, 'boot/loader');
  if (!existsSync(loader)) return ['boot/loader missing'];
  if (!lstatSync(loader).isSymbolicLink()) return ['boot/loader is not a symlink'];
  const target = readlinkSync(loader);
  if (target !== 'loader.0' && target !== 'loader.1') return [`boot/loader -> ${target}`];
  const bootversion = target.slice(-1);
  const entriesDir = join(sysroot, 'boot', target, 'entries');
  if (!existsSync(entriesDir)) return [`${target}/entries missing`];
  const names = readdirSync(entriesDir).filter((n) => n.startsWith('ostree-') && n.endsWith('.conf'));
  if (names.length === 0) problems.push('no entries');
  const versions = new Set<string>();
  for (const name of names) {
    const text = readFileSync(join(entriesDir, name), 'utf8');
    const fields = new Map<string, string>();
    for (const line of text.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0) fields.set(line.slice(0, sp), line.slice(sp + 1));
    }
    for (const key of ['title', 'version', 'options', 'linux']) if (!fields.has(key)) problems.push(`${name}: no ${key}`);
    if (!text.endsWith('\n')) problems.push(`${name}: truncated`);
    const version = fields.get('version') ?? '';
    if (versions.has(version)) problems.push(`${name}: duplicate version ${version}`);
    versions.add(version);
    if (name !== `ostree-${version}-${name.split('-').slice(2).join('-').replace(/\.conf$/, '')}.conf`) problems.push(`${name}: name does not match version ${version}`);
    const arg = (fields.get('options') ?? '').split(' ').find((a) => a.startsWith('ostree='));
    const m = arg === undefined ? null : /^ostree=\/ostree\/boot\.([01])\/([^/]+)\/([0-9a-f]{64})\/([0-9]+)$/.exec(arg);
    if (m === null) {
      problems.push(`${name}: bad ostree= ${arg}`);
      continue;
    }
    if (m[1] !== bootversion) problems.push(`${name}: ostree= names boot.${m[1]} under loader.${bootversion}`);
    const link = join(sysroot, arg!.slice('ostree=/'.length));
    let deployTarget: string;
    try {
      deployTarget = readlinkSync(link);
    } catch {
      problems.push(`${name}: bootlink ${arg} missing`);
      continue;
    }
    const deployment = join(link, '..', deployTarget);
    if (!existsSync(deployment) || !statSync(deployment).isDirectory()) problems.push(`${name}: deployment ${deployTarget} missing`);
    else {
      if (!existsSync(`${deployment}.origin`)) problems.push(`${name}: ${deployTarget}.origin missing`);
      if (!existsSync(join(deployment, 'usr/lib/os-release'))) problems.push(`${name}: deployment ${deployTarget} incomplete`);
      if (!existsSync(join(deployment, 'etc'))) problems.push(`${name}: deployment ${deployTarget} has no etc`);
    }
    for (const key of ['linux', 'initrd']) {
      const p = fields.get(key);
      if (p !== undefined && !existsSync(join(sysroot, 'boot', p))) problems.push(`${name}: ${key} ${p} missing`);
    }
  }
  const expected = Array.from({ length: names.length }, (_, i) => String(i + 1));
  if ([...versions].sort().join(',') !== expected.sort().join(',')) problems.push(`versions ${[...versions].join(',')} are not 1..${names.length}`);
  return problems;
}
