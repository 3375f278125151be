import { Testing } from 'cdktf';
import {
  AUTOSCALER_GPU_COUNT,
  AUTOSCALER_MAX_SIZE,
  AUTOSCALER_MIN_SIZE,
  ClusterApiCluster,
  type ClusterApiClusterProps,
  type ClusterApiRange,
} from '../../constructs/cluster-api-cluster';
import { GpuNodePool, GPU_TAINT } from '../../constructs/gpu-node-pool';
import { OpenStackInfrastructure } from '../../constructs/infrastructure/openstack';
import { Metal3Infrastructure } from '../../constructs/infrastructure/metal3';
import { crdFixtureFor, crdProblems, CLUSTER_CRD, CRD_OF_KIND } from '../support/crd-schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const infra = () =>
  new OpenStackInfrastructure({
    authUrl: 'https://keystone.de.example:5000/v3',
    identity: { secretName: 'openstack-clouds', cloudName: 'de' },
    imageName: 'ubuntu-capi-image',
    dnsNameservers: ['10.60.255.2'],
    nodeCidr: '10.60.0.0/20',
  });

const BASE: ClusterApiClusterProps = {
  name: 'de',
  namespace: 'capi-de',
  jurisdiction: 'de',
  kubernetesVersion: 'v1.34.3',
  ntpServers: ['ntp1.de.example', '10.60.255.4'],
  controlPlane: { replicas: 3, machine: { flavor: 'SCS-4V-16' } },
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

const SHA = 'a'.repeat(64);
const metal3 = () =>
  new Metal3Infrastructure({
    controlPlaneEndpoint: { host: '10.60.0.10' },
    image: { url: 'https://images.de.example/ubuntu-2404-k8s.raw', checksum: SHA, checksumType: 'sha256' },
    hostsNamespace: 'capi-de',
  });
const METAL3: Partial<ClusterApiClusterProps> = {
  infrastructure: metal3(),
  controlPlane: { replicas: 3, machine: { hostSelector: { 'example.org/role': 'control-plane' } } },
  pools: [
    {
      ...BASE.pools[0],
      machine: {
        hostSelector: { 'example.org/gpu': 'h100', 'example.org/rack': 'r7' },
        diskImage: {
          url: 'https://images.de.example/ubuntu-2404-k8s-nvidia.raw',
          checksum: 'b'.repeat(128),
          checksumType: 'sha512',
        },
      },
    },
    { ...BASE.pools[1], machine: { hostSelector: { 'example.org/class': 'cpu' } } },
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
  test('the Cluster, waited on until Available, after its own ClusterClass and templates', () => {
    const { out, cluster } = build();
    const manifests = out.resource.kubernetes_manifest as Record<string, Json>;
    // Cluster, ClusterClass, infrastructure cluster template, control plane and its machines,
    // and a bootstrap and machine template per pool.
    expect(Object.keys(manifests)).toHaveLength(3 + 2 + 2 * 2);
    const [clusterKey, clusterRes] = Object.entries(manifests).find(
      ([, m]) => m.manifest.kind === 'Cluster',
    )!;
    const [classKey, classRes] = Object.entries(manifests).find(
      ([, m]) => m.manifest.kind === 'ClusterClass',
    )!;
    expect(clusterRes.manifest).toEqual(cluster.object);
    expect(clusterRes.wait).toEqual({ condition: [{ type: 'Available', status: 'True' }] });
    expect(clusterRes.timeouts).toEqual({ create: '60m', delete: '60m' });
    // Teardown order: the Cluster goes first (its machines drained), then the class, then templates.
    expect(clusterRes.depends_on).toEqual([`kubernetes_manifest.${classKey}`]);
    const templateKeys = Object.keys(manifests).filter((k) => k !== clusterKey && k !== classKey);
    expect([...classRes.depends_on].sort()).toEqual(
      templateKeys.map((k) => `kubernetes_manifest.${k}`).sort(),
    );
    for (const k of templateKeys) expect(manifests[k].lifecycle).toEqual({ create_before_destroy: true });
    const spec = cluster.object.spec as Json;
    expect(spec.topology.classRef).toEqual({ name: 'de' });
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
    expect(gpu.class).toBe('h100');
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
    // The pool's machine: its own class, with the flavor and image in its machine template.
    const cls = build().cluster.clusterClass.object.spec as Json;
    const ref = cls.workers.machineDeployments.find((w: Json) => w.class === 'h100').infrastructure
      .templateRef;
    const tmpl = build().cluster.templates.find((t) => (t.object.metadata as Json).name === ref.name)!;
    expect((tmpl.object.spec as Json).template.spec).toEqual({
      flavor: 'GPU-8xH100',
      image: { filter: { name: 'ubuntu-capi-image-nvidia-v1.34.3' } },
    });

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
      controlPlane: { replicas: 2, machine: { flavor: 'x' } },
      kubernetesVersion: '1.34',
      network: { podCidrs: ['10.0.0.0'], serviceCidrs: [] },
    });
    expect(msg).toContain('controlPlane.replicas  2 control-plane machines: use an odd number (1, 3, 5)');
    expect(msg).toContain('kubernetesVersion  "1.34" is not a Kubernetes version');
    expect(msg).toContain('network.podCidrs[0]  "10.0.0.0" is not a CIDR');
    expect(msg).toContain('network.serviceCidrs  give one service range');
  });

  test('fails when the Kubernetes version is outside what the paired Cluster API release builds', () => {
    expect(thrown({ kubernetesVersion: 'v1.30.2' })).toContain(
      'kubernetesVersion  v1.30.2 is outside what Cluster API v1.14.0 supports for workload clusters: v1.31 to v1.36',
    );
    expect(thrown({ ...METAL3, kubernetesVersion: 'v1.37.0' })).toContain(
      'kubernetesVersion  v1.37.0 is outside what Cluster API v1.13.5 supports for workload clusters: v1.30 to v1.36',
    );
    expect(build({ ...METAL3, kubernetesVersion: 'v1.30.2' }).cluster.clusterApiRelease.release).toBe(
      'v1.13.5',
    );
  });

  test("the Cluster API release is the infrastructure provider's: v1.13.5 for CAPM3 v1.13 (documented for v1.13 only), v1.14.0 for CAPO v0.14 (v1.12 and later)", () => {
    const m3 = build(METAL3).cluster;
    expect(m3.clusterApiRelease).toEqual({
      release: 'v1.13.5',
      minor: 'v1.13',
      commit: '30be34da2ba56735e128c280370df3135d048015',
      kubernetes: { workload: { from: 'v1.30', to: 'v1.36' }, management: { from: 'v1.32', to: 'v1.36' } },
    });
    expect(metal3().clusterApi).toMatchObject({ from: 'v1.13', to: 'v1.13', builtAgainst: 'v1.13.4' });
    const os = build().cluster;
    expect(os.clusterApiRelease.release).toBe('v1.14.0');
    expect(infra().clusterApi).toMatchObject({ from: 'v1.12', builtAgainst: 'v1.12.10' });
    expect(infra().clusterApi.to).toBeUndefined();
  });

  test('fails when the infrastructure provider is documented for no Cluster API release the objects are written for', () => {
    const documentedFor = (clusterApi: ClusterApiRange) =>
      new (class extends OpenStackInfrastructure {
        public override readonly clusterApi = clusterApi;
      })({
        authUrl: 'https://keystone.de.example:5000/v3',
        identity: { secretName: 'openstack-clouds', cloudName: 'de' },
        imageName: 'ubuntu-capi-image',
        dnsNameservers: ['10.60.255.2'],
        nodeCidr: '10.60.0.0/20',
      });
    const old = documentedFor({ from: 'v1.10', to: 'v1.11', documented: 'x', builtAgainst: 'v1.11.3' });
    expect(thrown({ infrastructure: old })).toContain(
      'infrastructure.clusterApi  provider "openstack" is documented for Cluster API v1.10 to v1.11; the objects are written for Cluster API v1.14.0 or v1.13.5: pin a provider release documented for one of them',
    );
    // A newer provider documented for a minor the toolkit has not validated its objects against.
    const next = documentedFor({ from: 'v1.15', documented: 'x', builtAgainst: 'v1.15.0' });
    expect(thrown({ infrastructure: next })).toContain(
      'infrastructure.clusterApi  provider "openstack" is documented for Cluster API v1.15 and later',
    );
    // A range the toolkit cannot read is refused too, not matched loosely.
    const odd = documentedFor({ from: '1.13', documented: 'x', builtAgainst: 'v1.13.4' });
    expect(thrown({ infrastructure: odd })).toContain(
      'infrastructure.clusterApi  provider "openstack" is documented for Cluster API 1.13 and later',
    );
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

  for (const [provider, props, release] of [
    ['OpenStack', {}, 'v1.14.0'],
    ['Metal3', METAL3, 'v1.13.5'],
  ] as const) {
    test(`${provider}: every object is valid against the CRDs of the Cluster API release its provider pairs with (${release})`, () => {
      const { out, cluster } = build(props);
      expect(cluster.clusterApiRelease.release).toBe(release);
      const kinds: string[] = [];
      for (const m of Object.values<Json>(out.resource.kubernetes_manifest)) {
        kinds.push(m.manifest.kind);
        expect(CRD_OF_KIND[m.manifest.kind]).toBeDefined();
        const fixture = crdFixtureFor(m.manifest.kind, cluster.clusterApiRelease.release);
        expect([m.manifest.kind, crdProblems(fixture, m.manifest)]).toEqual([m.manifest.kind, []]);
      }
      expect(new Set(kinds).size).toBe(6);
    });

    test(`${provider}: the NTP servers reach the control plane and every pool's kubeadm config`, () => {
      const { cluster } = build(props);
      const ntp = { servers: ['ntp1.de.example', '10.60.255.4'], enabled: true };
      const cp = cluster.templates.find((t) => t.object.kind === 'KubeadmControlPlaneTemplate')!;
      expect((cp.object.spec as Json).template.spec.kubeadmConfigSpec.ntp).toEqual(ntp);
      const workers = cluster.templates.filter((t) => t.object.kind === 'KubeadmConfigTemplate');
      expect(workers).toHaveLength(2);
      for (const w of workers) expect((w.object.spec as Json).template.spec.ntp).toEqual(ntp);
      // Every pool's class takes its bootstrap from one of them.
      const names = new Set(workers.map((w) => (w.object.metadata as Json).name));
      for (const md of (cluster.clusterClass.object.spec as Json).workers.machineDeployments)
        expect(names.has(md.bootstrap.templateRef.name)).toBe(true);
    });

    test(`${provider}: labels, taints, GPU count and autoscaler bounds reach the MachineDeployment`, () => {
      const [gpu, cpu] = build(props).cluster.machineDeployments;
      expect(gpu.metadata.labels).toEqual({ 'sovereign-stack.io/gpu-pool': 'h100' });
      expect(gpu.taints).toEqual([
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule', propagation: 'Always' },
      ]);
      expect(gpu.metadata.annotations).toMatchObject({
        [AUTOSCALER_MIN_SIZE]: '1',
        [AUTOSCALER_MAX_SIZE]: '4',
        [AUTOSCALER_GPU_COUNT]: '8',
      });
      expect(cpu.replicas).toBe(3);
      expect(cpu.metadata.labels).toEqual({ 'example.org/class': 'cpu' });
    });
  }

  test('Metal3: GPU hosts chosen by their labels, the image from its URL with its digest, no BMC credential', () => {
    const { cluster, out } = build(METAL3);
    const byName = (n: string) => cluster.templates.find((t) => (t.object.metadata as Json).name === n)!;
    const cls = cluster.clusterClass.object.spec as Json;
    const h100 = byName(
      cls.workers.machineDeployments.find((w: Json) => w.class === 'h100').infrastructure.templateRef.name,
    );
    expect((h100.object.spec as Json).template.spec).toEqual({
      image: {
        url: 'https://images.de.example/ubuntu-2404-k8s-nvidia.raw',
        checksum: 'b'.repeat(128),
        checksumType: 'sha512',
        diskFormat: 'raw',
      },
      hostSelector: { matchLabels: { 'example.org/gpu': 'h100', 'example.org/rack': 'r7' } },
    });
    const cp = byName(cls.controlPlane.machineInfrastructure.templateRef.name);
    expect((cp.object.spec as Json).template.spec.image.url).toBe(
      'https://images.de.example/ubuntu-2404-k8s.raw',
    );
    const infraCluster = byName(cls.infrastructure.templateRef.name);
    expect((infraCluster.object.spec as Json).template.spec.controlPlaneEndpoint).toEqual({
      host: '10.60.0.10',
      port: 6443,
    });
    // Nothing names a BMC, a credential Secret or a password.
    expect(JSON.stringify(out)).not.toMatch(/bmc|credentialsName|password|ipmi|redfish/i);
  });

  test('fails when the NTP servers are missing or not host names', () => {
    expect(thrown({ ntpServers: [] })).toContain("ntpServers  give the jurisdiction's NTP servers");
    const msg = thrown({ ntpServers: ['ntp://ntp.de.example', 'ntp.de.example:123', 'NTP.DE.EXAMPLE '] });
    expect(msg).toContain('ntpServers[0]  "ntp://ntp.de.example" is not a host name or IPv4 address');
    expect(msg).toContain('ntpServers[1]  "ntp.de.example:123" is not a host name or IPv4 address');
    expect(msg).toContain('ntpServers[2]');
  });

  test("fails when a machine lacks what its provider needs, or carries the other provider's fields", () => {
    const os = thrown({ pools: [{ ...BASE.pools[1], machine: { hostSelector: { a: 'b' } } }] });
    expect(os).toContain('pools[0].machine.flavor  give the OpenStack flavor of the machines');
    expect(os).toContain('pools[0].machine  hostSelector and diskImage are Metal3 fields');
    const m3 = thrown({ ...METAL3, pools: [{ ...BASE.pools[1], machine: { flavor: 'x' } }] });
    expect(m3).toContain('pools[0].machine.hostSelector  give the labels of the BareMetalHosts');
    expect(m3).toContain('pools[0].machine  flavor and image are OpenStack fields');
  });

  test('fails when a Metal3 image has credentials in its URL or a checksum that is not a digest', () => {
    let msg = '';
    try {
      new Metal3Infrastructure({
        controlPlaneEndpoint: { host: 'vip.de.example' },
        image: {
          url: 'https://user:secret@images.de.example/x.raw',
          checksum: 'https://images.de.example/x.raw.sha256',
          checksumType: 'sha256',
        },
        hostsNamespace: 'capi-de',
      });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('controlPlaneEndpoint.host  "vip.de.example" is not an IPv4 address');
    expect(msg).toContain('image.url  the URL carries credentials');
    expect(msg).not.toContain('secret@');
    expect(msg).toContain(
      "image.checksum  give the image's sha256 digest: 64 lower-case hex digits, not a URL",
    );
  });

  test('fails when a Metal3 image URL carries a signed-URL token or a hidden authority', () => {
    const D = 'a'.repeat(64);
    const thrownFor = (url: string): string => {
      try {
        new Metal3Infrastructure({
          controlPlaneEndpoint: { host: '10.1.0.10' },
          image: { url, checksum: D, checksumType: 'sha256' },
          hostsNamespace: 'capi-de',
        });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    for (const url of [
      'https://images.de.example/x.raw?sig=abc&se=2027-01-01',
      'https://images.de.example/x.raw?X-Amz-Signature=abc',
      'https://images.de.example/x.raw#frag',
    ])
      expect(thrownFor(url)).toContain('has a query or fragment');
    expect(thrownFor('https://images.de.example\\@evil.example/x.raw')).toContain('holds a backslash');
    expect(thrownFor('ftp://images.de.example/x.raw')).toContain('uses ftp');
    // Ironic's image servers are often plain http on the provisioning network: allowed.
    expect(thrownFor('http://10.1.0.5:8080/images/x.raw')).toBe('');
  });
});
