/**
 * The engine: runs the rules a stack's packs select over its synthesized JSON, applies the
 * suppressions it carries and totals the results. Pure: the same input (and `today`) gives
 * the same result.
 */
import type { Suppression } from '../core/stack-record';
import { ALL_PACKS, PROFILE_STRICT, effectiveSelection, type PackSelection } from './packs';
import { ALL_RULES } from './rules';
import { collectingOnce } from './json';
import { readMetadata, stackView, type StackView } from './stack';
import {
  SUPPRESSION_RULES,
  isExpired,
  suppressionProblems,
  todayUtc,
  type SuppressionRecord,
} from './suppressions';
import type { Level, Outcome, Rule, RuleContext, RuleMeta, Severity, Status } from './types';
import type { StackMetadata } from '../core/stack-record';
import type { AuditorPolicy } from './auditor-policy';

export interface EvaluateOptions {
  /**
   * Unknown results fail (and gate) instead of being reported as unknown, in every stack. A
   * stack whose metadata declares `strict` (its profile's) is strict whatever this says.
   */
  readonly strict?: boolean;
  /** `YYYY-MM-DD` the suppressions' expiry is judged against. @default today (UTC) */
  readonly today?: string;
  /**
   * Deny by default: what the sovereignty rules cannot judge (unknown) fails in every profile.
   * A reason given here (`--allow-unknown <reason>`) reports those as unknown instead; every
   * report lists each with the reason.
   */
  readonly allowUnknown?: string;
  /**
   * The auditor's policy file (`--policy`): per stack the approved boundary, minimum packs,
   * strictness and extra providers. A stack it does not name fails SOV-017.
   */
  readonly policy?: AuditorPolicy;
}

/** Per-stack context beyond the JSON: set for a plan judged as a stack. */
export interface StackExtras {
  /** Addresses of the synthesized stack the plan belongs to (SOV-018). */
  readonly synthesizedAddresses?: ReadonlySet<string>;
  /** The jurisdiction's name in the auditor's policy, when it differs from the stack name. */
  readonly policyName?: string;
}

/** The final state of one rule on one address. */
export type RowStatus = 'passed' | 'failed' | 'suppressed' | 'unknown' | 'not-applicable';

export interface Detail {
  readonly status: Status;
  readonly path: string;
  readonly message: string;
}

export interface ResultRow {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly level: Level;
  readonly address: string;
  readonly status: RowStatus;
  /** Failing or unknown details (empty for passed and not-applicable rows). */
  readonly details: readonly Detail[];
  /** The suppression that applied, for suppressed rows. */
  readonly suppression?: { readonly reason: string; readonly expires?: string; readonly index: number };
  /** Packs that selected the rule. */
  readonly packs: readonly string[];
}

/** One thing to fix (or accept): a failing or unknown detail of a row. */
export interface Finding {
  readonly stack: string;
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly level: Level;
  readonly address: string;
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly status: 'failed' | 'unknown' | 'suppressed';
  readonly suppression?: ResultRow['suppression'];
}

export interface Totals {
  passed: number;
  failed: number;
  suppressed: number;
  unknown: number;
  notApplicable: number;
  /** Unsuppressed failing findings at level error: the gate fails when this is above 0. */
  errors: number;
  /** Unsuppressed failing findings at level warning. */
  warnings: number;
}

export interface FrameworkRollup {
  readonly pack: string;
  readonly title: string;
  readonly framework: string;
  readonly level: Level;
  readonly totals: Totals;
}

export interface StackResult {
  readonly stack: StackView;
  readonly metadata: StackMetadata;
  /** Unknown failed in this stack: `--strict`, or the stack's own `"//".sovereign.strict`. */
  readonly strict: boolean;
  /** The packs the stack was judged against (its declaration raised to the floors). */
  readonly selection: PackSelection;
  readonly rows: readonly ResultRow[];
  readonly findings: readonly Finding[];
  readonly totals: Totals;
  readonly frameworks: readonly FrameworkRollup[];
  readonly suppressions: readonly SuppressionRecord[];
}

export interface EvaluationResult {
  readonly stacks: readonly StackResult[];
  /** Failing and unknown findings of every stack (suppressed ones included, marked). */
  readonly findings: readonly Finding[];
  readonly totals: Totals;
  /** `--strict` for every stack; a stack may also be strict on its own (StackResult.strict). */
  readonly strict: boolean;
  readonly today: string;
  /** The reason unknowns were accepted (`--allow-unknown`), when they were. */
  readonly allowUnknown?: string;
}

