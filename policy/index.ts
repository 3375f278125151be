/**
 * The policy layer's public API: evaluate synthesized stacks (in memory or from a cdktf
 * output directory), read plans, and render reports. Imports nothing of cdktf.
 */
export { evaluateStack, evaluateStacks, activeRules, ALL_RULE_IDS } from './engine';
export type {
  EvaluateOptions,
  EvaluationResult,
  Finding,
  ResultRow,
  StackInput,
  StackResult,
  Totals,
} from './engine';
export { ALL_RULES } from './rules';
export { ALL_PACKS, DEFAULT_PACKS, PROFILE_PACKS, packById } from './packs';
export type { Pack, PackSelection } from './packs';
export { SUPPRESSION_RULES } from './suppressions';
export { loadDir, readJsonFile } from './load';
export { readPlan } from './plan';
export type { PlanSummary, PlannedChange, Risk } from './plan';
export { buildReport } from './report/model';
export type { AuditReport } from './report/model';
export { formatFindings, formatTotals, renderText } from './report/text';
export { renderMarkdown } from './report/markdown';
export { renderJson } from './report/json';
export { renderCycloneDx, toCycloneDx } from './report/cyclonedx';
export { RULES_VERSION, toolkitVersion } from './version';
export * from '../core/stack-record';
export type { Rule, RuleMeta, Outcome, Severity, Level, Status } from './types';

import {
  addTotals,
  emptyTotals,
  evaluateStack,
  evaluateStacks,
  type EvaluateOptions,
  type Finding,
  type StackInput,
  type Totals,
} from './engine';
import { policyViolation } from '../core/errors';
import { todayUtc } from './suppressions';
import { formatFindings } from './report/text';

/**
 * The gate `sovereign synth` and the cdktf app entry call after synthesis: evaluates the
 * stacks and throws a POLICY_VIOLATION SovereignError (exit 1) listing every unsuppressed
 * error, or returns the evaluation (warnings and unknowns included) for printing.
 */
export function enforce(
  stacks: readonly StackInput[],
  opts: EvaluateOptions = {},
): ReturnType<typeof evaluateStacks> {
  const ev = evaluateStacks(stacks, opts);
  throwIfViolations(ev.findings);
  return ev;
}

/**
 * The same gate over stacks produced one at a time (a generator reading files): only one
 * stack's JSON is in memory at once, and only totals and findings are kept. For synth without
 * a report, where a 100-jurisdiction output would otherwise be parsed all at once.
 */
export function enforceEach(
  stacks: Iterable<StackInput>,
  opts: EvaluateOptions = {},
): { stacks: { name: string; totals: Totals }[]; findings: Finding[]; totals: Totals } {
  const today = opts.today ?? todayUtc();
  const out: { name: string; totals: Totals; findings: readonly Finding[] }[] = [];
  for (const s of stacks) {
    const r = evaluateStack(s.name, s.json, { ...opts, today }, s.file);
    out.push({ name: s.name, totals: r.totals, findings: r.findings });
  }
  // The order evaluateStacks gives: by stack name.
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const findings = out.flatMap((x) => x.findings);
  throwIfViolations(findings);
  return {
    stacks: out.map(({ name, totals }) => ({ name, totals })),
    findings,
    totals: out.map((x) => x.totals).reduce(addTotals, emptyTotals()),
  };
}

function throwIfViolations(findings: readonly Finding[]): void {
  const errors = findings.filter((f) => f.status === 'failed' && f.level === 'error');
  if (errors.length === 0) return;
  throw policyViolation(
    `${errors.length} policy violation${errors.length === 1 ? '' : 's'} (unsuppressed errors)`,
    errors.map((f) => ({
      path: `${f.stack}:${f.address}${f.path ? ` ${f.path}` : ''}`,
      message: `${f.rule} ${f.message}; fix: ${f.fix}`,
    })),
  );
}

export { formatFindings as formatTerminalFindings };
