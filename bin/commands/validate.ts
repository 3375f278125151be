/** `sovereign validate [spec]`: parse and check a spec; exit 0 when valid, 2 with located problems. */
import type { Command } from 'commander';
import { specArgument, type Register } from '../lib/command';
import { green, printJson, stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('validate')
    .description('check a spec; exit 0 when valid, 2 with every problem located as file:line:col')
    .addArgument(specArgument())
    .option('--json', 'print the result as JSON')
    .action((spec: string, _o, cmd: Command) => act(cmd, () => run(spec, cmd.optsWithGlobals())));
};

export interface ValidateOptions {
  readonly json?: boolean;
}

export async function run(file: string, opts: ValidateOptions): Promise<number> {
  const { loadSpec } = await import('../../stacks/spec/load');
  const { spec } = loadSpec(file);
  // In name order, as synth and audit list them.
  const jurisdictions = Object.entries(spec.jurisdictions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, j]) => ({
      name,
      profile: j.profile,
      pools: Object.keys(j.pools).length,
      gpus: Object.entries(j.pools).reduce((n, [k, p]) => {
        // A provisioned pool counts its machines (the autoscaler's maximum when it scales).
        const m = j.cluster.provision?.pools[k];
        const count = m ? (m.autoscaling?.maxReplicas ?? m.replicas ?? 0) : (p.nodes?.length ?? 0);
        return n + p.gpusPerNode * count;
      }, 0),
      models: Object.keys(j.models).length,
    }));
  if (opts.json) {
    printJson({ ok: true, file, jurisdictions });
  } else {
    const models = jurisdictions.reduce((n, j) => n + j.models, 0);
    stdout().write(
      `${green(stdout(), 'valid')} ${file}: ${jurisdictions.length} jurisdiction${jurisdictions.length === 1 ? '' : 's'}, ${models} model${models === 1 ? '' : 's'}\n`,
    );
    for (const j of jurisdictions) {
      stdout().write(
        `  ${j.name}  profile ${j.profile}, ${j.pools} pool(s) with ${j.gpus} GPU(s), ${j.models} model(s)\n`,
      );
    }
  }
  return 0;
}
