/**
 * What the cluster a stack is applied to must run, read from the Cluster API objects the stack
 * writes: the Cluster API release its infrastructure provider is documented for, feature gates,
 * controller flags, the infrastructure provider.
 */
import {
  clusterApiReleaseFor,
  commonClusterApiRange,
  describeClusterApiRange,
  inKubernetesRange,
  kubernetesSupportSource,
  providerOfKind,
  type ClusterApiRelease,
  type InfrastructureProviderRelease,
} from '../../core/cluster-api-releases';
import type { StackResult } from '../engine';
import { cmp, many, one, str, type Obj } from '../json';
import type { ClusterRequirement } from './model';

/**
 * Label domains Cluster API copies from a Machine to its Node without a flag
 * (util/labels/helpers.go GetManagedLabels, v1.13.5 and v1.14.0).
 */
const SYNCED_LABEL_DOMAINS =
  /^(node-role\.kubernetes\.io|node-restriction\.kubernetes\.io|node\.cluster\.x-k8s\.io)\//;

function providerLine(p: InfrastructureProviderRelease): string {
  return `infrastructure provider: ${p.name} ${p.release}${p.alongside ? ` with ${p.alongside}` : ''}, ${p.apiVersion}`;
}

/**
 * The Cluster API release the management cluster runs for a stack: the newest release every
 * infrastructure provider of the stack is documented for (those whose templates it writes and
 * those its Clusters' classes name). `minor` is undefined when a class's provider is unknown or
 * the providers share no release; the requirement then says so.
 */
function clusterApiOf(
  known: readonly InfrastructureProviderRelease[],
  unknownClasses: readonly string[],
): { requirement: string; why: string; minor?: string; release?: ClusterApiRelease } {
  if (unknownClasses.length > 0)
    return {
      requirement: `Cluster API: the release the infrastructure provider of ClusterClass ${unknownClasses.join(', ')} is documented for`,
      why: 'the ClusterClass or its infrastructure template is not one this report knows (OpenStack, Metal3), so it cannot name the release',
    };
  const said = known
    .map(
      (p) =>
        `${p.name} ${p.release} is documented for Cluster API ${describeClusterApiRange(p.clusterApi)} (${p.repository} ${p.release} ${p.clusterApi.documented}; go.mod builds against ${p.clusterApi.builtAgainst})`,
    )
    .join('; ');
  const range = commonClusterApiRange(known.map((p) => p.clusterApi));
  const release = range && clusterApiReleaseFor(range);
  if (release === undefined)
    return {
      requirement: 'Cluster API: no release serves every infrastructure provider of this stack',
      why: `${said}: give each its own management cluster`,
    };
  return {
    requirement: `Cluster API ${release.minor} (${release.release} or a later ${release.minor} patch)`,
    why: `${said}. ${release.release} is the newest Cluster API release in that range, and the stack's Cluster API objects are validated against its CRDs; on a minor outside the range the provider runs outside its documented matrix`,
    minor: release.minor,
    release,
  };
}

/**
 * What the management cluster must run for the Cluster API objects of a stack: read from the
 * objects themselves (a taint in the topology needs MachineTaintPropagation, a Metal3 template
 * Cluster API v1.13), so the report says it wherever the stack came from.
 */
