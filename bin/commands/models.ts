/** `sovereign models [--json]`: the built-in architecture catalogue the capacity planner sizes from. */
import { MODEL_CATALOGUE } from '../../constructs/model-catalogue';
import { kvBytesPerToken } from '../../constructs/capacity';
import { printJson, stdout } from '../lib/output';

export async function run(opts: { readonly json?: boolean }): Promise<number> {
  const rows = Object.values(MODEL_CATALOGUE)
    .slice()
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((m) => ({
      name: m.name,
      parametersBillion: Math.round(m.parameters / 1e7) / 100,
      layers: m.layers,
      attentionHeads: m.attentionHeads,
      kvHeads: m.kvHeads,
      headDim: m.headDim,
      maxContextTokens: m.maxContextTokens,
      kvCacheKiBPerToken: kvBytesPerToken(m) / 1024,
      source: m.source ?? '',
    }));
  if (opts.json) {
    printJson(rows);
    return 0;
  }
  const header = [
    'architecture',
    'params (B)',
    'layers',
    'heads',
    'kv heads',
    'head dim',
    'max ctx',
    'KV KiB/token',
  ];
  const table = [
    header,
    ...rows.map((r) => [
      r.name,
      r.parametersBillion.toFixed(2),
      String(r.layers),
      String(r.attentionHeads),
      String(r.kvHeads),
      String(r.headDim),
      String(r.maxContextTokens),
      String(r.kvCacheKiBPerToken),
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
  stdout().write('\nSources (config.json of each model): sovereign models --json\n');
  return 0;
}
