/**
 * `sovereign audit [dir] [--plan plan.json] [--format text|markdown|json|cyclonedx]
 * [--output file] [--strict]`: judges a cdktf output directory (and optionally a
 * `terraform show -json` plan) and writes the evidence an auditor files.
 * Exit codes: 0 no unsuppressed errors, 1 unsuppressed errors; unusable input throws an
 * INPUT_INVALID / USAGE SovereignError (exit 2). Loads no cdktf.
 */
import { usageError } from '../../constructs/errors';
import { writeFileAtomic } from '../lib/atomic-write';
import { evaluateStacks } from '../../policy/engine';
import { loadDir, readJsonFile } from '../../policy/load';
import { readPlan } from '../../policy/plan';
import { buildReport, type AuditReport } from '../../policy/report/model';
import { renderCycloneDx } from '../../policy/report/cyclonedx';
import { renderJson } from '../../policy/report/json';
import { renderMarkdown } from '../../policy/report/markdown';
import { renderText } from '../../policy/report/text';

export const FORMATS = ['text', 'markdown', 'json', 'cyclonedx'] as const;
export type Format = (typeof FORMATS)[number];

export interface AuditOptions {
  /** `terraform show -json <planfile>` output to summarise. */
  readonly plan?: string;
  /** @default 'text' */
  readonly format?: string;
  /** File to write the report to; stdout when unset. */
  readonly output?: string;
  /** Unknown results fail. */
  readonly strict?: boolean;
  /** `YYYY-MM-DD` suppression expiry is judged against. @default today (UTC) */
  readonly today?: string;
  /** Timestamp to record in the report. @default none (deterministic output) */
  readonly now?: string;
  /** ANSI colour in text output. @default stdout is a TTY and NO_COLOR is unset */
  readonly color?: boolean;
  /** Where stdout output goes (tests). @default process.stdout */
  readonly write?: (s: string) => void;
}

export function render(report: AuditReport, format: Format, color = false): string {
  switch (format) {
    case 'markdown':
      return renderMarkdown(report);
    case 'json':
      return renderJson(report);
    case 'cyclonedx':
      return renderCycloneDx(report);
    default:
      return renderText(report, { color });
  }
}

export async function run(dir: string | undefined, opts: AuditOptions = {}): Promise<number> {
  const format = (opts.format ?? 'text') as Format;
  if (!FORMATS.includes(format))
    throw usageError(`--format ${opts.format} is not one of ${FORMATS.join(', ')}`);
  if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today))
    throw usageError(`--today ${opts.today} is not a YYYY-MM-DD date`);
  const shown = dir ?? 'cdktf.out';
  const loaded = loadDir(shown, shown);
  let plan: (ReturnType<typeof readPlan> & { file: string }) | undefined;
  if (opts.plan !== undefined) plan = { ...readPlan(readJsonFile(opts.plan), opts.plan), file: opts.plan };
  const ev = evaluateStacks(loaded.stacks, { strict: opts.strict, today: opts.today });
  const report = buildReport(ev, { files: loaded.files, plan, now: opts.now });
  const color =
    opts.color ??
    (opts.output === undefined &&
      format === 'text' &&
      process.stdout.isTTY === true &&
      !process.env.NO_COLOR);
  const text = render(report, format, color);
  // Whole or not at all: a full disk leaves no truncated report (exit 74 names the file).
  if (opts.output !== undefined) writeFileAtomic(opts.output, text);
  else (opts.write ?? ((s: string) => process.stdout.write(s)))(text);
  return ev.totals.errors > 0 ? 1 : 0;
}
