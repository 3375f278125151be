/**
 * File-system and environment failures: whose fault it is, in words. A permission, a full
 * disk or a busy mount point is not a bug in sovereign-stack (exit 70) and not a policy
 * verdict: it gets exit 2 when naming another path or fixing a permission resolves it, and
 * 74 (EX_IOERR, sysexits.h) when the machine itself failed (no space, I/O error, too many
 * open files). The message names the path and the errno in words; never a stack trace.
 *
 * No imports beyond Node: the CLI's fast paths load this.
 */

export const EXIT_IOERR = 74;

/** errno → what it means, as a reader of the message needs it. */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EBUSY: 'busy (a mount point, or in use)',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'name too long',
  EXDEV: 'on another file system',
  ENOTEMPTY: 'directory not empty',
  EIO: 'input/output error',
  EMFILE: 'too many open files in this process',
  ENFILE: 'too many open files on the system',
  ENOMEM: 'out of memory',
  EFBIG: 'file too large',
  EINVAL: 'invalid argument',
};

/** Fixed by the machine's operator, not by choosing another path: EX_IOERR. */
const MACHINE = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'ENOMEM', 'EFBIG']);

/** errno in words, with the code kept for searching: `no space left on the device (ENOSPC)`. */
export function errnoWords(code: string | undefined): string {
  if (code === undefined) return 'unknown error';
  return `${WORDS[code] ?? 'system error'} (${code})`;
}

export class IoError extends Error {
  public readonly exitCode: number;
  public readonly errno: string;
  public readonly path: string;

  public constructor(path: string, doing: string, errno: string) {
    super(`${path}: cannot ${doing}: ${errnoWords(errno)}`);
    this.name = 'IoError';
    this.path = path;
    this.errno = errno;
    this.exitCode = MACHINE.has(errno) ? EXIT_IOERR : 2;
  }
}

export function isIoError(e: unknown): e is IoError {
  return e instanceof IoError;
}

/** A Node errno error (`{ code: 'EACCES', syscall: 'open', path }`), as thrown by fs. */
export function isErrnoError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  // Duck-typed: errors from Node's fs may come from another realm (a test sandbox).
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code as string) &&
    typeof (e as NodeJS.ErrnoException).syscall === 'string'
  );
}

/**
 * Wraps an fs failure as an IoError naming `shown` (the path as the user gave it); anything
 * else is rethrown unchanged (a bug stays a bug).
 */
export function ioFailure(e: unknown, shown: string, doing: string): never {
  if (isIoError(e)) throw e;
  if (isErrnoError(e)) throw new IoError(shown, doing, e.code);
  throw e;
}
