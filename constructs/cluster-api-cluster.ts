/**
 * A workload cluster declared on a Cluster API management cluster: one `Cluster`
 * (cluster.x-k8s.io/v1beta2) with a ClusterClass topology — control plane size, Kubernetes
 * version, pod and service ranges — and one MachineDeployment topology entry per node pool,
 * carrying the pool's labels, taints, failure domain, machine flavor and autoscaler bounds.
 *
 * The infrastructure (OpenStack through CAPO today) stays behind `IClusterInfrastructure`: it
 * turns machine flavors, images and networks into the variables of the ClusterClass it was
 * written for, so bare metal (Metal3) or another private cloud can follow without touching
 * this construct.
 *
 * @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_clusters.yaml
 */
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { throwIfProblems, type Problem } from '../core/errors';
import { JURISDICTION_LABEL, MANAGED_BY } from '../core/labels';
import { checkCidr, checkDnsLabel, checkIntRange, problems } from './private/validate';

/** cluster.x-k8s.io API version the Cluster is written in (served and stored by Cluster API v1.14). */
export const CLUSTER_API_VERSION = 'cluster.x-k8s.io/v1beta2';

/** Cluster API release whose CRDs the emitted objects are validated against (test fixtures). */
export const CLUSTER_API_RELEASE = 'v1.14.0';

/**
 * cluster-autoscaler (clusterapi provider) reads its node-group bounds from these annotations on a
 * MachineDeployment. @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.14.0/api/core/v1beta2/common_types.go
 */
export const AUTOSCALER_MIN_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX_SIZE = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';

/**
 * What a node of the group offers, so the autoscaler can scale a group up from zero nodes.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/clusterapi/README.md
 */
export const AUTOSCALER_GPU_TYPE = 'capacity.cluster-autoscaler.kubernetes.io/gpu-type';
export const AUTOSCALER_GPU_COUNT = 'capacity.cluster-autoscaler.kubernetes.io/gpu-count';
export const AUTOSCALER_LABELS = 'capacity.cluster-autoscaler.kubernetes.io/labels';
export const AUTOSCALER_TAINTS = 'capacity.cluster-autoscaler.kubernetes.io/taints';

/** Where the ClusterClass was installed from; recorded on the Cluster so the policy gate judges it. */
export const ANNOTATION_CLUSTER_CLASS_SOURCE = 'sovereign-stack.io/cluster-class-source';
/** Physical GPUs in each machine of a pool, recorded on its MachineDeployment. */
export const ANNOTATION_GPUS_PER_MACHINE = 'sovereign-stack.io/gpus-per-machine';
/** GPU product of a pool's machines. */
export const ANNOTATION_GPU_PRODUCT = 'sovereign-stack.io/gpu-product';

/** A ClusterClass variable value (`spec.topology.variables[]`, `…variables.overrides[]`). */
export interface TopologyVariable {
  readonly name: string;
  readonly value: unknown;
}

/** What a pool's machines are made of, in provider-neutral words. */
export interface MachineShape {
  /** Flavor (OpenStack), host class (Metal3) or instance type of each machine. */
  readonly flavor: string;
  /** Machine image, when the pool's differs from the cluster's. @default the infrastructure's image */
  readonly image?: string;
}

/**
 * An infrastructure provider behind a ClusterClass: the variables its ClusterClass takes for the
 * cluster and for each MachineDeployment class. Implemented by `OpenStackInfrastructure`.
 */
export interface IClusterInfrastructure {
  /** Provider name as clusterctl knows it (`openstack`, `metal3`). */
  readonly provider: string;
  /** The MachineDeployment class of the ClusterClass that worker pools use. */
  readonly workerClass: string;
  /** Variables for the whole cluster (identity, network, DNS, control-plane machines, image). */
  clusterVariables(controlPlane: ControlPlaneTopology): readonly TopologyVariable[];
  /** Per-pool overrides of the worker class's variables (flavor, image). */
  workerVariables(machine: MachineShape): readonly TopologyVariable[];
  /**
   * Endpoints and references the provider talks to, recorded as annotations on the Cluster so the
   * policy gate (which reads the synthesized JSON) judges them: no credential, only references.
   */
  readonly annotations: Readonly<Record<string, string>>;
}

