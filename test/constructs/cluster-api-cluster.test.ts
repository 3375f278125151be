import { Testing } from 'cdktf';
import {
  AUTOSCALER_GPU_COUNT,
  AUTOSCALER_MAX_SIZE,
  AUTOSCALER_MIN_SIZE,
  ClusterApiCluster,
  type ClusterApiClusterProps,
} from '../../constructs/cluster-api-cluster';
import { GpuNodePool, GPU_TAINT } from '../../constructs/gpu-node-pool';
import { OpenStackInfrastructure } from '../../constructs/infrastructure/openstack';
import { crdProblems } from '../support/crd-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLUSTER_CRD = 'cluster-api-v1.14.0/cluster.x-k8s.io_clusters.v1beta2.json';

const infra = () =>
  new OpenStackInfrastructure({
    authUrl: 'https://keystone.de.example:5000/v3',
    identity: { secretName: 'openstack-clouds', cloudName: 'de' },
    imageName: 'ubuntu-capi-image',
    dnsNameservers: ['10.60.255.2'],
  });

const BASE: ClusterApiClusterProps = {
  name: 'de',
  namespace: 'capi-de',
  jurisdiction: 'de',
  kubernetesVersion: 'v1.34.3',
  clusterClass: {
    name: 'openstack-scs2-1-34-v2',
    source: 'oci://registry.de.example/cluster-stacks/scs2:v2',
  },
  controlPlane: { replicas: 3, flavor: 'SCS-4V-16' },
  network: { podCidrs: ['10.60.64.0/18'], serviceCidrs: ['10.60.128.0/20'] },
  infrastructure: infra(),
  pools: [
    {
      name: 'h100',
      machine: { flavor: 'GPU-8xH100', image: 'ubuntu-capi-image-nvidia' },
      autoscaling: { minReplicas: 1, maxReplicas: 4 },
      failureDomain: 'az1',
      labels: { 'sovereign-stack.io/gpu-pool': 'h100' },
      taints: [{ ...GPU_TAINT }],
      gpu: { product: 'NVIDIA-H100-80GB-HBM3', perMachine: 8 },
    },
    {
      name: 'cpu',
      machine: { flavor: 'SCS-16V-64' },
      replicas: 3,
      labels: { 'example.org/class': 'cpu' },
      taints: [{ key: 'example.org/batch', effect: 'PreferNoSchedule' }],
    },
  ],
};

function build(props: Partial<ClusterApiClusterProps> = {}): { cluster: ClusterApiCluster; out: Json } {
  let cluster: ClusterApiCluster | undefined;
  const out = JSON.parse(
    Testing.synthScope((scope) => {
      cluster = new ClusterApiCluster(scope, 'cluster', { ...BASE, ...props });
    }),
  ) as Json;
  return { cluster: cluster as ClusterApiCluster, out };
}

