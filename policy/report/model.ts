/**
 * The audit report as data: everything an auditor files, built once from the evaluation and
 * rendered as text, Markdown, JSON or a CycloneDX BOM. Deterministic: sorted, no timestamp
 * unless one is injected.
 */
import { ANNOTATION_MODEL, ANNOTATION_WEIGHTS_SOURCE } from '../../core/annotations';
import type { EvaluationResult, Finding, FrameworkRollup, ResultRow, StackResult, Totals } from '../engine';
import { endpointsIn } from '../../core/hosts';
import type { Difference } from '../anchor';
import { parseImage, registryAllowed } from '../../core/images';
import { helmChart, helmValues } from '../images';
import { cmp, list, many, num, one, str, strMap, type Obj } from '../json';
import { k8sObject, podView } from '../k8s';
import type { ModelRecord, StackMetadata } from '../../core/stack-record';
import type { FileHash } from '../load';
import type { PlanSummary } from '../plan';
import { judgeEndpoint } from '../rules/private/endpoint';
import { chartImages } from './chart-images';
import { imagesOf } from '../rules/private/helpers';
import type { SuppressionRecord } from '../suppressions';
import { type LicenceClause, type RiskClass } from '../../core/licence-facts';
import { spdxExpression } from '../licences/catalogue';
import { catalogueEntry, modelAddress } from '../licences/judge';
import { auditTime, RULES_VERSION, toolkitCommit, toolkitVersion } from '../version';

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
  /** Resource addresses that run it; a chart's operand as `<address> (<values key>)`. */
  readonly usedBy: readonly string[];
  /**
   * Where the reference comes from: `resource` (written in a workload), or for an image a chart
   * runs, `values`, `chart default` or `values over chart default`.
   */
  readonly origin: string;
  /** What each chart operand is (`GPU driver (privileged, every GPU node)`). */
  readonly operands?: readonly string[];
  /** Why the reference as resolved cannot be pulled. */
  readonly problem?: string;
  readonly note?: string;
}

export interface ChartEntry {
  readonly address: string;
  readonly release: string;
  readonly chart: string;
  readonly version?: string;
  readonly repository?: string;
  /**
   * The images the chart runs were resolved from its values and the pinned version's defaults
   * (`resolved`), or the chart's version is not one whose defaults the audit knows.
   */
  readonly operands?: 'resolved' | 'chart version not known to the audit';
}

export interface ProviderEntry {
  readonly name: string;
  readonly source?: string;
  readonly version?: string;
}

/** Columns of the pool table, shared by every renderer. */
export const POOL_HEAD = [
  'pool',
  'GPU product',
  'nodes',
  'GPUs per node',
  'sharing',
  'GPUs offered',
  'models',
  'GPUs requested',
];

