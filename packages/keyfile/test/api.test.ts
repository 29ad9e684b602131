// Unit tests for the public API: behaviours, options, errors and purity.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { escapeValue, isValidGroupName, isValidKeyName, KeyFile, KeyFileError, unescapeValue } from '../src/index.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KeyFileError);
    return (e as KeyFileError).code;
  }
  throw new Error('expected a KeyFileError');
}

const REPO_CONFIG = `[core]
repo_version=1
mode=bare

[remote "origin"]
url=https://example.com/repo
gpg-verify=true
`;

describe('README example: editing an ostree repo config', () => {
  it('produces what GLib produces', () => {
    const config = KeyFile.parse(REPO_CONFIG);
    expect(config.getInteger('core', 'repo_version')).toBe(1);
    config.setString('core', 'mode', 'archive-z2');
    config.setBoolean('remote "origin"', 'gpg-verify', false);
    config.setStringList('remote "origin"', 'branches', ['exampleos/x86_64/stable', 'exampleos/x86_64/testing']);
    config.setString('sysroot', 'bootloader', 'uboot');
    expect(config.toString()).toBe(
      '[core]\nrepo_version=1\nmode=archive-z2\n\n' +
        '[remote "origin"]\nurl=https://example.com/repo\ngpg-verify=false\n' +
        'branches=exampleos/x86_64/stable;exampleos/x86_64/testing;\n\n' +
        '[sysroot]\nbootloader=uboot\n',
    );
    expect(config.getStringList('remote "origin"', 'branches')).toEqual(['exampleos/x86_64/stable', 'exampleos/x86_64/testing']);
    expect(config.groups()).toEqual(['core', 'remote "origin"', 'sysroot']);
  });

  it('reads a deployment .origin file', () => {
    const origin = KeyFile.parse('[origin]\nrefspec=fedora:fedora/x86_64/silverblue\n', { keepComments: false });
    expect(origin.getString('origin', 'refspec')).toBe('fedora:fedora/x86_64/silverblue');
    expect(origin.hasKey('origin', 'unlocked')).toBe(false);
  });
});

describe('parsing', () => {
  it('normalises blanks around = and keeps trailing blanks of values', () => {
    const kf = KeyFile.parse('[a]\n  k \t=  v  \n');
    expect(kf.getValue('a', 'k')).toBe('v  ');
    expect(kf.toString()).toBe('[a]\nk=v  \n');
  });

  it('adds a final newline and a blank line between groups', () => {
    expect(KeyFile.parse('[a]\nk=v\n[b]\nx=1').toString()).toBe('[a]\nk=v\n\n[b]\nx=1\n');
  });

  it('drops one CR before LF only', () => {
    const kf = KeyFile.parse('[a]\r\nk=v\r\r\nz=1\r');
    expect(kf.getValue('a', 'k')).toBe('v\r');
    expect(kf.getValue('a', 'z')).toBe('1\r');
  });

  it('merges duplicate groups and keeps duplicate key lines (last one wins)', () => {
    const kf = KeyFile.parse('[a]\nk=1\n[b]\n[a]\nk=2\n');
    expect(kf.groups()).toEqual(['a', 'b']);
    expect(kf.keys('a')).toEqual(['k', 'k']);
    expect(kf.getValue('a', 'k')).toBe('2');
    expect(kf.toString()).toBe('[a]\nk=1\nk=2\n\n[b]\n');
    kf.removeKey('a', 'k');
    expect(kf.hasKey('a', 'k')).toBe(false);
    expect(kf.toString()).toBe('[a]\nk=1\n\n[b]\n');
  });

  it('keepComments: false drops comments and blank lines', () => {
    const text = '# top\n\n[a]\n# c\nk=v\n';
    expect(KeyFile.parse(text).toString()).toBe('# top\n\n[a]\n# c\nk=v\n');
    expect(KeyFile.parse(text, { keepComments: false }).toString()).toBe('[a]\nk=v\n');
  });

  it('filters translations like GLib unless keepTranslations is set', () => {
    const text = '[e]\nName=x\nName[de]=y\nName[C]=z\n';
    expect(KeyFile.parse(text).keys('e')).toEqual(['Name', 'Name[C]']);
    expect(KeyFile.parse(text, { languages: ['DE'] }).keys('e')).toEqual(['Name', 'Name[de]']);
    const all = KeyFile.parse(text, { keepTranslations: true });
    expect(all.keys('e')).toEqual(['Name', 'Name[de]', 'Name[C]']);
    expect(all.getString('e', 'Name[de]')).toBe('y');
    expect(all.getString('e', 'Name')).toBe('x');
  });

  it('reports parse errors with line numbers', () => {
    const cases: [string, string, number][] = [
      ['[a]\nk=v\nbogus\n', 'KEYFILE_PARSE', 3],
      ['# c\nk=v\n', 'KEYFILE_GROUP_NOT_FOUND', 2],
      ['[a]\n[b\n', 'KEYFILE_PARSE', 2],
      ['[a]\n k[x=v\n', 'KEYFILE_PARSE', 2],
      ['[a]\nEncoding=latin1\n', 'KEYFILE_UNKNOWN_ENCODING', 2],
      ['[a]\nk=v\0\n', 'KEYFILE_PARSE', 2],
    ];
    for (const [text, code, line] of cases) {
      try {
        KeyFile.parse(text);
        throw new Error(`no error for ${JSON.stringify(text)}`);
      } catch (e) {
        expect(e).toBeInstanceOf(KeyFileError);
        expect(e).toBeInstanceOf(Error);
        expect((e as KeyFileError).code).toBe(code);
        expect((e as KeyFileError).line).toBe(line);
        expect((e as KeyFileError).message).toContain(`line ${line}`);
        expect((e as KeyFileError).name).toBe('KeyFileError');
      }
    }
  });
});

