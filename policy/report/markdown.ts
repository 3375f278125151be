/**
 * The report an auditor files, as Markdown: identity and verdict first, then per stack the
 * summary (failures, suppressions, unknowns, models without an API key), the controls grouped
 * per rule, the framework matrix, inventory, locations and the supply chain. Sections with
 * nothing to show are left out.
 */
import type { Totals } from '../engine';
import { frameworkMatrix, MANUAL_CONTROLS } from '../frameworks';
import type { AuditReport, StackReport } from './model';
import { disagreeing, launchLine } from './multi-node-launch';
import { POOL_HEAD, multiNodeLines, poolCells } from './pool-table';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const row = (cells: (string | number | undefined)[]) =>
  `| ${cells.map((c) => esc(String(c ?? ''))).join(' | ')} |`;
const table = (head: string[], rows: (string | number | undefined)[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
/** Inline code that survives any content: a fence longer than any backtick run inside. */
export const code = (s: string): string => {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 || s.startsWith('`') || s.endsWith('`') ? ` ${s} ` : s}${fence}`;
};
/** Text read from the artifact, outside a table: no line breaks, no HTML. */
const inline = (s: string) => esc(s).replace(/</g, '&lt;').replace(/>/g, '&gt;');
const totalsCells = (t: Totals) => [t.passed, t.failed, t.suppressed, t.unknown, t.notApplicable, t.errors];
const TOTALS_HEAD = ['passed', 'failed', 'suppressed', 'unknown', 'not applicable', 'gating errors'];

/** A section: heading and body, or nothing at all when the body is empty. */
function section(out: string[], heading: string, body: string | undefined): void {
  if (body === undefined || body === '') return;
  out.push('', heading, '', body);
}

const verdict = (s: StackReport) => (s.totals.errors > 0 ? 'FAIL' : 'PASS');

export function renderMarkdown(r: AuditReport): string {
  const out: string[] = [];
  out.push(`# Sovereignty and hardening audit`);
  out.push('');
  out.push(
    `- Result: **${r.gate === 'pass' ? 'PASS' : 'FAIL'}**${r.strict ? ' (strict: unknown fails)' : ''}`,
  );
  out.push(`- Audited: ${r.generatedAt}; suppressions judged on ${r.evaluatedOn}`);
  out.push(
    `- Toolkit: sovereign-stack ${r.tool.version}, commit ${r.tool.commit ? code(r.tool.commit) : 'unknown'}; rules ${r.tool.rulesVersion}`,
  );
  if (r.spec) out.push(`- Spec: ${code(r.spec.path)}, SHA-256 ${code(r.spec.sha256)}`);
  out.push(`- Trust anchor: **${r.trust.anchor}**. ${r.trust.statement}`);
  section(
    out,
    '## Differences from the approved spec',
    r.trust.spec?.differences.length
      ? table(
          ['file', 'difference', 'JSON paths'],
          r.trust.spec.differences.map((d) => [
            code(d.file),
            d.note ? `${d.kind}: ${d.note}` : d.kind,
            d.paths.map((p) => code(p)).join(', '),
          ]),
        )
      : undefined,
  );
  section(
    out,
    '## Declared public',
    r.trust.declaredPublic.length
      ? table(
          ['stack', 'service', 'reason'],
          r.trust.declaredPublic.map((d) => [d.stack, code(d.host), d.reason]),
        )
      : undefined,
  );
  section(
    out,
    `## Unknowns accepted (\`--allow-unknown\`: ${r.trust.allowUnknown?.reason ?? ''})`,
    r.trust.allowUnknown
      ? table(
          ['stack', 'rule', 'address', 'path', 'what'],
          r.trust.allowUnknown.accepted.map((u) => [
            u.stack,
            u.rule,
            code(u.address),
            u.path ? code(u.path) : '',
            u.message,
          ]),
        )
      : undefined,
  );
  out.push('');
  out.push(
    table(
      ['jurisdiction', 'stack', 'verdict', ...TOTALS_HEAD],
      r.stacks.map((s) => [s.jurisdiction, s.name, verdict(s), ...totalsCells(s.totals)]),
    ),
  );
  for (const s of r.stacks) stackSection(out, s);
  if (r.plan) {
    const c = r.plan.counts;
    section(
      out,
      `## Planned changes (${code(r.plan.file)}, format ${r.plan.formatVersion}${r.plan.terraformVersion ? `, Terraform ${r.plan.terraformVersion}` : ''})`,
      [
        table(['create', 'update', 'replace', 'delete'], [[c.create, c.update, c.replace, c.delete]]),
        ...(r.plan.changes.length > 0
          ? [
              '',
              table(
                ['address', 'action', 'risks'],
                r.plan.changes.map((ch) => [
                  code(ch.address),
                  ch.action,
                  ch.risks.map((x) => `**${x.id}**: ${x.label}`).join('; '),
                ]),
              ),
            ]
          : []),
      ].join('\n'),
    );
  }
  section(
    out,
    '## Synthesized files',
    r.files.length === 0
      ? undefined
      : table(
          ['file', 'SHA-256'],
          r.files.map((f) => [code(f.path), code(f.sha256)]),
        ),
  );
  return `${out.join('\n')}\n`;
}

function stackSection(out: string[], s: StackReport): void {
  out.push('');
  out.push(`## ${s.jurisdiction}: stack ${code(s.name)} — ${verdict(s)}`);
  out.push('');
  out.push(
    `Profile ${code(s.profile)}; packs: ${s.packs.map((p) => `${code(p.id)} (${p.level})`).join(', ') || 'default'}${s.strict ? '; strict (unknown fails)' : ''}. Boundary ${s.boundaryDeclaredBy}.`,
  );
  out.push('');
  out.push(table(TOTALS_HEAD, [totalsCells(s.totals)]));

  const failing = s.findings.filter((f) => f.status === 'failed');
  section(
    out,
    '### Failures',
    failing.length === 0
      ? undefined
      : table(
          ['rule', 'level', 'address', 'field', 'what is wrong', 'fix'],
          failing.map((f) => [f.rule, f.level, code(f.address), f.path, f.message, f.fix]),
        ),
  );
  const unknown = s.findings.filter((f) => f.status === 'unknown');
  section(
    out,
    '### Unresolved (unknown)',
    unknown.length === 0
      ? undefined
      : table(
          ['rule', 'address', 'field', 'why'],
          unknown.map((f) => [f.rule, code(f.address), f.path, f.message]),
        ),
  );
  const noKey = s.inventory.models.filter((m) => !m.apiKey);
  section(
    out,
    '### Models served without an API key',
    noKey.length === 0
      ? undefined
      : `Anyone who reaches these Services can use the model: ${noKey.map((m) => `${code(m.name)} (${m.engine})`).join(', ')}.`,
  );
  section(
    out,
    '### Multi-node groups whose leader and workers disagree',
    disagreeing(s).length === 0
      ? undefined
      : table(
          ['model', 'group', 'disagreement'],
          disagreeing(s).map((d) => [code(d.model), code(d.address), inline(d.disagreement)]),
        ),
  );
  section(
    out,
    '### Suppressions',
    s.suppressions.length === 0
      ? undefined
      : table(
          ['rule', 'resource', 'reason', 'expires', 'state', 'note'],
          s.suppressions.map((x) => [x.rule, code(x.resource), x.reason, x.expires, x.state, x.note]),
        ),
  );
  const b = s.boundary;
  const list = (xs: readonly string[]) => xs.map((x) => code(x)).join(', ');
  const boundaryRows: string[][] = [
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
  ].filter((x) => x[1] !== '');
  section(
    out,
    '### Declared boundary',
    `What the stack records as its own (${s.boundaryDeclaredBy}); every location below is judged against it.\n\n${table(['declared', 'values'], boundaryRows)}`,
  );
  section(
    out,
    '### Controls, per rule',
    s.rules.length === 0
      ? undefined
      : table(
          ['rule', 'title', 'level', 'passed', 'failed', 'suppressed', 'unknown'],
          s.rules.map((x) => [x.rule, x.title, x.level, x.passed, x.failed, x.suppressed, x.unknown]),
        ),
  );
  const matrix = frameworkMatrix(s.rules);
  section(
    out,
    '### Framework matrix',
    matrix.length === 0
      ? undefined
      : [
          table(
            ['framework', 'clause', 'rules', 'result'],
            matrix.flatMap((f) =>
              f.clauses.map((c) => [f.framework, `${c.id} ${c.title}`, c.rules.join(', '), c.result]),
            ),
          ),
          '',
          'Manual controls (not provable from the artifact):',
          '',
          ...matrix.map(
            (f) => `- ${f.framework}: ${MANUAL_CONTROLS[f.id].map((m) => `${m.id} ${m.title}`).join('; ')}`,
          ),
        ].join('\n'),
  );
  section(
    out,
    '### Inventory',
    [
      table(
        ['resource type', 'count'],
        Object.entries(s.inventory.resources).map(([k, v]) => [code(k), v]),
      ),
      '',
      `GPUs requested by workloads: ${s.inventory.gpusRequested}.`,
      ...(s.inventory.pools.length > 0 ? ['', table(POOL_HEAD, s.inventory.pools.map(poolCells))] : []),
      ...(s.inventory.pools.some((p) => p.multiNode)
        ? ['', ...s.inventory.pools.flatMap(multiNodeLines).map((l) => `- ${l}`)]
        : []),
      ...(s.inventory.models.length > 0
        ? [
            '',
            table(
              ['model', 'engine', 'revision', 'replicas', 'GPUs each', 'pool', 'API key'],
              s.inventory.models.map((m) => [
                m.name,
                m.engine,
                code(m.revision),
                m.replicas,
                m.gpus,
                m.pool,
                m.apiKey ? 'required' : '**none**',
              ]),
            ),
          ]
        : []),
      ...(s.inventory.models.some((m) => m.multiNode)
        ? [
            '',
            ...s.inventory.models.flatMap((m) =>
              (m.multiNode ?? []).map((g) => `- ${code(m.name)} ${inline(launchLine(g, true))}`),
            ),
          ]
        : []),
    ].join('\n'),
  );
  section(
    out,
    '### Data locations',
    s.dataLocations.length === 0
      ? undefined
      : table(
          ['kind', 'name', 'location', 'jurisdiction'],
          s.dataLocations.map((d) => [d.kind, d.name, d.location, d.jurisdiction]),
        ),
  );
  section(
    out,
    '### Secrets and ConfigMaps the stack refers to',
    s.references.length === 0
      ? undefined
      : table(
          ['kind', 'namespace', 'name', 'use', 'referred to by'],
          s.references.map((x) => [x.kind, x.namespace, x.name, x.use, x.by.join(', ')]),
        ),
  );
  section(
    out,
    '### What the cluster must run',
    s.clusterRequirements.length === 0
      ? undefined
      : table(
          ['requirement', 'why', 'needed by'],
          s.clusterRequirements.map((x) => [x.requirement, x.why, x.by.join(', ')]),
        ),
  );
  const sc = s.supplyChain;
  const parts: string[] = [];
  if (sc.images.length > 0)
    parts.push(
      table(
        ['image', 'registry', 'digest', 'source', 'what runs it'],
        sc.images.map((i) => [
          code(i.ref),
          i.registry,
          i.digest ? code(i.digest) : '**tag only**',
          i.origin,
          [
            ...(i.operands ?? []),
            ...(i.problem ? [`**${i.problem}**`] : []),
            ...(i.note ? [i.note] : []),
            i.usedBy.join(', '),
          ].join('; '),
        ]),
      ),
    );
  if (sc.charts.length > 0)
    parts.push(
      table(
        ['release', 'chart', 'version', 'repository', 'images it runs'],
        sc.charts.map((c) => [
          c.release,
          c.chart,
          c.version ?? '**unpinned**',
          c.repository,
          c.operands === undefined ? 'as its values name them' : c.operands,
        ]),
      ),
    );
  if (sc.providers.length > 0)
    parts.push(
      table(
        ['provider', 'source', 'version'],
        sc.providers.map((p) => [p.name, p.source, p.version ?? '**unpinned**']),
      ),
    );
  if (sc.models.length > 0)
    parts.push(
      table(
        ['model', 'revision', 'manifest SHA-256', 'licence', 'source', 'files'],
        sc.models.map((m) => [
          m.name,
          code(m.revision),
          code(m.manifestSha256),
          m.license ?? '**not declared**',
          m.source,
          m.files.length,
        ]),
      ),
    );
  section(out, '### Supply chain', parts.join('\n\n'));
  section(
    out,
    '### Model licences',
    s.licences.length === 0
      ? undefined
      : table(
          ['model', 'licence', 'risk classes', 'clauses', 'accepted'],
          s.licences.map((l) => [
            l.model,
            l.listed
              ? `${l.spdx ?? l.name} (${l.id}, ${l.url}, read ${l.read})`
              : `${l.id ?? '—'} (not in the catalogue)`,
            l.classes.join(', ') || 'none',
            l.clauses
              .filter((c) => c.notice !== true)
              .map((c) => `${c.class} — ${c.section}: ${c.summary}`)
              .join('<br>') || '—',
            [
              ...(l.acceptance ? [`unlisted licence: ${l.acceptance.reason} (${l.acceptance.url})`] : []),
              ...l.accepted.map((a) => `${a.rule}: ${a.reason}`),
            ].join('<br>') || '—',
          ]),
        ),
  );
}
