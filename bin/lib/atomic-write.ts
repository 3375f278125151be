/**
 * Writes a file whole or not at all: the text goes to a temporary file beside it, is flushed
 * to disk, then renamed over the name. A full disk or a kill leaves the previous file (or
 * none), never a truncated one; the temporary file is removed on failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { ioFailure } from './io-error';
import { faultPoint } from './test-hooks';

export function writeFileAtomic(file: string, text: string | Buffer, shown: string = file): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    // A recursive mkdir fails with EEXIST only where a part of the path is a file.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') (e as NodeJS.ErrnoException).code = 'ENOTDIR';
    ioFailure(e, path.dirname(shown), 'create the directory');
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o666);
    faultPoint('write', shown);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    ioFailure(e, shown, 'write the file');
  }
}