describe('typed values', () => {
  const kf = KeyFile.parse('[v]\nt=true\none=1\nf=false \nm=maybe\nT=True\nn=-12 \nbig=2147483648\nhex=0x10\nu=-1\n');

  it('booleans', () => {
    expect(kf.getBoolean('v', 't')).toBe(true);
    expect(kf.getBoolean('v', 'one')).toBe(true);
    expect(kf.getBoolean('v', 'f')).toBe(false);
    expect(codeOf(() => kf.getBoolean('v', 'm'))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => kf.getBoolean('v', 'T'))).toBe('KEYFILE_INVALID_VALUE');
  });

  it('integers', () => {
    expect(kf.getInteger('v', 'n')).toBe(-12);
    expect(codeOf(() => kf.getInteger('v', 'big'))).toBe('KEYFILE_INVALID_VALUE');
    expect(kf.getInt64('v', 'big')).toBe(2147483648n);
    expect(codeOf(() => kf.getInteger('v', 'hex'))).toBe('KEYFILE_INVALID_VALUE');
    expect(kf.getUint64('v', 'u')).toBe(2n ** 64n - 1n);
    expect(codeOf(() => kf.getInt64('v', 'n'))).toBe('KEYFILE_INVALID_VALUE'); // trailing blank
  });

  it('setters validate their arguments', () => {
    const k = new KeyFile();
    expect(codeOf(() => k.setInteger('g', 'k', 1.5))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => k.setInteger('g', 'k', 2 ** 31))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => k.setInt64('g', 'k', 2n ** 63n))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => k.setUint64('g', 'k', -1n))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => k.setString('g', 'k', 'a\0b'))).toBe('KEYFILE_INVALID_VALUE');
    expect(codeOf(() => k.setValue('a]b', 'k', 'v'))).toBe('KEYFILE_INVALID_NAME');
    expect(codeOf(() => k.setValue('g', ' k', 'v'))).toBe('KEYFILE_INVALID_NAME');
    expect(codeOf(() => k.setValue('g', 'k[de', 'v'))).toBe('KEYFILE_INVALID_NAME');
    expect(k.toString()).toBe('');
    k.setInt64('g', 'min', -(2n ** 63n));
    k.setUint64('g', 'max', 2n ** 64n - 1n);
    k.setInteger('g', 'i', -7);
    expect(k.toString()).toBe('[g]\nmin=-9223372036854775808\nmax=18446744073709551615\ni=-7\n');
  });

  it('strings and lists escape like GLib', () => {
    const k = new KeyFile();
    k.setString('g', 's', '  a\tb \\ c\n');
    k.setStringList('g', 'l', [' x', 'y;z', '']);
    expect(k.toString()).toBe('[g]\ns=\\s\\sa\tb \\\\ c\\n\nl=\\sx;y\\;z;;\n');
    expect(k.getString('g', 's')).toBe('  a\tb \\ c\n');
    expect(k.getStringList('g', 'l')).toEqual([' x', 'y;z', '']);
    expect(codeOf(() => k.getString('g', 'l'))).toBe('KEYFILE_INVALID_VALUE'); // \; is list-only
  });

  it('GLib quirk: a leading form feed is not escaped, so it is lost on re-read', () => {
    const k = new KeyFile();
    k.setString('g', 's', '\fx');
    expect(k.getString('g', 's')).toBe('\fx');
    expect(KeyFile.parse(k.toString()).getString('g', 's')).toBe('x');
  });
});

