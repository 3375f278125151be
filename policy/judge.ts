/**
 * What the policy gate needs to judge synthesized stacks and decide, and nothing more: the
 * engine with its rules and packs, suppressions and the terminal lines of findings. The report
 * renderers, the plan reader and the output-directory loader are not loaded from here
 * (policy/index.ts has them), so `sovereign synth` without `--report` never loads them.
 */
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
  const out: StackVerdict[] = [];
  for (const s of stacks) out.push(judgeStack(s, { ...opts, today }));
  return mergeVerdicts(out);
}

/** What the gate keeps of one stack's evaluation: plain data, so it crosses threads and files. */
export interface StackVerdict {
  readonly name: string;
  readonly totals: Totals;
  readonly findings: readonly Finding[];
}

/**
 * One stack judged on its own, as `enforceEach` judges each: no rule of the gate looks across
 * stacks (a reference to another stack's address is refused from the stack alone, SOV-013), so
 * stacks judged apart, in worker threads or on another run, merge into the same decision.
 * `opts.today` should be set: stacks judged together must be judged against the same day.
 */
export function judgeStack(s: StackInput, opts: EvaluateOptions = {}): StackVerdict {
  const r = evaluateStack(s.name, s.json, { ...opts, today: opts.today ?? todayUtc() }, s.file);
  return { name: s.name, totals: r.totals, findings: r.findings };
}

/**
 * The gate's decision over verdicts judged one stack at a time (`judgeStack`), in any order:
 * exactly what `enforceEach` gives over the same stacks — the findings in stack-name order,
 * the totals, and a POLICY_VIOLATION (exit 1) listing every unsuppressed error.
 */
export function mergeVerdicts(verdicts: Iterable<StackVerdict>): {
  stacks: { name: string; totals: Totals }[];
  findings: Finding[];
  totals: Totals;
} {
  // The order evaluateStacks gives: by stack name.
  const out = [...verdicts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