/** A node taint as Kubernetes spells it. */
export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface ControlPlaneTopology {
  /** Control-plane machines: 1 for a lab, 3 or 5 for an etcd quorum that survives a loss. */
  readonly replicas: number;
  /** Flavor of the control-plane machines. */
  readonly flavor: string;
  /** Failure domains (availability zones) the control plane spreads over. @default the provider's */
  readonly failureDomains?: readonly string[];
}

/** One node pool as a MachineDeployment of the topology. */
export interface ClusterApiPool {
  /** Pool name (a DNS label): the MachineDeployment topology name. */
  readonly name: string;
  readonly machine: MachineShape;
  /** Fixed machine count; leave out when `autoscaling` is given (the autoscaler owns it). */
  readonly replicas?: number;
  /** cluster-autoscaler bounds (node-group min and max size). */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number };
  /** Failure domain (availability zone) of the machines. @default the provider's choice */
  readonly failureDomain?: string;
  /** Labels every node of the pool carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints every node of the pool carries. */
  readonly taints: readonly NodeTaint[];
  /** GPUs of each machine; leave out for a CPU pool. */
  readonly gpu?: {
    readonly product: string;
    readonly perMachine: number;
    /** Extended resource the device plugin advertises. @default 'nvidia.com/gpu' */
    readonly resourceName?: string;
    /**
     * Units of `resourceName` each machine advertises (time-slicing replicas, MIG instances), which
     * the autoscaler matches pending pods against. @default perMachine
     */
    readonly resourcesPerMachine?: number;
  };
}

export interface ClusterApiClusterProps {
  /** Cluster name on the management cluster (a DNS label); its kubeconfig Secret is `<name>-kubeconfig`. */
  readonly name: string;
  /** Namespace of the Cluster on the management cluster; the infrastructure credentials Secret lives there. */
  readonly namespace: string;
  readonly jurisdiction: string;
  /** Kubernetes version of every machine (`v1.34.3`). */
  readonly kubernetesVersion: string;
  readonly clusterClass: {
    readonly name: string;
    /** @default the Cluster's namespace */
    readonly namespace?: string;
    /** Where the ClusterClass (a cluster stack) was installed from: an in-jurisdiction OCI or HTTPS URL. */
    readonly source: string;
  };
  readonly controlPlane: ControlPlaneTopology;
  readonly network: {
    readonly podCidrs: readonly string[];
    readonly serviceCidrs: readonly string[];
  };
  readonly infrastructure: IClusterInfrastructure;
  readonly pools: readonly ClusterApiPool[];
  /**
   * How long Terraform waits for the Cluster to become Available on create.
   * @default 60
   */
  readonly createTimeoutMinutes?: number;
}

/** A `spec.topology.workers.machineDeployments[]` entry as written. */
export interface MachineDeploymentTopology {
  readonly class: string;
  readonly name: string;
  readonly replicas?: number;
  readonly failureDomain?: string;
  readonly metadata: {
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
  };
  readonly taints?: readonly (NodeTaint & { readonly propagation: 'Always' | 'OnInitialization' })[];
  readonly variables?: { readonly overrides: readonly TopologyVariable[] };
}

/**
 * The Cluster object (a `kubernetes_manifest` applied to the management cluster). Terraform
 * waits until Cluster API reports it Available; deleting it makes Cluster API drain and delete
 * the worker machines first, then the control plane, then the infrastructure
 * (core/reconcilers/cluster/cluster_controller.go, reconcileDelete, v1.14.0).
 */
