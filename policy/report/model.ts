/**
 * The audit report as data: everything an auditor files, built once from the evaluation and
 * rendered as text, Markdown, JSON or a CycloneDX BOM. Deterministic: sorted, no timestamp
 * unless one is injected.
 */
import { ANNOTATION_WEIGHTS_SOURCE } from '../../constructs/annotations';
import type { EvaluationResult, Finding, FrameworkRollup, ResultRow, StackResult, Totals } from '../engine';
import { endpointsIn } from '../hosts';
import type { Difference } from '../anchor';
import { helmChart, helmValues, parseImage, registryAllowed } from '../images';
import { cmp, many, num, one, str } from '../json';
import { k8sObject, podView } from '../k8s';
import type { ModelRecord, StackMetadata } from '../metadata';
import type { FileHash } from '../load';
import type { PlanSummary } from '../plan';
import { judgeEndpoint } from '../rules/private/endpoint';
import { imagesOf } from '../rules/private/helpers';
import type { SuppressionRecord } from '../suppressions';
import { RULES_VERSION, toolkitVersion } from '../version';

/**
 * Where a location is. `declared-public`: a public service (HashiCorp's or OpenTofu's provider
 * registry) that the stack declares allowed: permitted, but not inside the jurisdiction, and
 * shown as such so an auditor sees every outside dependency, allowed or not.
 */
export type Where = 'inside' | 'outside' | 'declared-public' | 'unknown';

/** Provider registries run by others; declaring one allowed does not make it in-jurisdiction. */
export const PUBLIC_PROVIDER_REGISTRIES: readonly string[] = [
  'registry.opentofu.org',
  'registry.terraform.io',
];

export interface DataLocation {
  readonly kind:
    | 'backend'
    | 'cluster-api'
    | 'storage'
    | 'weights-source'
    | 'chart-repository'
    | 'image-registry'
    | 'provider-registry';
  readonly name: string;
  readonly location: string;
  readonly jurisdiction: Where;
}

export interface ImageEntry {
  readonly ref: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly usedBy: readonly string[];
}

export interface ChartEntry {
  readonly address: string;
  readonly release: string;
  readonly chart: string;
  readonly version?: string;
  readonly repository?: string;
}

export interface ProviderEntry {
  readonly name: string;
  readonly source?: string;
  readonly version?: string;
}

export interface PoolEntry {
  readonly name: string;
  /** From the declared pool; absent when only a model names it. */
  readonly gpuProduct?: string;
  readonly nodeCount?: number;
  /** Schedulable GPU resources per node (after time-slicing or MIG). */
  readonly gpusPerNode?: number;
  readonly physicalGpusPerNode?: number;
  readonly sharing?: string;
  readonly resourceName?: string;
  /** Schedulable GPU resources the pool offers: nodes × GPUs per node. */
  readonly gpusOffered?: number;
  readonly models: readonly string[];
  /** GPUs the models placed on it request: GPUs per replica × replicas. */
  readonly gpusRequested: number;
}

export interface StackReport {
  readonly name: string;
  readonly file?: string;
  readonly jurisdiction: string;
  readonly profile: string;
  readonly packs: readonly { readonly id: string; readonly level: string }[];
  /** Unknown results failed in this stack (`--strict` or the stack's profile). */
  readonly strict: boolean;
  readonly inventory: {
    readonly resources: Readonly<Record<string, number>>;
    readonly resourceTotal: number;
    /**
     * Pools the stack declares (`"//".sovereign.pools`) with the models placed on each, plus any
     * pool a model names that is not declared (`(none)` for CPU-only models).
     */
    readonly pools: readonly PoolEntry[];
    readonly gpusRequested: number;
    readonly models: readonly {
      readonly name: string;
      readonly engine: string;
      readonly revision: string;
      readonly replicas: number;
      readonly gpus: number;
      readonly pool?: string;
    }[];
    readonly images: readonly string[];
  };
  readonly dataLocations: readonly DataLocation[];
  /**
   * Secrets and ConfigMaps the stack refers to by name and never creates (credentials, pull
   * Secrets, CA bundles): what must exist in the cluster, and where, before the stack deploys.
   */
  readonly references: readonly ObjectReference[];
  /** What the stack declares its own, as recorded in the artifact: every verdict is judged against it. */
  readonly boundary: StackMetadata['allowed'];
  readonly totals: Totals;
  readonly frameworks: readonly FrameworkRollup[];
  /** Every rule × address result except not-applicable ones (counted in totals). */
  readonly results: readonly Omit<ResultRow, 'packs'>[];
  readonly findings: readonly Finding[];
  readonly suppressions: readonly SuppressionRecord[];
  readonly supplyChain: {
    readonly images: readonly ImageEntry[];
    readonly charts: readonly ChartEntry[];
    readonly providers: readonly ProviderEntry[];
    readonly models: readonly ModelRecord[];
  };
}

