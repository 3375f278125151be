/**
 * `sovereign audit [dir] [--spec sovereign.yaml] [--policy policy.yaml] [--plan plan.json]
 * [--allow-unknown reason] [--format text|markdown|json|cyclonedx|html]
 * [--bundle out.tar [--sign-key key.pem]] [--output file] [--strict]`:
 * judges a cdktf output directory (and optionally a `terraform show -json` plan, rule by rule)
 * and writes the evidence an auditor files. With --spec the directory is compared byte for
 * byte with the approved spec's synthesis; with --policy each stack's boundary is checked
 * against the auditor's policy (docs/trust-model.md).
 * Exit codes: 0 no unsuppressed errors and no difference from the spec, 1 otherwise; unusable
 * input throws an INPUT_INVALID / USAGE SovereignError (exit 2). Loads cdktf only for --spec.
 */
import { Option, type Command } from 'commander';
import { lstatSync, readdirSync } from 'fs';
import { join } from 'path';
import { inputInvalid, usageError } from '../../core/errors';
import type { StackInput } from '../../policy/engine';
import type { Difference } from '../../policy/anchor';
import type { Obj } from '../../policy/json';
import type { AuditReport } from '../../policy/report/model';
import { DEFAULT_OUT, strictOption, type Register } from '../lib/command';
import { stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('audit')
    .description('audit a synthesized cdktf.out (and optionally a plan) and write the evidence report')
    .argument('[dir]', 'synthesized output directory', DEFAULT_OUT)
    .option(
      '--spec <file>',
      'the approved spec: re-synthesize it and compare with the directory byte for byte',
    )
    .option(
      '--policy <file>',
      "the auditor's policy file: approved boundary and minimum packs per jurisdiction",
    )
    .option(
      '--plan <file>',
      'a plan as JSON (terraform show -json plan.out / tofu show -json); every rule runs on it',
    )
    .option(
      '--allow-unknown <reason>',
      'accept what the sovereignty rules cannot judge, for this reason (listed in the report)',
    )
    .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
    .option('--output <file>', 'write the report to this file instead of stdout')
    .addOption(strictOption())
    .option(
      '--bundle <file.tar>',
      'also write the evidence bundle: files, reports in every format, plan, SHA-256 manifest',
    )
    .option('--sign-key <key.pem>', "sign the bundle's manifest with this Ed25519 private key")
    .action((dir: string, _o, cmd: Command) => act(cmd, () => run(dir, cmd.optsWithGlobals<AuditOptions>())));
};

