/**
 * A workload cluster declared on a Cluster API management cluster: one `Cluster`
 * (cluster.x-k8s.io/v1beta2) with a ClusterClass topology — control plane size, Kubernetes
 * version, pod and service ranges — and one MachineDeployment topology entry per node pool,
 * carrying the pool's labels, taints, failure domain, machine flavor and autoscaler bounds.
 *
 * The ClusterClass is the toolkit's own, written beside the Cluster: a KubeadmControlPlaneTemplate
 * and one KubeadmConfigTemplate per pool, both with the jurisdiction's NTP servers (kubeadm
 * `ntp.servers`, cloud-init's `ntp` module), and the infrastructure provider's cluster and machine
 * templates. Each pool is a MachineDeployment class of its own, so a pool's machine (flavor,
 * image, host selector) is a concrete template the policy gate reads, not a variable patched in
 * at reconcile time. The infrastructure (OpenStack through CAPO, bare metal through Metal3)
 * stays behind `IClusterInfrastructure`.
 *
 * Teardown order inside the stack is encoded as Terraform dependencies: the Cluster depends on
 * the ClusterClass, the ClusterClass on every template. `terraform destroy` therefore deletes the
 * Cluster first and waits until it is gone (Cluster API drains and deletes the worker machines,
 * then the control plane, then the infrastructure: `reconcileDelete` in
 * core/reconcilers/cluster/cluster_controller.go at v1.14.0, internal/controllers/cluster/ at
 * v1.13.5), and only then the class and the templates the machines were made from.
 *
 * Which Cluster API release the management cluster runs is the infrastructure provider's: the
 * newest release its own compatibility table names (`IClusterInfrastructure.clusterApi`,
 * core/cluster-api-releases.ts), recorded as `clusterApiRelease`. The objects are the same for
 * v1.13 and v1.14 (both serve and store v1beta2) and are validated in the tests against the CRDs
 * of the release each provider pairs with.
 *
 * @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_clusters.yaml
 * @see https://github.com/kubernetes-sigs/cluster-api/blob/v1.13.5/config/crd/bases/cluster.x-k8s.io_clusters.yaml
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import {
  CLUSTER_API_RELEASES,
  clusterApiReleaseFor,
  kubernetesVersionProblem,
  describeClusterApiRange,
  type ClusterApiRange,
  type ClusterApiRelease,
} from '../core/cluster-api-releases';
import { throwIfProblems, type Problem } from '../core/errors';
import { JURISDICTION_LABEL, MANAGED_BY } from '../core/labels';
import { checkCidr, checkDnsLabel, checkIntRange, problems } from './private/validate';

/** cluster.x-k8s.io API version the Cluster is written in (served and stored by Cluster API v1.13 and v1.14). */
export const CLUSTER_API_VERSION = 'cluster.x-k8s.io/v1beta2';

/**
 * Cluster API releases the objects are written for and validated against (test fixtures), newest
 * first; a Cluster takes the newest its infrastructure provider is documented for.
 */
export { CLUSTER_API_RELEASES, type ClusterApiRange, type ClusterApiRelease };

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

/** API versions of the kubeadm bootstrap and control-plane templates (stored by Cluster API v1.13 and v1.14). */
export const BOOTSTRAP_API_VERSION = 'bootstrap.cluster.x-k8s.io/v1beta2';
export const CONTROL_PLANE_API_VERSION = 'controlplane.cluster.x-k8s.io/v1beta2';

/**
 * Feature gate the management cluster's Cluster API controllers need for the taints of a
 * MachineDeployment topology (`spec.topology.workers.machineDeployments[].taints`, alpha since
 * v1.12, refused by the webhook while off): feature/feature.go, v1.13.5 and v1.14.0.
 */
export const MACHINE_TAINT_FEATURE_GATE = 'MachineTaintPropagation';
/** Physical GPUs in each machine of a pool, recorded on its MachineDeployment. */
export const ANNOTATION_GPUS_PER_MACHINE = 'sovereign-stack.io/gpus-per-machine';
/** GPU product of a pool's machines. */
export const ANNOTATION_GPU_PRODUCT = 'sovereign-stack.io/gpu-product';

/** What a pool's machines are made of, in provider-neutral words; each provider reads its own fields. */
export interface MachineShape {
  /** OpenStack flavor of each machine. */
  readonly flavor?: string;
  /** OpenStack: Glance image name, when the pool's differs from the cluster's. @default the infrastructure's image */
  readonly image?: string;
  /** Metal3: labels of the BareMetalHosts the machines are placed on (GPU hosts by their labels). */
  readonly hostSelector?: Readonly<Record<string, string>>;
  /** Metal3: the disk image written to the host, when the pool's differs from the cluster's. */
  readonly diskImage?: DiskImage;
}

