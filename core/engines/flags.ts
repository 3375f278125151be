/**
 * Known-flag tables of the serving engines, per release, and the check of user-supplied extra
 * arguments against the table of the release a jurisdiction pins. A table is data: each entry
 * names the flag's spellings, what happens to it here, where it is defined upstream, and — when
 * it is not in every supported release — the release that added or removed it, so a reviewer
 * can check every line and a site can stay on an older release while another moves.
 *
 * Imports nothing outside core/ (constructs, stacks and policy all read it).
 */
import { closest } from '../suggest';
import { parseImage } from '../images';

/** A refused argument: the path of the offending element and what is wrong. */
export interface FlagProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * - `allowed`: users may pass it in extraArgs.
 * - `managed`: the construct sets it from a typed prop (`prop` names it); refused in extraArgs.
 * - `forbidden`: would reach outside the jurisdiction or loosen the hardening (`reason`).
 */
export type FlagDisposition =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'managed'; readonly prop: string }
  | { readonly kind: 'forbidden'; readonly reason: string };

/** Where a flag left the engine upstream, as the newer supported release sees it. */
export interface FlagRemoval {
  /** The first supported release of this table that no longer has the flag. */
  readonly in: string;
  /** The upstream release that removed it, and the change that did (`v0.18.0 (vllm-project/vllm#36216)`). */
  readonly upstream: string;
  /** The spelling that replaces it, when it was renamed. */
  readonly replacement?: string;
}

export interface KnownFlag {
  /** Every spelling (`--tensor-parallel-size`, `-tp`). */
  readonly names: readonly string[];
  readonly disposition: FlagDisposition;
  /** Upstream file (and section) defining it, at the releases it exists in. */
  readonly source: string;
  /** The first supported release that has the flag. @default every supported release */
  readonly since?: string;
  /** The flag is gone from this supported release on. @default in every supported release */
  readonly removed?: FlagRemoval;
}

/** One engine's supported releases (oldest first) and its flag table. */
export interface EngineFlagTable {
  /** Engine name as users read it (`vLLM`, `llama.cpp`). */
  readonly engine: string;
  /** Supported releases, oldest first. */
  readonly releases: readonly string[];
  readonly flags: readonly KnownFlag[];
  /**
   * Spelling normalisation the engine's own parser applies before matching a long flag
   * (vLLM turns `_` into `-` in the name). @default none
   */
  readonly normalise?: (name: string) => string;
  /**
   * The release an image tag names, spelled as in `releases`, or undefined when the tag names
   * none (a site's own tag). Upstream's suffixes (`-cu130`, `.post1`) do not hide it.
   */
  readonly releaseInTag?: (tag: string) => string | undefined;
}

export const allowed: FlagDisposition = { kind: 'allowed' };
export const managed = (prop: string): FlagDisposition => ({ kind: 'managed', prop });
export const forbidden = (reason: string): FlagDisposition => ({ kind: 'forbidden', reason });

/** Whether `flag` exists in `release` of `table` (the release must be one of the table's). */
export function flagInRelease(table: EngineFlagTable, flag: KnownFlag, release: string): boolean {
  const at = table.releases.indexOf(release);
  if (flag.since !== undefined && at < table.releases.indexOf(flag.since)) return false;
  if (flag.removed !== undefined && at >= table.releases.indexOf(flag.removed.in)) return false;
  return true;
}

/** The flags of one release. */
export function flagsOf(table: EngineFlagTable, release: string): KnownFlag[] {
  return table.flags.filter((f) => flagInRelease(table, f, release));
}

/** The closest known spelling within a third of the name's length (at least 2 edits), if any. */
export function didYouMean(name: string, flags: readonly KnownFlag[]): string | undefined {
  return closest(
    name,
    flags.flatMap((f) => f.names),
    2,
  );
}

/**
 * The release an image's tag names when it is not `release`: a server would run flags and an
 * environment checked for the wrong release. Undefined when they agree or the tag names none.
 */
export function imageReleaseMismatch(
  table: EngineFlagTable,
  image: string,
  release: string,
): string | undefined {
  const tag = parseImage(image).tag;
  const named = tag === undefined ? undefined : table.releaseInTag?.(tag);
  return named === undefined || named === release ? undefined : named;
}

/**
 * A problem with the release string itself, or undefined when `release` is one the table
 * supports. Exact match only: `0.12.0`, `v0.12`, `V0.12.0` are refused with the list.
 */
