/**
 * A CycloneDX 1.6 BOM (JSON) of what the stacks deploy: container images, Helm charts,
 * Terraform providers and the models as `machine-learning-model` components with the
 * SHA-256 of their weights manifest and of every weight file, licence and model-card basics.
 * @see https://cyclonedx.org/docs/1.6/json/
 */
import { createHash } from 'crypto';
import { cmp } from '../json';
import type { AuditReport } from './model';

type Component = Record<string, unknown> & { 'bom-ref': string };

/** Licences written as SPDX ids; anything else is written as a licence name. */
const SPDX_IDS = new Set([
  'Apache-2.0',
  'MIT',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-SA-4.0',
  'GPL-2.0-only',
  'GPL-3.0-only',
  'LGPL-2.1-only',
  'LGPL-3.0-only',
  'MPL-2.0',
  'AGPL-3.0-only',
  'Unlicense',
  'CC0-1.0',
]);

const licence = (l: string) => [SPDX_IDS.has(l) ? { license: { id: l } } : { license: { name: l } }];

const prop = (name: string, value: string | number | undefined) =>
  value === undefined ? [] : [{ name: `sovereign-stack:${name}`, value: String(value) }];

/** The purl of an OCI image pinned by digest: `pkg:oci/<name>@sha256%3A<hex>?repository_url=<registry>/<path>`. */
export function ociPurl(registry: string, repository: string, digest: string, tag?: string): string {
  const name = repository.split('/').pop()!.toLowerCase();
  const q = [
    `repository_url=${encodeURIComponent(`${registry}/${repository}`).replace(/%2F/g, '/').replace(/%3A/g, '%3A')}`,
  ];
  if (tag) q.push(`tag=${encodeURIComponent(tag)}`);
  return `pkg:oci/${name}@${encodeURIComponent(digest)}?${q.join('&')}`;
}

