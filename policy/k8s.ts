/**
 * Kubernetes objects inside synthesized resources, read the same way whether they come from
 * the hashicorp/kubernetes provider's typed resources (snake_case attributes, singular block
 * names: `container`, `volume`, `port`) or from `kubernetes_manifest` (the Kubernetes API's
 * camelCase, plural lists: `containers`, `volumes`, `ports`).
 */
import { join, list, many, num, one, str, strMap, type Json, type Obj } from './json';
import type { ResourceView } from './stack';

export type Style = 'tf' | 'k8s';

/** Field names whose Kubernetes spelling is not the plain camelCase of the provider's. */
const PLURAL: Record<string, string> = {
  host_pid: 'hostPID',
  host_ipc: 'hostIPC',
  downward_api: 'downwardAPI',
  non_resource_urls: 'nonResourceURLs',
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  port: 'ports',
  toleration: 'tolerations',
  rule: 'rules',
  subject: 'subjects',
  limit: 'limits',
  image_pull_secrets: 'imagePullSecrets',
  readiness_gate: 'readinessGates',
};

/** The attribute name for a field in the given style: `key('k8s', 'run_as_non_root')` → `runAsNonRoot`. */
export function key(style: Style, snake: string): string {
  if (style === 'tf') return snake;
  return PLURAL[snake] ?? snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const TYPE_KIND: Record<string, string> = {
  deployment: 'Deployment',
  stateful_set: 'StatefulSet',
  daemon_set: 'DaemonSet',
  daemonset: 'DaemonSet',
  replication_controller: 'ReplicationController',
  job: 'Job',
  cron_job: 'CronJob',
  pod: 'Pod',
  service: 'Service',
  namespace: 'Namespace',
  network_policy: 'NetworkPolicy',
  pod_disruption_budget: 'PodDisruptionBudget',
  resource_quota: 'ResourceQuota',
  limit_range: 'LimitRange',
  role: 'Role',
  cluster_role: 'ClusterRole',
  role_binding: 'RoleBinding',
  cluster_role_binding: 'ClusterRoleBinding',
  secret: 'Secret',
  config_map: 'ConfigMap',
  persistent_volume_claim: 'PersistentVolumeClaim',
  persistent_volume: 'PersistentVolume',
  storage_class: 'StorageClass',
  service_account: 'ServiceAccount',
  horizontal_pod_autoscaler: 'HorizontalPodAutoscaler',
};

/** Kinds the rules model (typed resources and kubernetes_manifest of these kinds). */
export const MODELLED_KINDS: readonly string[] = [...new Set(Object.values(TYPE_KIND))].sort();

/** Typed resource types for a kind, both unversioned and `_v1` (and `_v2` where it exists). */
export function typesOf(...kinds: string[]): string[] {
  const out: string[] = [];
  for (const [t, k] of Object.entries(TYPE_KIND)) {
    if (!kinds.includes(k)) continue;
    out.push(`kubernetes_${t}`, `kubernetes_${t}_v1`);
    if (k === 'HorizontalPodAutoscaler') out.push(`kubernetes_${t}_v2`);
  }
  out.push('kubernetes_manifest');
  return [...new Set(out)].sort();
}

/** A Kubernetes object inside a resource: where its fields live and how they are spelled. */
export interface K8sObject {
  readonly resource: ResourceView;
  readonly kind: string;
  readonly style: Style;
  /** The object's root (`body` for typed resources, `body.manifest` for kubernetes_manifest). */
  readonly root: Obj;
  /** Path of the root relative to the resource (`''` or `manifest`). */
  readonly rootPath: string;
  readonly name?: string;
  /** Namespace as written; `undefined` when not set (the `default` namespace). */
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  k(snake: string): string;
}

// Every rule asks for the object and the pod of the resources it looks at, and some rules ask
// for every object of a stack once per workload: each view is built once per resource. Views
// are read-only and the policy never changes a resource, so a cache keyed by the view is exact.
const objects = new WeakMap<ResourceView, K8sObject | null>();
const pods = new WeakMap<ResourceView, PodView[]>();

/** The Kubernetes object a resource describes; undefined for anything else. */
export function k8sObject(r: ResourceView): K8sObject | undefined {
  let o = objects.get(r);
  if (o === undefined) objects.set(r, (o = readK8sObject(r) ?? null));
  return o ?? undefined;
}

function readK8sObject(r: ResourceView): K8sObject | undefined {
  if (r.mode !== 'managed') return undefined;
  let kind: string | undefined;
  let root: Obj;
  let style: Style;
  let rootPath: string;
  if (r.type === 'kubernetes_manifest') {
    const m = one(r.body.manifest);
    if (!m) return undefined;
    kind = str(m.kind);
    root = m;
    style = 'k8s';
    rootPath = 'manifest';
  } else {
    const base = r.type.replace(/^kubernetes_/, '').replace(/_v[12]$/, '');
    // Own keys only: `kubernetes_constructor` names no kind, not Object's constructor.
    kind = Object.hasOwn(TYPE_KIND, base) ? TYPE_KIND[base] : undefined;
    root = r.body;
    style = 'tf';
    rootPath = '';
  }
  if (!kind || !r.type.startsWith('kubernetes_')) return undefined;
  const meta = one(root.metadata) ?? {};
  return {
    resource: r,
    kind,
    style,
    root,
    rootPath,
    name: str(meta.name),
    namespace: str(meta.namespace),
    labels: strMap(meta.labels),
    annotations: strMap(meta.annotations),
    k: (s) => key(style, s),
  };
}

/** Path of a field of the object, relative to the resource. */
export function at(o: K8sObject, ...snake: string[]): string {
  return join(o.rootPath, ...snake.map((s) => o.k(s)));
}

/** Reads a nested block: `get(o, o.root, 'spec', 'template')`. */
export function get(o: K8sObject, from: Json | undefined, ...snake: string[]): Obj | undefined {
  let cur: Obj | undefined = one(from);
  for (const s of snake) {
    if (!cur) return undefined;
    cur = one(cur[o.k(s)]);
  }
  return cur;
}

export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'Node',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
]);