/** A disk image a bare-metal host is provisioned with: an in-jurisdiction URL and its checksum. */
export interface DiskImage {
  readonly url: string;
  /** Hex digest of the image file. */
  readonly checksum: string;
  readonly checksumType: 'sha256' | 'sha512';
  /** @default 'raw' */
  readonly format?: 'raw' | 'qcow2';
}

/** An infrastructure template as the ClusterClass references it: `spec.template.spec` of its kind. */
export interface InfrastructureTemplate {
  readonly apiVersion: string;
  readonly kind: string;
  readonly spec: Record<string, unknown>;
}

/** A kubeadm `{name, value}` argument (v1beta2 spells extra arguments as a list). */
export interface KubeadmArg {
  readonly name: string;
  readonly value: string;
}

/**
 * An infrastructure provider behind the toolkit's ClusterClass: the cluster template, a machine
 * template per machine shape, and what kubeadm must tell the kubelet on its machines.
 * Implemented by `OpenStackInfrastructure` and `Metal3Infrastructure`.
 */
export interface IClusterInfrastructure {
  /** Provider name as clusterctl knows it (`openstack`, `metal3`). */
  readonly provider: string;
  /**
   * The Cluster API minors the provider's release is documented for (its compatibility table at
   * the release's tag): the Cluster is written for the newest Cluster API release in it, and
   * refused when the toolkit writes for none.
   */
  readonly clusterApi: ClusterApiRange;
  /** Cluster template (`OpenStackClusterTemplate`, `Metal3ClusterTemplate`). */
  clusterTemplate(controlPlane: ControlPlaneTopology): InfrastructureTemplate;
  /** Machine template of the control plane (`role: 'control-plane'`) or of one pool. */
  machineTemplate(
    machine: MachineShape,
    role: 'control-plane' | 'worker',
    kubernetesVersion: string,
  ): InfrastructureTemplate;
  /** What is wrong with a machine shape for this provider (a missing flavor or host selector). */
  machineProblems(path: string, machine: MachineShape): Problem[];
  /** kubelet arguments on every node (cloud provider, provider ID, node labels). */
  readonly kubeletExtraArgs: readonly KubeadmArg[];
  /** Node name kubeadm registers, when the provider needs one (cloud-init template). */
  readonly nodeName?: string;
  /** controller-manager arguments of the control plane. */
  readonly controllerManagerExtraArgs: readonly KubeadmArg[];
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
  /** The control-plane machines (OpenStack flavor, Metal3 host selector). */
  readonly machine: MachineShape;
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
  /** Name of the ClusterClass written beside the Cluster, in its namespace. @default the Cluster's name */
  readonly clusterClassName?: string;
  /**
   * NTP servers of every node (host names or IP addresses inside the jurisdiction), written to the
   * kubeadm `ntp` of the control plane and of every pool. At least one.
   */
  readonly ntpServers: readonly string[];
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
  /**
   * How long Terraform waits on destroy until the Cluster is gone (its machines drained and
   * deleted) before it deletes the ClusterClass and templates.
   * @default 60
   */
  readonly deleteTimeoutMinutes?: number;
}

/** One object of the ClusterClass as written (template or class), with its Terraform resource. */
export interface ClusterClassObject {
  readonly object: Record<string, unknown>;
  readonly resource: Manifest;
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
}