export const emptyTotals = (): Totals => ({
  passed: 0,
  failed: 0,
  suppressed: 0,
  unknown: 0,
  notApplicable: 0,
  errors: 0,
  warnings: 0,
});

/** Every rule id in the catalogue, suppression rules included. */
export const ALL_RULE_IDS: readonly string[] = [
  ...ALL_RULES.map((r) => r.id),
  ...SUPPRESSION_RULES.map((r) => r.id),
];

/** The rules a selection turns on, each at the highest level any selecting pack gives it. */
export function activeRules(selection: PackSelection): Map<string, { level: Level; packs: string[] }> {
  const out = new Map<string, { level: Level; packs: string[] }>();
  for (const sel of selection) {
    const pack = ALL_PACKS.find((p) => p.id === sel.id);
    if (!pack) continue;
    for (const { rule } of pack.rules) {
      const cur = out.get(rule);
      if (!cur) out.set(rule, { level: sel.level, packs: [pack.id] });
      else {
        if (sel.level === 'error') cur.level = 'error';
        if (!cur.packs.includes(pack.id)) cur.packs.push(pack.id);
      }
    }
  }
  return out;
}

function aggregate(outcomes: readonly Outcome[]): { status: Status; details: Detail[] } {
  const pick = (s: Status) =>
    outcomes
      .filter((o) => o.status === s)
      .map((o) => ({ status: s, path: o.path ?? '', message: o.message ?? '' }));
  const failing = pick('non-compliant');
  if (failing.length) return { status: 'non-compliant', details: failing };
  const unknown = pick('unknown');
  if (unknown.length) return { status: 'unknown', details: unknown };
  if (outcomes.some((o) => o.status === 'compliant')) return { status: 'compliant', details: [] };
  return { status: 'not-applicable', details: [] };
}

/** Each resource rule's `appliesTo` as a set: looked up for every resource of every stack. */
const appliesToSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function appliesToSet(types: readonly string[]): ReadonlySet<string> {
  let set = appliesToSets.get(types);
  if (set === undefined) appliesToSets.set(types, (set = new Set(types)));
  return set;
}

function runRule(rule: Rule, ctx: RuleContext): Map<string, Outcome[]> {
  const byAddress = new Map<string, Outcome[]>();
  const add = (address: string, o: Outcome) => {
    const list = byAddress.get(address);
    if (list === undefined) byAddress.set(address, [o]);
    else list.push(o);
  };
  if (rule.scope === 'resource') {
    const applies = appliesToSet(rule.appliesTo);
    for (const r of ctx.stack.resources) {
      if (!applies.has(r.type)) continue;
      const res = rule.check(r, ctx);
      const list = Array.isArray(res) ? (res as Outcome[]) : [res as Outcome];
      if (list.length === 0) add(r.address, { status: 'not-applicable' });
      for (const o of list) add(r.address, o);
    }
  } else {
    for (const o of rule.check(ctx)) add(o.address ?? 'stack', o);
  }
  return byAddress;
}

/** Evaluates one parsed stack. */
export function evaluateStack(
  name: string,
  json: unknown,
  opts: EvaluateOptions = {},
  file?: string,
  extras: StackExtras = {},
): StackResult {
  return collectingOnce(() => evaluate(name, json, opts, file, extras));
}

