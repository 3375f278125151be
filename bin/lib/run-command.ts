/**
 * The one error handler of the CLI: bad input exits 2, policy violations 1, a file-system or
 * environment failure 2 or 74 (EX_IOERR) with the path and the errno in words
 * (bin/lib/io-error.ts), anything else is an internal fault (70, EX_SOFTWARE). No stack trace
 * is shown unless --debug is given. It returns the exit code; the binary (bin/sovereign.ts)
 * exits with it only once stdout and stderr drained.
 */
import { isSovereignError } from '../../constructs/errors';
import { isErrnoError, isIoError, IoError } from './io-error';
import { printJson, printProblems, red, stderr } from './output';

export const EXIT_OK = 0;
export const EXIT_POLICY = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface CommonOptions {
  readonly debug?: boolean;
  readonly json?: boolean;
}

/** Runs a command's body and turns what it throws into the exit code and the message. */
export async function runCommand(opts: CommonOptions, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    return report(e, opts);
  }
}

export function report(e: unknown, opts: CommonOptions): number {
  if (isSovereignError(e)) {
    const [summary] = e.message.split('\n');
    if (opts.json) printJson({ ok: false, code: e.code, summary, problems: e.problems });
    else printProblems(summary, e.problems);
    if (opts.debug && e.stack) stderr().write(e.stack + '\n');
    return e.exitCode;
  }
  if (isIoError(e) || isErrnoError(e)) {
    // An errno error nobody wrapped (a write deep inside a library) names its own path.
    const io = isIoError(e) ? e : new IoError(e.path ?? '(a file)', e.syscall ?? 'access it', e.code);
    if (opts.json) printJson({ ok: false, code: 'IO_ERROR', summary: io.message, problems: [] });
    else stderr().write(`${red(stderr(), 'error')} ${io.message}\n`);
    if (opts.debug && e.stack) stderr().write(e.stack + '\n');
    return io.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  stderr().write(
    `${red(stderr(), 'internal error')} ${err.message}\n` +
      (opts.debug
        ? `${err.stack ?? ''}\n`
        : '  (a fault in sovereign-stack, not in your input; run again with --debug for the stack trace)\n'),
  );
  return EXIT_INTERNAL;
}
