/**
 * Runs the CLI as a test needs it, with no colour.
 *
 *   const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], dir);
 *   expect(r.code).toBe(0); expect(r.stdout).toContain(...); expect(r.stderr).toBe('');
 *
 * `sovereign` runs the same `run()` the binary runs (bin/sovereign.ts), in this process: the
 * arguments, a working directory and an environment of the test's own, stdout and stderr
 * captured as text, the exit code returned instead of exiting. It saves a node start and a
 * cdktf load per call, so it is the default.
 *
 * `sovereignProcess` runs the built binary as a separate node process. Use it only for what
 * needs a process: the exit itself (stdout drained before exit, EPIPE, signals, the executable
 * bit), fault injection that kills the process (SOVEREIGN_TEST_KILL_AT), pipes and FIFOs.
 */
import { spawnSync } from 'child_process';
import { run, type CliIo } from '../../bin/sovereign';
import { runApp } from '../../bin/app';
import type { OutStream } from '../../bin/lib/output';
import { CLI, REPO_ROOT } from './paths';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stream that keeps what is written to it (not a terminal, like a pipe). */
class Captured implements OutStream {
  public readonly isTTY = false;
  private readonly chunks: string[] = [];
  public write(chunk: string, callback?: (error?: Error | null) => void): boolean {
    this.chunks.push(chunk);
    callback?.();
    return true;
  }
  public text(): string {
    return this.chunks.join('');
  }
}

/** The CLI run in this process; `env` is added to this process's environment for the run. */
export async function sovereign(
  args: readonly string[],
  cwd = REPO_ROOT,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  if (env.SOVEREIGN_TEST_KILL_AT !== undefined)
    throw new Error('SOVEREIGN_TEST_KILL_AT kills the process it runs in: use sovereignProcess');
  const stdout = new Captured();
  const stderr = new Captured();
  const io: CliIo = { stdout, stderr, cwd, env: { ...process.env, NO_COLOR: '1', ...env } };
  const code = await run(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * The cdktf app entry (dist/bin/app.js, what `npx cdktf synth` runs) in this process: `env`
 * carries what cdktf would set (CDKTF_OUTDIR, CDKTF_CONTEXT_JSON) and SOVEREIGN_SPEC.
 */
export async function cdktfApp(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await runApp({ stdout, stderr, cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

export interface ProcessResult extends CliResult {
  readonly signal: NodeJS.Signals | null;
}

/** The built CLI as a user runs it: a separate node process. */
export function sovereignProcess(
  args: readonly string[],
  cwd = REPO_ROOT,
  env: NodeJS.ProcessEnv = {},
): ProcessResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A line of a Node stack trace (`    at fn (file.js:1:2)`). */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;
