/**
 * What the cluster a stack is applied to must run, read from the Cluster API objects the stack
 * writes: feature gates, controller flags, the infrastructure provider.
 */
import type { StackResult } from '../engine';
import { cmp, many, one, str } from '../json';
import type { ClusterRequirement } from './model';

/** Label domains Cluster API copies from a Machine to its Node without a flag (core/main.go, v1.14.0). */
const SYNCED_LABEL_DOMAINS =
  /^(node-role\.kubernetes\.io|node-restriction\.kubernetes\.io|node\.cluster\.x-k8s\.io)\//;
/** Infrastructure template kinds and the provider that serves them. */
const PROVIDER_OF_KIND: Readonly<Record<string, string>> = {
  OpenStackClusterTemplate:
    'Cluster API Provider OpenStack (CAPO) v0.14, infrastructure.cluster.x-k8s.io/v1beta1',
  OpenStackMachineTemplate:
    'Cluster API Provider OpenStack (CAPO) v0.14, infrastructure.cluster.x-k8s.io/v1beta1',
  Metal3ClusterTemplate:
    'Cluster API Provider Metal3 (CAPM3) v1.13 with Ironic and the Bare Metal Operator, infrastructure.cluster.x-k8s.io/v1beta2',
  Metal3MachineTemplate:
    'Cluster API Provider Metal3 (CAPM3) v1.13 with Ironic and the Bare Metal Operator, infrastructure.cluster.x-k8s.io/v1beta2',
};

/**
 * What the management cluster must run for the Cluster API objects of a stack: read from the
 * objects themselves (a taint in the topology needs MachineTaintPropagation), so the report says
 * it wherever the stack came from.
 */
export function clusterRequirements(r: StackResult): ClusterRequirement[] {
  const found = new Map<string, { why: string; by: Set<string> }>();
  const need = (requirement: string, why: string, address: string) => {
    const hit = found.get(requirement) ?? { why, by: new Set<string>() };
    hit.by.add(address);
    found.set(requirement, hit);
  };
  for (const res of r.stack.resources) {
    if (res.type !== 'kubernetes_manifest') continue;
    const m = one(one(res.body)?.manifest);
    const apiVersion = str(m?.apiVersion) ?? '';
    const kind = str(m?.kind) ?? '';
    if (!/^([a-z0-9-]+\.)*cluster\.x-k8s\.io\//.test(apiVersion)) continue;
    const provider = PROVIDER_OF_KIND[kind];
    if (provider)
      need(
        `infrastructure provider: ${provider}`,
        "serves the ClusterClass's infrastructure templates",
        res.address,
      );
    const topology = one(one(m?.spec)?.topology);
    if (kind !== 'Cluster' || !topology) continue;
    need(
      'Cluster API v1.14 feature gate ClusterTopology=true',
      'the Cluster is built from a ClusterClass topology (alpha gate, off by default: feature/feature.go)',
      res.address,
    );
    for (const md of many(one(topology.workers)?.machineDeployments)) {
      const name = str(md.name) ?? '?';
      if (many(md.taints).length > 0)
        need(
          'Cluster API v1.14 feature gate MachineTaintPropagation=true',
          'node pools carry taints in the topology (spec.topology.workers.machineDeployments[].taints, alpha since v1.12): the webhook refuses them while the gate is off, and GPU nodes would take any pod',
          `${res.address} (${name})`,
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
          `${res.address} (${name})`,
        );
      const annotations = one(one(md.metadata)?.annotations) ?? {};
      if ('cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size' in annotations)
        need(
          'cluster-autoscaler with --cloud-provider=clusterapi',
          'node pools autoscale between the min/max annotations of their MachineDeployments',
          `${res.address} (${name})`,
        );
    }
  }
  return [...found.entries()]
    .map(([requirement, { why, by }]) => ({ requirement, why, by: [...by].sort(cmp) }))
    .sort((a, b) => cmp(a.requirement, b.requirement));
}