export function checkRelease(table: EngineFlagTable, release: string): string | undefined {
  if (table.releases.includes(release)) return undefined;
  const hint = closest(release, table.releases, 2);
  return `"${release}" is not a ${table.engine} release this toolkit supports${hint ? `; did you mean "${hint}"?` : ''} (supported: ${table.releases.join(', ')})`;
}

/**
 * Checks every flag in `args` (`--name`, `--name=value`, `-x`; other tokens are values) against
 * the flags of `release`. Returns one problem per refused flag, pointing at `path[index]`. A
 * flag of another supported release is refused with the release that removed (or added) it.
 */
export function checkExtraArgs(
  path: string,
  args: readonly string[],
  table: EngineFlagTable,
  release: string,
): FlagProblem[] {
  const bad = checkRelease(table, release);
  if (bad !== undefined) return [{ path, message: `cannot check the flags: ${bad}` }];
  // Most servers pass no extra flags: the name index below is built for those that do.
  if (args.length === 0) return [];
  const label = `${table.engine} ${release}`;
  const byName = new Map<string, KnownFlag>();
  for (const f of table.flags) for (const n of f.names) byName.set(n, f);
  const current = flagsOf(table, release);
  const out: FlagProblem[] = [];
  args.forEach((arg, i) => {
    // A flag typed with a typographic dash (copied from a document) reaches the engine as a
    // stray positional word, and its argument parser stops the server at start.
    if (/^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]+[A-Za-z]/.test(arg)) {
      out.push({
        path: `${path}[${i}]`,
        message: `"${arg}" starts with a typographic dash, not "-": the engine would refuse it at start; write it with ASCII hyphens`,
      });
      return;
    }
    if (!/^-{1,2}[A-Za-z]/.test(arg)) return; // a value (including negative numbers)
    const written = arg.split('=')[0];
    const name = written.startsWith('--') && table.normalise ? table.normalise(written) : written;
    const shown = name === written ? `"${written}"` : `"${written}" (read as "${name}")`;
    const where = `${path}[${i}]`;
    const known = byName.get(name);
    if (known === undefined) {
      const hint = didYouMean(name, current);
      out.push({
        path: where,
        message: `${shown} is not a ${label} flag this toolkit knows${hint ? `; did you mean "${hint}"?` : ''} (known flags are listed in core/engines/, checked against the release's source)`,
      });
      return;
    }
    if (!flagInRelease(table, known, release)) {
      out.push({ path: where, message: `${shown} ${notInRelease(table, known, release)}` });
      return;
    }
    const d = known.disposition;
    if (d.kind === 'managed') {
      out.push({
        path: where,
        message: `${shown} is set by the construct; use the prop "${d.prop}" instead`,
      });
    } else if (d.kind === 'forbidden') {
      out.push({ path: where, message: `${shown} is not allowed: ${d.reason}` });
    }
  });
  return out;
}

function notInRelease(table: EngineFlagTable, flag: KnownFlag, release: string): string {
  const at = table.releases.indexOf(release);
  const r = flag.removed;
  if (r !== undefined && at >= table.releases.indexOf(r.in)) {
    const older = table.releases
      .slice(0, table.releases.indexOf(r.in))
      .filter((x) => flagInRelease(table, flag, x));
    return (
      `was removed from ${table.engine} in ${r.upstream}; ${release} refuses it` +
      (r.replacement ? `: use "${r.replacement}" instead` : '') +
      (older.length > 0 ? ` (pin ${older[older.length - 1]} to keep it)` : '')
    );
  }
  const since = flag.since as string;
  return `is not in ${table.engine} ${release}: it was added by ${since}; pin ${since} or later to use it`;
}

/**
 * A long option as Python's argparse reads it (vLLM's and torchrun's parsers): `_` for `-`, and
 * any prefix of at least `from` characters (argparse's `allow_abbrev`; `from` is where the prefix
 * stops being ambiguous among the parser's options). `aliases` are other spellings, matched whole.
 */
export interface ArgparseOption {
  readonly name: string;
  readonly from: number;
  readonly aliases?: readonly string[];
}

/** The option of `options` that `written` (`--master_ad`, `-dpa`) spells, if any. */
export function argparseOption<T extends ArgparseOption>(
  written: string,
  options: readonly T[],
): T | undefined {
  const alias = options.find((o) => o.aliases?.includes(written));
  if (alias !== undefined || !written.startsWith('--')) return alias;
  const t = written.slice(2).replace(/_/g, '-');
  return options.find((o) => t.length >= o.from && o.name.startsWith(t));
}
