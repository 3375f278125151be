/**
 * Terminal output shared by the commands: problems without stack traces, colour only on a
 * terminal and never with NO_COLOR (https://no-color.org), and an exit that waits until every
 * byte written to stdout and stderr has reached the reader.
 */
import { formatProblem, type Problem } from '../../core/errors';

/** What the commands write to: process.stdout/stderr, or what `run()` in bin/sovereign.ts was given. */
export interface OutStream {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The streams of the command that is running (bin/sovereign.ts `run()` sets them for its duration). */
let streams: { readonly stdout: OutStream; readonly stderr: OutStream } | undefined;

export function stdout(): OutStream {
  return streams?.stdout ?? process.stdout;
}

export function stderr(): OutStream {
  return streams?.stderr ?? process.stderr;
}

/** Runs `body` with the commands' output going to the given streams, then restores the previous ones. */
export async function withStreams<T>(
  s: { readonly stdout: OutStream; readonly stderr: OutStream },
  body: () => Promise<T>,
): Promise<T> {
  const previous = streams;
  streams = s;
  try {
    return await body();
  } finally {
    streams = previous;
  }
}

export function useColor(stream: OutStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

export function paint(stream: OutStream, code: number, text: string): string {
  return useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const red = (s: OutStream, t: string) => paint(s, 31, t);
export const yellow = (s: OutStream, t: string) => paint(s, 33, t);
export const green = (s: OutStream, t: string) => paint(s, 32, t);
export const bold = (s: OutStream, t: string) => paint(s, 1, t);

/** Problems as located lines on stderr. */
export function printProblems(summary: string, problems: readonly Problem[]): void {
  const err = stderr();
  err.write(`${red(err, 'error')} ${summary}\n`);
  for (const p of problems) err.write(`  ${formatProblem(p)}\n`);
}

/** Machine-readable output, stable key order as built. */
export function printJson(value: unknown): void {
  stdout().write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * A reader that closes the pipe early (`sovereign schema | head -1`) is not an error: once
 * stdout or stderr reports EPIPE, later writes to it are dropped silently and the command
 * ends with its own exit code, without a message (and never with SIGPIPE's 141).
 * Other stream errors are kept for the exit (`exitWhenFlushed` reports them).
 */
let streamsGuarded = false;
export function guardStreams(): void {
  if (streamsGuarded) return;
  streamsGuarded = true;
  for (const name of ['stdout', 'stderr'] as const)
    whenCreated(name, (s) =>
      s.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') streamFailure ??= { stream: name, error: e };
      }),
    );
}
let streamFailure: { stream: string; error: NodeJS.ErrnoException } | undefined;

/** The process streams created so far, once guarded (`guardStreams`). */
const created = new Set<'stdout' | 'stderr'>();

/**
 * Runs `then` on `process[name]` when it is first used. Node creates process.stdout and
 * process.stderr on first use (setting up a pipe or a terminal costs ~2–4 ms of CPU, about a
 * tenth of what `--help` adds to Node's own start-up, which never writes to stderr); a stream
 * the run never writes to is never created, so it can neither fail nor hold unflushed bytes.
 * Where Node defines the stream otherwise (not a configurable getter), it is taken at once.
 */
function whenCreated(name: 'stdout' | 'stderr', then: (s: NodeJS.WriteStream) => void): void {
  const own = Object.getOwnPropertyDescriptor(process, name);
  if (own?.get === undefined || own.configurable !== true) {
    created.add(name);
    then(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: own.enumerable,
    get() {
      // Node's own getter from now on; it creates the stream once and keeps it.
      Object.defineProperty(process, name, own);
      const s = process[name];
      created.add(name);
      then(s);
      return s;
    },
  });
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or it failed). */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}

/**
 * Exits with `code` once stdout and stderr are flushed: `process.exit()` alone drops what a
 * pipe has not taken yet (everything past the first 64 KiB when the reader is slower).
 * A write error other than EPIPE (a full disk under `> file`) turns a success into 74.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  // A stream not created yet holds nothing (once guarded; else both are flushed).
  if (!streamsGuarded || created.has('stdout')) await flushed(process.stdout);
  if (!streamsGuarded || created.has('stderr')) await flushed(process.stderr);
  // A write that failed destroyed its stream at once but reports the error on a later tick:
  // wait for it, whichever streams were flushed.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (streamFailure !== undefined && code === 0) {
    const { stream, error } = streamFailure;
    const { errnoWords, EXIT_IOERR } = await import('./io-error');
    process.stderr.write(`error ${stream}: cannot write: ${errnoWords(error.code)}\n`);
    await flushed(process.stderr);
    code = EXIT_IOERR;
  }
  return process.exit(code);
}