export interface ObjectReference {
  readonly kind: 'Secret' | 'ConfigMap';
  /** As written; `default` when the object names none. */
  readonly namespace: string;
  readonly name: string;
  /** `image pull`, `environment (<key>)`, `volume` or `chart values`. */
  readonly use: string;
  /** Terraform addresses that refer to it. */
  readonly by: readonly string[];
}

export interface AuditReport {
  readonly tool: {
    readonly name: 'sovereign-stack';
    readonly version: string;
    readonly rulesVersion: string;
  };
  /** Only when injected (`now`); reports are otherwise byte-identical for the same input. */
  readonly generatedAt?: string;
  readonly strict: boolean;
  /** The date suppression expiry was judged against; recorded with `generatedAt` only. */
  readonly evaluatedOn?: string;
  readonly files: readonly FileHash[];
  readonly totals: Totals;
  readonly gate: 'pass' | 'fail';
  readonly stacks: readonly StackReport[];
  readonly plan?: PlanSummary & { readonly file: string };
  /** What the boundary the stacks were judged against rests on (docs/trust-model.md). */
  readonly trust: TrustSection;
}

export interface TrustSection {
  /**
   * `self-declared`: only the artifact's own `"//".sovereign` says what the boundary is;
   * `spec`: the directory was compared byte for byte with the approved spec's synthesis;
   * `policy`: the declared boundary was checked against the auditor's policy file.
   */
  readonly anchor: 'self-declared' | 'spec' | 'policy' | 'spec+policy';
  readonly statement: string;
  readonly spec?: { readonly file: string; readonly differences: readonly Difference[] };
  readonly policy?: { readonly file: string };
  /** `--allow-unknown`: the reason, and every unknown it let through. */
  readonly allowUnknown?: {
    readonly reason: string;
    readonly accepted: readonly {
      readonly stack: string;
      readonly rule: string;
      readonly address: string;
      readonly path: string;
      readonly message: string;
    }[];
  };
  /** Global public services a stack declares as accepted, with the reason: shown as "declared public". */
  readonly declaredPublic: readonly {
    readonly stack: string;
    readonly host: string;
    readonly reason: string;
  }[];
}

export interface ReportOptions {
  readonly files?: readonly FileHash[];
  readonly plan?: PlanSummary & { readonly file: string };
  readonly spec?: { readonly file: string; readonly differences: readonly Difference[] };
  readonly policy?: { readonly file: string };
  /** ISO timestamp to record; omitted by default for deterministic output. */
  readonly now?: string;
}

const sorted = <T>(xs: T[], k: (x: T) => string) => xs.sort((a, b) => cmp(k(a), k(b)));

