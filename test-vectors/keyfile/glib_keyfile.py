#!/usr/bin/python3
"""GLib GKeyFile oracle for @ostree-ts/keyfile.

Runs a "case" (input text, load flags, a list of operations, optional extra
queries) against GLib's real GKeyFile through PyGObject and reports what GLib
did: the load error, or each operation's outcome, to_data() and the result of
every getter. Used two ways:

* imported by generate.py, which writes test-vectors/keyfile/vectors.json;
* run as a program (`/usr/bin/python3 glib_keyfile.py`), it serves cases as
  JSON lines on stdin/stdout for the live differential test.

Must run under the system python (/usr/bin/python3) that has python3-gi.
"""
import os
import sys
import json

# g_get_language_names() reads these; pin them so that locale-suffixed keys are
# filtered deterministically (GLib then reports ["C"]).
os.environ['LC_ALL'] = 'C'
for _v in ('LANGUAGE', 'LC_MESSAGES', 'LANG'):
    os.environ.pop(_v, None)

import gi  # noqa: E402
from gi.repository import GLib  # noqa: E402

CODE_NAMES = {
    0: 'KEYFILE_UNKNOWN_ENCODING',
    1: 'KEYFILE_PARSE',
    2: 'KEYFILE_NOT_FOUND',
    3: 'KEYFILE_KEY_NOT_FOUND',
    4: 'KEYFILE_GROUP_NOT_FOUND',
    5: 'KEYFILE_INVALID_VALUE',
}


def glib_version():
    return '%d.%d.%d' % (GLib.MAJOR_VERSION, GLib.MINOR_VERSION, GLib.MICRO_VERSION)


def pygobject_version():
    return '.'.join(str(x) for x in gi.version_info)


def err(e):
    return {'ok': False, 'code': CODE_NAMES.get(e.code, 'GLIB_%d' % e.code)}


def attempt(fn):
    try:
        return {'ok': True, 'value': fn()}
    except GLib.Error as e:
        return err(e)


def flags_of(options):
    flags = GLib.KeyFileFlags.NONE
    if options.get('keepComments', True):
        flags |= GLib.KeyFileFlags.KEEP_COMMENTS
    if options.get('keepTranslations', False):
        flags |= GLib.KeyFileFlags.KEEP_TRANSLATIONS
    return flags


def apply_op(kf, op):
    name = op['op']
    g = op.get('group')
    k = op.get('key')
    v = op.get('value')
    if name == 'setValue':
        kf.set_value(g, k, v)
    elif name == 'setString':
        kf.set_string(g, k, v)
    elif name == 'setBoolean':
        kf.set_boolean(g, k, v)
    elif name == 'setInteger':
        kf.set_integer(g, k, v)
    elif name == 'setInt64':
        kf.set_int64(g, k, int(v))
    elif name == 'setUint64':
        kf.set_uint64(g, k, int(v))
    elif name == 'setStringList':
        kf.set_string_list(g, k, v)
    elif name == 'removeKey':
        kf.remove_key(g, k)
    elif name == 'removeGroup':
        kf.remove_group(g)
    elif name == 'setComment':
        kf.set_comment(g, k, v)
    elif name == 'removeComment':
        kf.remove_comment(g, k)
    else:
        raise ValueError('unknown op %r' % name)


def query(kf, call, g=None, k=None):
    if call == 'getValue':
        return attempt(lambda: kf.get_value(g, k))
    if call == 'getString':
        return attempt(lambda: kf.get_string(g, k))
    if call == 'getStringList':
        return attempt(lambda: list(kf.get_string_list(g, k)))
    if call == 'getBoolean':
        return attempt(lambda: bool(kf.get_boolean(g, k)))
    if call == 'getInteger':
        return attempt(lambda: kf.get_integer(g, k))
    if call == 'getInt64':
        return attempt(lambda: str(kf.get_int64(g, k)))
    if call == 'getUint64':
        return attempt(lambda: str(kf.get_uint64(g, k)))
    if call == 'getComment':
        return attempt(lambda: kf.get_comment(g, k))
    if call == 'keys':
        return attempt(lambda: list(kf.get_keys(g)[0]))
    if call == 'hasGroup':
        return {'ok': True, 'value': bool(kf.has_group(g))}
    raise ValueError('unknown query %r' % call)


VALUE_CALLS = ('getValue', 'getString', 'getStringList', 'getBoolean',
               'getInteger', 'getInt64', 'getUint64', 'getComment')


def snapshot(kf):
    groups = list(kf.get_groups()[0])
    out = {'groups': groups, 'topComment': query(kf, 'getComment'), 'detail': []}
    for g in groups:
        keys = list(kf.get_keys(g)[0])
        values = []
        for k in dict.fromkeys(keys):
            entry = {'key': k}
            for call in VALUE_CALLS:
                entry[call] = query(kf, call, g, k)
            values.append(entry)
        out['detail'].append({'name': g, 'keys': keys,
                              'comment': query(kf, 'getComment', g), 'values': values})
    return out


def run_case(case):
    """Run one case; returns GLib's observable behaviour as a JSON-able dict."""
    text = case['input']
    kf = GLib.KeyFile()
    try:
        kf.load_from_data(text, len(text.encode('utf-8')), flags_of(case.get('options', {})))
    except GLib.Error as e:
        return {'loadError': err(e)['code']}
    op_results = []
    for op in case.get('ops', []):
        try:
            apply_op(kf, op)
            op_results.append({'ok': True})
        except GLib.Error as e:
            op_results.append(err(e))
    result = {'opResults': op_results, 'output': kf.to_data()[0], 'snapshot': snapshot(kf)}
    queries = case.get('queries')
    if queries:
        result['queries'] = [query(kf, q['call'], q.get('group'), q.get('key')) for q in queries]
    return result


def serve():
    """JSON-lines server: one case per input line, one result per output line."""
    out = sys.stdout
    out.write(json.dumps({'ready': True, 'glib': glib_version()}) + '\n')
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            res = {'id': req.get('id'), 'result': run_case(req['case'])}
        except Exception as e:  # report harness failures instead of dying
            res = {'id': req.get('id'), 'crash': repr(e)}
        out.write(json.dumps(res, ensure_ascii=True) + '\n')
        out.flush()


if __name__ == '__main__':
    serve()
