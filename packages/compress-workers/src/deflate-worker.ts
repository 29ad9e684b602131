/**
 * Worker thread: runs exact raw deflate streams (@ostree-ts/compress) for the pool.
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { createRawDeflate, type ByteTransform } from '@ostree-ts/compress';
import type { Reply, Request } from './protocol.js';

const streams = new Map<number, ByteTransform>();
const port = parentPort;
if (!port) throw new Error('deflate-worker must run in a worker thread');

port.on('message', (req: Request) => {
  let reply: Reply;
  try {
    if (req.op === 'open') {
      streams.set(req.id, createRawDeflate({ level: req.level, exact: true }));
      reply = { id: req.id, out: [] };
    } else {
      const stream = streams.get(req.id);
      if (!stream) throw new Error(`no deflate stream ${req.id}`);
      const out = req.op === 'push' ? stream.push(req.chunk) : stream.end();
      if (req.op === 'end') streams.delete(req.id);
      reply = { id: req.id, out };
    }
  } catch (e) {
    streams.delete(req.id);
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e), code: (e as { code?: string }).code };
  }
  // Copied, not transferred: the deflater's output chunks are views into a buffer it keeps
  // writing (transferring would detach it), and compressed output is small.
  port.postMessage(reply);
});
