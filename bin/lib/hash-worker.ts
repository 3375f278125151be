/**
 * Worker thread of hash-tree: hashes one file at a time with a fixed buffer (constant memory)
 * and reports progress. Runs from the compiled file beside hash-tree.js.
 *
 * in:  { id, file }               out: { id, bytes } (progress, per PROGRESS_STEP read)
 *                                      { id, sha256 } | { id, error, code }
 */
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './hash-file';

if (!parentPort) throw new Error('hash-worker must run as a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; file: string }) => {
  try {
    const sha256 = hashFileSync(msg.file, (bytes) => port.postMessage({ id: msg.id, bytes }));
    port.postMessage({ id: msg.id, sha256 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    port.postMessage({ id: msg.id, error: err.message, code: err.code });
  }
});
