#!/usr/bin/python3
"""Generate test-vectors/keyfile/vectors.json from GLib's own GKeyFile.

Usage (from the repository root):

    /usr/bin/python3 test-vectors/keyfile/generate.py

Every case below is run through GLib (see glib_keyfile.py for what is
recorded). The output is deterministic: no randomness, no timestamps; the
provenance block records the GLib/PyGObject versions and a hash of the two
generator sources. Re-running on the same GLib must reproduce the file
byte for byte.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

import glib_keyfile as oracle  # noqa: E402

REPO_CONFIG = (
    '[core]\n'
    'repo_version=1\n'
    'mode=archive-z2\n'
    '\n'
    '[remote "origin"]\n'
    'url=https://example.com/ostree/repo\n'
    'gpg-verify=false\n'
    'branches=a;b;\n'
    '\n'
    '[sysroot]\n'
    'bootloader=uboot\n'
)

ORIGIN = '[origin]\nrefspec=fedora:fedora/x86_64/silverblue\n'


def q(call, group=None, key=None):
    return {'call': call, 'group': group, 'key': key}


def op(name, group=None, key=None, value=None, **_):
    d = {'op': name, 'group': group, 'key': key}
    if value is not None or name in ('setComment',):
        d['value'] = value
    return d


CASES = []


def case(name, description, text, ops=(), queries=(), **options):
    CASES.append({
        'name': name,
        'description': description,
        'input': text,
        'options': {'keepComments': options.get('keepComments', True),
                    'keepTranslations': options.get('keepTranslations', False)},
        'ops': list(ops),
        'queries': list(queries),
    })


# --- realistic OSTree files -------------------------------------------------

case('ostree-repo-config', 'archive repo config as written by ostree init + remote add',
     REPO_CONFIG,
     queries=[q('getStringList', 'remote "origin"', 'branches'),
              q('getBoolean', 'remote "origin"', 'gpg-verify'),
              q('getInteger', 'core', 'repo_version'),
              q('hasGroup', 'sysroot'), q('hasGroup', 'remote "nope"')])

case('ostree-repo-config-no-comments', 'repo config loaded with G_KEY_FILE_NONE (blank lines dropped, then re-added between groups)',
     REPO_CONFIG, keepComments=False)

case('ostree-repo-config-edit', 'typical config edits: change mode, flip gpg-verify, extend branches, drop sysroot key, add a remote',
     REPO_CONFIG,
     ops=[op('setString', 'core', 'mode', 'bare-user-only'),
          op('setBoolean', 'remote "origin"', 'gpg-verify', True),
          op('setStringList', 'remote "origin"', 'branches', ['a', 'b', 'exampleos/x86_64/stable']),
          op('removeKey', 'sysroot', 'bootloader'),
          op('setString', 'remote "other"', 'url', 'file:///srv/repo'),
          op('setBoolean', 'remote "other"', 'gpg-verify', False),
          op('setInteger', 'core', 'min-free-space-percent', 3)])

case('ostree-repo-config-edit-no-comments', 'the same edits on a config loaded without comments',
     REPO_CONFIG, keepComments=False,
     ops=[op('setString', 'core', 'mode', 'bare'),
          op('removeGroup', 'sysroot'),
          op('setString', 'sysroot', 'bootloader', 'none')])

case('ostree-repo-config-remove-remote', 'ostree remote delete removes the whole group',
     REPO_CONFIG, ops=[op('removeGroup', 'remote "origin"')])

case('ostree-init-bare', 'minimal config written by ostree init --mode=bare',
     '[core]\nrepo_version=1\nmode=bare\n',
     ops=[op('setString', 'sysroot', 'bootloader', 'none'),
          op('setBoolean', 'sysroot', 'readonly', True)])

case('ostree-remotes-d', 'a remotes.d/*.conf file; values with = and : inside',
     '[remote "fedora"]\n'
     'url=https://ostree.example.org/\n'
     'contenturl=mirrorlist=https://ostree.example.org/mirrorlist\n'
     'gpg-verify=true\n'
     'gpgkeypath=/etc/pki/rpm-gpg/\n'
     'tls-permissive=false\n',
     queries=[q('getString', 'remote "fedora"', 'contenturl'),
              q('getBoolean', 'remote "fedora"', 'tls-permissive')])

case('ostree-origin', 'deployment .origin file',
     ORIGIN,
     ops=[op('setString', 'origin', 'refspec', 'fedora:fedora/x86_64/silverblue-next')])

case('ostree-origin-unlocked', 'origin with unlocked state and an rpm-ostree group',
     ORIGIN + '\n[rpmostree]\nrequested-packages=vim-enhanced;git;\n',
     ops=[op('setString', 'origin', 'unlocked', 'hotfix'),
          op('setStringList', 'rpmostree', 'requested-packages', ['vim-enhanced', 'git', 'htop']),
          op('removeKey', 'origin', 'unlocked')])

case('ostree-origin-override-commit', 'origin pinning a commit, value with spaces and a 64-hex checksum',
     '[origin]\nrefspec=os:os/stable\noverride-commit=' + 'ab' * 32 + '\n',
     ops=[op('setValue', 'origin', 'refspec', 'os:os/testing'), op('removeKey', 'origin', 'override-commit')])

case('ostree-config-with-comments', 'hand-edited config with comments everywhere',
     '# OSTree repository configuration\n'
     '# edited by hand\n'
     '\n'
     '[core]\n'
     '# format version\n'
     'repo_version=1\n'
     'mode=archive-z2 # trailing text is part of the value\n'
     '\n'
     '# the upstream\n'
     '[remote "origin"]\n'
     'url=https://example.com/repo\n'
     '  # indented comment\n'
     'gpg-verify=false\n',
     ops=[op('setString', 'core', 'mode', 'bare')])

# --- escapes and string values ---------------------------------------------

case('escapes-read', 'each escape sequence GLib knows, and bad ones',
     '[g]\n'
     'all=\\sa\\tb\\nc\\rd\\\\e\n'
     'unknown=a\\xb\n'
     'trailing=abc\\\n'
     'semi=a\\;b\n'
     'double=\\\\\\\\n\n'
     'space-mid=a\\sb\n')

case('set-string-escaping', 'setString escapes leading blanks, line breaks and backslashes but not trailing spaces or ;',
     '[g]\n',
     ops=[op('setString', 'g', 'lead', '  two leading'),
          op('setString', 'g', 'tabs', '\t\tx\ty'),
          op('setString', 'g', 'trail', 'trailing  '),
          op('setString', 'g', 'nl', 'line1\nline2\r\n'),
          op('setString', 'g', 'nl-then-space', '\n x'),
          op('setString', 'g', 'bs', 'C:\\path\\ x'),
          op('setString', 'g', 'bs-then-space', '\\ x'),
          op('setString', 'g', 'semi', 'a;b;'),
          op('setString', 'g', 'hash', '# not a comment'),
          op('setString', 'g', 'eq', 'a=b=c'),
          op('setString', 'g', 'empty', ''),
          op('setString', 'g', 'only-spaces', '   '),
          op('setString', 'g', 'unicode', ' ünï © 日本 😀 ')])

case('string-lists-read', 'list splitting: trailing separator, empty elements, escaped separator',
     '[g]\n'
     'plain=a;b\n'
     'trailing=a;b;\n'
     'empty-mid=a;;b\n'
     'only-sep=;\n'
     'two-sep=;;\n'
     'empty=\n'
     'escaped=a\\;b;c\n'
     'spaces= a ; b \n'
     'esc-space=\\sa;\\sb;\n'
     'trailing-bs=a;b\\\n'
     'bad-esc=a;\\q;\n')

case('string-lists-write', 'setStringList escaping, including leading blanks after a separator',
     '',
     ops=[op('setStringList', 'g', 'l1', ['', ' a', 'b;c', 'd\\', 'e\nf', ';', '  ', 'x y ']),
          op('setStringList', 'g', 'l2', []),
          op('setStringList', 'g', 'l3', ['']),
          op('setStringList', 'g', 'l4', ['one'])])

# --- comments and blank lines ------------------------------------------------

case('comment-placement', 'top comment, comment above a header, after a header, above a key, at end of file',
     '# top 1\n#top 2\n\n[a]\n# after header\nk=v\n# before b\n\n[b]\n#kc1\n\n#kc2\nx=1\n# trailing\n',
     queries=[q('getComment', 'a', 'k'), q('getComment', 'b', 'x'), q('getComment', 'b')])

case('comment-top-no-blank', 'a top comment directly above the first group gets a blank line after it',
     '# c\n[a]\nk=v\n')

case('comment-indented-and-hash-in-value', 'indented comments are kept verbatim; # inside a value is data',
     '[a]\n   # indented\n\t#tab\nk=v #x\nurl=http://h/#frag\n')

case('comments-dropped', 'without KEEP_COMMENTS all comment and blank lines vanish',
     '# top\n\n[a]\n# c\nk=v\n\n\n[b]\n#x\ny=1\n', keepComments=False)

case('set-comments', 'setComment on top, group and key; multi-line and empty comments',
     '# old top\n[a]\n# old key comment\n\nk=v\n[b]\nx=1\n',
     ops=[op('setComment', None, None, ' new top\n second'),
          op('setComment', 'a', 'k', 'key comment'),
          op('setComment', 'b', None, 'group b comment'),
          op('setComment', 'b', 'x', ''),
          op('setComment', 'a', None, 'line1\n'),
          op('setComment', 'nope', None, 'x'),
          op('setComment', 'a', 'nope', 'x')])

case('remove-comments', 'removeComment on top, group and key',
     '# top\n\n[a]\n# kc\nk=v\n# gc\n[b]\nx=1\n',
     ops=[op('removeComment', None, None),
          op('removeComment', 'a', 'k'),
          op('removeComment', 'b', None)])

case('set-comments-no-keep', 'comments set through the API are written even without KEEP_COMMENTS',
     '# dropped\n[a]\nk=v\n', keepComments=False,
     ops=[op('setComment', None, None, 'top'), op('setComment', 'a', 'k', 'kc'),
          op('setComment', 'a', None, 'gc')])

case('blank-lines', 'runs of blank and whitespace-only lines',
     '\n\n[a]\n\n\nk=v\n   \n\t\n\n[b]\n\n')

case('blank-only', 'a file of only blank lines', '\n\n\n')

case('comment-only', 'a file of only a comment, no final newline', '# just a comment')

case('empty-file', 'the empty file', '',
     ops=[op('setString', 'new', 'k', 'v')])

# --- duplicates ---------------------------------------------------------------

case('duplicate-groups', 'a repeated group header continues the first group',
     '[a]\nx=1\n[b]\ny=2\n[a]\nz=3\nx=4\n# after second a\n',
     ops=[op('setString', 'a', 'w', 'new')])

case('duplicate-keys', 'a repeated key: both lines stay, getters see the last',
     '[a]\nk=1\nk=2\nother=x\nk=3\n',
     queries=[q('keys', 'a')])

case('duplicate-keys-remove', 'removing a repeated key removes only its last line; the earlier ones become invisible',
     '[a]\nk=1\n# c\nk=2\n',
     ops=[op('removeKey', 'a', 'k'), op('removeKey', 'a', 'k')],
     queries=[q('getComment', 'a', 'k'), q('keys', 'a')])

case('duplicate-keys-remove-then-set', 'after removing, setting the key appends a new line',
     '[a]\nk=1\nk=2\n',
     ops=[op('removeKey', 'a', 'k'), op('setValue', 'a', 'k', '9'), op('setValue', 'a', 'k', '10')])

case('duplicate-keys-comments', 'comments of a repeated key are those above its last line',
     '[a]\n# c1\nk=1\n# c2\nk=2\n# c3\nz=3\n',
     ops=[op('setComment', 'a', 'k', 'new'), op('removeComment', 'a', 'z')])

case('leading-formfeed-string', 'setString does not escape a leading form feed, which the parser then strips',
     '[a]\n', ops=[op('setString', 'a', 'ff', '\x0cx'), op('setStringList', 'a', 'l', ['\x0cy', '\x0cz'])])

case('duplicate-keys-set', 'setting a repeated key changes its last line only',
     '[a]\nk=1\nk=2\n', ops=[op('setValue', 'a', 'k', 'x')])

# --- locale keys -----------------------------------------------------------------

LOCALE_TEXT = ('[Desktop Entry]\nName=Files\nName[de]=Dateien\nName[C]=Files C\n'
               'Name[c]=lower c\nName[en_US.UTF-8@euro]=Euro\nName[]=empty locale\nComment=x\n')

case('locale-keys-default', 'without KEEP_TRANSLATIONS only locales in g_get_language_names() (here: C) are kept',
     LOCALE_TEXT, queries=[q('getString', 'Desktop Entry', 'Name[de]')])

case('locale-keys-keep', 'with KEEP_TRANSLATIONS every localized key is a distinct key',
     LOCALE_TEXT, keepTranslations=True,
     ops=[op('setString', 'Desktop Entry', 'Name[fr]', 'Fichiers'),
          op('removeKey', 'Desktop Entry', 'Name')],
     queries=[q('getString', 'Desktop Entry', 'Name[de]')])

# --- whitespace -------------------------------------------------------------------

case('whitespace-around-equals', 'blanks around = are dropped; the key keeps inner spaces',
     '[a]\nk = v\nk2\t=\tv2\n  indented=yes\nk3 =   \nmulti word key = value with  spaces\nk4=\\s lead\n')

case('trailing-whitespace', 'trailing blanks of values are kept; blanks after ] are accepted',
     '[a]  \t\nk=v   \nt=v\t\n  [b]\nx=1 \n',
     queries=[q('getBoolean', 'b', 'x'), q('getInteger', 'b', 'x')])

case('empty-values', 'empty values',
     '[a]\nk=\nl= \nm=\t\n')

case('missing-final-newline', 'last line without newline',
     '[a]\nk=v', ops=[op('setString', 'a', 'k2', 'v2')])

case('missing-final-newline-group', 'file ending in a group header without newline', '[a]\nk=v\n[b]')

case('crlf', 'CRLF line endings: one CR before LF is dropped',
     '[a]\r\nk=v\r\n\r\n# c\r\n[b]\r\nx=1\r\r\ny=2\r')

case('vertical-tab-not-space', 'vertical tab is not white space to the line parser (g_ascii_isspace)',
     '\x0b[a]\n')

case('formfeed-vtab', 'form feed is white space around lines and =; vertical tab stays in keys and values',
     '\x0c[a]\n\x0ck\x0c=\x0cv\nw\x0b=\x0bx\n\x0c\n')

case('non-ascii', 'UTF-8 group names, keys and values',
     '[grüße]\nschlüssel=wert ✓\nemoji=😀 🎉\n[日本語]\nキー=値\n',
     ops=[op('setString', 'grüße', 'neu', 'ßtraße'),
          op('setStringList', '日本語', 'リスト', ['一', '二;三'])])

case('odd-names', 'group and key names with spaces, quotes, = and punctuation',
     '[remote "a=b"]\nx-y.z@w=1\nMimeType/foo=2\nkey;semi=3\na b=4\n',
     ops=[op('setValue', 'weird group !"#$%&\'()*+,-./:;<>?@\\^_`{|}~', 'k', 'v')])

# --- typed getters ------------------------------------------------------------------

case('booleans', "GLib's accepted boolean spellings",
     '[b]\nt1=true\nt2=1\nf1=false\nf2=0\nsp=true \ntab=false\t\nT=True\nY=yes\nm=maybe\ne=\nup=TRUE\nlead=\\strue\n',
     ops=[op('setBoolean', 'b', 'set-true', True), op('setBoolean', 'b', 'set-false', False),
          op('setValue', 'b', 'raw-lead', ' true'), op('setValue', 'b', 'vt', 'true\x0b'),
          op('setValue', 'b', 'ff', '0\x0c')])

case('integers', 'int32/int64/uint64 parsing edge cases',
     '[i]\n'
     'a=42\nb=-7\nc=+3\nd=12 \ne=12 x\nf=12x\ng=0x1F\nh=2147483647\ni=2147483648\nj=-2147483648\n'
     'k=-2147483649\nl=007\nm=\nn=9223372036854775807\no=9223372036854775808\np=-9223372036854775809\n'
     'q=18446744073709551615\nr=18446744073709551616\ns=-1\nt=1.5\nu=-\nv=+\n',
     ops=[op('setValue', 'i', 'ws-only', ' '), op('setValue', 'i', 'ws-x', '\tx'),
          op('setValue', 'i', 'ws-num', ' 5'),
          op('setValue', 'i', 'vt-num', '\x0b5'), op('setValue', 'i', 'vt-only', '\x0b'),
          op('setValue', 'i', 'num-vt', '5\x0b'), op('setValue', 'i', 'num-ff', '5\x0c'),
          op('setValue', 'i', 'ff-only', '\x0c'),
          op('setInteger', 'i', 'set32', -2147483648),
          op('setInt64', 'i', 'set64', '-9223372036854775808'),
          op('setUint64', 'i', 'setu64', '18446744073709551615')])

# --- group / key removal and creation ----------------------------------------------

case('remove-middle-group', 'removing a group keeps the comment above its header (it belongs to the previous group)',
     '[a]\nk=v\n# about b\n[b]\nx=1\n[c]\ny=2\n',
     ops=[op('removeGroup', 'b')],
     queries=[q('getComment', 'c')])

case('remove-first-group', 'removing the first group',
     '# top\n[a]\nk=v\n\n[b]\nx=1\n', ops=[op('removeGroup', 'a')])

case('remove-all-then-add', 'removing every group then adding one',
     '# top\n[a]\nk=v\n', ops=[op('removeGroup', 'a'), op('setString', 'z', 'k', 'v')])

case('remove-missing', 'removing missing groups/keys reports errors',
     '[a]\nk=v\n',
     ops=[op('removeGroup', 'nope'), op('removeKey', 'nope', 'k'), op('removeKey', 'a', 'nope')],
     queries=[q('getValue', 'nope', 'k'), q('getValue', 'a', 'nope'), q('keys', 'nope'),
              q('getComment', 'nope'), q('getComment', 'a', 'nope'), q('getString', 'a', 'nope'),
              q('getBoolean', 'nope', 'x'), q('getInteger', 'a', 'zz')])

case('add-group-after-comment-end', 'a new group after a file that ends with a comment',
     '[a]\nk=v\n# end', ops=[op('setString', 'b', 'x', 'y')])

case('add-group-after-blank-end', 'a new group after a file that ends with a blank line',
     '[a]\nk=v\n\n', ops=[op('setString', 'b', 'x', 'y')])

case('add-key-after-comment', 'new keys go after trailing comments of the group',
     '[a]\nk=v\n# trailing\n\n[b]\n', ops=[op('setString', 'a', 'new', '1')])

case('readd-removed-group', 'a removed group comes back at the end',
     '[a]\nk=v\n[b]\nx=1\n', ops=[op('removeGroup', 'a'), op('setString', 'a', 'k', 'again')])

# --- parse errors -------------------------------------------------------------

for i, (text, why) in enumerate([
        ('k=v\n', 'key before any group'),
        ('# c\n\nk=v\n[a]\n', 'key after top comments, before any group'),
        ('[a\n', 'unterminated group header'),
        ('[a]x\n', 'text after the group header'),
        ('[a]]\n', 'two closing brackets'),
        ('[]\n', 'empty group name'),
        ('[a[b]\n', '[ inside group name'),
        ('[a\x01]\n', 'control character in group name'),
        ('[a]\nnovalue\n', 'line with neither = nor brackets'),
        ('[a]\n=v\n', 'empty key'),
        ('[a]\n  =v\n', 'empty key after blanks'),
        ('[a]\nk[de=v\n', 'unterminated locale'),
        ('[a]\nk[de]x=v\n', 'text after locale'),
        ('[a]\nk[d e]=v\n', 'space in locale'),
        ('[a]\nk]=v\n', '] in key'),
        ('[a]\nk=v\n[b\n', 'error on line 3'),
        ('[a]\r', 'CR after header at end of file'),
        ('[a]\nEncoding=latin1\n', 'non-UTF-8 Encoding in the first group'),
]):
    case('parse-error-%02d' % i, why, text)

case('encoding-utf8', 'Encoding=UTF-8 (any case) is accepted; other groups are not checked',
     '[a]\nEncoding=utf-8\n[b]\nEncoding=latin1\n')

case('encoding-duplicate-first-group', 'the Encoding check applies to the first group even when it is reopened',
     '[a]\n[b]\n[a]\nEncoding=UTF-8\n')


def main():
    results = []
    for c in CASES:
        results.append({**c, 'glib': oracle.run_case(c)})
    digest = hashlib.sha256()
    for f in ('generate.py', 'glib_keyfile.py'):
        with open(os.path.join(HERE, f), 'rb') as fh:
            digest.update(fh.read())
    doc = {
        'description': 'GKeyFile behaviour recorded from GLib for @ostree-ts/keyfile',
        'provenance': {
            'generator': 'test-vectors/keyfile/generate.py',
            'command': '/usr/bin/python3 test-vectors/keyfile/generate.py',
            'generatorSha256': digest.hexdigest(),
            'glib': oracle.glib_version(),
            'pygobject': oracle.pygobject_version(),
            'python': '%d.%d.%d' % sys.version_info[:3],
            'environment': 'LC_ALL=C, LANGUAGE/LANG/LC_MESSAGES unset (g_get_language_names() = C)',
            'loadCall': 'GLib.KeyFile().load_from_data(text, len(text.encode()), flags)',
        },
        'cases': results,
    }
    out = os.path.join(HERE, 'vectors.json')
    with open(out, 'w', encoding='utf-8') as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    print('wrote %d cases to %s' % (len(results), out))


if __name__ == '__main__':
    main()
