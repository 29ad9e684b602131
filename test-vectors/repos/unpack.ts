/**
 * Test helper: golden OSTree repositories and object vectors produced by real ostree 2022.7.
 *
 * - {@link unpackRepo} extracts `test-vectors/repos/<mode>.tar.gz` (system GNU tar, xattrs kept)
 *   into a fresh temp dir and returns the repo path plus its manifest.
 * - {@link loadManifest} reads `<mode>.json` without unpacking anything.
 * - {@link loadObjectVectors} / {@link loadObjectVectorsSync} read `test-vectors/objects/<kind>.json`.
 *
 * Node built-ins only (no npm dependencies). Regenerate the data with
 * `bash test-vectors/repos/generate.sh && bash test-vectors/objects/generate.sh` (see README).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Repo manifests (test-vectors/repos/<mode>.json)
// ---------------------------------------------------------------------------------------------

/** Repository modes of the golden repos (`archive` is written as `archive-z2` in `config`). */
export type RepoMode = 'archive' | 'bare-user' | 'bare-user-only' | 'bare';

export const REPO_MODES: readonly RepoMode[] = ['archive', 'bare-user', 'bare-user-only', 'bare'];

/** Loose-object file extension found in the repos. */
export type ObjectType =
  | 'commit'
  | 'commitmeta'
  | 'dirtree'
  | 'dirmeta'
  | 'file'
  | 'filez'
  | 'tombstone-commit'
  | 'payload-link';

/** xattr name (no trailing NUL) → value as lowercase hex; keys in strcmp order. */
export type XattrMap = Record<string, string>;

export interface Provenance {
  /** Script that produced the file. */
  generator: string;
  /** Full `ostree --version` output. */
  ostreeVersion: string;
  /** First line of `tar --version`. */
  tarVersion: string;
  /** GLib used (via PyGObject) to decode/encode GVariants in the generator. */
  glibVersion: string;
  /** ISO-8601 UTC generation time (the only field that changes between runs). */
  generatedAt: string;
  note: string;
}

/**
 * The logical file info of a content object, decoded from its stored form the way ostree reads it
 * for this repo mode (archive: .filez header; bare-user: `user.ostreemeta`; bare: lstat + xattrs;
 * bare-user-only: lstat, uid/gid 0, no xattrs). Verified by the generator: the content stream
 * rebuilt from these fields and the payload hashes to the object's checksum.
 */
export interface ContentInfo {
  uid: number;
  gid: number;
  /** Octal st_mode including the file type bits, e.g. `"100644"`, `"104755"`, `"120777"`. */
  mode: string;
  /** Symlink target, or null for regular files. */
  symlinkTarget: string | null;
  xattrs: XattrMap;
  /** Uncompressed payload length (0 for symlinks). */
  payloadSize: number;
  payloadSha256: string;
  /** Content header H = GVariant `(uuuusa(ayay))`, integers big-endian, as hex. */
  headerHex: string;
}

/** One loose object file under `objects/`, as found on disk after extracting the tarball. */
export interface ObjectEntry {
  /** Path relative to the repo root, e.g. `objects/44/6a0e…5488.dirmeta`. */
  path: string;
  /** 64 lowercase hex chars (directory name + file stem). */
  checksum: string;
  objtype: ObjectType;
  /** On-disk file type (bare/bare-user-only store symlink objects as real symlinks). */
  type: 'file' | 'symlink';
  /** lstat size in bytes. */
  size: number;
  /** On-disk st_mode in octal including type bits, e.g. `"100644"`, `"120777"`. */
  mode: string;
  uid: number;
  gid: number;
  /** Present iff `type === 'symlink'`. */
  symlinkTarget?: string;
  /** All on-disk xattrs (`user.ostreemeta` for bare-user content, real xattrs for bare). */
  xattrs: XattrMap;
  /** Present for content objects (`file`/`filez`). */
  content?: ContentInfo;
}

/** Any non-object path in the repo (dirs included), e.g. `config`, `refs/heads/test/main`. */
export interface FileEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** lstat size; 0 for directories. */
  size: number;
  /** Octal st_mode including type bits, e.g. `"40755"`, `"100640"`. */
  mode: string;
  uid: number;
  gid: number;
  symlinkTarget?: string;
  xattrs: XattrMap;
  /** Regular files only. */
  sha256?: string;
  /** Regular files of at most 4096 bytes only. */
  contentHex?: string;
}

/** Exact stdout of real ostree commands run against the extracted repo for one commit. */
export interface CommitOstreeOutputs {
  /** `ostree log COMMIT` */
  log: string;
  /** `ostree show COMMIT` */
  show: string;
  /** `ostree ls -R COMMIT` */
  lsR: string;
  /** `ostree ls -R -C COMMIT` */
  lsRC: string;
  /** `ostree ls -R -X COMMIT` */
  lsRX: string;
  /** `ostree cat COMMIT PATH` for `/README.txt` and `/data/größe.txt`. */
  cat: Record<string, string>;
  /** `ostree show --print-sizes COMMIT` (only for commits carrying `ostree.sizes`). */
  showPrintSizes?: string;
  /** `ostree show --print-detached-metadata-key=KEY COMMIT` (only if a .commitmeta exists). */
  showDetachedKey?: Record<string, string>;
}

