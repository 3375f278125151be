/**
 * Known-flag tables and the check of user-supplied extra arguments against them. A table is
 * data: each entry names the flag's spellings, what happens to it here, and where it is
 * defined upstream at the pinned release, so a reviewer can check every line.
 */
import type { Problem } from '../../core/errors';
import { closest } from '../../core/suggest';

/**
 * - `allowed`: users may pass it in extraArgs.
 * - `managed`: the construct sets it from a typed prop (`prop` names it); refused in extraArgs.
 * - `forbidden`: would reach outside the jurisdiction or loosen the hardening (`reason`).
 */
export type FlagDisposition =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'managed'; readonly prop: string }
  | { readonly kind: 'forbidden'; readonly reason: string };

export interface KnownFlag {
  /** Every spelling (`--tensor-parallel-size`, `-tp`). */
  readonly names: readonly string[];
  readonly disposition: FlagDisposition;
  /** Upstream file (and section) defining it at the pinned release. */
  readonly source: string;
}

export const allowed: FlagDisposition = { kind: 'allowed' };
export const managed = (prop: string): FlagDisposition => ({ kind: 'managed', prop });
export const forbidden = (reason: string): FlagDisposition => ({ kind: 'forbidden', reason });

/** The closest known spelling within a third of the name's length (at least 2 edits), if any. */
export function didYouMean(name: string, table: readonly KnownFlag[]): string | undefined {
  return closest(
    name,
    table.flatMap((f) => f.names),
    2,
  );
}

/**
 * Checks every flag in `args` (`--name`, `--name=value`, `-x`; other tokens are values) against
 * `table`. Returns one problem per refused flag, pointing at `path[index]`.
 */
export function checkExtraArgs(
  path: string,
  args: readonly string[],
  table: readonly KnownFlag[],
  engine: string,
): Problem[] {
  const byName = new Map<string, KnownFlag>();
  for (const f of table) for (const n of f.names) byName.set(n, f);
  const out: Problem[] = [];
  args.forEach((arg, i) => {
    if (!/^-{1,2}[A-Za-z]/.test(arg)) return; // a value (including negative numbers)
    const name = arg.split('=')[0];
    const where = `${path}[${i}]`;
    const known = byName.get(name);
    if (known === undefined) {
      const hint = didYouMean(name, table);
      out.push({
        path: where,
        message: `"${name}" is not a ${engine} flag this construct knows${hint ? `; did you mean "${hint}"?` : ''} (known flags are listed in the construct's flag table, checked against the pinned release)`,
      });
      return;
    }
    const d = known.disposition;
    if (d.kind === 'managed') {
      out.push({
        path: where,
        message: `"${name}" is set by the construct; use the prop "${d.prop}" instead`,
      });
    } else if (d.kind === 'forbidden') {
      out.push({ path: where, message: `"${name}" is not allowed: ${d.reason}` });
    }
  });
  return out;
}
