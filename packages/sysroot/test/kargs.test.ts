import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelArgs } from '../src/kargs.js';

describe('KernelArgs (ostree_kernel_args semantics)', () => {
  it('replace keeps the position of the first argument with the key and drops the others', () => {
    const k = KernelArgs.parse('a=1 console=tty0 b console=ttyS0 c');
    k.replace('console=ttyS1');
    expect(k.toString()).toBe('a=1 console=ttyS1 b c');
    k.replace('new=x');
    expect(k.toString()).toBe('a=1 console=ttyS1 b c new=x');
  });

  it('append always adds; appendIfMissing looks the whole argument up as a key, like ostree', () => {
    const k = KernelArgs.parse('quiet foo=bar');
    k.append('foo=baz');
    expect(k.toString()).toBe('quiet foo=bar foo=baz');
    k.appendIfMissing('quiet');
    k.appendIfMissing('foo=bar');
    expect(k.toString()).toBe('quiet foo=bar foo=baz foo=bar');
  });

  it('delete removes one exact key=value or a single-valued key, and refuses the rest', () => {
    const k = KernelArgs.parse('a=1 a=2 b=3 c');
    k.delete('a=2');
    expect(k.toString()).toBe('a=1 b=3 c');
    k.delete('c');
    expect(k.toString()).toBe('a=1 b=3');
    expect(() => k.delete('zzz')).toThrow(/No karg 'zzz' found/);
    k.append('a=9');
    expect(() => k.delete('a')).toThrow(/Multiple values/);
  });

  it('replacing ostree= with a bare key drops its value (the bootconfig comparison form)', () => {
    const k = KernelArgs.parse('root=x ostree=/ostree/boot.1/os/c/0 quiet');
    k.replace('ostree');
    expect(k.toString()).toBe('root=x ostree quiet');
  });

  it('parse and toString round-trip any space-free arguments', () => {
    const arg = fc.stringMatching(/^[a-z][a-z0-9_.=-]{0,12}$/);
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 12 }), (args) => {
        const line = args.join(' ');
        expect(KernelArgs.parse(line).toString()).toBe(line);
        expect(KernelArgs.from(args).toArray()).toEqual(args);
      }),
    );
  });

  it('after replace(k=v) exactly one argument has key k, with value v', () => {
    const key = fc.constantFrom('a', 'b', 'console', 'root');
    const argument = fc.tuple(key, fc.option(fc.stringMatching(/^[a-z0-9]{0,4}$/), { nil: undefined })).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 10 }), key, fc.stringMatching(/^[a-z0-9]{1,4}$/), (args, k, v) => {
        const ka = KernelArgs.from(args);
        ka.replace(`${k}=${v}`);
        const withKey = ka.toArray().filter((a) => a === k || a.startsWith(`${k}=`));
        expect(withKey).toEqual([`${k}=${v}`]);
        const others = args.filter((a) => !(a === k || a.startsWith(`${k}=`)));
        expect(ka.toArray().filter((a) => !(a === k || a.startsWith(`${k}=`)))).toEqual(others);
      }),
    );
  });
});
