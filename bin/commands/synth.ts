/**
 * `sovereign synth [spec] [--out dir] [--report file] [--strict] [--json]`: one Terraform
 * stack per jurisdiction in cdktf's layout, then the policy gate. Exit 0 with a summary per
 * jurisdiction; 1 with every unsuppressed finding (nothing written); 2 on a bad spec.
 */
import type { Command } from 'commander';
import { DEFAULT_OUT, jobsOption, specArgument, strictOption, type Register } from '../lib/command';
import { bold, green, printJson, stderr, stdout, yellow } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('synth')
    .description('synthesize one Terraform stack per jurisdiction, then run the policy gate')
    .addArgument(specArgument())
    .option(
      '-o, --out <dir>',
      'output directory (cdktf layout: <out>/stacks/<jurisdiction>/cdk.tf.json)',
      DEFAULT_OUT,
    )
    .option('--report <file>', 'also write the Markdown audit report to this file')
    .addOption(strictOption())
    .option('--json', 'print the summary as JSON')
    .addOption(
      jobsOption('jurisdictions synthesized in parallel worker threads (default: the number of cores)'),
    )
    .option(
      '--only <jurisdiction...>',
      're-synthesize only these jurisdictions; the others must be up to date in the synth cache',
    )
    .option('--no-cache', 'neither read nor write the synth cache (.<out>.cache beside the output)')
    .action((spec: string, _o, cmd: Command) =>
      act(cmd, () => run(spec, cmd.optsWithGlobals<SynthOptions>())),
    );
};

export interface SynthOptions {
  readonly out: string;
  readonly report?: string;
  readonly strict?: boolean;
  readonly json?: boolean;
  readonly debug?: boolean;
  readonly jobs?: number;
  readonly only?: readonly string[];
  readonly cache?: boolean;
}

export async function run(spec: string, opts: SynthOptions): Promise<number> {
  // The synthesis path loads cdktf and the provider bindings: only when synth runs.
  const { synthesize } = await import('../lib/synthesize');
  const result = await synthesize({
    spec,
    outdir: opts.out,
    strict: opts.strict,
    report: opts.report,
    debug: opts.debug,
    jobs: opts.jobs,
    only: opts.only,
    cache: opts.cache,
  });
  if (opts.json) {
    printJson({
      ok: true,
      out: result.outdir,
      report: result.report,
      jurisdictions: result.jurisdictions,
      notices: result.notices,
    });
    return result.exitCode;
  }
  const o = stdout();
  o.write(`${green(o, 'synthesized')} ${spec} → ${result.outdir}/\n`);
  for (const j of result.jurisdictions) {
    const notes = [
      j.warnings > 0 ? yellow(o, `${j.warnings} warning(s)`) : '',
      j.suppressed > 0 ? `${j.suppressed} suppressed` : '',
      j.unknown > 0 ? `${j.unknown} unknown` : '',
    ].filter((x) => x !== '');
    o.write(
      `  ${bold(o, j.name.padEnd(16))} ${j.profile.padEnd(15)} ${String(j.resources).padStart(4)} resources  ` +
        `${j.models} model(s)  ${j.gpus} GPU(s)  policy: pass${notes.length > 0 ? ` (${notes.join(', ')})` : ''}\n`,
    );
    const order = j.order ?? [j.name];
    for (const name of order) o.write(`  ${' '.repeat(16)} ${result.outdir}/stacks/${name}/cdk.tf.json\n`);
    if (order.length > 1) {
      // Provision (Cluster API, management cluster) → platform and serving (the new cluster).
      o.write(
        `  ${' '.repeat(16)} apply in order: ${order.join(' → ')} (provision → platform + serving); destroy in reverse\n`,
      );
    }
  }
  if (result.findings.trim() !== '') o.write(`\n${result.findings}\n`);
  if (result.report) o.write(`audit report: ${result.report}\n`);
  for (const n of result.notices) stderr().write(`${yellow(stderr(), 'note')} ${n}\n`);
  return result.exitCode;
}