/** One pool's cells under POOL_HEAD; shared GPUs say how many physical GPUs stand behind them. */
export function poolCells(p: PoolEntry): (string | number | undefined)[] {
  return [
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
  ];
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

/**
 * A model's licence as the catalogue knows it (judged by its identifier, never read from the
 * facts the artifact carries), with its risk classes, the clauses behind them and every
 * acceptance of them.
 */
export interface ModelLicenceEntry {
  readonly model: string;
  /** The identifier recorded for the model, when it is a string. */
  readonly id?: string;
  /** Whether the catalogue lists it. */
  readonly listed: boolean;
  readonly name?: string;
  readonly spdx?: string;
  /** SPDX license expression: the SPDX id, or `LicenseRef-sovereign-<id>`. */
  readonly expression?: string;
  readonly url?: string;
  readonly version?: string;
  readonly read?: string;
  /** Risk classes the licence carries (notice-keeping duties excluded). */
  readonly classes: readonly RiskClass[];
  readonly clauses: readonly LicenceClause[];
  /** Territories the jurisdiction declares, which territorial clauses were judged against. */
  readonly territories: readonly string[];
  /** The spec's acceptance of an unlisted licence. */
  readonly acceptance?: { readonly reason: string; readonly url: string };
  /** Suppressions that accepted one of the licence's findings, with their reasons. */
  readonly accepted: readonly { readonly rule: string; readonly reason: string; readonly expires?: string }[];
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
      /**
       * Clients must send an API key: the engine reads one from a Secret (`VLLM_API_KEY`,
       * `LLAMA_API_KEY`) or is given `--api-key`/`--api-key-file`. False means anyone who reaches
       * the Service can use the model.
       */
      readonly apiKey: boolean;
    }[];
    readonly images: readonly string[];
    /** Services, with the models whose server pods they select. */
    readonly services: readonly ServiceEntry[];
    /** Who may call in: the sources each NetworkPolicy with ingress rules admits. */
    readonly callers: readonly CallerEntry[];
  };
  readonly dataLocations: readonly DataLocation[];
  /**
   * Secrets and ConfigMaps the stack refers to by name and never creates (credentials, pull
   * Secrets, CA bundles): what must exist in the cluster, and where, before the stack deploys.
   */
  readonly references: readonly ObjectReference[];
  /** What the stack declares its own, as recorded in the artifact: every verdict is judged against it. */
  readonly boundary: StackMetadata['allowed'];
  /**
   * Who declared the boundary: `self-declared in the artifact` unless the audit was given an
   * anchor (a boundary the jurisdiction signed or published apart from the artifact).
   */
  readonly boundaryDeclaredBy: string;
  /** Results grouped per rule: how many resources passed, failed, were suppressed or unknown. */
  readonly rules: readonly RuleSummary[];
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
  /** Each model's licence, risk classes, clauses and acceptances. */
  readonly licences: readonly ModelLicenceEntry[];
}

export interface ServiceEntry {
  readonly namespace: string;
  readonly name: string;
  /** `ClusterIP` when unset. */
  readonly type: string;
  readonly ports: readonly number[];
  /** Models whose server pods the selector matches. */
  readonly models: readonly string[];
}

export interface CallerEntry {
  /** Namespace of the NetworkPolicy. */
  readonly namespace: string;
  readonly policy: string;
  /** `namespace chat-frontend`, `namespaces with team=x`, `pods with app=y`, `10.0.0.0/8`. */
  readonly from: readonly string[];
  readonly ports: readonly string[];
}

export interface RuleSummary {
  readonly rule: string;
  readonly title: string;
  readonly level: string;
  readonly passed: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly unknown: number;
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
    /** The commit the toolkit was built from, when known. */
    readonly commit?: string;
  };
  /**
   * The audit time, UTC ISO 8601 (`2026-12-07T10:00:00Z`): injected, or `SOURCE_DATE_EPOCH`,
   * or the clock. With the same time the report is byte-identical for the same input.
   */
  readonly generatedAt: string;
  readonly strict: boolean;
  /** The date suppression expiry was judged against. */
  readonly evaluatedOn: string;
  /** The spec the artifact was synthesized from, when the audit knows it. */
  readonly spec?: { readonly path: string; readonly sha256: string };
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
  /** The approved spec the directory was compared with (`audit --spec`) and what differs. */
  readonly specAnchor?: { readonly file: string; readonly differences: readonly Difference[] };
  /** The auditor-held policy file each boundary was checked against (`audit --policy`). */
  readonly policy?: { readonly file: string };
  /** ISO timestamp to record. @default auditTime(): SOURCE_DATE_EPOCH, else the clock */
  readonly now?: string;
  /** The spec file (as the user named it) and the SHA-256 of its bytes. */
  readonly spec?: { readonly path: string; readonly sha256: string };
  /** Who declared each stack's boundary. @default 'self-declared in the artifact' */
  readonly boundaryDeclaredBy?: string;
}