/**
 * The Cluster object (a `kubernetes_manifest` applied to the management cluster) and the
 * toolkit's ClusterClass with its templates. Terraform waits until Cluster API reports the
 * Cluster Available; on destroy it deletes the Cluster first and waits until it is gone.
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
  /** The ClusterClass as written. */
  public readonly clusterClass: ClusterClassObject;
  /** Every template the ClusterClass references (infrastructure, control plane, each pool's bootstrap and machine). */
  public readonly templates: readonly ClusterClassObject[];
  /**
   * The Cluster API release the management cluster runs for this Cluster: the newest the
   * infrastructure provider is documented for (Metal3: v1.13.5, OpenStack: v1.14.0).
   */
  public readonly clusterApiRelease: ClusterApiRelease;

  constructor(scope: Construct, id: string, props: ClusterApiClusterProps) {
    super(scope, id);
    throwIfProblems(`ClusterApiCluster ${id}`, validate(props));
    // validate refused a provider documented for no release of CLUSTER_API_RELEASES.
    this.clusterApiRelease = clusterApiReleaseFor(props.infrastructure.clusterApi)!;
    this.clusterName = props.name;
    this.namespace = props.namespace;
    // util/secret/consts.go (KubeconfigDataName "value") and util/kubeconfig (context
    // "<cluster>-admin@<cluster>"), cluster-api v1.13.5 and v1.14.0.
    this.kubeconfigSecretName = `${props.name}-kubeconfig`;
    this.kubeconfigContext = `${props.name}-admin@${props.name}`;
    const infra = props.infrastructure;
    const labels = {
      'app.kubernetes.io/managed-by': MANAGED_BY,
      [JURISDICTION_LABEL]: props.jurisdiction,
    };
    const className = props.clusterClassName ?? props.name;

    // Templates: named after their content, so a change writes a new template (Cluster API and
    // CAPO treat templates as immutable) and the ClusterClass moves to it; the old one is deleted
    // after the class no longer names it (create_before_destroy).
    const templates: ClusterClassObject[] = [];
    const template = (
      tid: string,
      role: string,
      t: { apiVersion: string; kind: string; spec: Record<string, unknown> },
    ): { apiVersion: string; kind: string; name: string } => {
      const name = `${className}-${role}-${digest(t)}`;
      const object = {
        apiVersion: t.apiVersion,
        kind: t.kind,
        metadata: { name, namespace: props.namespace, labels },
        spec: { template: { spec: t.spec } },
      };
      const resource = new Manifest(this, tid, {
        manifest: object,
        lifecycle: { createBeforeDestroy: true },
      });
      templates.push({ object, resource });
      return { apiVersion: t.apiVersion, kind: t.kind, name };
    };
    const ntp = { servers: [...props.ntpServers], enabled: true };
    const nodeRegistration = {
      ...(infra.nodeName !== undefined ? { name: infra.nodeName } : {}),
      ...(infra.kubeletExtraArgs.length > 0
        ? { kubeletExtraArgs: infra.kubeletExtraArgs.map((a) => ({ ...a })) }
        : {}),
    };

    const cp = props.controlPlane;
    const infraClusterRef = template('infrastructure-cluster', 'cluster', infra.clusterTemplate(cp));
    const cpMachineRef = template(
      'control-plane-machine',
      'control-plane',
      infra.machineTemplate(cp.machine, 'control-plane', props.kubernetesVersion),
    );
    const cpRef = template('control-plane', 'kubeadm', {
      apiVersion: CONTROL_PLANE_API_VERSION,
      kind: 'KubeadmControlPlaneTemplate',
      spec: {
        kubeadmConfigSpec: {
          ...(infra.controllerManagerExtraArgs.length > 0
            ? {
                clusterConfiguration: {
                  controllerManager: { extraArgs: infra.controllerManagerExtraArgs.map((a) => ({ ...a })) },
                },
              }
            : {}),
          initConfiguration: { nodeRegistration },
          joinConfiguration: { nodeRegistration },
          ntp,
        },
      },
    });
    const workerClasses = props.pools.map((p) => ({
      class: p.name,
      bootstrap: {
        templateRef: template(`worker-bootstrap-${p.name}`, `${p.name}-kubeadm`, {
          apiVersion: BOOTSTRAP_API_VERSION,
          kind: 'KubeadmConfigTemplate',
          spec: { joinConfiguration: { nodeRegistration }, ntp },
        }),
      },
      infrastructure: {
        templateRef: template(
          `worker-machine-${p.name}`,
          p.name,
          infra.machineTemplate(p.machine, 'worker', props.kubernetesVersion),
        ),
      },
    }));
    this.templates = templates;

    const classObject = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'ClusterClass',
      metadata: { name: className, namespace: props.namespace, labels },
      spec: {
        controlPlane: { templateRef: cpRef, machineInfrastructure: { templateRef: cpMachineRef } },
        infrastructure: { templateRef: infraClusterRef },
        ...(workerClasses.length > 0 ? { workers: { machineDeployments: workerClasses } } : {}),
      },
    };
    this.clusterClass = {
      object: classObject,
      // The class names its templates by string: the dependency keeps them until it is gone.
      resource: new Manifest(this, 'cluster-class', {
        manifest: classObject,
        dependsOn: templates.map((t) => t.resource),
      }),
    };

    this.machineDeployments = props.pools.map((p) => machineDeployment(p));

    this.object = {
      apiVersion: CLUSTER_API_VERSION,
      kind: 'Cluster',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        annotations: sortKeys({ ...infra.annotations }),
      },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [...props.network.podCidrs] },
          services: { cidrBlocks: [...props.network.serviceCidrs] },
        },
        topology: {
          classRef: { name: className },
          version: props.kubernetesVersion,
          controlPlane: { replicas: cp.replicas },
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
      timeouts: {
        create: `${props.createTimeoutMinutes ?? 60}m`,
        delete: `${props.deleteTimeoutMinutes ?? 60}m`,
      },
      // Destroyed before the class and its templates: the provider waits until the object is gone
      // (its finalizer lifted once every machine is deleted), up to the delete timeout (default
      // 10m, too short for a drained GPU pool): hashicorp/terraform-provider-kubernetes v2.38.0,
      // manifest/provider/apply.go.
      dependsOn: [this.clusterClass.resource],
    });
  }
}

