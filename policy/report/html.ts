/**
 * The report as one self-contained HTML page an auditor opens offline: no script, no external
 * style, font or image, and a Content-Security-Policy that forbids loading anything. Summary
 * first (per jurisdiction: verdict, counts, failures, suppressions with their reasons, the
 * boundary and who declared it, the picture), details collapsed below. Every string from the
 * artifact is escaped; the page names no host the artifact does not.
 */
import type { Totals } from '../engine';
import { frameworkMatrix, MANUAL_CONTROLS } from '../frameworks';
import type { AuditReport, StackReport } from './model';
import { disagreeing, launchLine } from './multi-node-launch';
import { POOL_HEAD, poolCells } from './pool-table';
import { COLOURS, esc, renderPicture } from './picture';

type Cell = string | number | undefined;

/** A cell given as HTML already escaped. */
class Html {
  constructor(readonly html: string) {}
}
const raw = (s: string) => new Html(s);
const cell = (c: Cell | Html) => (c instanceof Html ? c.html : esc(String(c ?? '')));
const code = (s: string) => raw(`<code>${esc(s)}</code>`);

function table(head: string[], rows: (Cell | Html)[][], cls = ''): string {
  if (rows.length === 0) return '';
  return (
    `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

const TOTALS_HEAD = ['passed', 'failed', 'suppressed', 'unknown', 'not applicable', 'gating errors'];
const totalsCells = (t: Totals) => [t.passed, t.failed, t.suppressed, t.unknown, t.notApplicable, t.errors];
const verdict = (s: StackReport) => (s.totals.errors > 0 ? 'FAIL' : 'PASS');
const badge = (v: string) => raw(`<span class="badge ${v === 'PASS' ? 'pass' : 'fail'}">${esc(v)}</span>`);

const details = (summary: string, body: string) =>
  body === '' ? '' : `<details><summary>${esc(summary)}</summary>${body}</details>`;

const STYLE = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1280px;margin:0 auto;padding:20px 28px 48px;background:#fff}
h1{font-size:24px;margin:0 0 8px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;font-weight:700;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}
.meta{color:#57606a;margin:2px 0}
details{margin:6px 0;border:1px solid #d0d7de;border-radius:6px;padding:4px 10px}
summary{cursor:pointer;font-weight:600}
.figure{overflow-x:auto;border:1px solid #d0d7de;border-radius:6px;padding:6px;margin:8px 0}
svg.picture text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1f2328}
svg.picture .ntitle{font-weight:700}
svg.picture .glabel{font-weight:700;fill:#57606a}
svg.picture .elabel{font-size:10px;fill:#57606a}
.warn{color:#cf222e;font-weight:600}
`;

export function renderHtml(r: AuditReport): string {
  const out: string[] = [];
  const gate = r.gate === 'pass' ? 'PASS' : 'FAIL';
  out.push('<!DOCTYPE html>');
  out.push('<html lang="en"><head><meta charset="utf-8">');
  // Nothing may load: no script, no connection, no font, no image; inline styles only.
  out.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
  );
  out.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push('<meta name="referrer" content="no-referrer">');
  out.push(`<title>${esc(`Sovereignty and hardening audit — ${gate}`)}</title>`);
  out.push(`<style>${STYLE}</style></head><body><main>`);
  out.push(`<header id="summary"><h1>Sovereignty and hardening audit ${badge(gate).html}</h1>`);
  out.push(
    `<p class="meta">Audited ${esc(r.generatedAt)}; suppressions judged on ${esc(r.evaluatedOn)}${r.strict ? '; strict (unknown fails)' : ''}.</p>`,
  );
  out.push(
    `<p class="meta">sovereign-stack ${esc(r.tool.version)}, commit ${r.tool.commit ? `<code>${esc(r.tool.commit)}</code>` : 'unknown'}; rules ${esc(r.tool.rulesVersion)}${r.spec ? `; spec <code>${esc(r.spec.path)}</code> SHA-256 <code>${esc(r.spec.sha256)}</code>` : ''}.</p>`,
  );
  out.push(
    table(
      ['jurisdiction', 'stack', 'verdict', ...TOTALS_HEAD],
      r.stacks.map((s) => [
        raw(`<a href="#stack-${esc(anchor(s.name))}">${esc(s.jurisdiction)}</a>`),
        s.name,
        badge(verdict(s)),
        ...totalsCells(s.totals),
      ]),
      'summary',
    ),
  );
  out.push(trustSection(r));
  out.push('</header>');
  r.stacks.forEach((s, i) => out.push(stackSection(s, i)));
  if (r.plan) {
    const c = r.plan.counts;
    out.push(
      `<section><h2>Planned changes</h2><p class="meta">${esc(`${r.plan.file}, format ${r.plan.formatVersion}${r.plan.terraformVersion ? `, Terraform ${r.plan.terraformVersion}` : ''}`)}</p>` +
        table(['create', 'update', 'replace', 'delete'], [[c.create, c.update, c.replace, c.delete]]) +
        details(
          'Changes and their risks',
          table(
            ['address', 'action', 'risks'],
            r.plan.changes.map((ch) => [
              code(ch.address),
              ch.action,
              ch.risks.map((x) => `${x.id}: ${x.label}`).join('; '),
            ]),
          ),
        ) +
        '</section>',
    );
  }
  out.push(
    `<section><h2>Synthesized files</h2>${details(
      `${r.files.length} file(s) with their SHA-256`,
      table(
        ['file', 'SHA-256'],
        r.files.map((f) => [code(f.path), code(f.sha256)]),
      ),
    )}</section>`,
  );
  out.push('</main></body></html>');
  return `${out.join('\n')}\n`;
}

/** An id-safe form of a stack name. */
function anchor(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** What the boundary rests on, every difference from the approved spec, accepted unknowns, declared-public services. */
/**
 * A licence citation as text without its scheme: the page must name no endpoint outside the
 * jurisdiction (it passes our own endpoint rule), and a source URL is a reference to read,
 * not a location the stack reaches. The Markdown and JSON reports keep the full URL.
 */
const citation = (s: string) => s.replace(/\bhttps?:\/\//g, '');

function trustSection(r: AuditReport): string {
  const t = r.trust;
  return (
    `<p><strong>Trust anchor: ${esc(t.anchor)}.</strong> ${esc(t.statement)}</p>` +
    (t.spec?.differences.length
      ? `<h3>Differences from the approved spec</h3>` +
        table(
          ['file', 'difference', 'JSON paths'],
          t.spec.differences.map((d) => [
            code(d.file),
            d.note ? `${d.kind}: ${d.note}` : d.kind,
            d.paths.join(', '),
          ]),
        )
      : '') +
    (t.declaredPublic.length
      ? `<h3>Declared public</h3>` +
        table(
          ['stack', 'service', 'reason'],
          t.declaredPublic.map((d) => [d.stack, code(d.host), d.reason]),
        )
      : '') +
    (t.allowUnknown
      ? `<h3>Unknowns accepted (--allow-unknown: ${esc(t.allowUnknown.reason)})</h3>` +
        table(
          ['stack', 'rule', 'address', 'path', 'what'],
          t.allowUnknown.accepted.map((u) => [u.stack, u.rule, code(u.address), u.path, u.message]),
        )
      : '')
  );
}

function stackSection(s: StackReport, index: number): string {
  const o: string[] = [];
  const v = verdict(s);
  o.push(`<section id="stack-${esc(anchor(s.name))}" class="stack">`);
  o.push(`<h2>${esc(s.jurisdiction)}: stack <code>${esc(s.name)}</code> ${badge(v).html}</h2>`);
  o.push(
    `<p class="meta">Profile <code>${esc(s.profile)}</code>; packs ${s.packs.map((p) => `<code>${esc(p.id)}</code> (${esc(p.level)})`).join(', ') || 'default'}${s.strict ? '; strict (unknown fails)' : ''}.</p>`,
  );
  o.push(table(TOTALS_HEAD, [totalsCells(s.totals)]));
  const failing = s.findings.filter((f) => f.status === 'failed');
  if (failing.length > 0)
    o.push(
      `<h3>Failures</h3>${table(
        ['rule', 'level', 'address', 'field', 'what is wrong', 'fix'],
        failing.map((f) => [f.rule, f.level, code(f.address), f.path, f.message, f.fix]),
      )}`,
    );
  const unknown = s.findings.filter((f) => f.status === 'unknown');
  if (unknown.length > 0)
    o.push(
      `<h3>Unresolved (unknown)</h3>${table(
        ['rule', 'address', 'field', 'why'],
        unknown.map((f) => [f.rule, code(f.address), f.path, f.message]),
      )}`,
    );
  const noKey = s.inventory.models.filter((m) => !m.apiKey);
  if (noKey.length > 0)
    o.push(
      `<h3>Models served without an API key</h3><p class="warn">Anyone who reaches these Services can use the model: ${noKey.map((m) => `<code>${esc(m.name)}</code> (${esc(m.engine)})`).join(', ')}.</p>`,
    );
  const disagree = disagreeing(s);
  if (disagree.length > 0)
    o.push(
      `<h3>Multi-node groups whose leader and workers disagree</h3>${table(
        ['model', 'group', 'disagreement'],
        disagree.map((d) => [code(d.model), code(d.address), d.disagreement]),
      )}`,
    );
  if (s.suppressions.length > 0)
    o.push(
      `<h3>Suppressions</h3>${table(
        ['rule', 'resource', 'reason', 'expires', 'state', 'note'],
        s.suppressions.map((x) => [x.rule, code(x.resource), x.reason, x.expires, x.state, x.note]),
      )}`,
    );
  const b = s.boundary;
  const list = (xs: readonly string[]) => raw(xs.map((x) => `<code>${esc(x)}</code>`).join(', '));
  const rows: [string, Html][] = [
    ['image registries', list(b.registries)],
    ['chart repositories', list(b.chartRepositories)],
    ['provider registries', list(b.providerHosts)],
    ['hosts', list(b.hosts)],
    ['network ranges', list(b.cidrs)],
    ...(b.dnsCidrs && b.dnsCidrs.length > 0
      ? ([
          [
            'cluster DNS addresses (DNS ports only)',
            raw(`${list(b.dnsCidrs).html} on ${esc((b.dnsPorts ?? []).join(', '))}`),
          ],
        ] as [string, Html][])
      : []),
    ['service types besides ClusterIP', list(b.serviceTypes)],
  ];
  o.push(
    `<h3>Boundary</h3><p>Declared by: <strong>${esc(s.boundaryDeclaredBy)}</strong>. Every location is judged against it.</p>` +
      table(
        ['declared', 'values'],
        rows.filter(([, x]) => x.html !== ''),
      ),
  );
  o.push(`<h3>Picture</h3><div class="figure">${renderPicture(s, `p${index}`)}</div>`);
  // Details, collapsed.
  o.push(
    details(
      `Controls, per rule (${s.rules.length} rules)`,
      table(
        ['rule', 'title', 'level', 'passed', 'failed', 'suppressed', 'unknown'],
        s.rules.map((x) => [x.rule, x.title, x.level, x.passed, x.failed, x.suppressed, x.unknown]),
      ),
    ),
  );
  const matrix = frameworkMatrix(s.rules);
  o.push(
    details(
      'Framework matrix',
      table(
        ['framework', 'clause', 'rules', 'result'],
        matrix.flatMap((f) =>
          f.clauses.map((c) => [f.framework, `${c.id} ${c.title}`, c.rules.join(', '), c.result]),
        ),
      ) +
        `<p>Manual controls (not provable from the artifact):</p><ul>${matrix
          .map(
            (f) =>
              `<li>${esc(f.framework)}: ${esc(MANUAL_CONTROLS[f.id].map((m) => `${m.id} ${m.title}`).join('; '))}</li>`,
          )
          .join('')}</ul>`,
    ),
  );
  o.push(
    details(
      'Inventory',
      table(
        ['resource type', 'count'],
        Object.entries(s.inventory.resources).map(([k, n]) => [code(k), n]),
      ) +
        `<p>GPUs requested by workloads: ${s.inventory.gpusRequested}.</p>` +
        table(POOL_HEAD, s.inventory.pools.map(poolCells)) +
        table(
          ['model', 'engine', 'revision', 'replicas', 'GPUs each', 'pool', 'API key'],
          s.inventory.models.map((m) => [
            m.name,
            m.engine,
            code(m.revision),
            m.replicas,
            m.gpus,
            m.pool,
            m.apiKey ? 'required' : raw('<span class="warn">none</span>'),
          ]),
        ) +
        (s.inventory.models.some((m) => m.multiNode)
          ? `<ul>${s.inventory.models
              .flatMap((m) =>
                (m.multiNode ?? []).map(
                  (g) => `<li><code>${esc(m.name)}</code> ${esc(launchLine(g, true))}</li>`,
                ),
              )
              .join('')}</ul>`
          : ''),
    ),
  );
  o.push(
    details(
      'Data locations',
      table(
        ['kind', 'name', 'location', 'jurisdiction'],
        s.dataLocations.map((d) => [
          d.kind,
          d.name,
          d.location,
          raw(`<span style="color:${COLOURS[d.jurisdiction].stroke}">${esc(d.jurisdiction)}</span>`),
        ]),
      ),
    ),
  );
  if (s.clusterRequirements.length > 0)
    o.push(
      details(
        'What the cluster must run',
        table(
          ['requirement', 'why', 'needed by'],
          s.clusterRequirements.map((x) => [x.requirement, x.why, x.by.join(', ')]),
        ),
      ),
    );
  o.push(
    details(
      'Secrets and ConfigMaps the stack refers to',
      table(
        ['kind', 'namespace', 'name', 'use', 'referred to by'],
        s.references.map((x) => [x.kind, x.namespace, x.name, x.use, x.by.join(', ')]),
      ),
    ),
  );
  const sc = s.supplyChain;
  o.push(
    details(
      `Supply chain (${sc.images.length} images, ${sc.charts.length} charts, ${sc.providers.length} providers, ${sc.models.length} models)`,
      table(
        ['image', 'registry', 'digest', 'source', 'what runs it'],
        sc.images.map((i) => [
          code(i.ref),
          i.registry,
          i.digest ? code(i.digest) : raw('<span class="warn">tag only</span>'),
          i.origin,
          raw(
            [
              ...(i.operands ?? []).map(esc),
              ...(i.problem ? [`<span class="warn">${esc(i.problem)}</span>`] : []),
              ...(i.note ? [esc(i.note)] : []),
              esc(i.usedBy.join(', ')),
            ].join('; '),
          ),
        ]),
      ) +
        table(
          ['release', 'chart', 'version', 'repository', 'images it runs'],
          sc.charts.map((c) => [
            c.release,
            c.chart,
            c.version ?? raw('<span class="warn">unpinned</span>'),
            c.repository,
            c.operands ?? 'as its values name them',
          ]),
        ) +
        table(
          ['provider', 'source', 'version'],
          sc.providers.map((p) => [p.name, p.source, p.version ?? raw('<span class="warn">unpinned</span>')]),
        ) +
        table(
          ['model', 'revision', 'manifest SHA-256', 'licence', 'source', 'files'],
          sc.models.map((m) => [
            m.name,
            code(m.revision),
            code(m.manifestSha256),
            m.license ?? raw('<span class="warn">not declared</span>'),
            m.source,
            m.files.length,
          ]),
        ),
    ),
  );
  o.push(
    details(
      'Model licences',
      table(
        ['model', 'licence', 'risk classes', 'clauses', 'accepted'],
        s.licences.map((l) => [
          l.model,
          l.listed
            ? `${l.spdx ?? l.name} (${l.id}, ${citation(l.url ?? '')}, read ${l.read})`
            : `${l.id ?? '—'} (not in the catalogue)`,
          l.classes.join(', ') || 'none',
          raw(
            l.clauses
              .filter((c) => c.notice !== true)
              .map((c) => esc(citation(`${c.class} — ${c.section}: ${c.summary}`)))
              .join('<br>') || '—',
          ),
          raw(
            [
              ...(l.acceptance ? [`unlisted licence: ${l.acceptance.reason} (${l.acceptance.url})`] : []),
              ...l.accepted.map((a) => `${a.rule}: ${a.reason}`),
            ]
              .map((x) => esc(citation(x)))
              .join('<br>') || '—',
          ),
        ]),
      ),
    ),
  );
  o.push('</section>');
  return o.join('\n');
}