/** Whether the engine container of a model's workload requires an API key. */
function requiresApiKey(r: StackResult, model: string): boolean {
  for (const res of r.stack.resources) {
    const p = podView(res);
    if (!p) continue;
    const ann = { ...p.obj.annotations, ...p.podAnnotations };
    if (ann[ANNOTATION_MODEL] !== model) continue;
    for (const { c, init } of p.containers) {
      if (init) continue;
      const args = [...list(c.args), ...list(c.command)].map((a) => String(a));
      if (args.some((a) => /^--api-key(-file)?(=|$)/.test(a))) return true;
      for (const e of many(c.env)) {
        const name = str(e.name);
        if (name !== 'VLLM_API_KEY' && name !== 'LLAMA_API_KEY') continue;
        const from = one(e[p.obj.k('value_from')]);
        if (one(from?.[p.obj.k('secret_key_ref')]) || (str(e.value) ?? '') !== '') return true;
      }
    }
  }
  return false;
}

function ruleSummaries(r: StackResult): RuleSummary[] {
  const by = new Map<string, { -readonly [K in keyof RuleSummary]: RuleSummary[K] }>();
  for (const x of r.rows) {
    if (x.status === 'not-applicable') continue;
    const e = by.get(x.rule) ?? {
      rule: x.rule,
      title: x.title,
      level: x.level,
      passed: 0,
      failed: 0,
      suppressed: 0,
      unknown: 0,
    };
    if (x.status === 'passed') e.passed++;
    else if (x.status === 'failed') e.failed++;
    else if (x.status === 'suppressed') e.suppressed++;
    else if (x.status === 'unknown') e.unknown++;
    by.set(x.rule, e);
  }
  return [...by.values()].sort((a, b) => cmp(a.rule, b.rule));
}

/** What a boundary is when nothing outside the artifact vouches for it. */
export const SELF_DECLARED = 'self-declared in the artifact';

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
    apiKey: requiresApiKey(r, m.name),
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
  // Every image that will run: those written out, and those a chart runs (its operands).
  const images = [
    ...new Set(
      r.stack.resources.flatMap((res) => [
        ...imagesOf(res)
          .filter((i) => !i.nameFromChart)
          .map((i) => i.ref),
        ...(chartImages(res)?.images ?? []).map((i) => i.ref),
      ]),
    ),
  ].sort();
  return {
    services: services(r),
    callers: callers(r),
    resources: ordered,
    resourceTotal: r.stack.resources.length,
    pools: sorted([...poolMap.values()], (p) => p.name),
    gpusRequested: gpus,
    models: sorted(models, (m) => m.name),
    images,
  };
}

function services(r: StackResult): ServiceEntry[] {
  const servers = r.stack.resources.flatMap((res) => {
    const p = podView(res);
    const model = p ? { ...p.obj.annotations, ...p.podAnnotations }[ANNOTATION_MODEL] : undefined;
    return p && model !== undefined
      ? [{ namespace: p.obj.namespace ?? 'default', labels: p.podLabels, model }]
      : [];
  });
  const out: ServiceEntry[] = [];
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o?.kind !== 'Service') continue;
    const spec = one(o.root.spec) ?? {};
    const namespace = o.namespace ?? 'default';
    const selector = strMap(spec.selector);
    const keys = Object.keys(selector);
    const models =
      keys.length === 0
        ? []
        : servers
            .filter((x) => x.namespace === namespace && keys.every((k) => x.labels[k] === selector[k]))
            .map((x) => x.model);
    out.push({
      namespace,
      name: o.name ?? res.name,
      type: str(spec.type) ?? 'ClusterIP',
      ports: many(spec.port)
        .map((x) => num(x.port))
        .filter((x): x is number => x !== undefined),
      models: [...new Set(models)].sort(),
    });
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