/** First 10 hex digits of the SHA-256 of a template's JSON (deterministic: objects are built in a fixed order). */
function digest(t: unknown): string {
  return createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 10);
}

function machineDeployment(p: ClusterApiPool): MachineDeploymentTopology {
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
  return {
    class: p.name,
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
  };
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const KUBERNETES_VERSION = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
// A DNS name or dotted IPv4 address, as chrony/ntpd take a `server` line: no scheme, port or path.
const NTP_HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function validate(p: ClusterApiClusterProps): Problem[] {
  const out = problems(
    checkDnsLabel('name', p.name),
    checkDnsLabel('namespace', p.namespace),
    checkDnsLabel('jurisdiction', p.jurisdiction),
    p.clusterClassName === undefined ? undefined : checkDnsLabel('clusterClassName', p.clusterClassName),
    checkIntRange('controlPlane.replicas', p.controlPlane.replicas, 1, 7),
  );
  const range = p.infrastructure.clusterApi;
  if (clusterApiReleaseFor(range) === undefined)
    out.push({
      path: 'infrastructure.clusterApi',
      message: `provider "${p.infrastructure.provider}" is documented for Cluster API ${describeClusterApiRange(range)}; the objects are written for Cluster API ${CLUSTER_API_RELEASES.map((r) => r.release).join(' or ')}: pin a provider release documented for one of them`,
    });
  if (!KUBERNETES_VERSION.test(p.kubernetesVersion))
    out.push({
      path: 'kubernetesVersion',
      message: `"${p.kubernetesVersion}" is not a Kubernetes version: write it as v<major>.<minor>.<patch>, e.g. v1.34.3`,
    });
  else {
    const why = kubernetesVersionProblem(p.kubernetesVersion, p.infrastructure.provider, range);
    if (why !== undefined) out.push({ path: 'kubernetesVersion', message: why });
  }
  // An even control plane tolerates no more failures than the odd one below it.
  if (p.controlPlane.replicas % 2 === 0)
    out.push({
      path: 'controlPlane.replicas',
      message: `${p.controlPlane.replicas} control-plane machines: use an odd number (1, 3, 5) so etcd keeps a quorum`,
    });
  if (p.network.podCidrs.length === 0) out.push({ path: 'network.podCidrs', message: 'give one pod range' });
  if (p.network.serviceCidrs.length === 0)
    out.push({ path: 'network.serviceCidrs', message: 'give one service range' });
  out.push(...p.infrastructure.machineProblems('controlPlane.machine', p.controlPlane.machine));
  if (p.ntpServers.length === 0)
    out.push({
      path: 'ntpServers',
      message: "give the jurisdiction's NTP servers: without them the nodes keep the image's time sources",
    });
  p.ntpServers.forEach((h, i) => {
    if (!NTP_HOST.test(h))
      out.push({ path: `ntpServers[${i}]`, message: `"${h}" is not a host name or IPv4 address` });
  });
  p.network.podCidrs.forEach((c, i) => out.push(...problems(checkCidr(`network.podCidrs[${i}]`, c))));
  p.network.serviceCidrs.forEach((c, i) => out.push(...problems(checkCidr(`network.serviceCidrs[${i}]`, c))));
  const seen = new Set<string>();
  p.pools.forEach((pool, i) => {
    const at = `pools[${i}]`;
    out.push(...problems(checkDnsLabel(`${at}.name`, pool.name)));
    if (seen.has(pool.name)) out.push({ path: `${at}.name`, message: `pool "${pool.name}" is named twice` });
    seen.add(pool.name);
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
    out.push(...p.infrastructure.machineProblems(`${at}.machine`, pool.machine));
    if (pool.gpu) out.push(...problems(checkIntRange(`${at}.gpu.perMachine`, pool.gpu.perMachine, 1, 16)));
  });
  return out;
}