export interface CommitEntry {
  checksum: string;
  /** Refs under refs/heads pointing at this commit. */
  refs: string[];
  parent: string | null;
  subject: string;
  body: string;
  /** Seconds since the epoch (stored big-endian in the object). */
  timestamp: number;
  /** Metadata key `version`, if present. */
  version: string | null;
  rootDirtree: string;
  rootDirmeta: string;
  /** sha256(rootDirtree bytes ‖ rootDirmeta bytes), as printed by `ostree log`. */
  contentChecksum: string;
  /** Byte length of the commit object. */
  size: number;
  /** Metadata keys in stored order. */
  metadataKeys: string[];
  /** g_variant_print(metadata a{sv}, TRUE). */
  metadataText: string;
  /** g_variant_print of the .commitmeta a{sv}, or null if the commit has none. */
  detachedMetadataText: string | null;
  ostree: CommitOstreeOutputs;
}

export interface RepoManifest {
  schemaVersion: 1;
  provenance: Provenance;
  mode: RepoMode;
  /** `mode=` value from `config` (`archive-z2` for archive). */
  coreMode: string;
  /** Tarball path relative to the monorepo root. */
  tarball: string;
  /** Top-level directory inside the tarball (the repo root). */
  repoDir: 'repo';
  /** Full text of `repo/config`. */
  config: string;
  /** refs/heads name → commit checksum. */
  refs: Record<string, string>;
  /** Every commit object, sorted by (timestamp, checksum). */
  commits: CommitEntry[];
  objectCounts: Partial<Record<ObjectType, number>>;
  /** Every loose object, sorted by path (bytewise). */
  objects: ObjectEntry[];
  /** Every other path (dirs, config, refs, summary, .lock, tmp/…), sorted by path. */
  files: FileEntry[];
  /** Expected `ostree fsck --repo=REPO` result on the extracted repo. */
  fsck: { command: string; exitCode: number; stdout: string; stderr: string };
  /** `ostree refs` output, and `ostree summary --view` if the repo has a summary. */
  ostreeOutputs: { refs: string; summaryView?: string };
}

// ---------------------------------------------------------------------------------------------
// Object vectors (test-vectors/objects/<kind>.json)
// ---------------------------------------------------------------------------------------------

export interface ObjectVectorProvenance {
  generator: string;
  source: string;
  ostreeVersion: string;
  glibVersion: string;
  generatedAt: string;
  description: string;
}

/** commit / dirtree / dirmeta / commitmeta objects (deduplicated across the four repos). */
export interface MetadataObjectVector {
  /** Object name. Equals `sha256` except for commitmeta (named after its commit). */
  checksum: string;
  objtype: 'commit' | 'dirtree' | 'dirmeta' | 'commitmeta';
  /** First repo it was taken from, and its path there. */
  repo: RepoMode;
  path: string;
  /** Every golden repo holding these exact bytes at `path`. */
  repos: RepoMode[];
  size: number;
  /** sha256 of the bytes. */
  sha256: string;
  variantType: string;
  normalForm: boolean;
  /** g_variant_print(value, TRUE) of the raw bytes (BE integers appear byte-swapped). */
  variantText: string;
  hex: string;
}

/** archive-mode `.filez` object (payload ≤ 64 KiB). */
export interface FilezVector {
  /** Checksum of the uncompressed content stream (see ContentStreamVector). */
  checksum: string;
  objtype: 'filez';
  repo: 'archive';
  path: string;
  size: number;
  uid: number;
  gid: number;
  mode: string;
  symlinkTarget: string | null;
  xattrs: XattrMap;
  /** `(tuuuusa(ayay))` */
  storedHeaderType: string;
  storedHeaderHex: string;
  storedHeaderText: string;
  payloadSize: number;
  /** Raw-deflate bytes after the header (empty for symlinks). */
  compressedPayloadHex: string;
  payloadHex: string;
  /** H = `(uuuusa(ayay))` of the content stream. */
  contentHeaderHex: string;
  /** Whole object file. */
  hex: string;
}

/** Canonical content stream = BE32(len H) ‖ 00000000 ‖ H ‖ payload; sha256(stream) = checksum. */
export interface ContentStreamVector {
  checksum: string;
  objtype: 'file';
  derivedFrom: { repo: RepoMode; path: string }[];
  uid: number;
  gid: number;
  mode: string;
  symlinkTarget: string | null;
  xattrs: XattrMap;
  /** `(uuuusa(ayay))` */
  headerType: string;
  headerHex: string;
  headerText: string;
  payloadSize: number;
  payloadHex: string;
  streamHex: string;
}