export class ClusterApiCluster extends Construct {
  public readonly clusterName: string;
  public readonly namespace: string;
  /** The Secret Cluster API writes the admin kubeconfig to (key `value`), in `namespace`. */
  public readonly kubeconfigSecretName: string;
  /** The context name inside that kubeconfig. */
  public readonly kubeconfigContext: string;
  /** The topology entries as written, in pool order. */
  public readonly machineDeployments: readonly MachineDeploymentTopology[];
  /** The whole Cluster object as written. */
  public readonly object: Record<string, unknown>;
  public readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: ClusterApiClusterProps) {
    super(scope, id);
    throwIfProblems(`ClusterApiCluster ${id}`, validate(props));
    this.clusterName = props.name;
    this.namespace = props.namespace;
    // util/secret/consts.go (KubeconfigDataName "value") and util/kubeconfig (context
    // "<cluster>-admin@<cluster>"), cluster-api v1.14.0.
    this.kubeconfigSecretName = `${props.name}-kubeconfig`;
    this.kubeconfigContext = `${props.name}-admin@${props.name}`;
    const infra = props.infrastructure;

    this.machineDeployments = props.pools.map((p) => machineDeployment(p, infra));

    const cp = props.controlPlane;
    this.object = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'Cluster',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: {
          'app.kubernetes.io/managed-by': MANAGED_BY,
          [JURISDICTION_LABEL]: props.jurisdiction,
        },
        annotations: sortKeys({
          [ANNOTATION_CLUSTER_CLASS_SOURCE]: props.clusterClass.source,
          ...infra.annotations,
        }),
      },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [...props.network.podCidrs] },
          services: { cidrBlocks: [...props.network.serviceCidrs] },
        },
        topology: {
          classRef: {
            name: props.clusterClass.name,
            ...(props.clusterClass.namespace ? { namespace: props.clusterClass.namespace } : {}),
          },
          version: props.kubernetesVersion,
          controlPlane: { replicas: cp.replicas },
          variables: infra.clusterVariables(cp).map((v) => ({ name: v.name, value: v.value })),
          ...(this.machineDeployments.length > 0
            ? { workers: { machineDeployments: this.machineDeployments } }
            : {}),
        },
      },
    };

    this.resource = new Manifest(this, 'cluster', {
      manifest: this.object,
      // Cluster API v1beta2 condition `Available`: control plane and workers up.
      wait: { condition: [{ type: 'Available', status: 'True' }] },
      timeouts: { create: `${props.createTimeoutMinutes ?? 60}m` },
    });
  }
}