export function clusterRequirements(r: StackResult): ClusterRequirement[] {
  const found = new Map<string, { why: string; by: Set<string> }>();
  const need = (requirement: string, why: string, address: string) => {
    const hit = found.get(requirement) ?? { why, by: new Set<string>() };
    hit.by.add(address);
    found.set(requirement, hit);
  };
  const objects: { address: string; m: Obj; kind: string }[] = [];
  /** `namespace/name` of each ClusterClass → the kind of its infrastructure cluster template. */
  const classes = new Map<string, string>();
  for (const res of r.stack.resources) {
    if (res.type !== 'kubernetes_manifest') continue;
    const m = one(one(res.body)?.manifest);
    const apiVersion = str(m?.apiVersion) ?? '';
    if (!m || !/^([a-z0-9-]+\.)*cluster\.x-k8s\.io\//.test(apiVersion)) continue;
    const kind = str(m.kind) ?? '';
    objects.push({ address: res.address, m, kind });
    if (kind === 'ClusterClass') {
      const meta = one(m.metadata);
      const infraKind = str(one(one(one(m.spec)?.infrastructure)?.templateRef)?.kind);
      if (infraKind !== undefined)
        classes.set(`${str(meta?.namespace) ?? ''}/${str(meta?.name) ?? ''}`, infraKind);
    }
  }

  // The Clusters with a topology, each with the provider of its class.
  const clusters: { address: string; topology: Obj }[] = [];
  const providers = new Set<InfrastructureProviderRelease>();
  const unknownClasses = new Set<string>();
  for (const { address, m, kind } of objects) {
    const provider = providerOfKind(kind);
    if (provider) {
      providers.add(provider);
      need(providerLine(provider), "serves the ClusterClass's infrastructure templates", address);
    }
    const topology = one(one(m.spec)?.topology);
    if (kind !== 'Cluster' || !topology) continue;
    const classRef = one(topology.classRef);
    const key = `${str(classRef?.namespace) ?? str(one(m.metadata)?.namespace) ?? ''}/${str(classRef?.name) ?? ''}`;
    const infraKind = classes.get(key);
    const p = infraKind === undefined ? undefined : providerOfKind(infraKind);
    if (p === undefined) unknownClasses.add(key);
    else providers.add(p);
    clusters.push({ address, topology });
  }
  if (clusters.length === 0) return sorted(found);

  const capi = clusterApiOf(
    [...providers].sort((a, b) => cmp(a.name, b.name)),
    [...unknownClasses].sort(cmp),
  );
  const prefix = capi.minor === undefined ? 'Cluster API' : `Cluster API ${capi.minor}`;
  for (const { address, topology } of clusters) {
    need(capi.requirement, capi.why, address);
    if (capi.release) {
      const { management, workload } = capi.release.kubernetes;
      const version = str(topology.version);
      need(
        `management cluster on Kubernetes ${management.from} to ${management.to}`,
        `Cluster API ${capi.release.release} runs on those minors and builds workload clusters on ${workload.from} to ${workload.to} (${kubernetesSupportSource(capi.release)})`,
        address,
      );
      if (version !== undefined && !inKubernetesRange(version, workload))
        need(
          `workload Kubernetes ${version} is outside Cluster API ${capi.release.release}'s support (${workload.from} to ${workload.to})`,
          `spec.topology.version asks for a Kubernetes minor the Cluster API release does not build (${kubernetesSupportSource(capi.release)})`,
          address,
        );
    }
    need(
      `${prefix} feature gate ClusterTopology=true`,
      'the Cluster is built from a ClusterClass topology (alpha gate, off by default: feature/feature.go)',
      address,
    );
    for (const md of many(one(topology.workers)?.machineDeployments)) {
      const name = str(md.name) ?? '?';
      if (many(md.taints).length > 0)
        need(
          `${prefix} feature gate MachineTaintPropagation=true`,
          'node pools carry taints in the topology (spec.topology.workers.machineDeployments[].taints, alpha since v1.12): the webhook refuses them while the gate is off, and GPU nodes would take any pod',
          `${address} (${name})`,
        );
      const labels = Object.keys(one(one(md.metadata)?.labels) ?? {}).filter(
        (k) => !SYNCED_LABEL_DOMAINS.test(k),
      );
      const domains = [
        ...new Set(labels.map((k) => (k.includes('/') ? k.slice(0, k.indexOf('/')) : k))),
      ].sort(cmp);
      if (domains.length > 0)
        need(
          `Cluster API controller flag --additional-sync-machine-labels matching ${domains.join(', ')}`,
          'node pools label their machines; Cluster API copies only node-role.kubernetes.io, node-restriction.kubernetes.io and node.cluster.x-k8s.io labels to the nodes by default, so pods would find no node',
          `${address} (${name})`,
        );
      const annotations = one(one(md.metadata)?.annotations) ?? {};
      if ('cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size' in annotations)
        need(
          'cluster-autoscaler with --cloud-provider=clusterapi',
          'node pools autoscale between the min/max annotations of their MachineDeployments',
          `${address} (${name})`,
        );
    }
  }
  return sorted(found);
}

function sorted(found: Map<string, { why: string; by: Set<string> }>): ClusterRequirement[] {
  return [...found.entries()]
    .map(([requirement, { why, by }]) => ({ requirement, why, by: [...by].sort(cmp) }))
    .sort((a, b) => cmp(a.requirement, b.requirement));
}