export const FORMATS = ['text', 'markdown', 'json', 'cyclonedx', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface AuditOptions {
  /** `terraform show -json <planfile>` output to judge. */
  readonly plan?: string;
  /** The approved spec: re-synthesized and compared byte for byte with the directory. */
  readonly spec?: string;
  /** The auditor's policy file (boundary and minimum packs per jurisdiction). */
  readonly policy?: string;
  /** Accept what the sovereignty rules cannot judge, for this reason (every report lists each). */
  readonly allowUnknown?: string;
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
  /** Also write the evidence bundle (a tar of files, reports, plan and manifest) here. */
  readonly bundle?: string;
  /** Ed25519 private key (PEM) to sign the bundle's manifest with. */
  readonly signKey?: string;
  /** Where stdout output goes (tests). @default stdout() of bin/lib/output */
  readonly write?: (s: string) => void;
}

/** The report in `format`, by that format's renderer (loaded when audit runs). */
async function render(report: AuditReport, format: Format, color = false): Promise<string> {
  switch (format) {
    case 'markdown':
      return (await import('../../policy/report/markdown')).renderMarkdown(report);
    case 'json':
      return (await import('../../policy/report/json')).renderJson(report);
    case 'cyclonedx':
      return (await import('../../policy/report/cyclonedx')).renderCycloneDx(report);
    case 'html':
      return (await import('../../policy/report/html')).renderHtml(report);
    default:
      return (await import('../../policy/report/text')).renderText(report, { color });
  }
}

export async function run(dir: string | undefined, opts: AuditOptions = {}): Promise<number> {
  const { checkEvidenceOptions, writeEvidenceBundle } = await import('../../policy/report/evidence');
  const { loadDir, readJsonFile } = await import('../../policy/load');
  const { readAuditorPolicy } = await import('../../policy/auditor-policy');
  const { readPlan } = await import('../../policy/plan');
  const { evaluateStacks } = await import('../../policy/engine');
  const { buildReport } = await import('../../policy/report/model');
  const { redact } = await import('../../policy/secrets');
  const { compareTrees } = await import('../../policy/anchor');
  const { specDigest } = await import('../lib/spec-digest');
  const { writeFileAtomic } = await import('../lib/atomic-write');
  const format = (opts.format ?? 'text') as Format;
  if (!FORMATS.includes(format))
    throw usageError(`--format ${opts.format} is not one of ${FORMATS.join(', ')}`);
  if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today))
    throw usageError(`--today ${opts.today} is not a YYYY-MM-DD date`);
  checkEvidenceOptions(opts.bundle, opts.signKey);
  if (opts.allowUnknown !== undefined && opts.allowUnknown.trim().length < 10)
    throw usageError('--allow-unknown needs a reason of at least 10 characters');
  const shown = dir ?? DEFAULT_OUT;
  const loaded = loadDir(shown, shown);
  const policy = opts.policy !== undefined ? readAuditorPolicy(opts.policy) : undefined;
  let spec: { file: string; differences: Difference[] } | undefined;
  if (opts.spec !== undefined) {
    const { synthesizeToMemory } = await import('../lib/synthesize');
    const expected = await synthesizeToMemory(opts.spec, shown);
    spec = { file: opts.spec, differences: compareTrees(await readTree(shown), expected) };
  }
  let plan: (ReturnType<typeof readPlan> & { file: string }) | undefined;
  const inputs: StackInput[] = [...loaded.stacks];
  if (opts.plan !== undefined) {
    const planJson = readJsonFile(opts.plan);
    plan = { ...readPlan(planJson, opts.plan), file: opts.plan };
    inputs.push(await planInput(planJson, opts.plan, loaded.stacks));
  }
  const ev = evaluateStacks(inputs, {
    strict: opts.strict,
    today: opts.today,
    allowUnknown: opts.allowUnknown,
    policy,
  });
  const report = buildReport(ev, {
    files: loaded.files,
    plan,
    now: opts.now,
    specAnchor: spec,
    ...(spec ? { spec: { path: spec.file, sha256: specDigest(spec.file) } } : {}),
    policy: policy ? { file: policy.file } : undefined,
  });
  const color =
    opts.color ??
    (opts.output === undefined && format === 'text' && stdout().isTTY === true && !process.env.NO_COLOR);
  // No credential reaches a report, whatever the artifact holds.
  const text = redact(await render(report, format, color));
  // Whole or not at all: a full disk leaves no truncated report (exit 74 names the file).
  if (opts.output !== undefined) writeFileAtomic(opts.output, text);
  else (opts.write ?? ((s: string) => stdout().write(s)))(text);
  if (opts.bundle !== undefined) {
    const reports: Record<string, string> = {};
    for (const f of FORMATS) reports[f] = f === format ? text : await render(report, f);
    writeEvidenceBundle(opts.bundle, { dir: shown, report, reports, plan: opts.plan, signKey: opts.signKey });
  }
  return report.gate === 'fail' ? 1 : 0;
}

/**
 * Every file of the audited directory by relative path (what `--spec` compares). Read as the
 * loader reads: regular files inside the directory only, size-capped; anything else (a link, a
 * device) stands in the tree as a marker that no synthesis produces, so it shows as a difference.
 */
async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const { maxInputBytes, readInside } = await import('../../policy/load');
  const { MARKER } = await import('../lib/output-dir');
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      // Terraform's working files, and the marker sovereign synth writes (bookkeeping: it lists
      // the files the tool wrote, and no synthesis in memory writes it).
      if (
        name === '.terraform' ||
        name.endsWith('.tfstate') ||
        name.endsWith('.tfstate.backup') ||
        (rel === '' && name === MARKER)
      )
        continue;
      const p = join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, r);
      else if (st.isFile() && st.size <= maxInputBytes()) out.set(r, readInside(dir, r, `${dir}/${r}`));
      else out.set(r, Buffer.from(`<not a regular file of at most ${maxInputBytes()} bytes>`));
    }
  };
  walk(dir, '');
  return out;
}

/** The plan as a stack, under the metadata of the synthesized stack whose resources it plans. */
async function planInput(
  planJson: unknown,
  file: string,
  stacks: readonly StackInput[],
): Promise<StackInput> {
  const { plannedStack } = await import('../../policy/plan');
  const { stackView } = await import('../../policy/stack');
  const views = stacks.map((s) => ({
    s,
    addrs: new Set(
      stackView(s.name, s.json)
        .resources.map((r) => r.address)
        .concat(stackView(s.name, s.json).data.map((r) => r.address)),
    ),
  }));
  const planned = plannedStack(planJson, {}, file).addresses;
  const score = views.map((v) => planned.filter((a) => v.addrs.has(a.replace(/\[[^\]]*\]$/, ''))).length);
  const best = Math.max(...score);
  const winners = views.filter((_, i) => score[i] === best);
  if (winners.length !== 1)
    throw inputInvalid(
      file,
      `cannot tell which stack the plan belongs to (${winners.map((w) => w.s.name).join(', ')} match equally); audit the stack's directory with its plan`,
    );
  const { s, addrs } = winners[0];
  const { json } = plannedStack(planJson, s.json as Obj, file);
  return {
    name: `${s.name} (plan ${file})`,
    json,
    extras: { synthesizedAddresses: addrs, policyName: s.name },
  };
}
