/**
 * Reading `terraform show -json <planfile>` (Terraform's JSON output format, format_version
 * "1.x"; fixtures follow "1.2", written by Terraform 1.6 and later, and OpenTofu's equivalent):
 * the change per resource from `resource_changes[].change.actions`, with the changes an
 * operator must not apply unawares labelled.
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */
import {
  ANNOTATION_MANIFEST_SHA256,
  ANNOTATION_MODEL,
  ANNOTATION_MODEL_REVISION,
  COMPONENT_SERVER,
  COMPONENT_WEIGHTS_MANIFEST,
  COMPONENT_WEIGHTS_SYNC,
} from '../core/annotations';
import { inputInvalid } from '../core/errors';
import { isObj, many, one, str, type Json, type Obj } from './json';

export type Action = 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op' | 'forget';

export interface Risk {
  readonly id:
    'gpu-driver-upgrade' | 'model-swap' | 'data-loss' | 'node-pool-deletion' | 'cluster-replacement';
  readonly label: string;
}

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** `change.actions` as Terraform wrote them. */
  readonly actions: readonly string[];
  readonly risks: readonly Risk[];
}

export interface PlanSummary {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly counts: Record<Action, number>;
  /** Every change except no-op and read, sorted by address. */
  readonly changes: readonly PlannedChange[];
}

export function actionOf(actions: readonly string[]): Action {
  if (actions.includes('create') && actions.includes('delete')) return 'replace';
  const a = actions[0];
  if (a === 'create' || a === 'update' || a === 'delete' || a === 'read' || a === 'forget') return a;
  return 'no-op';
}

const component = (v: Json | undefined): string | undefined => {
  const o = one(v);
  if (!o) return undefined;
  const meta = one(o.metadata) ?? one(one(o.manifest)?.metadata);
  const tmpl = one(one(one(o.spec)?.template)?.metadata);
  const labels = { ...(one(meta?.labels) ?? {}), ...(one(tmpl?.labels) ?? {}) };
  return str(labels['app.kubernetes.io/component']);
};

const modelKeys = (v: Json | undefined): string => {
  const o = one(v);
  if (!o) return '';
  const anns = [
    one(one(o.metadata)?.annotations),
    one(one(one(one(o.spec)?.template)?.metadata)?.annotations),
  ];
  const pick = anns.map((a) =>
    [ANNOTATION_MODEL, ANNOTATION_MODEL_REVISION, ANNOTATION_MANIFEST_SHA256].map((k) => str(a?.[k]) ?? ''),
  );
  const containers = many(one(one(one(o.spec)?.template)?.spec)?.container).map((c) =>
    JSON.stringify([c.args ?? null, c.command ?? null]),
  );
  return JSON.stringify([pick, containers]);
};

const kindOf = (type: string, v: Json | undefined): string => {
  if (type === 'kubernetes_manifest') return str(one(one(v)?.manifest)?.kind) ?? '';
  return type.replace(/^kubernetes_/, '').replace(/_v\d$/, '');
};

/** Labels the change when applying it needs a human decision. */
export function risksOf(
  type: string,
  action: Action,
  before: Json | undefined,
  after: Json | undefined,
): Risk[] {
  if (action === 'no-op' || action === 'read' || action === 'forget') return [];
  const risks: Risk[] = [];
  const chart = `${str(one(before)?.chart) ?? ''} ${str(one(after)?.chart) ?? ''}`;
  if (type === 'helm_release' && /gpu-operator|nvidia-driver|driver/.test(chart)) {
    risks.push({
      id: 'gpu-driver-upgrade',
      label: 'GPU operator/driver change: driver upgrades cordon and drain GPU nodes, serving stops on them',
    });
  }
  const kind = kindOf(type, after ?? before);
  const comp = component(after) ?? component(before);
  if ((comp === COMPONENT_WEIGHTS_SYNC || comp === COMPONENT_WEIGHTS_MANIFEST) && action !== 'delete') {
    risks.push({
      id: 'model-swap',
      label: 'model weights change: a new revision or manifest replaces the served model',
    });
  } else if (comp === COMPONENT_SERVER && action === 'update' && modelKeys(before) !== modelKeys(after)) {
    risks.push({
      id: 'model-swap',
      label: 'server model change: the served model, revision or engine arguments change',
    });
  }
  if ((action === 'delete' || action === 'replace') && /^(namespace|Namespace)$/.test(kind)) {
    risks.push({
      id: 'data-loss',
      label: 'namespace deletion: every object and volume claim in it is deleted',
    });
  }
  if (
    (action === 'delete' || action === 'replace') &&
    /^(persistent_volume_claim|persistent_volume|PersistentVolumeClaim|PersistentVolume)$/.test(kind)
  ) {
    risks.push({
      id: 'data-loss',
      label: 'volume deletion: the data on it (model weights, caches) may be lost',
    });
  }
  risks.push(...clusterApiRisks(type, action, before, after));
  return risks;
}

