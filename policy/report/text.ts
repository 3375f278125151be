/** Terminal output: findings people fix (rule, address, field, fix) and the report summary. */
import type { Finding, Totals } from '../engine';
import type { AuditReport } from './model';
import { launchLine } from './multi-node-launch';
import { multiNodeLines } from './pool-table';

export interface TextOptions {
  /** ANSI colours; off when NO_COLOR is set or output is not a terminal. */
  readonly color?: boolean;
  /** Include suppressed findings (with their reason). @default false */
  readonly showSuppressed?: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * One block per finding:
 * `error  SOV-002  kubernetes_deployment_v1.vllm  spec.template.spec.container[0].image`
 * then the message and the fix, indented. Suppressed findings only when asked.
 */
export function formatFindings(findings: readonly Finding[], opts: TextOptions = {}): string {
  const c = opts.color ?? false;
  const lines: string[] = [];
  for (const f of findings) {
    if (f.status === 'suppressed' && !opts.showSuppressed) continue;
    const tag = f.status === 'suppressed' ? 'suppressed' : f.status === 'unknown' ? 'unknown' : f.level;
    const colour = tag === 'error' ? 31 : tag === 'warning' || tag === 'unknown' ? 33 : 2;
    lines.push(
      `${paint(c, colour, tag.padEnd(7))}  ${paint(c, 1, f.rule)}  ${f.stack}:${f.address}${f.path ? `  ${f.path}` : ''}`,
    );
    lines.push(`         ${f.message}`);
    if (f.status === 'suppressed' && f.suppression)
      lines.push(
        `         suppressed: ${f.suppression.reason}${f.suppression.expires ? ` (until ${f.suppression.expires})` : ''}`,
      );
    else lines.push(`         fix: ${f.fix}`);
  }
  return lines.join('\n');
}

/**
 * The counts of checks (one rule on one resource) and, apart, of open findings: one failed check
 * can hold several findings (LIC-003 on two terms of one licence), so the two are not summed.
 */
export function formatTotals(t: Totals): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${t.passed} passed, ${t.failed} failed, ${t.suppressed} suppressed, ${t.unknown} unknown, ${t.notApplicable} not applicable; open findings: ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}`;
}

export function renderText(r: AuditReport, opts: TextOptions = {}): string {
  const out: string[] = [];
  out.push(
    `sovereign-stack ${r.tool.version}${r.tool.commit ? ` (${r.tool.commit.slice(0, 12)})` : ''} audit, rules ${r.tool.rulesVersion}${r.strict ? ' (strict)' : ''}, ${r.generatedAt}`,
  );
  for (const s of r.stacks) {
    out.push('');
    out.push(
      `stack ${s.name} — jurisdiction ${s.jurisdiction}, profile ${s.profile}, packs ${s.packs.map((p) => `${p.id}:${p.level}`).join(', ') || '(default)'}${s.strict ? ', strict' : ''}`,
    );
    out.push(`  ${formatTotals(s.totals)}`);
    out.push(
      `  ${s.inventory.resourceTotal} resources, ${s.inventory.models.length} model(s), ${s.inventory.images.length} image(s), ${s.inventory.gpusRequested} GPU(s) requested`,
    );
    for (const p of s.inventory.pools.filter((x) => x.gpuProduct !== undefined))
      out.push(
        `  pool ${p.name}: ${p.nodeCount} node(s) × ${p.physicalGpusPerNode ?? p.gpusPerNode} ${p.gpuProduct}${p.sharing && p.sharing !== 'none' ? ` (${p.sharing}: ${p.gpusPerNode} schedulable per node)` : ''}, ${p.gpusRequested} of ${p.gpusOffered} GPU(s) requested`,
        ...multiNodeLines(p).map((l) => `    ${l}`),
      );
    for (const m of s.inventory.models)
      for (const g of m.multiNode ?? []) out.push(`  model ${m.name} ${launchLine(g)}`);
    const outside = s.dataLocations.filter((d) => d.jurisdiction !== 'inside');
    for (const d of outside)
      out.push(`  data location ${d.jurisdiction}: ${d.kind} ${d.name} → ${d.location}`);
    out.push(
      `  declared: registries ${s.boundary.registries.join(', ') || '(none)'}; hosts ${s.boundary.hosts.join(', ') || '(none)'}; ranges ${s.boundary.cidrs.join(', ') || '(none)'};${s.boundary.dnsCidrs?.length ? ` cluster DNS ${s.boundary.dnsCidrs.join(', ')} on ${(s.boundary.dnsPorts ?? []).join(', ')};` : ''} provider registries ${s.boundary.providerHosts.join(', ') || '(none)'}`,
    );
    for (const l of s.licences ?? [])
      out.push(
        `  licence ${l.model}: ${l.listed ? `${l.expression} (${l.name}, ${l.url}, read ${l.read})` : `${l.id ?? '(none)'} (not in the catalogue${l.acceptance ? `; accepted: ${l.acceptance.reason}` : ''})`}; risk: ${l.classes.join(', ') || 'none'}`,
      );
    const body = formatFindings(s.findings, opts);
    if (body) out.push(body.replace(/^/gm, '  '));
    for (const sup of s.suppressions) {
      out.push(
        `  suppression ${sup.rule} on ${sup.resource}: ${sup.state}${sup.note ? ` (${sup.note})` : ''} — ${sup.reason}`,
      );
    }
  }
  if (r.plan) {
    out.push('');
    const c = r.plan.counts;
    out.push(
      `plan ${r.plan.file} (format ${r.plan.formatVersion}): ${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`,
    );
    for (const ch of r.plan.changes) {
      out.push(`  ${ch.action.padEnd(7)}  ${ch.address}`);
      for (const risk of ch.risks) out.push(`           RISK ${risk.id}: ${risk.label}`);
    }
  }
  out.push('');
  out.push(...trustLines(r));
  out.push('');
  out.push(`${r.gate === 'pass' ? 'PASS' : 'FAIL'}: ${formatTotals(r.totals)}`);
  return out.join('\n') + '\n';
}

/** The trust section: what the boundary rests on, differences from the spec, accepted unknowns, declared-public services. */
export function trustLines(r: AuditReport): string[] {
  const t = r.trust;
  const out = [`trust: ${t.anchor} — ${t.statement}`];
  for (const d of t.spec?.differences ?? []) {
    out.push(`  ${d.kind.padEnd(7)}  ${d.file}${d.note ? ` (${d.note})` : ''}`);
    for (const p of d.paths) out.push(`           ${p}`);
  }
  for (const d of t.declaredPublic) out.push(`  declared public: ${d.stack} ${d.host} — ${d.reason}`);
  if (t.allowUnknown) {
    out.push(`  unknowns accepted (--allow-unknown): ${t.allowUnknown.reason}`);
    for (const u of t.allowUnknown.accepted)
      out.push(`    ${u.stack} ${u.rule} ${u.address}${u.path ? ` ${u.path}` : ''}: ${u.message}`);
  }
  return out;
}
