import { isSovereignError } from '../../core/errors';

/** The located problems `f` is refused with (`path  message` per line); fails when it is not refused. */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSovereignError(e)) return e.problems.map((p) => `${p.path}  ${p.message}`).join('\n');
    throw e;
  }
  throw new Error('expected a refusal');
}
