/**
 * Runs a command as a whole process and returns its wall time and peak resident set size.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the kernel's ru_maxrss of the child)
 * when it is installed; otherwise a Node program is run inside a small wrapper
 * (rss-wrapper.ts) that loads it in the same process and reports
 * `process.resourceUsage().maxRSS` on exit. Wall time is measured around the spawn either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Sample {
  /** Wall time in milliseconds. */
  readonly ms: number;
  /** Peak RSS in MB (10^6 bytes). */
  readonly rssMB: number;
}

export type RssSource = 'GNU time (ru_maxrss)' | 'process.resourceUsage().maxRSS in a wrapper';

export function rssSource(): RssSource {
  return existsSync(GNU_TIME) ? 'GNU time (ru_maxrss)' : 'process.resourceUsage().maxRSS in a wrapper';
}

/** Runs `node <script> ...args` with stdout discarded; throws with stderr when it fails. */
export function measureNode(
  script: string,
  args: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; expectStatus?: number } = {},
): Sample {
  const report = path.join(opts.cwd ?? process.cwd(), `.rss-${process.pid}-${Date.now()}`);
  const viaTime = existsSync(GNU_TIME);
  const [cmd, argv] = viaTime
    ? [GNU_TIME, ['-f', '%M', '-o', report, process.execPath, script, ...args]]
    : [process.execPath, [path.join(__dirname, 'rss-wrapper.js'), report, script, ...args]];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 16 << 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  try {
    if (r.status !== (opts.expectStatus ?? 0)) {
      throw new Error(
        `node ${script} ${args.join(' ')} exited ${r.status}: ${r.stderr?.toString().slice(0, 2000)}`,
      );
    }
    // GNU time writes "Command exited with non-zero status N" first when the status is not 0.
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    const kb = Number(lines[lines.length - 1]);
    return { ms, rssMB: (kb * 1024) / 1e6 };
  } finally {
    rmSync(report, { force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
