/**
 * The one error handler of the CLI: bad input exits 2, policy violations 1, a file-system or
 * environment failure 2 or 74 (EX_IOERR) with the path and the errno in words
 * (bin/lib/io-error.ts), anything else is an internal fault (70, EX_SOFTWARE). No stack trace
 * is shown unless --debug is given. It returns the exit code; the binary (bin/sovereign.ts)
 * exits with it only once stdout and stderr drained.
 */
import { isSovereignError } from '../../core/errors';
import { isErrnoError, isIoError, IoError } from './io-error';
import * as path from 'path';
import { printJson, printProblems, red, stderr, withStreams, type OutStream } from './output';

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

/** Where a run of the CLI (or of the cdktf app entry) reads and writes; each defaults to the process's own. */
export interface CliIo {
  readonly stdout?: OutStream;
  readonly stderr?: OutStream;
  /** The working directory relative paths resolve from. */
  readonly cwd?: string;
  /** The environment the run sees as process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

let running = false;

/**
 * Runs `body` with the commands' output going to `io`'s streams, in `io.cwd` (process.chdir)
 * and with `io.env` as process.env, then restores all three. Runs in one process take turns:
 * a second one while the first is in progress is refused.
 */
export async function withIo<T>(io: CliIo, body: () => Promise<T>): Promise<T> {
  if (running) throw new Error('sovereign: another run is in progress in this process');
  running = true;
  const cwd = process.cwd();
  const env = process.env;
  try {
    if (io.cwd !== undefined && path.resolve(io.cwd) !== cwd) process.chdir(io.cwd);
    if (io.env !== undefined) process.env = io.env;
    // Taken when written to: a process stream is created on first use (bin/lib/output.ts).
    const streams = {
      get stdout() {
        return io.stdout ?? process.stdout;
      },
      get stderr() {
        return io.stderr ?? process.stderr;
      },
    };
    return await withStreams(streams, body);
  } finally {
    process.env = env;
    if (process.cwd() !== cwd) process.chdir(cwd);
    running = false;
  }
}