function inventory(r: StackResult): StackReport['inventory'] {
  const resources: Record<string, number> = {};
  for (const res of r.stack.resources) resources[res.type] = (resources[res.type] ?? 0) + 1;
  const ordered: Record<string, number> = {};
  for (const k of Object.keys(resources).sort()) ordered[k] = resources[k];
  let gpus = 0;
  for (const res of r.stack.resources) {
    const p = podView(res);
    if (!p) continue;
    let per = 0;
    for (const c of p.containers) {
      const lim = one(one(c.c[p.obj.k('resources')])?.limits) ?? {};
      for (const [k, v] of Object.entries(lim))
        if (/^(nvidia\.com|amd\.com|gpu\.intel\.com)\//.test(k)) per += num(v) ?? 0;
    }
    gpus += per * (p.replicas ?? 1);
  }
  const models = r.metadata.models.map((m) => ({
    name: m.name,
    engine: m.engine,
    revision: m.revision,
    replicas: m.replicas,
    gpus: m.gpus,
    pool: m.pool,
  }));
  const poolMap = new Map<
    string,
    { -readonly [K in keyof PoolEntry]: PoolEntry[K] } & { models: string[] }
  >();
  for (const p of r.metadata.pools ?? []) {
    if (typeof p?.name !== 'string') continue;
    poolMap.set(p.name, {
      name: p.name,
      gpuProduct: p.gpuProduct,
      nodeCount: p.nodeCount,
      gpusPerNode: p.gpusPerNode,
      physicalGpusPerNode: p.physicalGpusPerNode,
      sharing: p.sharing,
      resourceName: p.resourceName,
      gpusOffered:
        typeof p.nodeCount === 'number' && typeof p.gpusPerNode === 'number'
          ? p.nodeCount * p.gpusPerNode
          : undefined,
      models: [],
      gpusRequested: 0,
    });
  }
  for (const m of r.metadata.models) {
    const name = m.pool ?? '(none)';
    const p = poolMap.get(name) ?? { name, models: [], gpusRequested: 0 };
    p.models.push(m.name);
    p.gpusRequested += m.gpus * m.replicas;
    poolMap.set(name, p);
  }
  const images = [
    ...new Set(
      r.stack.resources.flatMap((res) =>
        imagesOf(res)
          .filter((i) => !i.nameFromChart)
          .map((i) => i.ref),
      ),
    ),
  ].sort();
  return {
    resources: ordered,
    resourceTotal: r.stack.resources.length,
    pools: sorted([...poolMap.values()], (p) => p.name),
    gpusRequested: gpus,
    models: sorted(models, (m) => m.name),
    images,
  };
}

/** Secrets and ConfigMaps named by pods (pull Secrets, env, volumes) and by chart values. */
function references(r: StackResult): ObjectReference[] {
  const found = new Map<string, { ref: Omit<ObjectReference, 'by'>; by: Set<string> }>();
  // What the stack creates itself is not a reference to something out of band.
  const created = new Set<string>();
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o && (o.kind === 'Secret' || o.kind === 'ConfigMap') && o.name)
      created.add([o.kind, o.namespace ?? 'default', o.name].join('\u0000'));
  }
  const add = (ref: Omit<ObjectReference, 'by'>, address: string) => {
    if (ref.name === '' || ref.name.includes('${')) return;
    if (created.has([ref.kind, ref.namespace, ref.name].join('\u0000'))) return;
    const key = [ref.kind, ref.namespace, ref.name, ref.use].join('\u0000');
    const hit = found.get(key) ?? { ref, by: new Set<string>() };
    hit.by.add(address);
    found.set(key, hit);
  };
  for (const res of r.stack.resources) {
    const p = podView(res);
    if (p) {
      const o = p.obj;
      const namespace = o.namespace ?? 'default';
      for (const s of many(p.pod[o.k('image_pull_secrets')]))
        add({ kind: 'Secret', namespace, name: str(s.name) ?? '', use: 'image pull' }, res.address);
      for (const v of many(p.pod[o.k('volume')])) {
        const secret = one(v.secret);
        const configMap = one(v[o.k('config_map')]);
        if (secret)
          add(
            { kind: 'Secret', namespace, name: str(secret[o.k('secret_name')]) ?? '', use: 'volume' },
            res.address,
          );
        if (configMap)
          add({ kind: 'ConfigMap', namespace, name: str(configMap.name) ?? '', use: 'volume' }, res.address);
      }
      for (const { c } of p.containers) {
        for (const e of many(c.env)) {
          const from = one(e[o.k('value_from')]);
          const secret = one(from?.[o.k('secret_key_ref')]);
          const configMap = one(from?.[o.k('config_map_key_ref')]);
          for (const [kind, ref] of [
            ['Secret', secret],
            ['ConfigMap', configMap],
          ] as const) {
            if (ref)
              add(
                { kind, namespace, name: str(ref.name) ?? '', use: `environment (${str(ref.key) ?? '?'})` },
                res.address,
              );
          }
        }
      }
    }
    if (res.type === 'helm_release') {
      const namespace = str(res.body.namespace) ?? 'default';
      for (const t of helmValues(res.body).trees) {
        for (const name of pullSecretsIn(t.tree))
          add({ kind: 'Secret', namespace, name, use: 'chart values (imagePullSecrets)' }, res.address);
      }
    }
  }
  return [...found.values()]
    .map(({ ref, by }) => ({ ...ref, by: [...by].sort(cmp) }))
    .sort(
      (a, b) =>
        cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.use, b.use),
    );
}

/** Names under every `imagePullSecrets` key of a values tree: plain names or `{name}` objects. */
function pullSecretsIn(tree: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(tree)) for (const x of tree) pullSecretsIn(x, out);
  else if (typeof tree === 'object' && tree !== null) {
    for (const [k, v] of Object.entries(tree)) {
      if (k === 'imagePullSecrets' && Array.isArray(v)) {
        for (const x of v) {
          const name = typeof x === 'string' ? x : str(one(x)?.name);
          if (name) out.add(name);
        }
      } else pullSecretsIn(v, out);
    }
  }
  return out;
}

