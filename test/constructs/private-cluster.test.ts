import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { GpuNodePool } from '../../constructs/gpu-node-pool';
import { PrivateCluster, gpuQuotaForPools, type PrivateClusterProps } from '../../constructs/private-cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KUBECONFIG = { kind: 'kubeconfig', configPath: 'kubeconfig.yaml', context: 'de-prod' } as const;

function synth(props: Partial<PrivateClusterProps> = {}, extra?: (s: Construct) => void): Json {
  return JSON.parse(
    Testing.synthScope((scope) => {
      extra?.(scope);
      new PrivateCluster(scope, 'cluster', { jurisdiction: 'de', connection: KUBECONFIG, ...props });
    }),
  );
}

function byName(out: Json, type: string, name: string, namespace?: string): Json {
  const found = Object.values<Json>(out.resource[type] ?? {}).filter(
    (r) => r.metadata.name === name && (namespace === undefined || r.metadata.namespace === namespace),
  );
  expect(found).toHaveLength(1);
  return found[0];
}

function thrown(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('PrivateCluster providers', () => {
  test('kubeconfig path + context for both providers, no credential values', () => {
    const out = synth();
    expect(out.provider.kubernetes).toEqual([{ config_context: 'de-prod', config_path: 'kubeconfig.yaml' }]);
    expect(out.provider.helm).toEqual([
      { kubernetes: { config_context: 'de-prod', config_path: 'kubeconfig.yaml' } },
    ]);
  });

  test('host + CA file + exec plugin; helm takes kubernetes as a nested attribute', () => {
    const out = synth({
      connection: {
        kind: 'api-server',
        host: 'https://api.de.example:6443',
        clusterCaCertificateFile: 'ca.pem',
        exec: { command: 'kubelogin', args: ['get-token'], env: { OIDC_ISSUER: 'https://sso.de.example' } },
      },
    });
    const exec = {
      api_version: 'client.authentication.k8s.io/v1',
      args: ['get-token'],
      command: 'kubelogin',
      env: { OIDC_ISSUER: 'https://sso.de.example' },
    };
    expect(out.provider.kubernetes[0]).toEqual({
      cluster_ca_certificate: '${file("ca.pem")}',
      exec: [exec],
      host: 'https://api.de.example:6443',
    });
    expect(out.provider.helm[0].kubernetes).toEqual({
      cluster_ca_certificate: '${file("ca.pem")}',
      exec,
      host: 'https://api.de.example:6443',
    });
  });

  test('host + CA PEM without exec leaves the token to KUBE_TOKEN', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const out = synth({
      connection: { kind: 'api-server', host: 'https://10.0.0.1:6443', clusterCaCertificatePem: pem },
    });
    expect(out.provider.kubernetes[0]).toEqual({
      cluster_ca_certificate: pem,
      host: 'https://10.0.0.1:6443',
    });
    expect(JSON.stringify(out.provider)).not.toMatch(/token/i);
  });

  test('fails when the API server is plain http, has two CAs, or exec env carries a credential', () => {
    const msg = thrown(() =>
      synth({
        connection: {
          kind: 'api-server',
          host: 'http://api.de.example',
          clusterCaCertificateFile: 'ca.pem',
          clusterCaCertificatePem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
          exec: { command: 'vault-k8s', env: { VAULT_TOKEN: 's.abc' } },
        },
      }),
    );
    expect(msg).toContain('PrivateCluster cluster: 3 invalid props');
    expect(msg).toContain(
      'connection.host  "http://api.de.example" is not allowed: the API server URL must start with https://',
    );
    expect(msg).toContain(
      'connection.clusterCaCertificateFile  give at most one of clusterCaCertificateFile or clusterCaCertificatePem',
    );
    expect(msg).toContain('connection.exec.env.VAULT_TOKEN  "VAULT_TOKEN" looks like a credential');
    expect(msg).not.toContain('s.abc');
  });

  test('without a CA the providers verify the API server against the system CAs', () => {
    const out = synth({ connection: { kind: 'api-server', host: 'https://api.de.example:6443' } });
    const k = out.provider.kubernetes[0];
    expect(k.host).toBe('https://api.de.example:6443');
    expect(k.cluster_ca_certificate).toBeUndefined();
    expect(k.insecure).toBeUndefined();
  });

  test('fails when the kubeconfig context is empty', () => {
    expect(
      thrown(() => synth({ connection: { kind: 'kubeconfig', configPath: 'k', context: '' } })),
    ).toContain('connection.context  empty: name the kubeconfig context of this cluster');
  });
});

