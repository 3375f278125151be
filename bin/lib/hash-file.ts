/** Streaming SHA-256 of one file with a fixed buffer: memory does not grow with the file. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { faultPoint } from './test-hooks';

/** Bytes read per call. */
const BUFFER_BYTES = 1024 * 1024;
/** Progress is reported after about this many bytes. */
export const PROGRESS_STEP = 32 * 1024 * 1024;

/**
 * SHA-256 (hex) of `file`, read synchronously in 1 MiB blocks. `onProgress` receives the bytes
 * read since its previous call, every PROGRESS_STEP bytes and at the end. Meant for worker threads
 * (it blocks the thread it runs on) and for small files on the main thread.
 */
/** One buffer per thread, reused for every file: a file costs no allocation of its own. */
let shared: Buffer | undefined;

export function hashFileSync(file: string, onProgress?: (bytes: number) => void): string {
  const hash = createHash('sha256');
  const buf = (shared ??= Buffer.allocUnsafe(BUFFER_BYTES));
  faultPoint('open', file);
  const fd = openSync(file, 'r');
  let pending = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, BUFFER_BYTES, null);
      if (n === 0) break;
      hash.update(n === BUFFER_BYTES ? buf : buf.subarray(0, n));
      pending += n;
      if (onProgress && pending >= PROGRESS_STEP) {
        onProgress(pending);
        pending = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  if (onProgress && pending > 0) onProgress(pending);
  return hash.digest('hex');
}
