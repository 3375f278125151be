/** Runs the built CLI as a user does: a separate node process, no colour. */
import { spawnSync } from 'child_process';
import { CLI, REPO_ROOT } from './paths';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function sovereign(args: string[], cwd = REPO_ROOT): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A line of a Node stack trace (`    at fn (file.js:1:2)`). */
export const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;
