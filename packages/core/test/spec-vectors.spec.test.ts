// Vectors recorded from real ostree 2022.7 (../shared/spec/ostree-format.md, Appendix A and §2).
import { describe, expect, it } from 'vitest';
import {
  checksumFromModifiedBase64,
  checksumToModifiedBase64,
  contentChecksum,
  decodeCommit,
  decodeDirMeta,
  decodeDirTree,
  decodeTombstone,
  encodeArchiveHeader,
  encodeCommit,
  encodeDirMeta,
  encodeDirTree,
  encodeTombstone,
  frameHeader,
  fromHex,
  lookupMetadata,
  metadataChecksum,
  parseArchiveObject,
  toHex,
  xattr,
  commitContentChecksum,
  deltaDirectory,
  deltaIndexPath,
  S_IFREG,
  S_IFLNK,
  type FileHeader,
} from '../src/index.js';

const COMMIT_HEX =
  '76657273696f6e00312e3000007308006f73747265652e7265662d62696e64696e67000000000000' +
  '746573742f6d61696e000a006173130f37466972737420636f6d6d697400426f6479207465787400' +
  '000000005fee6600971f47891316096d9517d814cc2c3ab949d96184eec97a9b33d6273318004670' +
  '446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488785046393939';
const COMMIT_CSUM = 'd9b1b3a6fc4730c14721c9c03a4c5173412ef822465cf07cf8287318952d0dba';

const file = (mode: number, extra: Partial<FileHeader> = {}): FileHeader => ({
  uid: 0,
  gid: 0,
  mode,
  rdev: 0,
  symlinkTarget: '',
  xattrs: [],
  ...extra,
});
const text = (s: string) => new TextEncoder().encode(s);

describe('dirmeta', () => {
  it('root 0755 dirmeta round-trips to its recorded bytes and checksum', () => {
    const bytes = fromHex('0000000000000000000041ed');
    const meta = decodeDirMeta(bytes);
    expect(meta).toEqual({ uid: 0, gid: 0, mode: 0o40755, xattrs: [] });
    expect(toHex(encodeDirMeta(meta))).toBe('0000000000000000000041ed');
    expect(metadataChecksum(bytes)).toBe('446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488');
  });
});

describe('dirtree', () => {
  const cases = [
    [
      '72756e2e73680089b350d278ff59ba4780bc377b8ebfee8ade6b55c99fab1ec84e133bc6ea52c5072829',
      '230db4e51acc220a7118c2f5904c9e45b637e0ef4a6093ba58aab0c6e303ae51',
      'run.sh',
    ],
    [
      '782e74787400319d6963922804b372cd6b3e2c4a016a2e58b59275fd6d02caf4eb5f05dfc3e6062728',
      '9e31a8dc461bc1126fdde84d67b03545591468f221d56d787154a355b26dd2aa',
      'x.txt',
    ],
  ] as const;
  it.each(cases)('decodes, re-encodes and hashes %s', (hex, csum, name) => {
    const tree = decodeDirTree(fromHex(hex));
    expect(tree.files.map((f) => f.name)).toEqual([name]);
    expect(tree.dirs).toEqual([]);
    expect(toHex(encodeDirTree(tree))).toBe(hex);
    expect(metadataChecksum(fromHex(hex))).toBe(csum);
  });
});

describe('commit', () => {
  it('decodes the recorded commit field by field', () => {
    const c = decodeCommit(fromHex(COMMIT_HEX));
    expect(c.subject).toBe('First commit');
    expect(c.body).toBe('Body text');
    expect(c.timestamp).toBe(1609459200n);
    expect(c.parent).toBeUndefined();
    expect(c.related).toEqual([]);
    expect(c.rootMeta).toBe('446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488');
    expect(lookupMetadata(c.metadata, 'version')).toEqual({ type: 's', value: '1.0' });
    expect(lookupMetadata(c.metadata, 'ostree.ref-binding')).toEqual({ type: 'as', value: ['test/main'] });
    expect(toHex(encodeCommit(c))).toBe(COMMIT_HEX);
    expect(metadataChecksum(fromHex(COMMIT_HEX))).toBe(COMMIT_CSUM);
  });

  it('computes the content checksum ostree log prints', () => {
    const c = decodeCommit(fromHex(COMMIT_HEX));
    expect(commitContentChecksum(c).startsWith('499a3a8b')).toBe(true);
  });
});

describe('tombstone', () => {
  it('matches the recorded tombstone bytes', () => {
    const hex =
      '636f6d6d697400006439623162336136666334373330633134373231633963303361346335313733343132656638323234363563663037636638323837333138393532643064626100006179074d';
    expect(toHex(encodeTombstone(COMMIT_CSUM))).toBe(hex);
    expect(decodeTombstone(fromHex(hex))).toBe(COMMIT_CSUM);
  });
});