/** The MachineDeployment names of a Cluster API topology (`spec.topology.workers.machineDeployments[].name`). */
const topologyPools = (v: Json | undefined): string[] => {
  const m = one(one(v)?.manifest);
  const mds = one(one(one(m?.spec)?.topology)?.workers)?.machineDeployments;
  return (Array.isArray(mds) ? mds : []).map((md) => str(one(md)?.name) ?? '').filter((n) => n !== '');
};

/** The worker classes of a ClusterClass (`spec.workers.machineDeployments[].class`). */
const classPools = (v: Json | undefined): string[] => {
  const m = one(one(v)?.manifest);
  const mds = one(one(m?.spec)?.workers)?.machineDeployments;
  return (Array.isArray(mds) ? mds : []).map((md) => str(one(md)?.class) ?? '').filter((n) => n !== '');
};

const isClusterApi = (v: Json | undefined): boolean =>
  (str(one(one(v)?.manifest)?.apiVersion) ?? '').startsWith('cluster.x-k8s.io/');

/**
 * Cluster API objects (kubernetes_manifest on the management cluster): deleting a node pool
 * drains and deletes its machines, and the serving on them stops; deleting or replacing the
 * Cluster deletes every machine of the cluster, control plane included.
 */
function clusterApiRisks(
  type: string,
  action: Action,
  before: Json | undefined,
  after: Json | undefined,
): Risk[] {
  if (type !== 'kubernetes_manifest' || !(isClusterApi(before) || isClusterApi(after))) return [];
  const kind = kindOf(type, after ?? before);
  const risks: Risk[] = [];
  if (kind === 'Cluster' && (action === 'delete' || action === 'replace')) {
    risks.push({
      id: 'cluster-replacement',
      label: `cluster ${action === 'delete' ? 'deletion' : 'replacement'}: Cluster API deletes every machine, control plane included; everything served on it stops`,
    });
  }
  if (
    (kind === 'MachineDeployment' || kind === 'MachinePool') &&
    (action === 'delete' || action === 'replace')
  ) {
    risks.push({
      id: 'node-pool-deletion',
      label: 'node pool deletion: its machines are drained and deleted, the models on them stop',
    });
  }
  // The toolkit's ClusterClass: its MachineDeployment classes are the node pools. Replacing or
  // deleting it takes the class from under the Cluster built from it; a worker class that
  // disappears takes its pool's machines with it.
  if (kind === 'ClusterClass' && (action === 'delete' || action === 'replace')) {
    risks.push({
      id: 'cluster-replacement',
      label: `ClusterClass ${action === 'delete' ? 'deletion' : 'replacement'}: the cluster built from it loses its class; its machines are rebuilt or left unmanaged`,
    });
  }
  if (kind === 'ClusterClass' && action === 'update') {
    const kept = new Set(classPools(after));
    const gone = classPools(before).filter((n) => !kept.has(n));
    if (gone.length > 0)
      risks.push({
        id: 'node-pool-deletion',
        label: `node pool deletion (${gone.join(', ')}): its worker class is removed from the ClusterClass; its machines are drained and deleted, the models on them stop`,
      });
  }
  if (kind === 'Cluster' && action === 'update') {
    const kept = new Set(topologyPools(after));
    const gone = topologyPools(before).filter((n) => !kept.has(n));
    if (gone.length > 0)
      risks.push({
        id: 'node-pool-deletion',
        label: `node pool deletion (${gone.join(', ')}): its machines are drained and deleted, the models on them stop`,
      });
  }
  return risks;
}