function thrown(props: Partial<ClusterApiClusterProps>): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('ClusterApiCluster', () => {
  test('one kubernetes_manifest: the Cluster with its ClusterClass topology, waited on until Available', () => {
    const { out, cluster } = build();
    const manifests = Object.values<Json>(out.resource.kubernetes_manifest);
    expect(manifests).toHaveLength(1);
    expect(manifests[0].manifest).toEqual(cluster.object);
    expect(manifests[0].wait).toEqual({ condition: [{ type: 'Available', status: 'True' }] });
    expect(manifests[0].timeouts).toEqual({ create: '60m' });
    const spec = cluster.object.spec as Json;
    expect(spec.topology.classRef).toEqual({ name: 'openstack-scs2-1-34-v2' });
    expect(spec.topology.version).toBe('v1.34.3');
    expect(spec.topology.controlPlane).toEqual({ replicas: 3 });
    expect(spec.clusterNetwork).toEqual({
      pods: { cidrBlocks: ['10.60.64.0/18'] },
      services: { cidrBlocks: ['10.60.128.0/20'] },
    });
    expect(cluster.kubeconfigSecretName).toBe('de-kubeconfig');
    expect(cluster.kubeconfigContext).toBe('de-admin@de');
  });

  test('is valid against the Cluster CRD of Cluster API v1.14.0 (v1beta2)', () => {
    expect(crdProblems(CLUSTER_CRD, build().cluster.object)).toEqual([]);
  });

  test("a pool's labels, taints, GPU count and autoscaler bounds reach its MachineDeployment", () => {
    const [gpu, cpu] = build().cluster.machineDeployments;
    expect(gpu.name).toBe('h100');
    expect(gpu.class).toBe('default-worker');
    expect(gpu.failureDomain).toBe('az1');
    expect(gpu.metadata.labels).toEqual({ 'sovereign-stack.io/gpu-pool': 'h100' });
    expect(gpu.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule', propagation: 'Always' },
    ]);
    expect(gpu.metadata.annotations).toMatchObject({
      [AUTOSCALER_MIN_SIZE]: '1',
      [AUTOSCALER_MAX_SIZE]: '4',
      [AUTOSCALER_GPU_COUNT]: '8',
      'capacity.cluster-autoscaler.kubernetes.io/gpu-type': 'nvidia.com/gpu',
      'capacity.cluster-autoscaler.kubernetes.io/labels': 'sovereign-stack.io/gpu-pool=h100',
      'capacity.cluster-autoscaler.kubernetes.io/taints': 'nvidia.com/gpu=present:NoSchedule',
      'sovereign-stack.io/gpus-per-machine': '8',
    });
    // The autoscaler owns the count: the topology leaves replicas unset.
    expect(gpu).not.toHaveProperty('replicas');
    expect(gpu.variables?.overrides).toEqual([
      { name: 'workerFlavor', value: 'GPU-8xH100' },
      { name: 'imageName', value: 'ubuntu-capi-image-nvidia' },
    ]);

    expect(cpu.replicas).toBe(3);
    expect(cpu.metadata.annotations).toEqual({});
    expect(cpu.taints).toEqual([
      { key: 'example.org/batch', effect: 'PreferNoSchedule', propagation: 'Always' },
    ]);
  });

  test('a shared GPU pool tells the autoscaler the units each machine advertises, not the physical GPUs', () => {
    const shared = {
      ...BASE.pools[0],
      gpu: { product: 'NVIDIA-H100-80GB-HBM3', perMachine: 8, resourcesPerMachine: 32 },
    };
    const [md] = build({ pools: [shared] }).cluster.machineDeployments;
    expect(md.metadata.annotations[AUTOSCALER_GPU_COUNT]).toBe('32');
    expect(md.metadata.annotations['sovereign-stack.io/gpus-per-machine']).toBe('8');
  });

  test('GpuNodePool for provisioned machines: its labels, no per-node resources, the machine count', () => {
    let pool: GpuNodePool | undefined;
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        pool = new GpuNodePool(scope, 'pool', {
          jurisdiction: 'de',
          poolName: 'h100',
          nodes: [],
          machineCount: 4,
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          gpusPerNode: 8,
        });
      }),
    ) as Json;
    expect(out.resource).toBeUndefined();
    expect(pool!.nodeCount).toBe(4);
    expect(pool!.nodeLabels).toEqual({
      'sovereign-stack.io/gpu-pool': 'h100',
      'sovereign-stack.io/jurisdiction': 'de',
    });
  });

  test('fails when a GpuNodePool gets both existing nodes and a machine count', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new GpuNodePool(scope, 'pool', {
          jurisdiction: 'de',
          poolName: 'h100',
          nodes: ['gpu-01'],
          machineCount: 2,
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          gpusPerNode: 8,
        });
      }),
    ).toThrow(/nodes {2}give either existing nodes or a machineCount, not both/);
  });

  test('fails when a pool gives both or neither of replicas and autoscaling', () => {
    const both = { ...BASE.pools[1], replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 2 } };
    const neither = { ...BASE.pools[1], replicas: undefined };
    expect(thrown({ pools: [both] })).toContain(
      'pools[0]  give exactly one of replicas (a fixed count) or autoscaling (min and max)',
    );
    expect(thrown({ pools: [neither] })).toContain('pools[0]  give exactly one of replicas');
  });

  test('fails when the control plane is even, the version malformed or a range is not a CIDR', () => {
    const msg = thrown({
      controlPlane: { replicas: 2, flavor: 'x' },
      kubernetesVersion: '1.34',
      network: { podCidrs: ['10.0.0.0'], serviceCidrs: [] },
    });
    expect(msg).toContain('controlPlane.replicas  2 control-plane machines: use an odd number (1, 3, 5)');
    expect(msg).toContain('kubernetesVersion  "1.34" is not a Kubernetes version');
    expect(msg).toContain('network.podCidrs[0]  "10.0.0.0" is not a CIDR');
    expect(msg).toContain('network.serviceCidrs  give one service range');
  });

  test('fails when autoscaling bounds are reversed or two pools share a name', () => {
    const msg = thrown({
      pools: [
        { ...BASE.pools[0], autoscaling: { minReplicas: 3, maxReplicas: 2 } },
        { ...BASE.pools[1], name: 'h100' },
      ],
    });
    expect(msg).toContain('pools[0].autoscaling.maxReplicas  2 is below minReplicas (3)');
    expect(msg).toContain('pools[1].name  pool "h100" is named twice');
  });
});
