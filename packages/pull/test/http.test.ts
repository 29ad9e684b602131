import { describe, expect, it } from 'vitest';
import { fetchHttpClient, remoteUrl } from '../src/index.js';

describe('remoteUrl', () => {
  it('joins like a path, keeps query and fragment', () => {
    expect(remoteUrl('http://h:1', 'summary')).toBe('http://h:1/summary');
    expect(remoteUrl('http://h:1/', 'summary')).toBe('http://h:1/summary');
    expect(remoteUrl('http://h:1//repo//', 'objects/ab/cd.filez')).toBe('http://h:1/repo/objects/ab/cd.filez');
    expect(remoteUrl('https://h/repo?token=x#frag', 'config')).toBe('https://h/repo/config?token=x#frag');
  });
  it('rejects a bad URL with INVALID_CONFIG', () => {
    expect(() => remoteUrl('not a url', 'config')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('fetchHttpClient', () => {
  it('maps a fetch response and streams its body; return() cancels it', async () => {
    let cancelled = false;
    const seen: { url: string; headers: Record<string, string> | undefined }[] = [];
    const client = fetchHttpClient(async (url, init) => {
      seen.push({ url, headers: init.headers });
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array([1, 2]));
          c.enqueue(new Uint8Array([3]));
        },
        cancel() {
          cancelled = true;
        },
      });
      return { status: 200, headers: new Headers({ 'Content-Length': '3' }), body };
    });
    const res = await client.request('http://x/summary', { headers: { 'x-a': 'b' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('3');
    expect(seen[0]!.headers).toMatchObject({ 'x-a': 'b', 'user-agent': expect.stringContaining('libostree/') });
    const it = res.body[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual(new Uint8Array([1, 2]));
    await it.return!();
    expect(cancelled).toBe(true);
  });
  it('a null body is empty', async () => {
    const client = fetchHttpClient(async () => ({ status: 404, headers: new Headers(), body: null }));
    const res = await client.request('http://x/y');
    const chunks = [];
    for await (const c of res.body) chunks.push(c);
    expect(chunks).toEqual([]);
  });
});