function machineDeployment(p: ClusterApiPool, infra: IClusterInfrastructure): MachineDeploymentTopology {
  const annotations: Record<string, string> = {};
  if (p.autoscaling) {
    annotations[AUTOSCALER_MIN_SIZE] = String(p.autoscaling.minReplicas);
    annotations[AUTOSCALER_MAX_SIZE] = String(p.autoscaling.maxReplicas);
    // What a new node would offer, for scaling up from zero nodes.
    annotations[AUTOSCALER_LABELS] = Object.entries(sortKeys(p.labels))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (p.taints.length > 0)
      annotations[AUTOSCALER_TAINTS] = p.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join(',');
  }
  if (p.gpu) {
    annotations[ANNOTATION_GPU_PRODUCT] = p.gpu.product;
    annotations[ANNOTATION_GPUS_PER_MACHINE] = String(p.gpu.perMachine);
    if (p.autoscaling) {
      annotations[AUTOSCALER_GPU_TYPE] = p.gpu.resourceName ?? 'nvidia.com/gpu';
      annotations[AUTOSCALER_GPU_COUNT] = String(p.gpu.resourcesPerMachine ?? p.gpu.perMachine);
    }
  }
  const overrides = infra.workerVariables(p.machine);
  return {
    class: infra.workerClass,
    name: p.name,
    // With the autoscaler, replicas stay unset so the topology never fights it; Cluster API then
    // starts the MachineDeployment at the min-size annotation.
    ...(p.autoscaling ? {} : { replicas: p.replicas }),
    ...(p.failureDomain ? { failureDomain: p.failureDomain } : {}),
    metadata: { labels: sortKeys(p.labels), annotations: sortKeys(annotations) },
    // `Always`: Cluster API keeps the taint on the node (MachineTaint, alpha in v1.12+, feature
    // gate MachineTaintPropagation on the management cluster).
    ...(p.taints.length > 0
      ? {
          taints: p.taints.map((t) => ({
            key: t.key,
            ...(t.value !== undefined ? { value: t.value } : {}),
            effect: t.effect,
            propagation: 'Always' as const,
          })),
        }
      : {}),
    ...(overrides.length > 0 ? { variables: { overrides: overrides.map((v) => ({ ...v })) } } : {}),
  };
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const KUBERNETES_VERSION = /^v[0-9]+\.[0-9]+\.[0-9]+$/;

function validate(p: ClusterApiClusterProps): Problem[] {
  const out = problems(
    checkDnsLabel('name', p.name),
    checkDnsLabel('namespace', p.namespace),
    checkDnsLabel('jurisdiction', p.jurisdiction),
    checkDnsLabel('clusterClass.name', p.clusterClass.name, 253),
    checkIntRange('controlPlane.replicas', p.controlPlane.replicas, 1, 7),
  );
  if (!KUBERNETES_VERSION.test(p.kubernetesVersion))
    out.push({
      path: 'kubernetesVersion',
      message: `"${p.kubernetesVersion}" is not a Kubernetes version: write it as v<major>.<minor>.<patch>, e.g. v1.34.3`,
    });
  // An even control plane tolerates no more failures than the odd one below it.
  if (p.controlPlane.replicas % 2 === 0)
    out.push({
      path: 'controlPlane.replicas',
      message: `${p.controlPlane.replicas} control-plane machines: use an odd number (1, 3, 5) so etcd keeps a quorum`,
    });
  if (p.network.podCidrs.length === 0) out.push({ path: 'network.podCidrs', message: 'give one pod range' });
  if (p.network.serviceCidrs.length === 0)
    out.push({ path: 'network.serviceCidrs', message: 'give one service range' });
  p.network.podCidrs.forEach((c, i) => out.push(...problems(checkCidr(`network.podCidrs[${i}]`, c))));
  p.network.serviceCidrs.forEach((c, i) => out.push(...problems(checkCidr(`network.serviceCidrs[${i}]`, c))));
  const seen = new Set<string>();
  p.pools.forEach((pool, i) => {
    const at = `pools[${i}]`;
    out.push(...problems(checkDnsLabel(`${at}.name`, pool.name)));
    if (seen.has(pool.name)) out.push({ path: `${at}.name`, message: `pool "${pool.name}" is named twice` });
    seen.add(pool.name);
    if (pool.machine.flavor === '') out.push({ path: `${at}.machine.flavor`, message: 'give a flavor' });
    if ((pool.replicas === undefined) === (pool.autoscaling === undefined))
      out.push({
        path: at,
        message: 'give exactly one of replicas (a fixed count) or autoscaling (min and max)',
      });
    if (pool.replicas !== undefined)
      out.push(...problems(checkIntRange(`${at}.replicas`, pool.replicas, 0, 1000)));
    if (pool.autoscaling) {
      const a = pool.autoscaling;
      out.push(...problems(checkIntRange(`${at}.autoscaling.minReplicas`, a.minReplicas, 0, 1000)));
      if (a.maxReplicas < Math.max(1, a.minReplicas))
        out.push({
          path: `${at}.autoscaling.maxReplicas`,
          message: `${a.maxReplicas} is below minReplicas (${a.minReplicas}) or 1`,
        });
    }
    if (pool.gpu) out.push(...problems(checkIntRange(`${at}.gpu.perMachine`, pool.gpu.perMachine, 1, 16)));
  });
  return out;
}
