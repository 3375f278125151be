/** `sovereign models [--json]`: the built-in architecture catalogue the capacity planner sizes from. */
import type { Command } from 'commander';
import type { Register } from '../lib/command';
import { printJson, stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('models')
    .description('list the built-in model architectures the capacity planner knows')
    .option('--json', 'print the catalogue as JSON, with the source of every number')
    .action((_o, cmd: Command) => act(cmd, () => run(cmd.optsWithGlobals())));
};

export async function run(opts: { readonly json?: boolean }): Promise<number> {
  const { MODEL_CATALOGUE } = await import('../../constructs/model-catalogue');
  const { activeParameters, kvBytesPerToken } = await import('../../constructs/capacity');
  const rows = Object.values(MODEL_CATALOGUE)
    .slice()
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((m) => ({
      name: m.name,
      parametersBillion: Math.round(m.parameters / 1e7) / 100,
      activeParametersBillion: Math.round(activeParameters(m) / 1e7) / 100,
      format: m.nativeFormat,
      attention: `${m.mla ? 'MLA' : m.kvHeads < m.attentionHeads ? 'GQA' : 'MHA'}${m.slidingWindow ? '+SWA' : ''}`,
      ...(m.moe ? { experts: m.moe.experts, expertsPerToken: m.moe.expertsPerToken } : {}),
      ...(m.slidingWindow ? { slidingWindow: m.slidingWindow } : {}),
      layers: m.layers,
      attentionHeads: m.attentionHeads,
      kvHeads: m.kvHeads,
      headDim: m.headDim,
      maxContextTokens: m.maxContextTokens,
      kvCacheKiBPerToken: kvBytesPerToken(m) / 1024,
      licence: m.licence ?? '',
      source: m.source ?? '',
    }));
  if (opts.json) {
    printJson(rows);
    return 0;
  }
  const header = [
    'architecture',
    'params (B)',
    'active (B)',
    'format',
    'attention',
    'layers',
    'heads',
    'kv heads',
    'head dim',
    'max ctx',
    'KV KiB/token',
    'licence',
  ];
  const table = [
    header,
    ...rows.map((r) => [
      r.name,
      r.parametersBillion.toFixed(2),
      r.activeParametersBillion.toFixed(2),
      r.format,
      r.attention,
      String(r.layers),
      String(r.attentionHeads),
      String(r.kvHeads),
      String(r.headDim),
      String(r.maxContextTokens),
      String(r.kvCacheKiBPerToken),
      r.licence,
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table)
    stdout().write(
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd() + '\n',
    );
  stdout().write(
    '\nKV KiB/token counts every layer; +SWA: sliding-window layers, whose cache the engines keep to the window (docs/gpus.md).\nSources (config.json of each model): sovereign models --json\n',
  );
  return 0;
}
