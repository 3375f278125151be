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
export * from './metadata';
export type { Rule, RuleMeta, Outcome, Severity, Level, Status } from './types';

import { evaluateStacks, type EvaluateOptions, type StackInput } from './engine';
import { policyViolation } from '../constructs/errors';
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
  if (ev.totals.errors > 0) {
    const errors = ev.findings.filter((f) => f.status === 'failed' && f.level === 'error');
    throw policyViolation(
      `${errors.length} policy violation${errors.length === 1 ? '' : 's'} (unsuppressed errors)`,
      errors.map((f) => ({
        path: `${f.stack}:${f.address}${f.path ? ` ${f.path}` : ''}`,
        message: `${f.rule} ${f.message}; fix: ${f.fix}`,
      })),
    );
  }
  return ev;
}

export { formatFindings as formatTerminalFindings };