function evaluate(
  name: string,
  json: unknown,
  opts: EvaluateOptions,
  file: string | undefined,
  extras: StackExtras,
): StackResult {
  const today = opts.today ?? todayUtc();
  const stack = stackView(name, json, file);
  const { metadata, problems } = readMetadata(stack);
  // Own entries only: a stack named `constructor` or `toString` has no floor, not Object's members.
  const policyName = extras.policyName ?? name;
  const floor = opts.policy
    ? Object.hasOwn(opts.policy.jurisdictions, policyName)
      ? opts.policy.jurisdictions[policyName]
      : null
    : undefined;
  // The artifact may only tighten: its declared profile's table entry, the auditor's floor and
  // the sovereignty pack at error apply whatever `"//".sovereign` says.
  const strict =
    (opts.strict ?? false) ||
    metadata.strict === true ||
    (Object.hasOwn(PROFILE_STRICT, metadata.profile) && PROFILE_STRICT[metadata.profile] === true) ||
    floor?.strict === true;
  const selection = effectiveSelection(metadata.packs, metadata.profile, floor?.packs);
  const active = activeRules(selection);
  // Residency rules always gate, at error, whatever level a pack names.
  for (const [id, a] of active) if (id.startsWith('SOV-')) a.level = 'error';
  active.set('SOV-014', { level: 'error', packs: active.get('SOV-014')?.packs ?? [] });
  const ctx: RuleContext = {
    stack,
    metadata,
    problems,
    policy: floor,
    synthesizedAddresses: extras.synthesizedAddresses,
  };
  // Deny by default: a sovereignty rule's unknown fails unless the auditor accepted unknowns.
  const strictFor = (rule: string) => strict || (rule.startsWith('SOV-') && opts.allowUnknown === undefined);

  const rows: ResultRow[] = [];
  const records: SuppressionRecord[] = [];
  const declared: Partial<Suppression>[] = Array.isArray(metadata.suppressions) ? metadata.suppressions : [];
  const validity = declared.map((s) => {
    const invalid = suppressionProblems(s, ALL_RULE_IDS);
    return { s, invalid, expired: invalid.length === 0 && isExpired(s as Suppression, today) };
  });
  const matched = declared.map(() => [] as string[]);
  const ignored = declared.map(() => false);

  for (const rule of ALL_RULES) {
    const a = active.get(rule.id);
    if (!a) continue;
    // One sorted list per rule, shared by its rows (read-only; a row per address it judged).
    const packs: readonly string[] = [...a.packs].sort();
    for (const [address, outcomes] of [...runRule(rule, ctx).entries()].sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    )) {
      const { status, details } = aggregate(outcomes);
      let rowStatus: RowStatus =
        status === 'compliant'
          ? 'passed'
          : status === 'not-applicable'
            ? 'not-applicable'
            : status === 'unknown' && !strictFor(rule.id)
              ? 'unknown'
              : 'failed';
      let suppression: ResultRow['suppression'];
      if (status === 'non-compliant' || status === 'unknown') {
        const i = validity.findIndex(
          (v) =>
            v.invalid.length === 0 &&
            !v.expired &&
            v.s.rule === rule.id &&
            (v.s.resource === '*' || v.s.resource === address),
        );
        if (i >= 0) {
          if (rule.suppressible && !rule.id.startsWith('SOV-')) {
            rowStatus = 'suppressed';
            suppression = { reason: declared[i].reason as string, expires: declared[i].expires, index: i };
            matched[i].push(address);
          } else ignored[i] = true;
        }
      }
      rows.push({
        rule: rule.id,
        title: rule.title,
        severity: rule.severity,
        level: a.level,
        address,
        status: rowStatus,
        details,
        suppression,
        packs,
      });
    }
  }

  declared.forEach((s, i) => {
    const v = validity[i];
    const base = {
      index: i,
      rule: String(s.rule),
      resource: String(s.resource),
      reason: String(s.reason ?? ''),
      expires: s.expires,
      matched: matched[i],
    };
    const where = `"//".sovereign.suppressions[${i}]`;
    const sup = (id: string, message: string, path: string) => {
      const m = SUPPRESSION_RULES.find((r) => r.id === id) as (typeof SUPPRESSION_RULES)[number];
      rows.push({
        rule: id,
        title: m.title,
        severity: m.severity,
        level: m.level,
        address: where,
        status: 'failed',
        details: [{ status: 'non-compliant', path, message }],
        packs: [],
      });
    };
    if (v.invalid.length) {
      records.push({ ...base, state: 'invalid', note: v.invalid.join('; ') });
      sup('SUP-002', `suppression of ${base.rule} on ${base.resource}: ${v.invalid.join('; ')}`, where);
    } else if (v.expired) {
      records.push({ ...base, state: 'expired', note: `expired on ${s.expires} (today is ${today})` });
      sup(
        'SUP-001',
        `suppression of ${base.rule} on ${base.resource} expired on ${s.expires}`,
        `${where}.expires`,
      );
    } else if (
      ALL_RULES.find((r) => r.id === s.rule)?.suppressible === false ||
      String(s.rule).startsWith('SOV-') ||
      SUPPRESSION_RULES.some((r) => r.id === s.rule)
    ) {
      records.push({ ...base, state: 'ignored', note: `${base.rule} cannot be suppressed` });
      sup(
        'SUP-003',
        `${base.rule} cannot be suppressed; the suppression on ${base.resource} is ignored${ignored[i] ? ' and its finding stands' : ''}`,
        `${where}.rule`,
      );
    } else if (matched[i].length === 0) {
      records.push({ ...base, state: 'unused', note: 'matches no failing or unknown result' });
      sup(
        'SUP-004',
        `suppression of ${base.rule} on ${base.resource} matches no failing or unknown result`,
        where,
      );
    } else records.push({ ...base, state: 'applied' });
  });

  const findings: Finding[] = [];
  const ruleMeta = (id: string): RuleMeta =>
    (ALL_RULES.find((r) => r.id === id) ?? SUPPRESSION_RULES.find((r) => r.id === id)) as RuleMeta;
  for (const row of rows) {
    if (row.status !== 'failed' && row.status !== 'unknown' && row.status !== 'suppressed') continue;
    const m = ruleMeta(row.rule);
    for (const d of row.details) {
      findings.push({
        stack: name,
        rule: row.rule,
        title: row.title,
        severity: row.severity,
        level: row.level,
        address: row.address,
        path: d.path,
        message: d.message,
        fix: m.fix,
        status:
          row.status === 'suppressed'
            ? 'suppressed'
            : d.status === 'unknown' && !strictFor(row.rule)
              ? 'unknown'
              : 'failed',
        suppression: row.suppression,
      });
    }
  }

  const totals = totalsOf(rows, findings);
  const frameworks: FrameworkRollup[] = selection
    .map((sel) => ({ sel, pack: ALL_PACKS.find((p) => p.id === sel.id) }))
    .filter((x) => x.pack !== undefined)
    .map(({ sel, pack }) => {
      const ids = new Set(pack!.rules.map((r) => r.rule));
      const rr = rows.filter((r) => ids.has(r.rule));
      return {
        pack: pack!.id,
        title: pack!.title,
        framework: pack!.framework,
        level: sel.level,
        totals: totalsOf(
          rr,
          findings.filter((f) => ids.has(f.rule)),
        ),
      };
    });
  return { stack, metadata, strict, selection, rows, findings, totals, frameworks, suppressions: records };
}

