import { LABEL_JURISDICTION } from '../../core/annotations';
import { list, strings } from '../json';
import { at, k8sObject, podView } from '../k8s';
import type { Outcome, StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-013',
  title: "No reference to another jurisdiction's stack or state",
  severity: 'critical',
  fix: 'Remove terraform_remote_state data sources and cross-stack references; each jurisdiction stack must stand alone.',
  anchors: ['GDPR Art. 44', 'SecNumCloud 3.2 §19.6 (extra-EU law)', 'BSI C5:2020 PSS-12'],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const bad = (address: string, path: string, message: string) =>
      out.push({ status: 'non-compliant', address, path, message });
    for (const d of ctx.stack.data) {
      if (d.type === 'terraform_remote_state') bad(d.address, '', 'reads the state of another stack');
    }
    for (const name of Object.keys(ctx.stack.outputs)) {
      if (name.startsWith('cross-stack-output-'))
        bad(`output.${name}`, '', 'is a cdktf cross-stack output consumed by another stack');
    }
    const j = ctx.metadata.jurisdiction;
    const defined = new Set([...ctx.stack.resources, ...ctx.stack.data].map((r) => r.address));
    for (const r of [...ctx.stack.resources, ...ctx.stack.data]) {
      for (const s of strings(r.body)) {
        if (!s.value.includes('${')) continue; // references live only in expressions
        if (/\bdata\.terraform_remote_state\./.test(s.value)) {
          bad(r.address, s.path, 'references another stack through terraform_remote_state');
          continue;
        }
        for (const address of referencedAddresses(s.value)) {
          if (!defined.has(address))
            bad(
              r.address,
              s.path,
              `references ${address}, which this stack does not define (another stack's resource?)`,
            );
        }
      }
      for (const d of list(r.body.depends_on)) {
        const address = typeof d === 'string' ? d.replace(/^\$\{|\}$/g, '') : '';
        if (address !== '' && !defined.has(address))
          bad(r.address, 'depends_on', `depends on ${address}, which this stack does not define`);
      }
      const o = k8sObject(r);
      if (!o) continue;
      const labels: [Record<string, string>, string][] = [[o.labels, at(o, 'metadata', 'labels')]];
      const p = podView(r);
      if (p) labels.push([p.podLabels, `${p.podMetaPath}.labels`]);
      for (const [l, path] of labels) {
        const v = l[LABEL_JURISDICTION];
        if (v !== undefined && v !== j && !v.includes('${'))
          bad(r.address, `${path}["${LABEL_JURISDICTION}"]`, `belongs to jurisdiction ${v}, not ${j}`);
      }
    }
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};

/** Identifiers before the first dot that are not resource types in Terraform expressions. */
const NOT_RESOURCES = new Set(['var', 'local', 'module', 'path', 'terraform', 'count', 'each', 'self']);

/**
 * Resource and data-source addresses a string's `${...}` expressions refer to (`type.name`,
 * `data.type.name`). Quoted strings inside an expression are skipped; resource types always
 * carry their provider's prefix (`kubernetes_…`, `helm_…`), so they contain an underscore.
 */
export function referencedAddresses(value: string): string[] {
  const out = new Set<string>();
  if (!value.includes('${')) return [];
  for (const m of value.matchAll(/\$\{([^{}]*)\}/g)) {
    const expr = m[1].replace(/"(?:[^"\\]|\\.)*"/g, '""');
    for (const r of expr.matchAll(/(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][\w-]*)/g)) {
      if (NOT_RESOURCES.has(r[2])) continue;
      out.add(`${r[1] ?? ''}${r[2]}.${r[3]}`);
    }
  }
  return [...out];
}