function locations(r: StackResult): DataLocation[] {
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
  const registries = new Set(
    r.stack.resources.flatMap((res) =>
      imagesOf(res)
        .filter((i) => !i.unresolved && i.ref)
        .map((i) => parseImage(i.ref).registry),
    ),
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

function supplyChain(r: StackResult): StackReport['supplyChain'] {
  const images = new Map<string, { usedBy: Set<string> }>();
  for (const res of r.stack.resources) {
    for (const i of imagesOf(res)) {
      if (!i.ref || i.nameFromChart) continue;
      const e = images.get(i.ref) ?? { usedBy: new Set<string>() };
      e.usedBy.add(res.address);
      images.set(i.ref, e);
    }
  }
  const imageEntries: ImageEntry[] = [...images.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([ref, e]) => {
      const p = parseImage(ref);
      return {
        ref,
        registry: p.registry,
        repository: p.repository,
        tag: p.tag,
        digest: p.digest,
        usedBy: [...e.usedBy].sort(),
      };
    });
  const charts: ChartEntry[] = r.stack.resources
    .filter((res) => res.type === 'helm_release')
    .map((res) => {
      const c = helmChart(res.body);
      return {
        address: res.address,
        release: str(res.body.name) ?? res.name,
        chart: c.chart ?? '',
        version: c.version,
        repository: c.repository,
      };
    });
  return {
    images: imageEntries,
    charts,
    providers: r.stack.requiredProviders.map((p) => ({ name: p.name, source: p.source, version: p.version })),
    models: [...r.metadata.models].sort((a, b) => cmp(a.name, b.name)),
  };
}

export function stackReport(r: StackResult): StackReport {
  return {
    name: r.stack.name,
    file: r.stack.file,
    jurisdiction: r.metadata.jurisdiction,
    profile: r.metadata.profile,
    packs: r.selection.map((p) => ({ id: p.id, level: p.level })),
    strict: r.strict,
    inventory: inventory(r),
    dataLocations: locations(r),
    references: references(r),
    boundary: r.metadata.allowed,
    totals: r.totals,
    frameworks: r.frameworks,
    results: r.rows.filter((x) => x.status !== 'not-applicable').map(({ packs: _p, ...rest }) => rest),
    findings: r.findings,
    suppressions: r.suppressions,
    supplyChain: supplyChain(r),
  };
}

export function trustSection(ev: EvaluationResult, opts: ReportOptions): TrustSection {
  const anchor: TrustSection['anchor'] =
    opts.spec && opts.policy ? 'spec+policy' : opts.spec ? 'spec' : opts.policy ? 'policy' : 'self-declared';
  const statement = {
    'self-declared':
      'The boundary is self-declared: the stacks were judged against the allow-lists written inside the artifact ("//".sovereign), which whoever produced it could have widened. Audit with --spec (the approved sovereign.yaml) or --policy (an auditor-held policy file) to anchor it.',
    spec: `The directory was compared byte for byte with what the approved spec ${opts.spec?.file} synthesizes: ${opts.spec?.differences.length ? `${opts.spec.differences.length} file(s) differ` : 'identical'}.`,
    policy: `Each stack's declared boundary was checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
    'spec+policy': `The directory was compared byte for byte with what the approved spec ${opts.spec?.file} synthesizes (${opts.spec?.differences.length ? `${opts.spec.differences.length} file(s) differ` : 'identical'}), and each stack's boundary checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
  }[anchor];
  return {
    anchor,
    statement,
    ...(opts.spec ? { spec: opts.spec } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(ev.allowUnknown !== undefined
      ? {
          allowUnknown: {
            reason: ev.allowUnknown,
            accepted: ev.findings
              .filter((f) => f.status === 'unknown')
              .map((f) => ({
                stack: f.stack,
                rule: f.rule,
                address: f.address,
                path: f.path,
                message: f.message,
              })),
          },
        }
      : {}),
    declaredPublic: ev.stacks.flatMap((r) =>
      [
        ...(r.metadata.allowed.declaredPublic ?? []),
        ...r.metadata.allowed.providerHosts
          .filter((h) => PUBLIC_PROVIDER_REGISTRIES.includes(h.toLowerCase()))
          .map((h) => ({
            host: h,
            reason: 'default provider registry: no mirror named (sovereignty.providerRegistry)',
          })),
      ].map((d) => ({ stack: r.stack.name, host: d.host, reason: d.reason })),
    ),
  };
}

export function buildReport(ev: EvaluationResult, opts: ReportOptions = {}): AuditReport {
  const trust = trustSection(ev, opts);
  return {
    tool: { name: 'sovereign-stack', version: toolkitVersion(), rulesVersion: RULES_VERSION },
    ...(opts.now ? { generatedAt: opts.now, evaluatedOn: ev.today } : {}),
    strict: ev.strict,
    files: [...(opts.files ?? [])].sort((a, b) => cmp(a.path, b.path)),
    totals: ev.totals,
    gate: ev.totals.errors > 0 || (opts.spec?.differences.length ?? 0) > 0 ? 'fail' : 'pass',
    stacks: ev.stacks.map(stackReport),
    ...(opts.plan ? { plan: opts.plan } : {}),
    trust,
  };
}