function callers(r: StackResult): CallerEntry[] {
  const out: CallerEntry[] = [];
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o?.kind !== 'NetworkPolicy') continue;
    const spec = one(o.root.spec) ?? {};
    const matchLabels = (sel: Obj) => strMap(sel[o.k('match_labels')]);
    const labels = (sel: Obj) =>
      Object.entries(matchLabels(sel))
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
    for (const rule of many(spec.ingress)) {
      const from: string[] = [];
      for (const f of many(rule.from)) {
        const ns = one(f[o.k('namespace_selector')]);
        const pod = one(f[o.k('pod_selector')]);
        const ip = one(f[o.k('ip_block')]);
        if (ip) from.push(str(ip.cidr) ?? '?');
        else if (ns) {
          const named = matchLabels(ns)['kubernetes.io/metadata.name'];
          const sel = labels(ns);
          from.push(
            named !== undefined && Object.keys(matchLabels(ns)).length === 1
              ? `namespace ${named}`
              : sel
                ? `namespaces with ${sel}`
                : 'every namespace',
          );
        } else if (pod) from.push(`pods with ${labels(pod) || 'any labels'} in ${o.namespace ?? 'default'}`);
      }
      if (many(rule.from).length === 0) from.push('anyone');
      out.push({
        namespace: o.namespace ?? 'default',
        policy: o.name ?? res.name,
        from,
        ports: many(rule.ports).map((x) => String(x.port ?? 'any')),
      });
    }
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.policy, b.policy));
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

function supplyChain(r: StackResult): StackReport['supplyChain'] {
  const images = new Map<
    string,
    { usedBy: Set<string>; origins: Set<string>; operands: Set<string>; problem?: string; note?: string }
  >();
  const entry = (ref: string) => {
    const e = images.get(ref) ?? {
      usedBy: new Set<string>(),
      origins: new Set<string>(),
      operands: new Set<string>(),
    };
    images.set(ref, e);
    return e;
  };
  const resolved = new Map<string, ChartEntry['operands']>();
  for (const res of r.stack.resources) {
    for (const i of imagesOf(res)) {
      if (!i.ref || i.nameFromChart) continue;
      const e = entry(i.ref);
      e.usedBy.add(res.address);
      e.origins.add(res.type === 'helm_release' ? 'values' : 'resource');
    }
    const chart = chartImages(res);
    if (chart === undefined) continue;
    resolved.set(res.address, chart.known ? 'resolved' : 'chart version not known to the audit');
    for (const i of chart.images) {
      const e = entry(i.ref);
      e.usedBy.add(`${res.address} (${i.operand})`);
      e.origins.add(i.origin);
      e.operands.add(i.label);
      if (i.problem) e.problem = i.problem;
      if (i.note) e.note = i.note;
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
        origin: [...e.origins].sort().join(', '),
        ...(e.operands.size > 0 ? { operands: [...e.operands].sort() } : {}),
        ...(e.problem ? { problem: e.problem } : {}),
        ...(e.note ? { note: e.note } : {}),
      };
    });
  const charts: ChartEntry[] = r.stack.resources
    .filter((res) => res.type === 'helm_release')
    .map((res) => {
      const c = helmChart(res.body);
      const operands = resolved.get(res.address);
      return {
        address: res.address,
        release: str(res.body.name) ?? res.name,
        chart: c.chart ?? '',
        version: c.version,
        repository: c.repository,
        ...(operands ? { operands } : {}),
      };
    });
  return {
    images: imageEntries,
    charts,
    providers: r.stack.requiredProviders.map((p) => ({ name: p.name, source: p.source, version: p.version })),
    models: [...r.metadata.models].sort((a, b) => cmp(a.name, b.name)),
  };
}

function licences(r: StackResult): ModelLicenceEntry[] {
  const t = (r.metadata as { territories?: unknown }).territories;
  const territories = Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  return [...r.metadata.models]
    .filter((m) => typeof m?.name === 'string')
    .sort((a, b) => cmp(a.name, b.name))
    .map((m) => {
      const e = catalogueEntry(m.license);
      const clauses = e ? e.clauses : [];
      const a = m.licenseAcceptance as { reason?: unknown; url?: unknown } | undefined;
      const address = modelAddress(m.name);
      return {
        model: m.name,
        ...(typeof m.license === 'string' ? { id: m.license } : {}),
        listed: e !== undefined,
        ...(e
          ? {
              name: e.name,
              ...(e.spdx ? { spdx: e.spdx } : {}),
              expression: spdxExpression(e),
              url: e.url,
              version: e.version,
              read: e.read,
            }
          : {}),
        classes: [...new Set(clauses.filter((c) => c.notice !== true).map((c) => c.class))],
        clauses,
        territories,
        ...(a && typeof a.reason === 'string' && typeof a.url === 'string'
          ? { acceptance: { reason: a.reason, url: a.url } }
          : {}),
        accepted: r.rows
          .filter((row) => row.status === 'suppressed' && row.address === address && row.suppression)
          .map((row) => ({
            rule: row.rule,
            reason: row.suppression!.reason,
            ...(row.suppression!.expires ? { expires: row.suppression!.expires } : {}),
          })),
      };
    });
}

