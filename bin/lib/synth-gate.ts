/**
 * The policy gate over the synthesized files as written (with the Markdown report when asked,
 * else one stack at a time; stacks taken from the cache are judged like fresh ones), and the
 * per-jurisdiction summary.
 */
import { specDigest } from './spec-digest';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, StackInput, Totals } from '../../policy/engine';
import { writeFileAtomic } from './atomic-write';
import type { PartSummary } from './synth-parallel';
import type { JurisdictionSummary, SynthesizeOptions } from './synthesize';

/** The gate's verdict: totals per stack, and the findings in stack-name order. */
export interface GateVerdict {
  readonly totals: (name: string) => Totals | undefined;
  readonly findings: readonly Finding[];
}

/** Judges every stack under `target` as written; writes the report when asked. */
export async function runGate(
  target: string,
  out: string,
  opts: SynthesizeOptions,
  stacks: readonly PartSummary[],
  policy: Pick<
    typeof import('../../policy'),
    'enforce' | 'enforceEach' | 'loadDir' | 'buildReport' | 'renderMarkdown'
  >,
): Promise<{ gate: GateVerdict; report: string | undefined; resources: Map<string, number> }> {
  const { enforce, enforceEach, loadDir, buildReport, renderMarkdown } = policy;
  // The gate judges the files as written. With a report, every stack is read at once (the
  // report needs them all, and the files' digests); without, one stack at a time.
  let gate: { totals: (name: string) => Totals | undefined; findings: readonly Finding[] };
  const resources = new Map<string, number>();
  const count = (name: string, json: unknown) =>
    resources.set(
      name,
      Object.values((json as { resource?: Record<string, object> }).resource ?? {}).reduce(
        (n, byId) => n + Object.keys(byId).length,
        0,
      ),
    );
  let report: string | undefined;
  if (opts.report !== undefined) {
    const dir = loadDir(target, opts.outdir, { hashes: true });
    for (const st of dir.stacks) count(st.name, st.json);
    const ev = enforce(dir.stacks, { strict: opts.strict, today: opts.today });
    const rel = path.relative(out, path.resolve(opts.report));
    const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
    const text = renderMarkdown(buildReport(ev, { files: dir.files, spec: specIdentity(opts.spec) }));
    if (inside) writeFileAtomic(path.join(target, rel), text, opts.report);
    else writeFileAtomic(path.resolve(opts.report), text, opts.report);
    report = opts.report;
    gate = { totals: (n) => ev.stacks.find((r) => r.stack.name === n)?.totals, findings: ev.findings };
  } else {
    // Every stack is judged on every run, cached ones included: the cache is a file tree on
    // disk like the output, and a verdict stored beside it would vouch for whatever its files
    // have become since (docs/fleet.md).
    const { todayUtc } = await import('../../policy/suppressions');
    const today = opts.today ?? todayUtc();
    const ev = enforceEach(
      readStacks(
        target,
        stacks.flatMap((s) => s.order),
        count,
      ),
      { strict: opts.strict, today },
    );
    const byStack = new Map<string, { totals: Totals; findings: Finding[]; resources: number }>();
    for (const r of ev.stacks)
      byStack.set(r.name, { totals: r.totals, findings: [], resources: resources.get(r.name) ?? 0 });
    for (const f of ev.findings) byStack.get(f.stack)?.findings.push(f);
    // In stack-name order, as the gate over every stack gives them.
    const names = [...byStack.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    gate = {
      totals: (n) => byStack.get(n)?.totals,
      findings: names.flatMap((n) => byStack.get(n)!.findings),
    };
  }
  return { gate, report, resources };
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

/** The synthesized stacks in cdktf's layout, read one at a time. */
function* readStacks(
  dir: string,
  names: readonly string[],
  seen: (name: string, json: unknown) => void,
): Generator<StackInput> {
  for (const name of names) {
    const file = `stacks/${name}/cdk.tf.json`;
    const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    seen(name, json);
    yield { name, json, file };
  }
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
