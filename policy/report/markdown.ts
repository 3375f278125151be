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
import { redact } from '../secrets';
import { ALL_RULES } from '../rules';

/**
 * Markup the renderer wrote. Every plain string handed to the helpers below is text read from
 * the judged JSON (or a message quoting it) and is rendered as literal characters.
 */
class Md {
  constructor(readonly md: string) {}
}
type Part = string | number | undefined | Md;

/**
 * Text as literal characters in GitHub-flavoured Markdown, outside code spans: a CommonMark
 * backslash escape before every character that can open inline markup mid-line (escapes,
 * code spans, emphasis, strikethrough, links and images, autolinks and raw HTML, entity
 * references), and the GFM extended autolinks (`https://`, `www.`, `user@host`) broken up. An
 * `_` between two letters or digits stays as written: it opens and closes no emphasis
 * (CommonMark 0.31.2, 6.2: an `_` run that is both left- and right-flanking opens only after
 * punctuation and closes only before it). Line breaks become spaces. `|`
 * is left to the table row, which escapes it once. Credentials are redacted first: the escapes
 * would hide a URL's user information from the redaction of the finished report.
 */
const WORD = /[A-Za-z0-9]/;
export const text = (s: string): string =>
  redact(s)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_~[\]<>&!@]/g, (c, i: number, all: string) =>
      c === '_' && WORD.test(all[i - 1] ?? '') && WORD.test(all[i + 1] ?? '') ? c : `\\${c}`,
    )
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');

const part = (x: Part): string =>
  x instanceof Md ? x.md : typeof x === 'string' ? text(x) : String(x ?? '');
/**
 * Markup from a template: the literal parts are the renderer's, every string value is text.
 * Not named `markup`: Prettier formats templates tagged `markup` as embedded Markdown, which would
 * indent their lines and leave whitespace-only lines in the report.
 */
const markup = (lit: TemplateStringsArray, ...values: Part[]): Md =>
  new Md(lit.reduce((out, l, i) => out + (i === 0 ? '' : part(values[i - 1])) + l, ''));
const joinMd = (xs: readonly Part[], sep: string): Md => new Md(xs.map(part).join(sep));

/**
 * A rule's fix is the toolkit's own Markdown (code spans for field names) when it is exactly the
 * text the rule carries; any other text (a report read back from a file) is rendered as text.
 */
let fixes: ReadonlyMap<string, string> | undefined;
function fixOf(rule: string, fix: string): Part {
  fixes ??= new Map(ALL_RULES.map((r) => [r.id, r.fix]));
  return fixes.get(rule) === fix ? new Md(fix) : fix;
}

