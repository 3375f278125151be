import * as fs from 'fs';
import * as os from 'os';
import { enforce, evaluateStacks } from '../../policy';
import { buildReport } from '../../policy/report/model';
import { renderMarkdown } from '../../policy/report/markdown';
import { rule as sov012 } from '../../policy/rules/sov-012-endpoints-in-jurisdiction';
import { formatProblem, isSovereignError } from '../../core/errors';
import { parse, parseDocument } from 'yaml';
import { provisionBackend } from '../../stacks/provision-stack';
import { parseSpec } from '../../stacks/spec/load';
import { crdFixtureFor, crdProblems, CRD_OF_KIND } from '../support/crd-schema';
import { REPO_ROOT } from '../support/paths';
import { resources, synthExample, synthSpec, type Json } from '../support/synth';
import { runOn } from '../policy/fixtures';

beforeAll(() => process.chdir(REPO_ROOT));

const EXAMPLE = 'examples/provisioned.yaml';

const objectOf = (stack: Json, kind: string): Json =>
  (resources(stack, 'kubernetes_manifest') as Json[]).find((r) => r.manifest.kind === kind)!.manifest as Json;
const clusterOf = (stack: Json): Json => objectOf(stack, 'Cluster');
const mdOf = (stack: Json, name: string): Json =>
  (clusterOf(stack).spec.topology.workers.machineDeployments as Json[]).find((m) => m.name === name)!;

