/**
 * Worker thread of hash-tree: hashes a batch of files, one after another, with one fixed
 * buffer (constant memory), and reports progress. Batches keep the per-file cost of many small
 * files down to a hash and a read: one message each way per batch, not per file.
 * Runs from the compiled file beside hash-tree.js.
 *
 * in:  { files: [id, path][] }    out: { bytes } (progress, per PROGRESS_STEP read and per batch)
 *                                      { sha256: [id, hex][] } (the whole batch)
 *                                      | { id, error, code } (the first file that failed)
 */
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './hash-file';

if (!parentPort) throw new Error('hash-worker must run as a worker thread');
const port = parentPort;

port.on('message', (msg: { files: [number, string][] }) => {
  const out: [number, string][] = [];
  let small = 0;
  for (const [id, file] of msg.files) {
    try {
      out.push([
        id,
        hashFileSync(file, (bytes) => {
          // Small files add up silently; a big one reports as it goes.
          small += bytes;
          if (small >= 32 * 1024 * 1024) {
            port.postMessage({ bytes: small });
            small = 0;
          }
        }),
      ]);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      port.postMessage({ id, error: err.message, code: err.code });
      return;
    }
  }
  if (small > 0) port.postMessage({ bytes: small });
  port.postMessage({ sha256: out });
});