describe('lookups and errors', () => {
  const kf = KeyFile.parse(REPO_CONFIG);

  it('missing groups and keys', () => {
    expect(kf.hasGroup('core')).toBe(true);
    expect(kf.hasGroup('nope')).toBe(false);
    expect(kf.hasKey('nope', 'k')).toBe(false);
    expect(codeOf(() => kf.keys('nope'))).toBe('KEYFILE_GROUP_NOT_FOUND');
    expect(codeOf(() => kf.getValue('core', 'nope'))).toBe('KEYFILE_KEY_NOT_FOUND');
    expect(codeOf(() => kf.getString('nope', 'mode'))).toBe('KEYFILE_GROUP_NOT_FOUND');
    expect(codeOf(() => kf.clone().removeGroup('nope'))).toBe('KEYFILE_GROUP_NOT_FOUND');
    expect(codeOf(() => kf.clone().removeKey('core', 'nope'))).toBe('KEYFILE_KEY_NOT_FOUND');
    try {
      kf.getValue('core', 'nope');
    } catch (e) {
      expect((e as KeyFileError).group).toBe('core');
      expect((e as KeyFileError).key).toBe('nope');
    }
  });

  it('clone is independent', () => {
    const a = KeyFile.parse(REPO_CONFIG);
    const b = a.clone();
    b.setString('core', 'mode', 'archive-z2');
    b.removeGroup('remote "origin"');
    expect(a.toString()).toBe(REPO_CONFIG);
    expect(b.toString()).toBe('[core]\nrepo_version=1\nmode=archive-z2\n\n');
    b.removeKey('core', 'mode');
    expect(a.getString('core', 'mode')).toBe('bare');
  });
});

describe('comments', () => {
  it('top, group and key comments as GLib reads them', () => {
    const kf = KeyFile.parse('# top\n[a]\n# about k\nk=v\n# about b\n[b]\nx=1\n');
    expect(kf.getComment()).toBe(' top');
    expect(kf.getComment('a')).toBe(' top'); // the first group's comment is the top block
    expect(kf.getComment('a', 'k')).toBe(' about k');
    expect(kf.getComment('b')).toBe(' about b');
    expect(kf.getComment('b', 'x')).toBeNull();
  });

  it('setComment / removeComment', () => {
    const kf = KeyFile.parse('[a]\n# old\nk=v\n');
    kf.setComment('a', 'k', 'new\nlines');
    kf.setComment(null, null, 'top');
    kf.setComment('a', null, 'group');
    expect(kf.toString()).toBe('#top\n\n#group\n[a]\n#new\n#lines\nk=v\n');
    expect(kf.getComment('a', 'k')).toBe('new\nlines');
    expect(kf.getComment('a')).toBe('#group'); // API-set group comments come back raw, as in GLib
    kf.removeComment('a', 'k');
    kf.removeComment('a');
    kf.removeComment();
    expect(kf.toString()).toBe('[a]\nk=v\n');
    expect(codeOf(() => kf.setComment('nope', null, 'x'))).toBe('KEYFILE_GROUP_NOT_FOUND');
    expect(codeOf(() => kf.setComment('a', 'nope', 'x'))).toBe('KEYFILE_KEY_NOT_FOUND');
  });
});

describe('helpers', () => {
  it('name validation', () => {
    expect(isValidGroupName('remote "origin"')).toBe(true);
    expect(isValidGroupName('')).toBe(false);
    expect(isValidGroupName('a\tb')).toBe(false);
    expect(isValidKeyName('Name[sr@latin]')).toBe(true);
    expect(isValidKeyName('a b')).toBe(true);
    expect(isValidKeyName('k[]')).toBe(true);
    expect(isValidKeyName('k[de]x')).toBe(false);
    expect(isValidKeyName('')).toBe(false);
  });

  it('escape helpers are inverse on ordinary strings', () => {
    for (const s of ['', ' a ', 'x\\y', 'a;b', '\n\t\r']) {
      const r = unescapeValue(escapeValue(s));
      expect(r.ok && r.value).toBe(s);
    }
    const list = unescapeValue('a;b\\;c;;', ';');
    expect(list.ok && list.pieces).toEqual(['a', 'b;c', '']);
  });
});

describe('purity', () => {
  it('src uses no Node built-ins, Buffer or process', () => {
    const dir = fileURLToPath(new URL('../src/', import.meta.url));
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(dir + f, 'utf8');
      expect(src, f).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});
