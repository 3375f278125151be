/**
 * Imported first by the CLI entry (bin/sovereign.ts): before anything else loads, and only
 * when the CLI runs as a program (never when a test or a library imports it),
 *
 * - V8 optimizes later (`lateTierUp`);
 * - zod's translations and commander's child_process load on first use (lazy-requires.ts);
 * - the code cache (compile-cache.ts) is turned on, keyed by the flags set above, and with it
 *   the record of where each require led (compile-cache-resolve.ts), one per command.
 */
import * as path from 'path';
import * as v8 from 'v8';
import { compileCacheDir, enableCompileCache } from './compile-cache';
import { enableResolveCache } from './compile-cache-resolve';
import { lazyRequires } from './lazy-requires';

/**
 * The commands, by the first word of the command line, whose runs keep a record of their
 * requires each (compile-cache-resolve.ts); any other first word shares one.
 */
export const RECORDED_COMMANDS = [
  'init',
  'validate',
  'synth',
  'audit',
  'verify-bundle',
  'models',
  'schema',
  'weights',
];

/** The name of the record of requires for a command line (`--help` and the like share 'other'). */
export function resolveRecordName(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return RECORDED_COMMANDS.includes(first) ? first : 'other';
}

/**
 * V8 hands a function to its optimizing compiler (TurboFan) once it has used an "interrupt
 * budget" of bytecode (`--interrupt-budget`, 66 KB in Node 20's V8 11.3). A CLI run is short:
 * most of what gets optimized at that budget (the YAML parser, zod, cdktf) has done its work by
 * the time the optimized code arrives, and compiling it costs CPU. At four times the budget,
 * CPU time of `validate` on the example fell ~15 %, of `synth` on it ~15 %, and neither
 * `validate` of a 900 KB spec nor `synth` of 100 × 10 got slower (docs/performance.md). Only
 * optimization timing changes, never what the code computes. Set on V8 11 (Node 20), where it
 * was measured (another V8 may name its tiers otherwise; V8 prints, not throws, on a flag it
 * does not know); `SOVEREIGN_V8_TUNING=0` keeps V8's defaults.
 */
export function lateTierUp(): boolean {
  if (process.env.SOVEREIGN_V8_TUNING === '0' || !/^11\./.test(process.versions.v8)) return false;
  v8.setFlagsFromString('--interrupt-budget=270336');
  return true;
}

const entry = path.join(__dirname, '..', 'sovereign.js');
if (require.main?.filename === entry) {
  lateTierUp();
  lazyRequires();
  const dir = compileCacheDir(path.join(__dirname, '..', '..', '..'));
  const name = resolveRecordName(process.argv.slice(2));
  if (enableCompileCache(dir, name) && dir !== undefined) enableResolveCache(path.join(dir, 'resolve'), name);
}