export function stackReport(r: StackResult, boundaryDeclaredBy = SELF_DECLARED): StackReport {
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
    boundaryDeclaredBy,
    rules: ruleSummaries(r),
    totals: r.totals,
    frameworks: r.frameworks,
    results: r.rows.filter((x) => x.status !== 'not-applicable').map(({ packs: _p, ...rest }) => rest),
    findings: r.findings,
    suppressions: r.suppressions,
    licences: licences(r),
    supplyChain: supplyChain(r),
  };
}

/** Who vouches for each stack's boundary, as the summary names it. */
function declaredBy(trust: TrustSection): string {
  switch (trust.anchor) {
    case 'self-declared':
      return SELF_DECLARED;
    case 'spec':
      return `declared in the approved spec ${trust.spec?.file} (the directory compared with it byte for byte)`;
    case 'policy':
      return `checked against the auditor's policy ${trust.policy?.file}`;
    default:
      return `declared in the approved spec ${trust.spec?.file} (compared byte for byte) and checked against the auditor's policy ${trust.policy?.file}`;
  }
}

export function trustSection(ev: EvaluationResult, opts: ReportOptions): TrustSection {
  const anchor: TrustSection['anchor'] =
    opts.specAnchor && opts.policy
      ? 'spec+policy'
      : opts.specAnchor
        ? 'spec'
        : opts.policy
          ? 'policy'
          : 'self-declared';
  const statement = {
    'self-declared':
      'The boundary is self-declared: the stacks were judged against the allow-lists written inside the artifact ("//".sovereign), which whoever produced it could have widened. Audit with --spec (the approved sovereign.yaml) or --policy (an auditor-held policy file) to anchor it.',
    spec: `The directory was compared byte for byte with what the approved spec ${opts.specAnchor?.file} synthesizes: ${opts.specAnchor?.differences.length ? `${opts.specAnchor.differences.length} file(s) differ` : 'identical'}.`,
    policy: `Each stack's declared boundary was checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
    'spec+policy': `The directory was compared byte for byte with what the approved spec ${opts.specAnchor?.file} synthesizes (${opts.specAnchor?.differences.length ? `${opts.specAnchor.differences.length} file(s) differ` : 'identical'}), and each stack's boundary checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
  }[anchor];
  return {
    anchor,
    statement,
    ...(opts.specAnchor ? { spec: opts.specAnchor } : {}),
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
    tool: {
      name: 'sovereign-stack',
      version: toolkitVersion(),
      rulesVersion: RULES_VERSION,
      ...(toolkitCommit() ? { commit: toolkitCommit() } : {}),
    },
    generatedAt: opts.now ?? auditTime(),
    strict: ev.strict,
    evaluatedOn: ev.today,
    ...(opts.spec ? { spec: opts.spec } : {}),
    files: [...(opts.files ?? [])].sort((a, b) => cmp(a.path, b.path)),
    totals: ev.totals,
    gate: ev.totals.errors > 0 || (opts.specAnchor?.differences.length ?? 0) > 0 ? 'fail' : 'pass',
    stacks: ev.stacks.map((s) => stackReport(s, opts.boundaryDeclaredBy ?? declaredBy(trust))),
    ...(opts.plan ? { plan: opts.plan } : {}),
    trust,
  };
}
