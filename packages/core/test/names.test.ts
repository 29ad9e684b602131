import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertValidFileName, assertValidRef, fileNameProblem, isOstreeError, isValidRef, isValidRemoteName, parseRefspec, formatRefspec } from '../src/index.js';

describe('ref names', () => {
  it.each(['main', 'test/main', 'os/x86_64/stable', 'a_b.c-d', '_x', '0abc'])('accepts %s', (r) => expect(isValidRef(r)).toBe(true));
  it.each(['', '/main', 'main/', 'a//b', '-x', '.x', 'a/.b', 'a b', 'ä', 'a:b', 'x/-y', 'a\n'])('rejects %j', (r) => {
    expect(isValidRef(r)).toBe(false);
    expect(() => assertValidRef(r)).toThrow(expect.objectContaining({ code: 'INVALID_REF' }));
  });
  it('remote names are single components', () => {
    expect(isValidRemoteName('origin')).toBe(true);
    expect(isValidRemoteName('a/b')).toBe(false);
  });
  it('parses and formats refspecs', () => {
    expect(parseRefspec('origin:os/stable')).toEqual({ remote: 'origin', ref: 'os/stable' });
    expect(parseRefspec('os/stable')).toEqual({ remote: undefined, ref: 'os/stable' });
    expect(() => parseRefspec('bad remote:x')).toThrow(expect.objectContaining({ code: 'INVALID_REF' }));
  });
  it('property: formatRefspec ∘ parseRefspec = id on valid refspecs', () => {
    const comp = fc.stringMatching(/^[A-Za-z0-9_][-._A-Za-z0-9]{0,8}$/);
    fc.assert(
      fc.property(fc.option(comp, { nil: undefined }), fc.array(comp, { minLength: 1, maxLength: 4 }), (remote, parts) => {
        const spec = formatRefspec({ remote, ref: parts.join('/') });
        expect(formatRefspec(parseRefspec(spec))).toBe(spec);
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe('tree entry names', () => {
  it.each(['', '.', '..', 'a/b', '/', 'a\0b'])('rejects %j with INVALID_FILENAME', (n) => {
    expect(fileNameProblem(n)).toBeTypeOf('string');
    let caught: unknown;
    try {
      assertValidFileName(n);
    } catch (e) {
      caught = e;
    }
    expect(isOstreeError(caught, 'INVALID_FILENAME')).toBe(true);
  });
  it.each(['...', '.hidden', 'größe.txt', '日本語', 'a'.repeat(255), ' '])('accepts %j', (n) => expect(fileNameProblem(n)).toBeUndefined());
});