/** A table row: each cell rendered, then `|` escaped once (GFM reads `\|` as a pipe in any span). */
const row = (cells: readonly Part[]) => `| ${cells.map((c) => part(c).replace(/\|/g, '\\|')).join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly Part[])[]) =>
  [row(head), row(head.map(() => new Md('---'))), ...rows.map(row)].join('\n');

/**
 * Inline code that survives any content: a fence longer than any backtick run inside. In a GFM
 * table a backslash right before `|` would pair with the `\` the row puts before the pipe and
 * the pipe would split the cell, so such a value is escaped text instead.
 */
export const code = (raw: string): Md => {
  const s = redact(raw).replace(/[\r\n]+/g, ' ');
  if (/\\\|/.test(s)) return new Md(text(s));
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  // A space inside each fence when the value starts or ends with a backtick, or with a space at
  // both ends (CommonMark strips one space from each side of such a span).
  const pad =
    longest > 0 || s.startsWith('`') || s.endsWith('`') || (/^ /.test(s) && / $/.test(s) && s.trim() !== '');
  return new Md(`${fence}${pad ? ` ${s} ` : s}${fence}`);
};
const totalsCells = (t: Totals) => [t.passed, t.failed, t.suppressed, t.unknown, t.notApplicable, t.errors];
const TOTALS_HEAD = ['passed', 'failed', 'suppressed', 'unknown', 'not applicable', 'gating errors'];

/** A section: heading and body, or nothing at all when the body is empty. */
function section(out: string[], heading: Md, body: string | undefined): void {
  if (body === undefined || body === '') return;
  out.push('', heading.md, '', body);
}

const verdict = (s: StackReport) => (s.totals.errors > 0 ? 'FAIL' : 'PASS');

export function renderMarkdown(r: AuditReport): string {
  const out: string[] = [];
  out.push(`# Sovereignty and hardening audit`);
  out.push('');
  out.push(
    `- Result: **${r.gate === 'pass' ? 'PASS' : 'FAIL'}**${r.strict ? ' (strict: unknown fails)' : ''}`,
  );
  out.push(markup`- Audited: ${r.generatedAt}; suppressions judged on ${r.evaluatedOn}`.md);
  out.push(
    markup`- Toolkit: sovereign-stack ${r.tool.version}, commit ${r.tool.commit ? code(r.tool.commit) : 'unknown'}; rules ${r.tool.rulesVersion}`
      .md,
  );
  if (r.spec) out.push(markup`- Spec: ${code(r.spec.path)}, SHA-256 ${code(r.spec.sha256)}`.md);
  out.push(markup`- Trust anchor: **${r.trust.anchor}**. ${r.trust.statement}`.md);
  section(
    out,
    markup`## Differences from the approved spec`,
    r.trust.spec?.differences.length
      ? table(
          ['file', 'difference', 'JSON paths'],
          r.trust.spec.differences.map((d) => [
            code(d.file),
            d.note ? `${d.kind}: ${d.note}` : d.kind,
            joinMd(
              d.paths.map((p) => code(p)),
              ', ',
            ),
          ]),
        )
      : undefined,
  );
  section(
    out,
    markup`## Declared public`,
    r.trust.declaredPublic.length
      ? table(
          ['stack', 'service', 'reason'],
          r.trust.declaredPublic.map((d) => [d.stack, code(d.host), d.reason]),
        )
      : undefined,
  );
  section(
    out,
    markup`## Unknowns accepted (\`--allow-unknown\`: ${r.trust.allowUnknown?.reason ?? ''})`,
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
      markup`## Planned changes (${code(r.plan.file)}, format ${r.plan.formatVersion}${r.plan.terraformVersion ? markup`, Terraform ${r.plan.terraformVersion}` : ''})`,
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
                  joinMd(
                    ch.risks.map((x) => markup`**${x.id}**: ${x.label}`),
                    '; ',
                  ),
                ]),
              ),
            ]
          : []),
      ].join('\n'),
    );
  }
  section(
    out,
    markup`## Synthesized files`,
    r.files.length === 0
      ? undefined
      : table(
          ['file', 'SHA-256'],
          r.files.map((f) => [code(f.path), code(f.sha256)]),
        ),
  );
  return `${out.join('\n')}\n`;
}

const bold = (x: string) => markup`**${x}**`;