function failure(text: string): string[] {
  try {
    synthSpec('spec.yaml', text);
  } catch (e) {
    if (isSovereignError(e)) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('accepted');
}

describe('examples/provisioned.yaml: a jurisdiction built from scratch on OpenStack', () => {
  const out = synthExample(EXAMPLE);
  const prov = out.stacks['de-ber-provision'];
  const serving = out.stacks['de-ber'];

  test('two stacks: provision, then platform and serving, the order recorded for cdktf', () => {
    expect(Object.keys(out.stacks).sort()).toEqual(['de-ber', 'de-ber-provision']);
    const manifest = JSON.parse(out.files['manifest.json']) as Json;
    expect(manifest.stacks['de-ber'].dependencies).toEqual(['de-ber-provision']);
    expect(manifest.stacks['de-ber-provision'].dependencies).toEqual([]);
  });

  test('the provisioning stack talks to the management cluster only, with its own state', () => {
    expect(prov.provider).toEqual({
      kubernetes: [{ config_context: 'capi-management-ber', config_path: '~/.kube/capi-management.yaml' }],
    });
    expect(prov.terraform.backend.s3.key).toBe('de-ber/terraform.provision.tfstate');
    expect(serving.terraform.backend.s3.key).toBe('de-ber/terraform.tfstate');
    expect(Object.keys(prov.resource)).toEqual(['kubernetes_manifest']);
    // The serving stack reaches the new cluster through the kubeconfig written from its Secret.
    expect(serving.provider.kubernetes).toEqual([
      { config_context: 'de-ber-admin@de-ber', config_path: '../../../kubeconfigs/de-ber.kubeconfig' },
    ]);
    expect(prov.output.cluster_kubeconfig_secret.value).toBe('capi-de-ber/de-ber-kubeconfig');
  });

  test('every object (Cluster, ClusterClass, kubeadm and CAPO templates) is valid against the CRDs of Cluster API v1.14.0, the release CAPO v0.14.7 pairs with', () => {
    // CAPO v0.14.7's README: Cluster API >=v1.12; the newest release is v1.14.0.
    expect(prov.output.cluster_api_release.value).toBe('v1.14.0');
    const kinds = (resources(prov, 'kubernetes_manifest') as Json[]).map((r) => {
      expect(crdFixtureFor(r.manifest.kind, 'v1.14.0')).toBe(CRD_OF_KIND[r.manifest.kind]);
      expect([r.manifest.kind, crdProblems(crdFixtureFor(r.manifest.kind, 'v1.14.0'), r.manifest)]).toEqual([
        r.manifest.kind,
        [],
      ]);
      return r.manifest.kind as string;
    });
    expect(new Set(kinds)).toEqual(new Set(Object.keys(CRD_OF_KIND).filter((k) => !k.startsWith('Metal3'))));
  });

  test('its Cluster API objects are valid against v1.13.5 too (CAPO: >=v1.12; the objects are the same for both releases)', () => {
    for (const r of resources(prov, 'kubernetes_manifest') as Json[]) {
      const fixture = crdFixtureFor(r.manifest.kind, 'v1.13.5');
      expect([r.manifest.kind, crdProblems(fixture, r.manifest)]).toEqual([r.manifest.kind, []]);
    }
  });

  test('NTP: every kubeadm config (control plane and each pool) takes its time from the spec', () => {
    const ntp = { enabled: true, servers: ['ntp1.ber.sovereign-cloud.de.example', '10.60.255.4'] };
    const kubeadm = (resources(prov, 'kubernetes_manifest') as Json[]).filter((r) =>
      /^Kubeadm/.test(r.manifest.kind),
    );
    expect(kubeadm).toHaveLength(3);
    for (const r of kubeadm) {
      const spec = r.manifest.spec.template.spec;
      expect(spec.kubeadmConfigSpec?.ntp ?? spec.ntp).toEqual(ntp);
    }
  });

  test('control plane, network ranges and version from the spec', () => {
    const spec = clusterOf(prov).spec;
    expect(spec.topology.controlPlane).toEqual({ replicas: 3 });
    expect(spec.topology.version).toBe('v1.34.3');
    expect(spec.clusterNetwork.pods.cidrBlocks).toEqual(['10.60.64.0/18']);
    expect(
      objectOf(prov, 'OpenStackClusterTemplate').spec.template.spec.controlPlaneAvailabilityZones,
    ).toEqual(['ber-az1', 'ber-az2', 'ber-az3']);
  });

  test("the GPU pool's labels, taint, GPU count and autoscaler bounds reach its MachineDeployment", () => {
    const h100 = mdOf(prov, 'h100');
    expect(h100.metadata.labels).toEqual({
      'sovereign-stack.io/gpu-pool': 'h100',
      'sovereign-stack.io/jurisdiction': 'de-ber',
    });
    expect(h100.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule', propagation: 'Always' },
    ]);
    expect(h100.metadata.annotations).toMatchObject({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '1',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '3',
      'capacity.cluster-autoscaler.kubernetes.io/gpu-count': '8',
      'sovereign-stack.io/gpu-product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(h100.failureDomain).toBe('ber-az1');
    // The servers select exactly what the machines carry and tolerate their taint.
    const vllm = resources(serving, 'kubernetes_deployment_v1').find(
      (d) => d.metadata.name === 'llama-3-1-70b',
    ) as Json;
    const pod = vllm.spec.template.spec;
    for (const [k, v] of Object.entries(pod.node_selector as Record<string, string>))
      expect(h100.metadata.labels[k]).toBe(v);
    expect(pod.toleration).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'nvidia.com/gpu', effect: 'NoSchedule' })]),
    );
  });

  test('the CPU pool: fixed replicas, its own labels, no GPU taint; the CPU model lands there', () => {
    const cpu = mdOf(prov, 'cpu');
    expect(cpu.replicas).toBe(3);
    expect(cpu.metadata.labels).toEqual({
      'sovereign-stack.io/jurisdiction': 'de-ber',
      'sovereign-stack.io/node-class': 'cpu',
    });
    expect(cpu).not.toHaveProperty('taints');
    const qwen = resources(serving, 'kubernetes_deployment_v1').find(
      (d) => d.metadata.name === 'qwen-7b',
    ) as Json;
    expect(JSON.stringify(qwen.spec.template.spec.container[0].resources)).not.toContain('nvidia.com/gpu');
  });

  test('the capacity planner sees the provisioned pool: GPUs per machine × machines', () => {
    expect(serving['//'].sovereign.pools).toEqual([
      expect.objectContaining({
        name: 'h100',
        gpusPerNode: 8,
        nodeCount: 3,
        gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      }),
    ]);
    // Existing-node resources are not written for machines Cluster API creates.
    expect(serving.resource.kubernetes_labels).toBeUndefined();
    expect(serving.resource.kubernetes_node_taint).toBeUndefined();
  });

  test('fails when the models need more GPUs than the provisioned machines have, with the numbers', () => {
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace('autoscaling: { minReplicas: 1, maxReplicas: 3 }', 'replicas: 1')
      .replace(
        '        replicas: 2\n        architecture: llama-3.1-70b',
        '        replicas: 4\n        architecture: llama-3.1-70b',
      );
    const lines = failure(text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^spec\.yaml:\d+:\d+ {2}jurisdictions\.de-ber\.models\.llama-3-1-70b\.replicas {2}/,
    );
    expect(lines[0]).toContain('pool h100 has 1 node × 8 GPUs, room for 2');
  });

  test('passes the policy gate, both stacks; the Cluster is judged by the endpoint rule', () => {
    const stacks = Object.entries(out.stacks).map(([name, json]) => ({ name, json }));
    expect(() => enforce(stacks)).not.toThrow();
    const ev = evaluateStacks(stacks);
    const rows = ev.stacks
      .find((s) => s.stack.name === 'de-ber-provision')!
      .rows.filter((r) => r.rule === 'SOV-012' && r.address.startsWith('kubernetes_manifest.'));
    // The Cluster (endpoints), the OpenStackClusterTemplate (nameservers, node subnet) and the
    // three kubeadm templates (time servers) are judged, and pass.
    expect(rows.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
  });

  test('no credential in any output: only the Secret names and the kubeconfig path', () => {
    const text = Object.values(out.files).join('\n');
    expect(text).toContain('openstack-clouds');
    for (const bad of [
      /password/i,
      /application_credential_secret/i,
      /client-key-data|client-certificate-data/,
      /"token"/,
      /BEGIN [A-Z ]*PRIVATE KEY/,
    ])
      expect(text).not.toMatch(bad);
    // The spec has no place for one: the identity is a reference.
    const withPassword = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(
        'identity: { secret: openstack-clouds, cloudName: ber }',
        'identity: { secret: openstack-clouds, cloudName: ber, password: hunter2 }',
      );
    const lines = failure(withPassword);
    expect(lines.join('\n')).toContain(
      'jurisdictions.de-ber.cluster.provision.openstack.identity.password  unknown key "password". Allowed here: secret, cloudName',
    );
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  test('byte-identical across runs', () => {
    expect(synthSpec(EXAMPLE).files).toEqual(out.files);
  });

  test('the audit report lists what the management cluster must run: the Cluster API release CAPO pairs with, feature gates, label sync, autoscaler, provider', () => {
    const stacks = Object.entries(out.stacks).map(([name, json]) => ({ name, json }));
    const report = buildReport(evaluateStacks(stacks, { today: '2026-12-07' }), { now: 'x' });
    const p = report.stacks.find((s) => s.name === 'de-ber-provision')!;
    expect(p.clusterRequirements.map((r) => r.requirement)).toEqual([
      'Cluster API controller flag --additional-sync-machine-labels matching sovereign-stack.io',
      'Cluster API v1.14 (v1.14.0 or a later v1.14 patch)',
      'Cluster API v1.14 feature gate ClusterTopology=true',
      'Cluster API v1.14 feature gate MachineTaintPropagation=true',
      'cluster-autoscaler with --cloud-provider=clusterapi',
      'infrastructure provider: Cluster API Provider OpenStack (CAPO) v0.14.7, infrastructure.cluster.x-k8s.io/v1beta1',
      'management cluster on Kubernetes v1.33 to v1.36',
    ]);
    const release = p.clusterRequirements.find((r) => r.requirement.startsWith('Cluster API v1.14 ('))!;
    expect(release.why).toContain(
      'Cluster API Provider OpenStack (CAPO) v0.14.7 is documented for Cluster API v1.12 and later (kubernetes-sigs/cluster-api-provider-openstack v0.14.7 README.md',
    );
    expect(release.why).toContain('go.mod builds against v1.12.10');
    expect(release.why).toContain(
      "v1.14.0 is the newest Cluster API release in that range, and the stack's Cluster API objects are validated against its CRDs",
    );
    expect(release.by).toEqual([expect.stringMatching(/^kubernetes_manifest\.cluster_[0-9A-F]+$/)]);
    const taints = p.clusterRequirements.find((r) => r.requirement.includes('MachineTaintPropagation'))!;
    expect(taints.by).toEqual([expect.stringMatching(/^kubernetes_manifest\.cluster_[0-9A-F]+ \(h100\)$/)]);
    // The clouds.yaml Secret is something that must exist, by name only.
    expect(p.references).toContainEqual(
      expect.objectContaining({ kind: 'Secret', namespace: 'capi-de-ber', name: 'openstack-clouds' }),
    );
    // The serving stack has no Cluster API objects: nothing to require.
    expect(report.stacks.find((s) => s.name === 'de-ber')!.clusterRequirements).toEqual([]);
    expect(renderMarkdown(report)).toContain(
      '| Cluster API v1.14 feature gate MachineTaintPropagation=true | node pools carry taints',
    );
  });

  test('golden snapshot', () => {
    expect(out.files).toMatchSnapshot();
  });
});

describe('teardown order in the serving stack: servers before what their pool needs', () => {
  const deps = (stack: Json, name: string): string[] =>
    (resources(stack, 'kubernetes_deployment_v1') as Json[]).find((d) => d.metadata.name === name)!
      .depends_on as string[];

  test('provisioned: the GPU server depends on the GPU Operator release, so Terraform deletes it first', () => {
    const serving = synthExample(EXAMPLE).stacks['de-ber'];
    expect(deps(serving, 'llama-3-1-70b')).toContainEqual(
      expect.stringMatching(/^helm_release\.gpu-operator_/),
    );
  });

  test("existing cluster: servers depend on their pool's node labels and taints (GPU) or labels (CPU)", () => {
    const { stacks } = synthExample('examples/sovereign.yaml');
    for (const [stack, json] of Object.entries(stacks)) {
      for (const d of resources(json, 'kubernetes_deployment_v1') as Json[]) {
        const sel = d.spec.template.spec.node_selector as Record<string, string> | undefined;
        if (!sel || !('sovereign-stack.io/gpu-pool' in sel)) continue;
        expect([stack, d.depends_on]).toEqual([
          stack,
          expect.arrayContaining([
            expect.stringMatching(/^kubernetes_labels\./),
            expect.stringMatching(/^kubernetes_node_taint\./),
          ]),
        ]);
      }
    }
  });
});

describe('the gate on a tampered provisioning stack', () => {
  const base = synthExample(EXAMPLE).stacks['de-ber-provision'];
  const tamper = (f: (cluster: Json) => void, kind = 'Cluster'): Json => {
    const j = JSON.parse(JSON.stringify(base)) as Json;
    f(objectOf(j, kind));
    return j;
  };
  const verdicts = (j: Json) =>
    runOn(sov012, j)
      .filter((o) => o.status !== 'compliant')
      .map((o) => `${o.status} ${o.path}: ${o.message}`);

  test('fails on a public nameserver handed to the machines', () => {
    const j = tamper((c) => {
      c.spec.template.spec.managedSubnets[0].dnsNameservers = ['10.60.255.2', '9.9.9.9'];
    }, 'OpenStackClusterTemplate');
    expect(verdicts(j)).toEqual([
      "non-compliant manifest.spec.template.spec.managedSubnets[0].dnsNameservers[1]: 9.9.9.9 is an address outside the jurisdiction's declared CIDRs (10.60.0.0/16)",
    ]);
  });

  test('fails on time servers outside: a lookalike host, a public pool, an address written as a number', () => {
    for (const kind of ['KubeadmControlPlaneTemplate', 'KubeadmConfigTemplate']) {
      const j = tamper((t) => {
        const spec = t.spec.template.spec.kubeadmConfigSpec ?? t.spec.template.spec;
        spec.ntp.servers = [
          'ntp1.ber.sovereign-cloud.de.example.attacker.net',
          'pool.ntp.org',
          '134744072',
          '8.8.4.4',
          '${var.ntp}',
        ];
      }, kind);
      const v = verdicts(j).join('\n');
      expect(v).toMatch(
        /non-compliant \S+ntp\.servers\[0\]: time server ntp1\.ber\.sovereign-cloud\.de\.example\.attacker\.net lies outside/,
      );
      expect(v).toMatch(/non-compliant \S+ntp\.servers\[1\]: time server pool\.ntp\.org lies outside/);
      expect(v).toMatch(
        /non-compliant \S+ntp\.servers\[2\]: time server 134744072 \(8\.8\.8\.8\) lies outside/,
      );
      expect(v).toMatch(/non-compliant \S+ntp\.servers\[3\]: 8\.8\.4\.4 is an address outside/);
      expect(v).toMatch(/unknown \S+ntp\.servers\[4\]: \$\{var\.ntp\}: value is not resolved/);
    }
  });

  test('fails on a lookalike Keystone host', () => {
    const j = tamper((c) => {
      c.metadata.annotations['sovereign-stack.io/openstack-auth-url'] =
        'https://keystone.ber.sovereign-cloud.de.example.attacker.net:5000/v3';
    });
    const v = verdicts(j);
    expect(v).toHaveLength(1);
    expect(v.join('\n')).toContain('names keystone.ber.sovereign-cloud.de.example.attacker.net, outside');
  });

  test('fails on a control-plane endpoint or a pod range outside the declared CIDRs', () => {
    const j = tamper((c) => {
      c.spec.controlPlaneEndpoint = { host: '203.0.113.7', port: 6443 };
      c.spec.clusterNetwork.pods.cidrBlocks = ['100.64.0.0/10'];
    });
    expect(verdicts(j).sort()).toEqual([
      "non-compliant manifest.spec.clusterNetwork.pods.cidrBlocks[0]: 100.64.0.0/10 is an address outside the jurisdiction's declared CIDRs (10.60.0.0/16)",
      "non-compliant manifest.spec.controlPlaneEndpoint.host: 203.0.113.7 is an address outside the jurisdiction's declared CIDRs (10.60.0.0/16)",
    ]);
  });

  test("an address hidden in a pool's machine template is judged too; one computed by Terraform is unknown", () => {
    const j = tamper((t) => {
      t.spec.template.spec.ports = [{ fixedIPs: [{ ipAddress: '1.1.1.1' }] }];
      t.spec.template.spec.serverGroup = { id: '${var.group}' };
    }, 'OpenStackMachineTemplate');
    const v = verdicts(j);
    expect(v).toContainEqual(
      expect.stringMatching(
        /^non-compliant manifest\.spec\.template\.spec\.ports\[0\]\.fixedIPs\[0\]\.ipAddress: 1\.1\.1\.1 is an address outside/,
      ),
    );
    expect(v).toContainEqual(
      expect.stringMatching(/^unknown manifest\.spec\.template\.spec\.serverGroup\.id: \$\{var\.group\}/),
    );
  });
});

describe('cluster.provision refusals, located in the spec', () => {
  const example = fs.readFileSync(EXAMPLE, 'utf8');

  test('fails when ranges, nameservers or the Keystone endpoint leave the jurisdiction', () => {
    const lines = failure(
      example
        .replace('pods: 10.60.64.0/18', 'pods: 192.168.0.0/18')
        .replace('nodes: 10.60.0.0/20', 'nodes: 10.8.0.0/20')
        .replace('dnsNameservers: [10.60.255.2, 10.60.255.3]', 'dnsNameservers: [10.60.255.2, 8.8.8.8]')
        .replace(
          'https://keystone.ber.sovereign-cloud.de.example:5000/v3',
          'https://keystone.cloud.example.com:5000/v3',
        ),
    );
    const text = lines.join('\n');
    expect(text).toMatch(
      /jurisdictions\.de-ber\.cluster\.provision\.network\.pods {2}the pod range 192\.168\.0\.0\/18 is not inside sovereignty\.cidrs \(10\.60\.0\.0\/16\)/,
    );
    expect(text).toMatch(
      /cluster\.provision\.openstack\.dnsNameservers\.1 {2}the nameserver 8\.8\.8\.8 is not inside sovereignty\.cidrs/,
    );
    expect(text).toMatch(
      /cluster\.provision\.openstack\.authUrl {2}the OpenStack endpoint host "keystone\.cloud\.example\.com" is outside the jurisdiction/,
    );
    expect(text).toContain(
      'jurisdictions.de-ber.cluster.provision.network.nodes  the node subnet 10.8.0.0/20 is not inside sovereignty.cidrs (10.60.0.0/16)',
    );
    for (const l of lines) expect(l).toMatch(/^spec\.yaml:\d+:\d+ {2}/);
  });

  test('fails on lookalike endpoints: a userinfo prefix, a longer domain', () => {
    const text = failure(
      example
        .replace(
          'https://keystone.ber.sovereign-cloud.de.example:5000/v3',
          'https://keystone.ber.sovereign-cloud.de.example@keystone.attacker.example.net:5000/v3',
        )
        .replace('ntp1.ber.sovereign-cloud.de.example,', 'ntp1.ber.sovereign-cloud.de.example.attacker.net,'),
    ).join('\n');
    expect(text).toContain(
      'the OpenStack endpoint host "keystone.attacker.example.net" is outside the jurisdiction',
    );
    expect(text).toContain(
      'cluster.provision.ntpServers.0  the time server host "ntp1.ber.sovereign-cloud.de.example.attacker.net" is outside the jurisdiction',
    );
  });

  test('fails on public time pools unless declared public, and on IP forms and URLs', () => {
    const ntp = (servers: string) =>
      failure(
        example.replace(
          'ntpServers: [ntp1.ber.sovereign-cloud.de.example, 10.60.255.4]',
          `ntpServers: [${servers}]`,
        ),
      ).join('\n');
    const text = ntp(
      "pool.ntp.org, time.google.com, '134744072', 0x08.8.8.8, ntp://ntp1.ber.sovereign-cloud.de.example, 8.8.8.8, ntp",
    );
    expect(text).toContain('ntpServers.0  the time server "pool.ntp.org" is ntp.org, a public time service');
    expect(text).toContain(
      'ntpServers.1  the time server "time.google.com" is time.google.com, a public time service',
    );
    expect(text).toContain(
      'ntpServers.2  "134744072" is the address 8.8.8.8 written another way: write it as 8.8.8.8',
    );
    expect(text).toContain('ntpServers.3  "0x08.8.8.8" is the address 8.8.8.8 written another way');
    expect(text).toContain(
      'ntpServers.4  "ntp://ntp1.ber.sovereign-cloud.de.example" is not a host name or IPv4 address',
    );
    expect(text).toContain('ntpServers.5  the time server 8.8.8.8 is not inside sovereignty.cidrs');
    expect(text).toContain('ntpServers.6  "ntp" is not a fully qualified host name');
    // IPv6 forms, read as the gate reads them: the IPv4 address one carries is named.
    const v6 = ntp("'::FFFF:8.8.8.8', '64:ff9b::a3c:ff04', '2001:db8::123', '[2001:db8::123]:123'");
    expect(v6).toContain(
      'ntpServers.0  "::FFFF:8.8.8.8" carries the IPv4 address 8.8.8.8 (IPv4-mapped): write it as 8.8.8.8',
    );
    expect(v6).toContain(
      'ntpServers.1  "64:ff9b::a3c:ff04" carries the IPv4 address 10.60.255.4 (NAT64): write it as 10.60.255.4',
    );
    expect(v6).toContain(
      'ntpServers.2  "2001:db8::123" is an IPv6 address: time servers are host names or IPv4 addresses',
    );
    expect(v6).toContain('ntpServers.3  "[2001:db8::123]:123" is an IPv6 address');
    // Declared public with a reason (and listed as a host): accepted, and shown in every report.
    const declared = example
      .replace(
        'ntpServers: [ntp1.ber.sovereign-cloud.de.example, 10.60.255.4]',
        'ntpServers: [ptbtime1.ptb.de]',
      )
      .replace(
        "      hosts: ['*.ber.sovereign-cloud.de.example']",
        "      hosts: ['*.ber.sovereign-cloud.de.example', ptbtime1.ptb.de]",
      );
    expect(() => synthSpec('spec.yaml', declared)).not.toThrow();
    const pool = declared
      .replace('[ptbtime1.ptb.de]', '[de.pool.ntp.org]')
      .replace(', ptbtime1.ptb.de]', ', de.pool.ntp.org]');
    expect(failure(pool).join('\n')).toContain('de.pool.ntp.org is ntp.org, a global public service');
  });

  test('fails when a GPU pool has no machines, or names existing nodes in a provisioned cluster', () => {
    const noMachines = example.replace(
      / {10}h100:\n {12}flavor: GPU-8xH100-SXM5-2T\n {12}image: ubuntu-capi-image-nvidia\n {12}failureDomain: ber-az1\n {12}autoscaling: \{ minReplicas: 1, maxReplicas: 3 \}\n/,
      '',
    );
    expect(noMachines).not.toBe(example);
    expect(failure(noMachines).join('\n')).toContain(
      'jurisdictions.de-ber.pools.h100  GPU pool "h100" has no machines: add cluster.provision.pools.h100',
    );
    const withNodes = example.replace(
      '        gpusPerNode: 8\n    stores:',
      '        gpusPerNode: 8\n        nodes: [ber-gpu-01]\n    stores:',
    );
    expect(failure(withNodes).join('\n')).toContain(
      'jurisdictions.de-ber.pools.h100.nodes  the nodes of a provisioned cluster are machines Cluster API creates',
    );
  });

  test('fails when a GPU pool has no machines to serve on (validate says so, not only synth)', () => {
    const text = failure(
      example.replace('autoscaling: { minReplicas: 1, maxReplicas: 3 }', 'replicas: 0'),
    ).join('\n');
    expect(text).toContain(
      'jurisdictions.de-ber.cluster.provision.pools.h100.replicas  GPU pool "h100" with 0 machines cannot serve its models',
    );
  });

  describe('jurisdictions on one management cluster (the same kubeconfig file and context)', () => {
    const metal3 = () =>
      parse(fs.readFileSync('examples/provisioned-metal3.yaml', 'utf8')).jurisdictions['de-ber'];
    const openstack = () => parse(example).jurisdictions['de-ber'];
    /** The OpenStack example with a second jurisdiction `de-muc`, as YAML text. */
    const withSecond = (second: Json): string => {
      const doc = parseDocument(example);
      second.cluster.kubeconfig.path = 'kubeconfigs/de-muc.kubeconfig';
      doc.setIn(['jurisdictions', 'de-muc'], second);
      return doc.toString();
    };

    test('fails when their providers pair with different Cluster API releases (CAPO v1.14.0, CAPM3 v1.13.5)', () => {
      const m3 = metal3();
      m3.cluster.provision.namespace = 'capi-de-muc';
      // The same file written another way is the same cluster.
      m3.cluster.provision.management.kubeconfig.path = '~/.kube/./capi-management.yaml';
      const lines = failure(withSecond(m3));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^spec\.yaml:\d+:\d+ {2}jurisdictions\.de-muc\.cluster\.provision\.management {2}/,
      );
      expect(lines[0]).toContain(
        'the management cluster (~/.kube/./capi-management.yaml, context capi-management-ber) is also "de-ber"\'s, whose provider (openstack) pairs with Cluster API v1.14.0; this one\'s (metal3) pairs with v1.13.5',
      );
    });

    test('fails when two write the same Cluster (namespace and name): one destroy would delete the other', () => {
      const twin = openstack();
      twin.cluster.provision.name = 'de-ber';
      // The same file written from the home directory instead of with ~.
      twin.cluster.provision.management.kubeconfig.path = `${os.homedir()}/.kube/capi-management.yaml`;
      const lines = failure(withSecond(twin));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /jurisdictions\.de-muc\.cluster\.provision\.name {2}"de-ber" writes its Cluster capi-de-ber\/de-ber on the same management cluster/,
      );
      // A name of its own, in the same namespace: nothing collides.
      const own = openstack();
      own.cluster.provision.name = 'de-muc';
      expect(() => parseSpec(withSecond(own), 'spec.yaml')).not.toThrow();
    });

    test('accepted: the same provider, or another context, or another file', () => {
      const os2 = openstack();
      os2.cluster.provision.namespace = 'capi-de-muc';
      expect(Object.keys(parseSpec(withSecond(os2), 'spec.yaml').spec.jurisdictions)).toEqual([
        'de-ber',
        'de-muc',
      ]);
      for (const edit of [
        (k: Json) => (k.context = 'capi-management-muc'),
        (k: Json) => (k.path = '~/.kube/capi-management-muc.yaml'),
      ]) {
        const m3 = metal3();
        edit(m3.cluster.provision.management.kubeconfig);
        expect(() => parseSpec(withSecond(m3), 'spec.yaml')).not.toThrow();
      }
    });
  });

  test('fails on a version written with leading zeros (no such release, no such node image)', () => {
    for (const v of ['v01.34.3', 'v1.034.3', 'v1.34.03'])
      expect(
        failure(example.replace('kubernetesVersion: v1.34.3', `kubernetesVersion: ${v}`)).join('\n'),
      ).toContain('cluster.provision.kubernetesVersion  a Kubernetes version looks like v1.34.3');
  });

  test('fails when the Kubernetes version is outside Cluster API v1.14.0 (validate says so, located at the field)', () => {
    const lines = failure(example.replace('kubernetesVersion: v1.34.3', 'kubernetesVersion: v1.30.2'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^spec\.yaml:\d+:\d+ {2}jurisdictions\.de-ber\.cluster\.provision\.kubernetesVersion {2}v1\.30\.2 is outside what Cluster API v1\.14\.0 supports for workload clusters: v1\.31 to v1\.36 \(kubernetes-sigs\/cluster-api v1\.14\.0 docs\/book\/src\/reference\/versions\.md/,
    );
  });

  test('fails when a pool gives both replicas and autoscaling, or the control plane is even', () => {
    const text = failure(
      example
        .replace(
          'autoscaling: { minReplicas: 1, maxReplicas: 3 }',
          'autoscaling: { minReplicas: 1, maxReplicas: 3 }\n            replicas: 2',
        )
        .replace(
          'replicas: 3\n          flavor: SCS-4V-16-50',
          'replicas: 2\n          flavor: SCS-4V-16-50',
        ),
    ).join('\n');
    expect(text).toContain(
      'cluster.provision.pools.h100  give exactly one of replicas (a fixed count) or autoscaling',
    );
    expect(text).toContain(
      'cluster.provision.controlPlane.replicas  2 control-plane machines: use an odd number',
    );
  });

  test("fails when a jurisdiction takes the name of another one's provisioning stack", () => {
    const clash = example.replace(
      'jurisdictions:\n',
      "jurisdictions:\n  de-ber-provision:\n    profile: none\n    cluster: { kubeconfig: { path: k, context: c } }\n    backend: { type: local }\n    sovereignty: { registries: [r.x.example], chartRepository: oci://r.x.example/c, hosts: ['*.x.example'] }\n",
    );
    expect(failure(clash).join('\n')).toContain(
      'jurisdictions.de-ber-provision  the name is taken by the provisioning stack of jurisdiction "de-ber"',
    );
  });

  test('an existing-cluster pool still needs its nodes', () => {
    const text = fs.readFileSync('examples/minimal.yaml', 'utf8').replace(', nodes: [lab-gpu-01]', '');
    expect(failure(text).join('\n')).toContain('jurisdictions.lab.pools.gpu  nodes is required');
  });
});

describe('state of the provisioning stack', () => {
  test('in the kubernetes backend it lives on the management cluster, beside, not in, the serving state', () => {
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(
        '      type: s3\n      endpoint: https://s3.ber.sovereign-cloud.de.example\n      bucket: platform-tfstate\n',
        '      type: kubernetes\n',
      );
    const { stacks } = synthSpec('spec.yaml', text);
    expect(stacks['de-ber-provision'].terraform.backend.kubernetes).toEqual({
      config_context: 'capi-management-ber',
      config_path: '~/.kube/capi-management.yaml',
      namespace: 'terraform-state',
      secret_suffix: 'de-ber-provision',
    });
    expect(stacks['de-ber'].terraform.backend.kubernetes).toMatchObject({
      config_context: 'de-ber-admin@de-ber',
      secret_suffix: 'de-ber',
    });
  });
});

describe('provisionBackend', () => {
  test("never shares the serving stack's state", () => {
    expect(provisionBackend({ type: 'local', path: 'terraform.de.tfstate' })).toEqual({
      type: 'local',
      path: 'terraform.de.provision.tfstate',
    });
    expect(provisionBackend({ type: 'local', path: 'state/de' })).toEqual({
      type: 'local',
      path: 'state/de.provision',
    });
    expect(provisionBackend({ type: 'kubernetes', secretSuffix: 'de', namespace: 'tf' })).toEqual({
      type: 'kubernetes',
      secretSuffix: 'de-provision',
      namespace: 'tf',
    });
    expect(provisionBackend({ type: 'pg', schemaName: 'de' })).toEqual({
      type: 'pg',
      schemaName: 'de_provision',
    });
  });
});

describe('examples/provisioned-metal3.yaml: the same jurisdiction on bare metal (Metal3)', () => {
  const out = synthExample('examples/provisioned-metal3.yaml');
  const prov = out.stacks['de-ber-provision'];
  const serving = out.stacks['de-ber'];
  const all = resources(prov, 'kubernetes_manifest') as Json[];

  test('every object is valid against the CRDs of Cluster API v1.13.5, the release CAPM3 v1.13.2 pairs with; Metal3 templates instead of CAPO ones', () => {
    // CAPM3 v1.13.2's README pairs it with Cluster API v1.13 only: not v1.14.
    expect(prov.output.cluster_api_release.value).toBe('v1.13.5');
    expect(prov.output.cluster_api_release.description).toContain('v1.13.5 or a later v1.13 patch');
    for (const r of all) {
      const fixture = crdFixtureFor(r.manifest.kind, 'v1.13.5');
      if (!/^Metal3/.test(r.manifest.kind)) expect(fixture).toMatch(/^cluster-api-v1\.13\.5\//);
      expect([r.manifest.kind, crdProblems(fixture, r.manifest)]).toEqual([r.manifest.kind, []]);
    }
    const kinds = new Set(all.map((r) => r.manifest.kind as string));
    expect(kinds).toEqual(new Set(Object.keys(CRD_OF_KIND).filter((k) => !k.startsWith('OpenStack'))));
  });

  test('the audit report names Cluster API v1.13 for the management cluster, not v1.14', () => {
    const stacks = Object.entries(out.stacks).map(([name, json]) => ({ name, json }));
    const report = buildReport(evaluateStacks(stacks, { today: '2026-12-07' }), { now: 'x' });
    const p = report.stacks.find((s) => s.name === 'de-ber-provision')!;
    const names = p.clusterRequirements.map((r) => r.requirement);
    expect(names).toEqual([
      'Cluster API controller flag --additional-sync-machine-labels matching sovereign-stack.io',
      'Cluster API v1.13 (v1.13.5 or a later v1.13 patch)',
      'Cluster API v1.13 feature gate ClusterTopology=true',
      'Cluster API v1.13 feature gate MachineTaintPropagation=true',
      'cluster-autoscaler with --cloud-provider=clusterapi',
      'infrastructure provider: Cluster API Provider Metal3 (CAPM3) v1.13.2 with Ironic and the Bare Metal Operator, infrastructure.cluster.x-k8s.io/v1beta2',
      'management cluster on Kubernetes v1.32 to v1.36',
    ]);
    expect(names.join('\n')).not.toContain('v1.14');
    const release = p.clusterRequirements.find((r) => r.requirement.startsWith('Cluster API v1.13 ('))!;
    expect(release.why).toContain(
      'Cluster API Provider Metal3 (CAPM3) v1.13.2 is documented for Cluster API v1.13 only (metal3-io/cluster-api-provider-metal3 v1.13.2 README.md',
    );
    expect(release.why).toContain('go.mod builds against v1.13.4');
    expect(release.why).toContain('v1.13.5 is the newest Cluster API release in that range');
    expect(release.why).toContain(
      'on a minor outside the range the provider runs outside its documented matrix',
    );
    const md = renderMarkdown(report);
    expect(md).toContain(
      '| Cluster API v1.13 (v1.13.5 or a later v1.13 patch) | Cluster API Provider Metal3',
    );
    expect(md).toContain(
      '| Cluster API v1.13 feature gate MachineTaintPropagation=true | node pools carry taints',
    );
  });

  test('passes the policy gate; the image URLs, the control-plane address and the time servers are judged', () => {
    const stacks = Object.entries(out.stacks).map(([name, json]) => ({ name, json }));
    expect(() => enforce(stacks)).not.toThrow();
    const rows = evaluateStacks(stacks)
      .stacks.find((s) => s.stack.name === 'de-ber-provision')!
      .rows.filter((r) => r.rule === 'SOV-012' && r.address.startsWith('kubernetes_manifest.'));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['passed']));
  });

  test("the GPU pool's host selector, labels, taint, GPU count and autoscaler bounds reach its machines", () => {
    const h100 = mdOf(prov, 'h100');
    expect(h100.metadata.labels).toMatchObject({ 'sovereign-stack.io/gpu-pool': 'h100' });
    expect(h100.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule', propagation: 'Always' },
    ]);
    expect(h100.metadata.annotations).toMatchObject({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '1',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '2',
      'capacity.cluster-autoscaler.kubernetes.io/gpu-count': '8',
    });
    const cls = objectOf(prov, 'ClusterClass').spec;
    const ref = cls.workers.machineDeployments.find((w: Json) => w.class === 'h100').infrastructure
      .templateRef;
    const m = all.find((r) => r.manifest.metadata.name === ref.name)!.manifest;
    expect(m.spec.template.spec.hostSelector).toEqual({
      matchLabels: { 'sovereign-stack.io/host-class': 'gpu-8xh100' },
    });
    expect(m.spec.template.spec.image.url).toBe(
      'https://images.ber.sovereign-cloud.de.example/capi/ubuntu-2404-kube-v1.34.3-nvidia.raw',
    );
    expect(serving['//'].sovereign.pools).toEqual([
      expect.objectContaining({ name: 'h100', gpusPerNode: 8, nodeCount: 2 }),
    ]);
  });

  test('NTP on every kubeadm config; no credential anywhere in the output', () => {
    for (const r of all.filter((x) => /^Kubeadm/.test(x.manifest.kind))) {
      const spec = r.manifest.spec.template.spec;
      expect((spec.kubeadmConfigSpec ?? spec).ntp.servers).toEqual([
        'ntp1.ber.sovereign-cloud.de.example',
        '10.60.255.4',
      ]);
    }
    const text = Object.values(out.files).join('\n');
    for (const bad of [/password/i, /credentialsName/, /bmc/i, /ipmi|redfish/i, /BEGIN [A-Z ]*PRIVATE KEY/])
      expect(text).not.toMatch(bad);
  });

  test('fails on an image from outside, a lookalike image host, OpenStack fields on bare metal', () => {
    const example = fs.readFileSync('examples/provisioned-metal3.yaml', 'utf8');
    const text = failure(
      example
        .replace(
          'https://images.ber.sovereign-cloud.de.example/capi/ubuntu-2404-kube-v1.34.3.raw',
          'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img',
        )
        .replace(
          'https://images.ber.sovereign-cloud.de.example/capi/ubuntu-2404-kube-v1.34.3-nvidia.raw',
          'https://images.ber.sovereign-cloud.de.example.attacker.net/x.raw',
        )
        .replace('hostSelector: { sovereign-stack.io/host-class: cpu }', 'flavor: SCS-16V-64-100'),
    ).join('\n');
    expect(text).toContain(
      'cluster.provision.metal3.image.url  the disk image host "cloud-images.ubuntu.com" is outside',
    );
    expect(text).toContain(
      'cluster.provision.pools.h100.diskImage.url  the disk image host "images.ber.sovereign-cloud.de.example.attacker.net" is outside',
    );
    expect(text).toContain('cluster.provision.pools.cpu.flavor  flavor is an OpenStack field');
    expect(text).toContain('cluster.provision.pools.cpu  hostSelector is required');
  });

  test('fails on a signed image URL in validate as in synth, without echoing its token', () => {
    const example = fs.readFileSync('examples/provisioned-metal3.yaml', 'utf8');
    const text = failure(
      example.replace(
        'ubuntu-2404-kube-v1.34.3-nvidia.raw',
        'ubuntu-2404-kube-v1.34.3-nvidia.raw?X-Amz-Signature=c2VjcmV0',
      ),
    ).join('\n');
    expect(text).toContain(
      'cluster.provision.pools.h100.diskImage.url  "https://images.ber.sovereign-cloud.de.example/capi/ubuntu-2404-kube-v1.34.3-nvidia.raw?…" has a query or fragment',
    );
    expect(text).not.toContain('c2VjcmV0');
  });
});