describe('PrivateCluster namespaces', () => {
  test('serving and weights enforce, audit and warn restricted with a pinned version', () => {
    const out = synth();
    for (const [name, component] of [
      ['llm-serving', 'serving-namespace'],
      ['llm-weights', 'weights-namespace'],
    ]) {
      const ns = byName(out, 'kubernetes_namespace_v1', name);
      expect(ns.metadata.labels).toEqual({
        'app.kubernetes.io/component': component,
        'app.kubernetes.io/instance': name,
        'app.kubernetes.io/managed-by': 'sovereign-stack',
        'app.kubernetes.io/name': 'private-cluster',
        'app.kubernetes.io/part-of': 'sovereign-stack',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.32',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.32',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.32',
        'sovereign-stack.io/jurisdiction': 'de',
      });
      expect(Object.keys(ns.metadata.labels)).toEqual(Object.keys(ns.metadata.labels).sort());
    }
  });

  test('the GPU operator namespace is privileged, with the exception documented on it', () => {
    const c = synth({ podSecurityVersion: 'v1.31' });
    const ns = byName(c, 'kubernetes_namespace_v1', 'gpu-operator');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.31');
    expect(ns.metadata.labels['sovereign-stack.io/jurisdiction']).toBe('de');
    expect(ns.metadata.annotations['sovereign-stack.io/pod-security-exception']).toMatch(
      /privileged.*GPU Operator getting-started guide/,
    );
  });

  test('serving and weights may share one namespace', () => {
    const out = synth({ namespaces: { serving: 'llm', weights: 'llm' } });
    const names = Object.values<Json>(out.resource.kubernetes_namespace_v1).map((n) => n.metadata.name);
    expect(names.sort()).toEqual(['gpu-operator', 'llm']);
    expect(byName(out, 'kubernetes_namespace_v1', 'llm').metadata.labels['app.kubernetes.io/component']).toBe(
      'serving-weights-namespace',
    );
    expect(Object.keys(out.resource.kubernetes_network_policy_v1)).toHaveLength(2);
  });

  test('fails when the GPU operator shares a workload namespace, or the PSA version is not pinned', () => {
    const msg = thrown(() =>
      synth({ namespaces: { gpuOperator: 'llm-serving' }, podSecurityVersion: 'latest' }),
    );
    expect(msg).toContain('namespaces.gpuOperator  "llm-serving" is also a workload namespace');
    expect(msg).toContain('podSecurityVersion  "latest" is not a pinned Pod Security Standards version');
  });
});

describe('PrivateCluster quota and limits', () => {
  test('GPU quota is derived from the pools, MIG resources included', () => {
    const out = synth({ quota: { requestsCpu: '64', limitsMemory: '512Gi', pods: 40 } }, (s) => {
      const pools = [
        new GpuNodePool(s, 'h100', {
          jurisdiction: 'de',
          poolName: 'h100',
          nodes: ['n1', 'n2'],
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          gpusPerNode: 8,
        }),
        new GpuNodePool(s, 'a100', {
          jurisdiction: 'de',
          poolName: 'a100',
          nodes: ['n3'],
          gpuProduct: 'NVIDIA-A100-SXM4-80GB',
          gpusPerNode: 4,
          sharing: { mode: 'mig', strategy: 'mixed', profile: '3g.40gb' },
        }),
      ];
      expect(gpuQuotaForPools(pools)).toEqual({ 'nvidia.com/gpu': 16, 'nvidia.com/mig-3g.40gb': 8 });
    });
    expect(gpuQuotaForPools([])).toEqual({ 'nvidia.com/gpu': 0 });
    // The pools were built in `extra`; the cluster here had none, so no GPUs by default.
    expect(byName(out, 'kubernetes_resource_quota_v1', 'serving-quota', 'llm-serving').spec).toEqual({
      hard: { 'limits.memory': '512Gi', pods: '40', 'requests.cpu': '64', 'requests.nvidia.com/gpu': '0' },
    });
  });

  test('explicit GPU quota and container defaults; weights namespace gets no GPUs', () => {
    const out = synth({
      quota: { gpus: { 'nvidia.com/mig-1g.10gb': 14, 'nvidia.com/gpu': 8 } },
      containerDefaults: { defaultLimitMemory: '1Gi' },
    });
    expect(byName(out, 'kubernetes_resource_quota_v1', 'serving-quota').spec.hard).toEqual({
      'requests.nvidia.com/gpu': '8',
      'requests.nvidia.com/mig-1g.10gb': '14',
    });
    expect(byName(out, 'kubernetes_resource_quota_v1', 'weights-quota').spec.hard).toEqual({
      'requests.nvidia.com/gpu': '0',
    });
    expect(byName(out, 'kubernetes_limit_range_v1', 'container-defaults', 'llm-serving').spec).toEqual({
      limit: [
        {
          default: { cpu: '1', memory: '1Gi' },
          default_request: { cpu: '100m', memory: '128Mi' },
          type: 'Container',
        },
      ],
    });
  });

  test('fails when a quota names a non-GPU resource or a negative count', () => {
    const msg = thrown(() => synth({ quota: { gpus: { 'amd.com/gpu': 1, 'nvidia.com/gpu': -1 } } }));
    expect(msg).toContain('quota.gpus.amd.com/gpu  "amd.com/gpu" is not a GPU resource');
    expect(msg).toContain(
      'quota.gpus.nvidia.com/gpu  -1 is not allowed: use a whole number from 0 to 100000',
    );
  });
});