function stackSection(out: string[], s: StackReport): void {
  out.push('');
  out.push(markup`## ${s.jurisdiction}: stack ${code(s.name)} — ${verdict(s)}`.md);
  out.push('');
  out.push(
    markup`Profile ${code(s.profile)}; packs: ${
      s.packs.length > 0
        ? joinMd(
            s.packs.map((p) => markup`${code(p.id)} (${p.level})`),
            ', ',
          )
        : 'default'
    }${s.strict ? '; strict (unknown fails)' : ''}. Boundary ${s.boundaryDeclaredBy}.`.md,
  );
  out.push('');
  out.push(table(TOTALS_HEAD, [totalsCells(s.totals)]));

  const failing = s.findings.filter((f) => f.status === 'failed');
  section(
    out,
    markup`### Failures`,
    failing.length === 0
      ? undefined
      : table(
          ['rule', 'level', 'address', 'field', 'what is wrong', 'fix'],
          failing.map((f) => [
            f.rule,
            f.level,
            code(f.address),
            f.path ? code(f.path) : '',
            f.message,
            fixOf(f.rule, f.fix),
          ]),
        ),
  );
  const unknown = s.findings.filter((f) => f.status === 'unknown');
  section(
    out,
    markup`### Unresolved (unknown)`,
    unknown.length === 0
      ? undefined
      : table(
          ['rule', 'address', 'field', 'why'],
          unknown.map((f) => [f.rule, code(f.address), f.path ? code(f.path) : '', f.message]),
        ),
  );
  const noKey = s.inventory.models.filter((m) => !m.apiKey);
  section(
    out,
    markup`### Models served without an API key`,
    noKey.length === 0
      ? undefined
      : markup`Anyone who reaches these Services can use the model: ${joinMd(
          noKey.map((m) => markup`${code(m.name)} (${m.engine})`),
          ', ',
        )}.`.md,
  );
  section(
    out,
    markup`### Multi-node groups whose leader and workers disagree`,
    disagreeing(s).length === 0
      ? undefined
      : table(
          ['model', 'group', 'disagreement'],
          disagreeing(s).map((d) => [code(d.model), code(d.address), d.disagreement]),
        ),
  );
  section(
    out,
    markup`### Suppressions`,
    s.suppressions.length === 0
      ? undefined
      : table(
          ['rule', 'resource', 'reason', 'expires', 'state', 'note'],
          s.suppressions.map((x) => [x.rule, code(x.resource), x.reason, x.expires, x.state, x.note]),
        ),
  );
  const b = s.boundary;
  const list = (xs: readonly string[]) =>
    joinMd(
      xs.map((x) => code(x)),
      ', ',
    );
  const boundaryRows: [string, Md][] = [
    ['image registries', list(b.registries)],
    ['chart repositories', list(b.chartRepositories)],
    ['provider registries', list(b.providerHosts)],
    ['hosts', list(b.hosts)],
    ['network ranges', list(b.cidrs)],
    ...(b.dnsCidrs && b.dnsCidrs.length > 0
      ? ([
          [
            'cluster DNS addresses (DNS ports only)',
            markup`${list(b.dnsCidrs)} on ${(b.dnsPorts ?? []).join(', ')}`,
          ],
        ] as [string, Md][])
      : []),
    ['service types besides ClusterIP', list(b.serviceTypes)],
  ];
  section(
    out,
    markup`### Declared boundary`,
    markup`What the stack records as its own (${s.boundaryDeclaredBy}); every location below is judged against it.`
      .md +
      `\n\n${table(
        ['declared', 'values'],
        boundaryRows.filter((x) => x[1].md !== ''),
      )}`,
  );
  section(
    out,
    markup`### Controls, per rule`,
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
    markup`### Framework matrix`,
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
            (f) =>
              markup`- ${f.framework}: ${MANUAL_CONTROLS[f.id].map((m) => `${m.id} ${m.title}`).join('; ')}`
                .md,
          ),
        ].join('\n'),
  );
  section(
    out,
    markup`### Inventory`,
    [
      table(
        ['resource type', 'count'],
        Object.entries(s.inventory.resources).map(([k, v]) => [code(k), v]),
      ),
      '',
      `GPUs requested by workloads: ${s.inventory.gpusRequested}.`,
      ...(s.inventory.pools.length > 0 ? ['', table(POOL_HEAD, s.inventory.pools.map(poolCells))] : []),
      ...(s.inventory.pools.some((p) => p.multiNode)
        ? ['', ...s.inventory.pools.flatMap(multiNodeLines).map((l) => markup`- ${l}`.md)]
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
                m.apiKey ? 'required' : bold('none'),
              ]),
            ),
          ]
        : []),
      ...(s.inventory.models.some((m) => m.multiNode)
        ? [
            '',
            ...s.inventory.models.flatMap((m) =>
              (m.multiNode ?? []).map((g) => markup`- ${code(m.name)} ${launchLine(g, true)}`.md),
            ),
          ]
        : []),
    ].join('\n'),
  );
  section(
    out,
    markup`### Data locations`,
    s.dataLocations.length === 0
      ? undefined
      : table(
          ['kind', 'name', 'location', 'jurisdiction'],
          s.dataLocations.map((d) => [d.kind, d.name, d.location, d.jurisdiction]),
        ),
  );
  section(
    out,
    markup`### Secrets and ConfigMaps the stack refers to`,
    s.references.length === 0
      ? undefined
      : table(
          ['kind', 'namespace', 'name', 'use', 'referred to by'],
          s.references.map((x) => [x.kind, x.namespace, x.name, x.use, x.by.join(', ')]),
        ),
  );
  section(
    out,
    markup`### What the cluster must run`,
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
          i.digest ? code(i.digest) : bold('tag only'),
          i.origin,
          joinMd(
            [
              ...(i.operands ?? []),
              ...(i.problem ? [bold(i.problem)] : []),
              ...(i.note ? [i.note] : []),
              i.usedBy.join(', '),
            ],
            '; ',
          ),
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
          c.version ?? bold('unpinned'),
          c.repository,
          c.operands === undefined ? 'as its values name them' : c.operands,
        ]),
      ),
    );
  if (sc.providers.length > 0)
    parts.push(
      table(
        ['provider', 'source', 'version'],
        sc.providers.map((p) => [p.name, p.source, p.version ?? bold('unpinned')]),
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
          m.license ?? bold('not declared'),
          m.source,
          m.files.length,
        ]),
      ),
    );
  section(out, markup`### Supply chain`, parts.join('\n\n'));
  const lines = (xs: readonly Part[]) => (xs.length === 0 ? '—' : joinMd(xs, '<br>'));
  section(
    out,
    markup`### Model licences`,
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
            lines(
              l.clauses
                .filter((c) => c.notice !== true)
                .map((c) => `${c.class} — ${c.section}: ${c.summary}`),
            ),
            lines([
              ...(l.acceptance ? [`unlisted licence: ${l.acceptance.reason} (${l.acceptance.url})`] : []),
              ...l.accepted.map((a) => `${a.rule}: ${a.reason}`),
            ]),
          ]),
        ),
  );
}