/** Reads a parsed plan. `file` is the name the user gave, used in errors. */
export function readPlan(json: unknown, file: string): PlanSummary {
  if (!isObj(json))
    throw inputInvalid(file, 'is not a JSON object: expected `terraform show -json <planfile>` output');
  const fv = str(json.format_version);
  if (fv === undefined)
    throw inputInvalid(file, 'has no format_version: not `terraform show -json` output', 'format_version');
  if (!/^1\.\d+$/.test(fv))
    throw inputInvalid(file, `format_version ${fv} is not supported (1.x is)`, 'format_version');
  if (json.resource_changes !== undefined && !Array.isArray(json.resource_changes)) {
    throw inputInvalid(file, 'resource_changes must be an array', 'resource_changes');
  }
  const counts: Record<Action, number> = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    read: 0,
    'no-op': 0,
    forget: 0,
  };
  const changes: PlannedChange[] = [];
  ((json.resource_changes as Json[] | undefined) ?? []).forEach((rc, i) => {
    const o = one(rc) as Obj | undefined;
    const change = one(o?.change);
    const actions = Array.isArray(change?.actions) ? change!.actions.map(String) : undefined;
    const address = str(o?.address);
    if (!o || !address || !actions)
      throw inputInvalid(file, 'resource change without address or change.actions', `resource_changes[${i}]`);
    const action = actionOf(actions);
    counts[action]++;
    if (action === 'no-op' || action === 'read') return;
    const type = str(o.type) ?? '';
    changes.push({
      address,
      type,
      action,
      actions,
      risks: risksOf(type, action, change?.before, change?.after),
    });
  });
  changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { formatVersion: fv, terraformVersion: str(json.terraform_version), counts, changes };
}

/**
 * The plan as a stack to judge: every resource Terraform will have after applying (created,
 * updated, replaced or unchanged; not deleted), with its planned values
 * (`resource_changes[].change.after`), under the synthesized stack's metadata, terraform and
 * provider blocks (a plan carries neither). Returns the pseudo stack and the planned addresses.
 */
export function plannedStack(
  plan: unknown,
  synthesized: Obj,
  file: string,
): { json: Obj; addresses: string[] } {
  // Types and names come from the plan: objects without a prototype, so a type `__proto__` is a
  // key like any other and never reaches Object.prototype.
  const bare = <T>() => Object.create(null) as Record<string, T>;
  const resource = bare<Record<string, Json>>();
  const data = bare<Record<string, Json>>();
  const addresses: string[] = [];
  const changes = isObj(plan) && Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  changes.forEach((rc, i) => {
    const o = one(rc);
    const change = one(o?.change);
    const actions = Array.isArray(change?.actions) ? change!.actions.map(String) : [];
    const action = actionOf(actions);
    if (!o || action === 'delete' || action === 'forget') return;
    const address = str(o.address);
    const type = str(o.type);
    const name = str(o.name);
    if (!address || !type || !name)
      throw inputInvalid(file, 'resource change without address, type or name', `resource_changes[${i}]`);
    addresses.push(address);
    const index = o.index === undefined || o.index === null ? '' : `[${JSON.stringify(o.index)}]`;
    // Module resources keep their full address as the name, so they are never mistaken for root ones.
    const key = address.startsWith('module.') ? address : `${name}${index}`;
    const into = str(o.mode) === 'data' ? data : resource;
    (into[type] ??= bare<Json>())[key] = (change?.after ?? {}) as Json;
  });
  const json: Obj = {
    ...(synthesized['//'] !== undefined ? { '//': synthesized['//'] } : {}),
    ...(synthesized.terraform !== undefined ? { terraform: synthesized.terraform } : {}),
    ...(synthesized.provider !== undefined ? { provider: synthesized.provider } : {}),
    resource: resource as Obj,
    ...(Object.keys(data).length ? { data: data as Obj } : {}),
  };
  return { json, addresses: addresses.sort() };
}
