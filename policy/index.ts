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

export {
  enforce,
  enforceEach,
  judgeStack,
  mergeVerdicts,
  formatTerminalFindings,
  type StackVerdict,
} from './judge';