export interface TombstoneVector {
  /** Checksum of the deleted commit (the tombstone's name, not a hash of its bytes). */
  checksum: string;
  objtype: 'tombstone-commit';
  repo: string;
  path: string;
  size: number;
  sha256: string;
  variantType: 'a{sv}';
  normalForm: boolean;
  variantText: string;
  hex: string;
}

export interface TombstoneScenario {
  commands: string[];
  deletedCommit: string;
  refAfter: Record<string, string>;
  pruneOutput: string;
  commitObjectRemains: boolean;
  commitmetaRemains: boolean;
  configAfter: string;
  fsckAfter: { exitCode: number; stdout: string; stderr: string };
}

export interface SummaryVector {
  objtype: 'summary';
  repo: 'archive';
  path: 'summary';
  size: number;
  sha256: string;
  variantType: string;
  normalForm: boolean;
  variantText: string;
  /** `ostree summary --view` */
  ostreeSummaryView: string;
  hex: string;
}

export interface SkippedVector {
  checksum: string;
  path?: string;
  size?: number;
  payloadSize: number;
  reason: string;
  derivedFrom?: { repo: RepoMode; path: string }[];
}

export interface ObjectVectorKinds {
  commit: MetadataObjectVector;
  dirtree: MetadataObjectVector;
  dirmeta: MetadataObjectVector;
  commitmeta: MetadataObjectVector;
  'tombstone-commit': TombstoneVector;
  filez: FilezVector;
  'content-stream': ContentStreamVector;
  summary: SummaryVector;
}

export type ObjectVectorKind = keyof ObjectVectorKinds;

export interface ObjectVectorFile<K extends ObjectVectorKind = ObjectVectorKind> {
  schemaVersion: 1;
  kind: K;
  provenance: ObjectVectorProvenance;
  /** Objects left out because they are too large (filez, content-stream). */
  skipped?: SkippedVector[];
  /** How the tombstone was made (tombstone-commit only). */
  scenario?: TombstoneScenario;
  vectors: ObjectVectorKinds[K][];
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const REPOS_DIR = fileURLToPath(new URL('.', import.meta.url));
const OBJECTS_DIR = fileURLToPath(new URL('../objects/', import.meta.url));

function checkMode(mode: string): asserts mode is RepoMode {
  if (!(REPO_MODES as readonly string[]).includes(mode)) {
    throw new Error(`unknown golden repo mode: ${mode}`);
  }
}

/** Absolute path of `test-vectors/repos/<mode>.tar.gz`. */
export function tarballPath(mode: RepoMode): string {
  checkMode(mode);
  return join(REPOS_DIR, `${mode}.tar.gz`);
}

/** Reads `test-vectors/repos/<mode>.json` (synchronous, so usable at test-collection time). */
export function loadManifest(mode: RepoMode): RepoManifest {
  checkMode(mode);
  return JSON.parse(readFileSync(join(REPOS_DIR, `${mode}.json`), 'utf8')) as RepoManifest;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err) {
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${String(stderr)}`));
      } else {
        resolve();
      }
    });
  });
}

export interface UnpackedRepo {
  /** Absolute path of the extracted repo root (contains `config`, `objects/`, …). */
  path: string;
  manifest: RepoManifest;
  /** Removes the temp dir. Safe to call twice. */
  cleanup(): Promise<void>;
}

/**
 * Extracts the golden repo of the given mode into a fresh `fs.mkdtemp` directory with
 * `tar --xattrs --xattrs-include='*'` (xattrs such as `user.ostreemeta` survive). Run as root to
 * also restore the recorded owners (uid 1000 objects in `bare`); otherwise files are owned by the
 * current user, which tests comparing uid/gid must allow for.
 */
export async function unpackRepo(mode: RepoMode): Promise<UnpackedRepo> {
  const manifest = loadManifest(mode);
  const dir = await mkdtemp(join(tmpdir(), `ostree-ts-golden-${mode}-`));
  try {
    await run('tar', [
      '--extract',
      '--gzip',
      `--file=${tarballPath(mode)}`,
      `--directory=${dir}`,
      '--xattrs',
      '--xattrs-include=*',
      '--numeric-owner',
      '--preserve-permissions',
    ]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    path: join(dir, manifest.repoDir),
    manifest,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Reads `test-vectors/objects/<kind>.json`. */
export async function loadObjectVectors<K extends ObjectVectorKind>(
  kind: K,
): Promise<ObjectVectorFile<K>> {
  return JSON.parse(await readFile(join(OBJECTS_DIR, `${kind}.json`), 'utf8')) as ObjectVectorFile<K>;
}

/** Synchronous variant of {@link loadObjectVectors} (for `it.each` at collection time). */
export function loadObjectVectorsSync<K extends ObjectVectorKind>(kind: K): ObjectVectorFile<K> {
  return JSON.parse(readFileSync(join(OBJECTS_DIR, `${kind}.json`), 'utf8')) as ObjectVectorFile<K>;
}

/** Lowercase/uppercase hex string → bytes. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error('invalid hex');
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
