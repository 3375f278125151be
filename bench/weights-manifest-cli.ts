/**
 * A bare process entry for `weights manifest`, so the benchmark measures what a user waits for
 * (node start-up, module loading, hashing, printing) without the commander CLI around it.
 * Usage: node dist/bench/weights-manifest-cli.js <dir|file> [jobs]
 */
import { run } from '../bin/commands/weights-manifest';
import { isSovereignError } from '../core/errors';

run(process.argv[2], { progress: false, jobs: process.argv[3] ? Number(process.argv[3]) : undefined }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${isSovereignError(e) ? e.message : String(e)}\n`);
    process.exitCode = isSovereignError(e) ? e.exitCode : 70;
  },
);