describe('PrivateCluster network policies', () => {
  const network = {
    servingPorts: [8000, 8080],
    clientNamespaces: ['llm-gateway'],
    clientCidrs: ['10.20.0.0/16', 'fd00:20::/48'],
    weightSources: [{ cidr: '10.40.0.12/32', port: 9000 }],
  };

  test('default deny ingress and egress in every workload namespace, DNS allowed to cluster DNS', () => {
    const out = synth();
    for (const ns of ['llm-serving', 'llm-weights']) {
      expect(byName(out, 'kubernetes_network_policy_v1', 'default-deny-all', ns).spec).toEqual({
        pod_selector: {},
        policy_types: ['Ingress', 'Egress'],
      });
      expect(byName(out, 'kubernetes_network_policy_v1', 'allow-dns-egress', ns).spec).toEqual({
        egress: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
            to: [
              {
                namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
              },
            ],
          },
        ],
        pod_selector: {},
        policy_types: ['Egress'],
      });
    }
    // Nothing declared: no ingress to servers, no egress for weight sync.
    expect(Object.keys(out.resource.kubernetes_network_policy_v1)).toHaveLength(4);
  });

  test('serving ingress from declared namespaces and CIDRs on the serving ports, to server pods only', () => {
    const out = synth({ network });
    expect(byName(out, 'kubernetes_network_policy_v1', 'allow-serving-ingress', 'llm-serving').spec).toEqual({
      ingress: [
        {
          from: [
            { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'llm-gateway' } } },
            { ip_block: { cidr: '10.20.0.0/16' } },
            { ip_block: { cidr: 'fd00:20::/48' } },
          ],
          ports: [
            { port: '8000', protocol: 'TCP' },
            { port: '8080', protocol: 'TCP' },
          ],
        },
      ],
      pod_selector: { match_labels: { 'app.kubernetes.io/component': 'server' } },
      policy_types: ['Ingress'],
    });
  });

  test('weight-sync egress only to the declared endpoints, from weight-sync pods only', () => {
    const out = synth({ network });
    expect(byName(out, 'kubernetes_network_policy_v1', 'allow-weights-egress', 'llm-weights').spec).toEqual({
      egress: [{ ports: [{ port: '9000', protocol: 'TCP' }], to: [{ ip_block: { cidr: '10.40.0.12/32' } }] }],
      pod_selector: { match_labels: { 'app.kubernetes.io/component': 'weights-sync' } },
      policy_types: ['Egress'],
    });
  });

  test('custom cluster DNS labels', () => {
    const out = synth({ network: { clusterDns: { namespace: 'dns', podLabels: { 'k8s-app': 'coredns' } } } });
    const to = byName(out, 'kubernetes_network_policy_v1', 'allow-dns-egress', 'llm-serving').spec.egress[0]
      .to[0];
    expect(to.namespace_selector.match_labels['kubernetes.io/metadata.name']).toBe('dns');
    expect(to.pod_selector.match_labels).toEqual({ 'k8s-app': 'coredns' });
  });

  test('fails when the DNS selector is empty, a DNS port is out of range or a DNS CIDR is everything', () => {
    const msg = thrown(() =>
      synth({ network: { clusterDns: { podLabels: {}, ports: [0], cidrs: ['0.0.0.0/0'] } } }),
    );
    expect(msg).toContain('network.clusterDns.podLabels  no label given');
    expect(msg).toContain('network.clusterDns.ports[0]');
    expect(msg).toContain('network.clusterDns.cidrs[0]');
  });

  test('fails when a rule would open 0.0.0.0/0 or ::/0, or a port is out of range', () => {
    const msg = thrown(() =>
      synth({
        network: {
          servingPorts: [70000],
          clientCidrs: ['0.0.0.0/0', '10.0.0.0'],
          weightSources: [{ cidr: '::/0', port: 443 }],
        },
      }),
    );
    expect(msg).toContain('PrivateCluster cluster: 4 invalid props');
    expect(msg).toContain(
      'network.servingPorts[0]  70000 is not allowed: use a whole number from 1 to 65535',
    );
    expect(msg).toContain('network.clientCidrs[0]  "0.0.0.0/0" opens every address');
    expect(msg).toContain('network.clientCidrs[1]  "10.0.0.0" is not a CIDR');
    expect(msg).toContain('network.weightSources[0].cidr  "::/0" opens every address');
  });

  test('everything carries the recommended labels and the jurisdiction label', () => {
    const out = synth({ network });
    for (const [type, resources] of Object.entries<Json>(out.resource)) {
      for (const r of Object.values<Json>(resources)) {
        expect([type, r.metadata.labels['sovereign-stack.io/jurisdiction']]).toEqual([type, 'de']);
        expect(r.metadata.labels['app.kubernetes.io/managed-by']).toBe('sovereign-stack');
      }
    }
  });
});