// ------------------------------------------------------------------ workloads

export interface ContainerView {
  readonly c: Obj;
  /** Path relative to the resource (`spec.template.spec.container[0]`). */
  readonly path: string;
  readonly init: boolean;
  readonly name: string;
}

export interface PodView {
  readonly obj: K8sObject;
  readonly pod: Obj;
  /** Path of the pod spec relative to the resource. */
  readonly podPath: string;
  readonly podLabels: Record<string, string>;
  readonly podAnnotations: Record<string, string>;
  /** Path of the pod template's metadata (the object's metadata for a bare Pod). */
  readonly podMetaPath: string;
  readonly containers: readonly ContainerView[];
  /** Deployments, stateful sets, daemon sets and pods run until stopped; jobs finish. */
  readonly longRunning: boolean;
  /** `spec.replicas` (1 when unset; undefined when unresolved). */
  readonly replicas?: number;
  /**
   * In a LeaderWorkerSet, which of its two pod templates this is; the worker view also holds
   * the leader's (a Ray worker is told the model by its leader).
   */
  readonly role?: 'leader' | 'worker';
  readonly leader?: PodView;
}

export const WORKLOAD_KINDS = [
  'Deployment',
  // kubernetes-sigs/lws: two pod templates, spec.leaderWorkerTemplate.{leader,worker}Template.
  'LeaderWorkerSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'Pod',
];
export const WORKLOAD_TYPES = typesOf(...WORKLOAD_KINDS);

/**
 * The pod template (or pod) of a workload resource; undefined for anything else. A
 * LeaderWorkerSet has two: this is its leader's, and podViews gives both.
 */
export function podView(r: ResourceView): PodView | undefined {
  return podViews(r)[0];
}

/** Every pod template of a workload resource (two for a LeaderWorkerSet); [] for anything else. */
export function podViews(r: ResourceView): readonly PodView[] {
  let p = pods.get(r);
  if (p === undefined) pods.set(r, (p = readPodViews(r)));
  return p ?? [];
}