describe('content checksums', () => {
  it.each([
    ['hello\\n 0644', file(S_IFREG | 0o644), text('hello\n'), '44f778e59f0a4748d6b0c90a47347212a231c4ad1e8f7ea5c5dffc7749153a6b'],
    ['uid/gid 1000', file(S_IFREG | 0o644, { uid: 1000, gid: 1000 }), text('hello\n'), '7e4bad27e0a4c4a24dd8978133cc8b0c9b222c9d3156a0f554b5490876b37f88'],
    ['symlink', file(S_IFLNK | 0o777, { symlinkTarget: 'hello.txt' }), new Uint8Array(0), 'f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35'],
    [
      'xattrs',
      file(S_IFREG | 0o644, { xattrs: [xattr('user.abc', '123'), xattr('user.foo', 'bar')] }),
      text('xattr file\n'),
      '319d6963922804b372cd6b3e2c4a016a2e58b59275fd6d02caf4eb5f05dfc3e6',
    ],
    ['empty file', file(S_IFREG | 0o644), new Uint8Array(0), 'cc700d46f407c6c5ab2d5dde474366a928b7398277e61162e7f8ec06f469f07e'],
    ['script 0755', file(S_IFREG | 0o755), text('#!/bin/sh\necho hi\n'), '89b350d278ff59ba4780bc377b8ebfee8ade6b55c99fab1ec84e133bc6ea52c5'],
  ])('%s', (_name, header, payload, expected) => {
    expect(contentChecksum(header, payload)).toBe(expected);
  });
});

describe('archive .filez headers', () => {
  const filez = [
    ['0000001a0000000000000000000000060000000000000000000081a4000000000019cb48cdc9c9e70200', file(S_IFREG | 0o644), 6n],
    ['0000001a0000000000000000000000120000000000000000000081ed0000000000195356d44fcaccd32fcee04a4dcec857c8c8e40200', file(S_IFREG | 0o755), 18n],
    ['0000001a0000000000000000000000000000000000000000000081a40000000000190300', file(S_IFREG | 0o644), 0n],
    [
      '0000002300000000000000000000000000000000000000000000a1ff0000000068656c6c6f2e7478740022',
      file(S_IFLNK | 0o777, { symlinkTarget: 'hello.txt' }),
      0n,
    ],
    [
      '0000003600000000000000000000000b0000000000000000000081a40000000000757365722e6162630031323309757365722e666f6f00626172090d1a19ab482c29295248cbcc49e50200',
      file(S_IFREG | 0o644, { xattrs: [xattr('user.abc', '123'), xattr('user.foo', 'bar')] }),
      11n,
    ],
  ] as const;
  it.each(filez)('parses and re-encodes %s', (hex, header, size) => {
    const bytes = fromHex(hex);
    const parsed = parseArchiveObject(bytes);
    expect(parsed.header).toEqual(header);
    expect(parsed.size).toBe(size);
    const prefix = frameHeader(encodeArchiveHeader(header, size));
    expect(toHex(prefix)).toBe(hex.slice(0, parsed.payloadOffset * 2));
  });
});

describe('modified base64 and delta paths', () => {
  const pairs = [
    ['3d49596318c31b3b1bb1f784a1a87c9f9e6d5bc93fa9f929d18c36792344727c', 'PUlZYxjDGzsbsfeEoah8n55tW8k_qfkp0Yw2eSNEcnw'],
    ['71d6f382373123ec368974d92cae7707631d0068ae9c113423803d08d7b787b0', 'cdbzgjcxI+w2iXTZLK53B2MdAGiunBE0I4A9CNe3h7A'],
  ] as const;
  it.each(pairs)('%s <-> %s', (hex, b64) => {
    expect(checksumToModifiedBase64(hex)).toBe(b64);
    expect(checksumFromModifiedBase64(b64)).toBe(hex);
  });
  it('builds the recorded delta directory and index path', () => {
    expect(deltaDirectory(pairs[0][0], pairs[1][0])).toBe(
      'deltas/PU/lZYxjDGzsbsfeEoah8n55tW8k_qfkp0Yw2eSNEcnw-cdbzgjcxI+w2iXTZLK53B2MdAGiunBE0I4A9CNe3h7A',
    );
    expect(deltaIndexPath(pairs[1][0])).toBe('delta-indexes/cd/bzgjcxI+w2iXTZLK53B2MdAGiunBE0I4A9CNe3h7A.index');
  });
});