export function totalsOf(rows: readonly ResultRow[], findings: readonly Finding[]): Totals {
  const t = emptyTotals();
  for (const r of rows) {
    if (r.status === 'passed') t.passed++;
    else if (r.status === 'failed') t.failed++;
    else if (r.status === 'suppressed') t.suppressed++;
    else if (r.status === 'unknown') t.unknown++;
    else t.notApplicable++;
  }
  for (const f of findings) {
    if (f.status !== 'failed') continue;
    if (f.level === 'error') t.errors++;
    else t.warnings++;
  }
  return t;
}

export function addTotals(a: Totals, b: Totals): Totals {
  const t = { ...a };
  for (const k of Object.keys(b) as (keyof Totals)[]) t[k] += b[k];
  return t;
}

export interface StackInput {
  /** Stack name (the jurisdiction's stack id). */
  readonly name: string;
  /** Parsed `cdk.tf.json`. */
  readonly json: unknown;
  /** Path relative to the audited directory, when read from disk. */
  readonly file?: string;
  readonly extras?: StackExtras;
}

/**
 * Evaluates stacks held in memory or read from disk; what `sovereign synth`, the cdktf app
 * entry and `sovereign audit` call. The gate fails when `totals.errors > 0`.
 */
export function evaluateStacks(stacks: readonly StackInput[], opts: EvaluateOptions = {}): EvaluationResult {
  const today = opts.today ?? todayUtc();
  const results = [...stacks]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => evaluateStack(s.name, s.json, { ...opts, today }, s.file, s.extras));
  return {
    stacks: results,
    findings: results.flatMap((r) => r.findings),
    totals: results.map((r) => r.totals).reduce(addTotals, emptyTotals()),
    strict: opts.strict ?? false,
    today,
    ...(opts.allowUnknown !== undefined ? { allowUnknown: opts.allowUnknown } : {}),
  };
}