function readPodViews(r: ResourceView): PodView[] {
  const o = k8sObject(r);
  if (!o || !WORKLOAD_KINDS.includes(o.kind)) return [];
  if (o.kind === 'LeaderWorkerSet') {
    const t = ['spec', 'leader_worker_template'];
    const leader = readPodView(o, [...t, 'leader_template', 'spec'], [...t, 'leader_template', 'metadata']);
    const worker = readPodView(o, [...t, 'worker_template', 'spec'], [...t, 'worker_template', 'metadata']);
    const out: PodView[] = [];
    if (leader) out.push({ ...leader, role: 'leader' });
    if (worker)
      out.push({ ...worker, role: 'worker', ...(leader ? { leader: { ...leader, role: 'leader' } } : {}) });
    return out;
  }
  let segs: string[];
  let metaSegs: string[];
  if (o.kind === 'Pod') {
    segs = ['spec'];
    metaSegs = ['metadata'];
  } else if (o.kind === 'CronJob') {
    segs = ['spec', 'job_template', 'spec', 'template', 'spec'];
    metaSegs = ['spec', 'job_template', 'spec', 'template', 'metadata'];
  } else {
    segs = ['spec', 'template', 'spec'];
    metaSegs = ['spec', 'template', 'metadata'];
  }
  const v = readPodView(o, segs, metaSegs);
  return v ? [v] : [];
}

function readPodView(o: K8sObject, segs: string[], metaSegs: string[]): PodView | undefined {
  const pod = get(o, o.root, ...segs);
  if (!pod) return undefined;
  const meta = get(o, o.root, ...metaSegs) ?? {};
  const podPath = at(o, ...segs);
  const containers: ContainerView[] = [];
  for (const [field, init] of [
    ['init_container', true],
    ['container', false],
  ] as const) {
    many(pod[o.k(field)]).forEach((c, i) => {
      containers.push({ c, path: `${join(podPath, o.k(field))}[${i}]`, init, name: str(c.name) ?? `#${i}` });
    });
  }
  let replicas: number | undefined = 1;
  if (['Deployment', 'StatefulSet', 'ReplicationController', 'LeaderWorkerSet'].includes(o.kind)) {
    const raw = get(o, o.root, 'spec')?.[o.k('replicas')];
    replicas = raw === undefined ? 1 : num(raw);
  }
  return {
    obj: o,
    pod,
    podPath,
    podLabels: strMap(meta.labels),
    podAnnotations: strMap(meta.annotations),
    podMetaPath: at(o, ...metaSegs),
    containers,
    longRunning: !['Job', 'CronJob'].includes(o.kind),
    replicas,
  };
}

/** `k8s` style field of a container or pod block. */
export function field(o: K8sObject, from: Obj | undefined, snake: string): Json | undefined {
  return from ? from[o.k(snake)] : undefined;
}

/**
 * The effective value of a security-context field for a container: the container's own
 * `security_context` wins over the pod's. Returns the value and the path it was read from
 * (or the container path where it should be set).
 */
export function effective(
  p: PodView,
  c: ContainerView,
  snake: string,
): { value: Json | undefined; path: string; from: 'container' | 'pod' | 'none' } {
  const o = p.obj;
  const csc = one(c.c[o.k('security_context')]);
  const cpath = join(c.path, o.k('security_context'), o.k(snake));
  if (csc && csc[o.k(snake)] !== undefined) return { value: csc[o.k(snake)], path: cpath, from: 'container' };
  const psc = one(p.pod[o.k('security_context')]);
  if (psc && psc[o.k(snake)] !== undefined) {
    return {
      value: psc[o.k(snake)],
      path: join(p.podPath, o.k('security_context'), o.k(snake)),
      from: 'pod',
    };
  }
  return { value: undefined, path: cpath, from: 'none' };
}

/** Environment variables of a container with literal values (name → value, path). */
export function envOf(
  o: K8sObject,
  c: ContainerView,
): { name: string; value?: Json; valueFrom?: Obj; path: string }[] {
  return many(c.c[o.k('env')]).map((e, i) => ({
    name: str(e.name) ?? '',
    value: e.value,
    valueFrom: one(e[o.k('value_from')]),
    path: `${join(c.path, o.k('env'))}[${i}]`,
  }));
}

/** Container args and command as strings (unresolved entries kept as written). */
export function argsOf(o: K8sObject, c: ContainerView): { args: string[]; command: string[] } {
  const s = (v: Json | undefined) => list(v).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  return { command: s(c.c[o.k('command')]), args: s(c.c[o.k('args')]) };
}
