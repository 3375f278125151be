/** The report an auditor files: Markdown with one section per stack. */
import type { Totals } from '../engine';
import type { AuditReport } from './model';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: (string | number | undefined)[]) =>
  `| ${cells.map((c) => esc(String(c ?? ''))).join(' | ')} |`;
const table = (head: string[], rows: (string | number | undefined)[][]) =>
  rows.length === 0 ? '_none_' : [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const totalsCells = (t: Totals) => [t.passed, t.failed, t.suppressed, t.unknown, t.notApplicable, t.errors];
const TOTALS_HEAD = ['passed', 'failed', 'suppressed', 'unknown', 'not applicable', 'gating errors'];

export function renderMarkdown(r: AuditReport): string {
  const out: string[] = [];
  out.push(`# Sovereignty and hardening audit`);
  out.push('');
  out.push(
    `- Toolkit: sovereign-stack ${r.tool.version}; rules ${r.tool.rulesVersion}${r.strict ? '; strict mode (unknown fails)' : ''}`,
  );
  if (r.generatedAt) out.push(`- Generated: ${r.generatedAt}; suppressions judged on ${r.evaluatedOn}`);
  out.push(`- Result: **${r.gate === 'pass' ? 'PASS' : 'FAIL'}**`);
  out.push(`- Trust anchor: **${r.trust.anchor}**. ${r.trust.statement}`);
  out.push('');
  if (r.trust.spec?.differences.length) {
    out.push('## Differences from the approved spec');
    out.push('');
    out.push(
      table(
        ['file', 'difference', 'JSON paths'],
        r.trust.spec.differences.map((d) => [
          `\`${d.file}\``,
          d.note ? `${d.kind}: ${d.note}` : d.kind,
          d.paths.map((p) => `\`${p}\``).join(', '),
        ]),
      ),
    );
    out.push('');
  }
  if (r.trust.declaredPublic.length) {
    out.push('## Declared public');
    out.push('');
    out.push(
      table(
        ['stack', 'service', 'reason'],
        r.trust.declaredPublic.map((d) => [d.stack, `\`${d.host}\``, d.reason]),
      ),
    );
    out.push('');
  }
  if (r.trust.allowUnknown) {
    out.push(`## Unknowns accepted (\`--allow-unknown\`: ${r.trust.allowUnknown.reason})`);
    out.push('');
    out.push(
      table(
        ['stack', 'rule', 'address', 'path', 'what'],
        r.trust.allowUnknown.accepted.map((u) => [
          u.stack,
          u.rule,
          `\`${u.address}\``,
          u.path ? `\`${u.path}\`` : '',
          u.message,
        ]),
      ),
    );
    out.push('');
  }
  out.push(table(TOTALS_HEAD, [totalsCells(r.totals)]));
  out.push('');
  out.push('## Synthesized files');
  out.push('');
  out.push(
    table(
      ['file', 'SHA-256'],
      r.files.map((f) => [`\`${f.path}\``, `\`${f.sha256}\``]),
    ),
  );
  for (const s of r.stacks) {
    out.push('');
    out.push(`## Stack \`${s.name}\` — jurisdiction ${s.jurisdiction}`);
    out.push('');
    out.push(
      `Profile \`${s.profile}\`; packs: ${s.packs.map((p) => `\`${p.id}\` (${p.level})`).join(', ') || 'default'}${s.strict ? '; strict (unknown fails)' : ''}.`,
    );
    out.push('');
    out.push('### Inventory');
    out.push('');
    out.push(
      table(
        ['resource type', 'count'],
        Object.entries(s.inventory.resources).map(([k, v]) => [`\`${k}\``, v]),
      ),
    );
    out.push('');
    out.push(`GPUs requested by workloads: ${s.inventory.gpusRequested}.`);
    out.push('');
    out.push(
      table(
        [
          'pool',
          'GPU product',
          'nodes',
          'GPUs per node',
          'sharing',
          'GPUs offered',
          'models',
          'GPUs requested',
        ],
        s.inventory.pools.map((p) => [
          p.name,
          p.gpuProduct,
          p.nodeCount,
          p.gpusPerNode === undefined
            ? undefined
            : p.physicalGpusPerNode !== undefined && p.physicalGpusPerNode !== p.gpusPerNode
              ? `${p.gpusPerNode} (${p.physicalGpusPerNode} physical)`
              : p.gpusPerNode,
          p.sharing,
          p.gpusOffered,
          p.models.join(', '),
          p.gpusRequested,
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['model', 'engine', 'revision', 'replicas', 'GPUs each', 'pool'],
        s.inventory.models.map((m) => [m.name, m.engine, `\`${m.revision}\``, m.replicas, m.gpus, m.pool]),
      ),
    );
    out.push('');
    out.push('### Declared boundary');
    out.push('');
    out.push('What the stack records as its own; every location below is judged against it.');
    out.push('');
    const b = s.boundary;
    const list = (xs: readonly string[]) =>
      xs.length === 0 ? '(none)' : xs.map((x) => `\`${x}\``).join(', ');
    out.push(
      table(
        ['declared', 'values'],
        [
          ['image registries', list(b.registries)],
          ['chart repositories', list(b.chartRepositories)],
          ['provider registries', list(b.providerHosts)],
          ['hosts', list(b.hosts)],
          ['network ranges', list(b.cidrs)],
          ...(b.dnsCidrs && b.dnsCidrs.length > 0
            ? [
                [
                  'cluster DNS addresses (DNS ports only)',
                  `${list(b.dnsCidrs)} on ${(b.dnsPorts ?? []).join(', ')}`,
                ],
              ]
            : []),
          ['service types besides ClusterIP', list(b.serviceTypes)],
        ],
      ),
    );
    out.push('');
    out.push('### Data locations');
    out.push('');
    out.push(
      table(
        ['kind', 'name', 'location', 'jurisdiction'],
        s.dataLocations.map((d) => [d.kind, d.name, d.location, d.jurisdiction]),
      ),
    );
    out.push('');
    out.push('### Secrets and ConfigMaps the stack refers to');
    out.push('');
    out.push(
      s.references.length === 0
        ? 'None: the stack names no Secret or ConfigMap it does not create.'
        : table(
            ['kind', 'namespace', 'name', 'use', 'referred to by'],
            s.references.map((x) => [x.kind, x.namespace, x.name, x.use, x.by.join(', ')]),
          ),
    );
    out.push('');
    out.push('### Controls');
    out.push('');
    out.push(table(TOTALS_HEAD, [totalsCells(s.totals)]));
    out.push('');
    out.push(
      table(
        ['pack', 'framework', 'level', ...TOTALS_HEAD],
        s.frameworks.map((f) => [f.pack, f.framework, f.level, ...totalsCells(f.totals)]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['rule', 'title', 'level', 'address', 'result', 'field / note'],
        s.results.map((x) => [
          x.rule,
          x.title,
          x.level,
          `\`${x.address}\``,
          x.status,
          x.status === 'suppressed'
            ? `suppressed: ${x.suppression?.reason ?? ''}`
            : x.details.map((d) => `${d.path}: ${d.message}`).join('; '),
        ]),
      ),
    );
    out.push('');
    out.push('### Suppressions register');
    out.push('');
    out.push(
      table(
        ['rule', 'resource', 'reason', 'expires', 'state', 'note'],
        s.suppressions.map((x) => [x.rule, `\`${x.resource}\``, x.reason, x.expires, x.state, x.note]),
      ),
    );
    out.push('');
    out.push('### Supply chain');
    out.push('');
    out.push(
      table(
        ['image', 'registry', 'digest', 'used by'],
        s.supplyChain.images.map((i) => [
          `\`${i.ref}\``,
          i.registry,
          i.digest ? `\`${i.digest}\`` : '**not pinned**',
          i.usedBy.join(', '),
        ]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['release', 'chart', 'version', 'repository'],
        s.supplyChain.charts.map((c) => [c.release, c.chart, c.version, c.repository]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['provider', 'source', 'version'],
        s.supplyChain.providers.map((p) => [p.name, p.source, p.version]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['model', 'revision', 'manifest SHA-256', 'licence', 'source', 'files'],
        s.supplyChain.models.map((m) => [
          m.name,
          `\`${m.revision}\``,
          `\`${m.manifestSha256}\``,
          m.license,
          m.source,
          m.files.length,
        ]),
      ),
    );
  }
  if (r.plan) {
    const c = r.plan.counts;
    out.push('');
    out.push(
      `## Planned changes (\`${r.plan.file}\`, format ${r.plan.formatVersion}${r.plan.terraformVersion ? `, Terraform ${r.plan.terraformVersion}` : ''})`,
    );
    out.push('');
    out.push(table(['create', 'update', 'replace', 'delete'], [[c.create, c.update, c.replace, c.delete]]));
    out.push('');
    out.push(
      table(
        ['address', 'action', 'risks'],
        r.plan.changes.map((ch) => [
          `\`${ch.address}\``,
          ch.action,
          ch.risks.map((x) => `**${x.id}**: ${x.label}`).join('; '),
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
