/**
 * Where a stack's data and dependencies live (state backend, volumes, weight sources,
 * registries, chart and provider hosts), each judged against the stack's boundary.
 */
import { ANNOTATION_WEIGHTS_SOURCE } from '../../core/annotations';
import type { StackResult } from '../engine';
import { endpointsIn } from '../../core/hosts';
import { parseImage, registryAllowed } from '../../core/images';
import { helmChart } from '../images';
import { cmp, one, str } from '../json';
import { k8sObject } from '../k8s';
import { judgeEndpoint } from '../rules/private/endpoint';
import { chartImages } from './chart-images';
import { imagesOf } from '../rules/private/helpers';
import type { DataLocation, Where } from './model';

/** Provider registries run by others; declaring one allowed does not make it in-jurisdiction. */
export const PUBLIC_PROVIDER_REGISTRIES: readonly string[] = [
  'registry.opentofu.org',
  'registry.terraform.io',
];

export function locations(r: StackResult): DataLocation[] {
  const out: DataLocation[] = [];
  const m = r.metadata;
  const where = (text: string): Where => {
    const e = endpointsIn(text)[0] ?? endpointsIn(`https://${text}`)[0];
    return e ? judgeEndpoint(e, m) : 'unknown';
  };
  const b = r.stack.backend;
  if (b) {
    const ep = str(one(b.body.endpoints)?.s3) ?? str(b.body.endpoint);
    const loc =
      b.type === 's3'
        ? `${ep ?? 'Amazon S3'} bucket ${str(b.body.bucket) ?? '?'} key ${str(b.body.key) ?? '?'}`
        : b.type === 'local'
          ? `local file ${str(b.body.path) ?? 'terraform.tfstate'}`
          : b.type === 'kubernetes'
            ? `Secret tfstate-*-${str(b.body.secret_suffix) ?? '?'} in the cluster`
            : b.type === 'remote'
              ? `${str(b.body.hostname) ?? 'app.terraform.io'} organization ${str(b.body.organization) ?? '?'}`
              : b.type;
    const j: Where =
      b.type === 's3'
        ? ep
          ? where(ep)
          : 'outside'
        : ['local', 'kubernetes', 'pg'].includes(b.type)
          ? 'inside'
          : 'outside';
    out.push({ kind: 'backend', name: b.type, location: loc, jurisdiction: j });
  } else
    out.push({
      kind: 'backend',
      name: r.stack.cloud ? 'cloud' : '(implicit local)',
      location: r.stack.cloud ? 'HCP Terraform' : 'machine path',
      jurisdiction: 'outside',
    });
  for (const p of r.stack.providers) {
    const host = str(p.body.host) ?? str(one(p.body.kubernetes)?.host);
    const ctxName = str(p.body.config_context) ?? str(one(p.body.kubernetes)?.config_context);
    if (host) out.push({ kind: 'cluster-api', name: p.address, location: host, jurisdiction: where(host) });
    else if (ctxName)
      out.push({
        kind: 'cluster-api',
        name: p.address,
        location: `kubeconfig context ${ctxName}`,
        jurisdiction: 'unknown',
      });
  }
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o?.kind === 'PersistentVolumeClaim') {
      const sc = str(
        one(one(o.root.spec)?.[o.k('storage_class_name')]) ?? one(o.root.spec)?.[o.k('storage_class_name')],
      );
      out.push({
        kind: 'storage',
        name: `${o.namespace ?? 'default'}/${o.name ?? res.name}`,
        location: `storage class ${sc ?? '(cluster default)'}`,
        jurisdiction: 'inside',
      });
    } else if (o?.kind === 'StorageClass') {
      out.push({
        kind: 'storage',
        name: `storageclass/${o.name ?? res.name}`,
        location: `provisioner ${str(o.root[o.k('storage_provisioner')]) ?? str(o.root.provisioner) ?? '?'}`,
        jurisdiction: 'inside',
      });
    }
    const src = o?.annotations[ANNOTATION_WEIGHTS_SOURCE];
    if (src)
      out.push({
        kind: 'weights-source',
        name: res.address,
        location: src,
        jurisdiction: src.startsWith('/') ? 'inside' : where(src),
      });
    if (res.type === 'helm_release') {
      const c = helmChart(res.body);
      const repo = c.repository ?? c.chart ?? '';
      const allowed = m.allowed.chartRepositories.map((x) => x.replace(/\/+$/, ''));
      out.push({
        kind: 'chart-repository',
        name: res.address,
        location: repo,
        jurisdiction: allowed.includes(repo.replace(/\/+$/, '')) ? 'inside' : 'outside',
      });
    }
  }
  for (const model of m.models) {
    out.push({
      kind: 'weights-source',
      name: `model ${model.name}`,
      location: model.source,
      jurisdiction: model.source.startsWith('/') ? 'inside' : where(model.source),
    });
  }
  // Registries of the images written out, and of those a chart runs from its defaults.
  const registries = new Set(
    r.stack.resources.flatMap((res) => [
      ...imagesOf(res)
        .filter((i) => !i.unresolved && i.ref)
        .map((i) => parseImage(i.ref).registry),
      ...(chartImages(res)?.images ?? []).map((i) => parseImage(i.ref).registry),
    ]),
  );
  for (const reg of [...registries].sort()) {
    out.push({
      kind: 'image-registry',
      name: reg,
      location: reg,
      jurisdiction: registryAllowed(parseImage(`${reg}/x`), m.allowed.registries) ? 'inside' : 'outside',
    });
  }
  for (const p of r.stack.requiredProviders) {
    const parts = (p.source ?? '').split('/');
    const host = parts.length === 3 ? parts[0] : 'registry.terraform.io';
    out.push({
      kind: 'provider-registry',
      name: p.name,
      location: host,
      jurisdiction: !m.allowed.providerHosts.includes(host)
        ? 'outside'
        : PUBLIC_PROVIDER_REGISTRIES.includes(host)
          ? 'declared-public'
          : 'inside',
    });
  }
  const dedup = new Map(out.map((d) => [`${d.kind}|${d.name}|${d.location}`, d]));
  return [...dedup.values()].sort(
    (a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.location, b.location),
  );
}