function uuidFrom(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  const v = `5${h.slice(13, 16)}`;
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}-${h.slice(20, 32)}`;
}

export function toCycloneDx(r: AuditReport): Record<string, unknown> {
  const comps = new Map<string, Component>();
  const stacksOf = new Map<string, Set<string>>();
  const deps = new Map<string, Set<string>>();
  const dep = (from: string, to: string) => {
    const d = deps.get(from) ?? new Set<string>();
    d.add(to);
    deps.set(from, d);
  };
  const root = 'sovereign-stack-deployment';
  const put = (c: Component, stack: string) => {
    if (!comps.has(c['bom-ref'])) comps.set(c['bom-ref'], c);
    const s = stacksOf.get(c['bom-ref']) ?? new Set<string>();
    s.add(stack);
    stacksOf.set(c['bom-ref'], s);
  };
  for (const s of r.stacks) {
    const chartRef = new Map<string, string>();
    for (const ch of s.supplyChain.charts)
      chartRef.set(ch.address, `helm:${ch.repository ?? ''}/${ch.chart}@${ch.version ?? ''}`);
    for (const i of s.supplyChain.images) {
      const c: Component = {
        type: 'container',
        'bom-ref': `image:${i.ref}`,
        name: `${i.registry}/${i.repository}`,
        version: i.digest ?? i.tag ?? 'unpinned',
        properties: [
          ...prop('kind', 'container-image'),
          ...prop('reference', i.ref),
          ...prop('pinned', i.digest ? 'digest' : 'tag only'),
          ...prop('origin', i.origin),
          ...(i.operands ?? []).flatMap((o) => prop('operand', o)),
          ...prop('problem', i.problem),
        ],
      };
      // Who pulls it: a chart (its operands and images in its values) or the deployment itself.
      for (const u of i.usedBy) {
        const chart = chartRef.get(u.replace(/ \(.*\)$/, ''));
        if (chart) dep(chart, c['bom-ref']);
        else dep(root, c['bom-ref']);
      }
      if (i.digest) {
        c.hashes = [{ alg: 'SHA-256', content: i.digest.slice('sha256:'.length) }];
        c.purl = ociPurl(i.registry, i.repository, i.digest, i.tag);
      }
      put(c, s.name);
    }
    for (const ch of s.supplyChain.charts) {
      const c: Component = {
        type: 'application',
        'bom-ref': `helm:${ch.repository ?? ''}/${ch.chart}@${ch.version ?? ''}`,
        name: ch.chart,
        version: ch.version ?? 'unpinned',
        properties: [
          ...prop('kind', 'helm-chart'),
          ...prop('helm-repository', ch.repository),
          ...prop('operand-images', ch.operands),
        ],
      };
      dep(root, c['bom-ref']);
      if (ch.repository && /^[a-z][a-z0-9+.-]*:\/\//i.test(ch.repository))
        c.externalReferences = [{ type: 'distribution', url: ch.repository }];
      put(c, s.name);
    }
    for (const p of s.supplyChain.providers) {
      const parts = (p.source ?? `registry.terraform.io/hashicorp/${p.name}`).split('/');
      const [host, ns, type] = parts.length === 3 ? parts : ['registry.terraform.io', ...parts];
      dep(root, `terraform-provider:${host}/${ns}/${type}@${p.version ?? ''}`);
      put(
        {
          type: 'library',
          'bom-ref': `terraform-provider:${host}/${ns}/${type}@${p.version ?? ''}`,
          group: `${host}/${ns}`,
          name: type,
          version: p.version ?? 'unpinned',
          properties: [
            ...prop('kind', 'terraform-provider'),
            ...prop('provider-source', `${host}/${ns}/${type}`),
          ],
        },
        s.name,
      );
    }
    for (const m of s.supplyChain.models) {
      const c: Component = {
        type: 'machine-learning-model',
        'bom-ref': `model:${s.name}/${m.name}@${m.revision}`,
        name: m.name,
        version: m.revision,
        hashes: [{ alg: 'SHA-256', content: m.manifestSha256 }],
        modelCard: {
          modelParameters: {
            task: 'text-generation',
            ...(m.description ? { modelArchitecture: m.description } : {}),
          },
          properties: [
            ...prop('engine', m.engine),
            ...prop('serving-image', m.image),
            ...prop('gpus-per-replica', m.gpus),
            ...prop('replicas', m.replicas),
            ...prop('pool', m.pool),
          ],
        },
        components: [...m.files]
          .sort((a, b) => cmp(a.path, b.path))
          .map((f) => ({
            type: 'file',
            'bom-ref': `model:${s.name}/${m.name}@${m.revision}/${f.path}`,
            name: f.path,
            hashes: [{ alg: 'SHA-256', content: f.sha256 }],
          })),
        properties: [
          ...prop('kind', 'model-weights'),
          ...prop('weights-manifest-sha256', m.manifestSha256),
          ...prop('weights-source', m.source),
        ],
      };
      dep(root, c['bom-ref']);
      // The serving engine image loads the weights.
      if (m.image && s.supplyChain.images.some((i) => i.ref === m.image))
        dep(`image:${m.image}`, c['bom-ref']);
      if (m.description) c.description = m.description;
      // The licence as the catalogue knows it: an SPDX id, or the named licence with its URL,
      // and its risk classes, cited clauses and acceptances as properties.
      const l = s.licences.find((x) => x.model === m.name);
      if (l?.listed) {
        c.licenses = l.spdx
          ? [{ license: { id: l.spdx, ...(l.id !== l.spdx ? { url: l.url } : {}) } }]
          : [{ license: { name: l.name, url: l.url } }];
        (c.properties as unknown[]).push(
          ...prop('licence-id', l.id),
          ...prop('licence-expression', l.expression),
          ...prop('licence-read', l.read),
          ...prop('licence-risk-classes', l.classes.join(' ') || 'none'),
          ...l.clauses
            .filter((x) => x.notice !== true)
            .flatMap((x) => prop(`licence-clause:${x.class}`, `${x.section}: ${x.summary}`)),
          ...l.accepted.flatMap((x) => prop(`licence-accepted:${x.rule}`, x.reason)),
        );
      } else if (m.license) {
        c.licenses = licence(m.license);
        if (l?.acceptance) (c.properties as unknown[]).push(...prop('licence-accepted', l.acceptance.reason));
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(m.source))
        c.externalReferences = [
          { type: 'distribution', url: m.source, comment: 'in-jurisdiction weights source' },
        ];
      put(c, s.name);
    }
  }
  const components = [...comps.values()]
    .map((c) => ({
      ...c,
      properties: [
        ...((c.properties as unknown[]) ?? []),
        ...[...(stacksOf.get(c['bom-ref']) ?? [])]
          .sort()
          .map((st) => ({ name: 'sovereign-stack:stack', value: st })),
      ],
    }))
    .sort((a, b) => cmp(a['bom-ref'], b['bom-ref']));
  const body = {
    metadata: {
      timestamp: r.generatedAt,
      tools: {
        components: [
          {
            type: 'application',
            name: 'sovereign-stack',
            version: r.tool.version,
            ...(r.tool.commit ? { properties: prop('commit', r.tool.commit) } : {}),
          },
        ],
      },
      component: {
        type: 'application',
        'bom-ref': root,
        name: 'sovereign-stack deployment',
        version: r.tool.version,
      },
      properties: [
        ...prop('rules-version', r.tool.rulesVersion),
        ...prop('toolkit-commit', r.tool.commit ?? 'unknown'),
        ...prop('suppressions-judged-on', r.evaluatedOn),
        ...(r.spec ? prop('spec-sha256', `${r.spec.path}=${r.spec.sha256}`) : []),
        ...prop('audit-result', r.gate),
        ...r.stacks.map((s) => ({
          name: 'sovereign-stack:jurisdiction',
          value: `${s.name}=${s.jurisdiction}`,
        })),
        ...r.files.map((f) => ({ name: 'sovereign-stack:file-sha256', value: `${f.path}=${f.sha256}` })),
      ],
    },
    components,
    dependencies: [
      { ref: root, dependsOn: [...(deps.get(root) ?? [])].sort() },
      ...components.map((c) => ({
        ref: c['bom-ref'],
        dependsOn: [...(deps.get(c['bom-ref']) ?? [])].sort(),
      })),
    ],
  };
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFrom(JSON.stringify(body))}`,
    version: 1,
    ...body,
  };
}

export function renderCycloneDx(r: AuditReport): string {
  return `${JSON.stringify(toCycloneDx(r), null, 2)}\n`;
}
