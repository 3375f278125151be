/**
 * cdktf records a full JavaScript stack trace for every token it creates (`Intrinsic`, `Lazy`,
 * `ComplexComputedList`, dynamic blocks), and the typed provider bindings create them by the
 * hundred per resource. The traces are read only to explain a token error, yet capturing and
 * formatting them is about a third of synth time. This switch replaces cdktf's capture
 * function with one that records nothing; synthesized output is byte-identical with and
 * without it (test/stacks/token-stack-traces.test.ts).
 *
 * Off for debugging: SOVEREIGN_CDKTF_STACK_TRACES=1 in the environment, or `--debug`. cdktf is
 * archived (0.21 is its last release), so the module patched here will not move; if it ever
 * does, the switch does nothing rather than fail.
 */

/** Environment variable that keeps cdktf's token stack traces (for debugging a token error). */
export const STACK_TRACES_ENV = 'SOVEREIGN_CDKTF_STACK_TRACES';

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

const noTrace = (): string[] => [];
let original: StackTraceModule['captureStackTrace'] | undefined;

function stackTraceModule(): StackTraceModule | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('cdktf/lib/tokens/private/stack-trace') as StackTraceModule;
    return typeof m.captureStackTrace === 'function' ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns cdktf's per-token stack-trace capture off for this process, unless `keep` is true or
 * SOVEREIGN_CDKTF_STACK_TRACES=1. Returns whether capture is now off.
 */
export function disableTokenStackTraces(keep = process.env[STACK_TRACES_ENV] === '1'): boolean {
  if (keep) return false;
  const m = stackTraceModule();
  if (m === undefined) return false;
  if (m.captureStackTrace !== noTrace) original = m.captureStackTrace;
  m.captureStackTrace = noTrace;
  return true;
}

/** Puts cdktf's own capture back (tests compare the output of both). */
export function restoreTokenStackTraces(): void {
  const m = stackTraceModule();
  if (m !== undefined && original !== undefined) m.captureStackTrace = original;
}

/**
 * Forgets every token cdktf registered in this process. cdktf keeps them in a process-wide map
 * that holds the whole construct tree alive after synthesis; the policy gate that follows never
 * resolves a token, and a 100-jurisdiction synth peaks about 40 MB lower without the tree.
 * Call it only after the last `app.synth()` of the process. Kept (a no-op) when `keep` is true,
 * as for the stack-trace switch.
 */
export function releaseCdktfTokens(releasing = true): void {
  if (!releasing) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('cdktf/lib/tokens/private/token-map') as {
      TokenMap?: {
        instance(): { stringTokenMap?: Map<unknown, unknown>; numberTokenMap?: Map<unknown, unknown> };
      };
    };
    const map = m.TokenMap?.instance();
    map?.stringTokenMap?.clear();
    map?.numberTokenMap?.clear();
  } catch {
    // cdktf moved: nothing to release, synth is the same.
  }
}
