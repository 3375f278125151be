/**
 * The policy gate over the synthesized files as written (with the Markdown report when asked,
 * else one stack at a time, most of them already judged by the worker that wrote them), and
 * the per-jurisdiction summary.
 */
import { specDigest } from './spec-digest';
import * as path from 'path';
import type { Finding, Totals } from '../../policy/engine';
import { judgeWritten, resourceCount, type JudgeOptions, type JudgedStack } from './synth-judge';
import { writeFileAtomic } from './atomic-write';
import type { PartSummary } from './synth-parallel';
import type { JurisdictionSummary, SynthesizeOptions } from './synthesize';

/** The gate's verdict: totals per stack, and the findings in stack-name order. */
export interface GateVerdict {
  readonly totals: (name: string) => Totals | undefined;
  readonly findings: readonly Finding[];
}

/**
 * Judges every stack under `target` as written; writes the report when asked. Without a
 * report, a stack `known` holds a verdict for (given by the worker that wrote it, or by the
 * cache for exactly these bytes) is not read again; every other one is judged here, one at a
 * time. The verdicts merge into what the gate over every stack gives (policy mergeVerdicts).
 */
export async function runGate(
  target: string,
  out: string,
  opts: SynthesizeOptions,
  stacks: readonly PartSummary[],
  policy: Pick<typeof import('../../policy/judge'), 'enforce' | 'judgeStack' | 'mergeVerdicts'>,
  known: ReadonlyMap<string, JudgedStack> = new Map(),
  judge?: JudgeOptions,
): Promise<{
  gate: GateVerdict;
  report: string | undefined;
  resources: Map<string, number>;
  /** Every stack's verdict (without a report). */
  verdicts: Map<string, JudgedStack>;
}> {
  const { enforce, mergeVerdicts } = policy;
  // The gate judges the files as written. With a report, every stack is read at once (the
  // report needs them all, and the files' digests); without, one stack at a time.
  let gate: { totals: (name: string) => Totals | undefined; findings: readonly Finding[] };
  const resources = new Map<string, number>();
  const verdicts = new Map<string, JudgedStack>();
  let report: string | undefined;
  if (opts.report !== undefined) {
    // The directory loader and the report's model and renderers: only for a report.
    const { loadDir, buildReport, renderMarkdown } = await import('../../policy');
    const dir = loadDir(target, opts.outdir, { hashes: true });
    for (const st of dir.stacks) resources.set(st.name, resourceCount(st.json));
    const ev = enforce(dir.stacks, { strict: opts.strict, today: opts.today });
    const rel = path.relative(out, path.resolve(opts.report));
    const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
    const text = renderMarkdown(buildReport(ev, { files: dir.files, spec: specIdentity(opts.spec) }));
    if (inside) writeFileAtomic(path.join(target, rel), text, opts.report);
    else writeFileAtomic(path.resolve(opts.report), text, opts.report);
    report = opts.report;
    gate = { totals: (n) => ev.stacks.find((r) => r.stack.name === n)?.totals, findings: ev.findings };
  } else {
    const { todayUtc } = await import('../../policy/suppressions');
    const options: JudgeOptions = judge ?? { strict: opts.strict, today: opts.today ?? todayUtc() };
    const names = stacks.flatMap((s) => s.order);
    const missing = names.filter((n) => !known.has(n));
    const now = new Map(judgeWritten(target, missing, options, policy).map((v) => [v.name, v]));
    for (const n of names) {
      const v = known.get(n) ?? now.get(n);
      if (v === undefined) throw new Error(`internal: stack ${n} was not judged`);
      verdicts.set(n, v);
      resources.set(n, v.resources);
    }
    const ev = mergeVerdicts(verdicts.values());
    const byStack = new Map(ev.stacks.map((r) => [r.name, r.totals]));
    gate = { totals: (n) => byStack.get(n), findings: ev.findings };
  }
  return { gate, report, resources, verdicts };
}

/** Each jurisdiction's summary: its stacks' resources and findings added up. */
export function summarize(
  stacks: readonly PartSummary[],
  gate: GateVerdict,
  resources: ReadonlyMap<string, number>,
): JurisdictionSummary[] {
  return stacks.map((s) => {
    // The provisioning stack's findings count with its jurisdiction's.
    const ts = s.order.map((n) => gate.totals(n));
    const sum = (k: keyof Totals) => ts.reduce((n, t) => n + ((t?.[k] as number | undefined) ?? 0), 0);
    return {
      ...s,
      resources: s.order.reduce((n, name) => n + (resources.get(name) ?? 0), 0),
      errors: sum('errors'),
      warnings: sum('warnings'),
      suppressed: sum('suppressed'),
      unknown: sum('unknown'),
    };
  });
}

/** The spec as the report names it (as given, or its base name when absolute) and its SHA-256. */
function specIdentity(spec: string): { path: string; sha256: string } | undefined {
  try {
    return {
      path: path.isAbsolute(spec) ? path.basename(spec) : spec.split(path.sep).join('/'),
      sha256: specDigest(spec),
    };
  } catch {
    return undefined;
  }
}
