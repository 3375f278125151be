/**
 * The one error handler of the CLI: bad input exits 2, policy violations 1, anything else is
 * an internal fault (70, EX_SOFTWARE). No stack trace is shown unless --debug is given.
 */
import { isSovereignError } from '../../constructs/errors';
import { printJson, printProblems, red } from './output';

export const EXIT_OK = 0;
export const EXIT_POLICY = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

export interface CommonOptions {
  readonly debug?: boolean;
  readonly json?: boolean;
}

export async function runCommand(opts: CommonOptions, body: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (e) {
    code = report(e, opts);
  }
  // Let pending stdout/stderr writes drain before leaving: writes to a pipe are asynchronous,
  // and process.exit() alone cuts a large report at the pipe's buffer (64 KiB).
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  return process.exit(code);
}

/** Resolves once everything written to `s` so far has been handed to the OS. */
function drained(s: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed || !s.writable) resolve();
    else s.write('', () => resolve());
  });
}

export function report(e: unknown, opts: CommonOptions): number {
  if (isSovereignError(e)) {
    const [summary] = e.message.split('\n');
    if (opts.json) printJson({ ok: false, code: e.code, summary, problems: e.problems });
    else printProblems(summary, e.problems);
    if (opts.debug && e.stack) process.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(
    `${red(process.stderr, 'internal error')} ${err.message}\n` +
      (opts.debug
        ? `${err.stack ?? ''}\n`
        : '  (a fault in sovereign-stack, not in your input; run again with --debug for the stack trace)\n'),
  );
  return EXIT_INTERNAL;
}
