import { rule } from '../../../policy/rules/sov-012-endpoints-in-jurisdiction';
import { exampleStack, runOn, unknowns, withResource, type Any } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-012 every endpoint inside the jurisdiction', () => {
  test('passes the example (s3, cluster API, chart mirror, in-cluster service URLs)', () =>
    expectExampleCompliant(rule));
  test('is not suppressible', () => expect(rule.suppressible).toBe(false));
  test('fails on foreign endpoints in the provider, a workload env, helm values and a host:port', () => {
    const j = exampleStack();
    j.provider.kubernetes[0].host = 'https://api.eks.amazonaws.com:443';
    j.resource.kubernetes_job_v1.weights_llama.spec.template.spec.container[0].env[0].value =
      'https://huggingface.co';
    j.resource.helm_release.gpu_operator.values.push('proxy:\n  url: http://proxy.example.com:3128\n');
    j.resource.helm_release.gpu_operator.set.push({
      name: 'telemetry.endpoint',
      value: 'collector.example.net:4317',
    });
    expect(failuresOn(rule, j).sort()).toEqual(
      [
        "provider.kubernetes host: https://api.eks.amazonaws.com:443 names api.eks.amazonaws.com, outside the jurisdiction's declared hosts",
        "helm_release.gpu_operator values[2]: http://proxy.example.com:3128 names proxy.example.com, outside the jurisdiction's declared hosts",
        "helm_release.gpu_operator values[2].proxy.url: http://proxy.example.com:3128 names proxy.example.com, outside the jurisdiction's declared hosts",
        "helm_release.gpu_operator set[3].value: collector.example.net:4317 names collector.example.net, outside the jurisdiction's declared hosts",
        "helm_release.gpu_operator set.telemetry.endpoint: collector.example.net:4317 names collector.example.net, outside the jurisdiction's declared hosts",
        "kubernetes_job_v1.weights_llama spec.template.spec.container[0].env[0].value: https://huggingface.co names huggingface.co, outside the jurisdiction's declared hosts",
      ].sort(),
    );
  });
  test("fails on a typed workload's resolvers outside the CIDRs and a public host without a scheme", () => {
    const j = exampleStack();
    const pod = j.resource.kubernetes_job_v1.weights_llama.spec.template.spec;
    pod.dns_policy = 'None';
    pod.dns_config = [{ nameservers: ['10.20.0.53', '1.1.1.1', 'dns.example.net'] }];
    pod.container[0].args = ['sync', 'huggingface.co/meta-llama/x', '/models'];
    expect(failuresOn(rule, j).sort()).toEqual([
      'kubernetes_job_v1.weights_llama spec.template.spec.container[0].args[1]: huggingface.co/meta-llama/x names huggingface.co, a public service outside the jurisdiction (written without a scheme, which tools add)',
      `kubernetes_job_v1.weights_llama spec.template.spec.dns_config.nameservers[1]: the pod's nameserver "1.1.1.1" is outside the jurisdiction's declared CIDRs (10.20.0.0/16): names would be resolved from outside`,
      `kubernetes_job_v1.weights_llama spec.template.spec.dns_config.nameservers[2]: the pod's nameserver "dns.example.net" is not an IP address: names would be resolved from outside`,
    ]);
  });
  test('fails on the host a process joins or sends work to (--master-addr, --address, --rpc), however written', () => {
    const j = exampleStack();
    const c = j.resource.kubernetes_job_v1.weights_llama.spec.template.spec.container[0];
    c.command = ['/bin/sh', '-c', 'ray start --address="ray.example.net:6379" --block'];
    c.args = [
      'serve',
      '--master-addr',
      'leader.vllm.example.org',
      '--data_parallel_address=203.0.113.9',
      '--rpc',
      '10.20.0.7:50052,rpc.example.com:50052',
      '--rpc',
      'rpc2.example.com',
    ];
    const why =
      "outside the jurisdiction's declared hosts and CIDRs: the process would join or send work there";
    expect(failuresOn(rule, j).sort()).toEqual(
      [
        // host:port is judged by the scan of every string, with its own words
        "kubernetes_job_v1.weights_llama spec.template.spec.container[0].command[2]: ray.example.net:6379 names ray.example.net, outside the jurisdiction's declared hosts",
        `kubernetes_job_v1.weights_llama spec.template.spec.container[0].args[2]: --master-addr leader.vllm.example.org names leader.vllm.example.org, ${why}`,
        `kubernetes_job_v1.weights_llama spec.template.spec.container[0].args[3]: --data_parallel_address 203.0.113.9 names 203.0.113.9, ${why}`,
        "kubernetes_job_v1.weights_llama spec.template.spec.container[0].args[5]: rpc.example.com:50052 names rpc.example.com, outside the jurisdiction's declared hosts",
        `kubernetes_job_v1.weights_llama spec.template.spec.container[0].args[7]: --rpc rpc2.example.com names rpc2.example.com, ${why}`,
      ].sort(),
    );
    // The pod's own environment, in-cluster names and addresses inside the CIDRs pass.
    c.command = ['/bin/sh', '-c', 'ray start --address="$LWS_LEADER_ADDRESS:6379" --block'];
    c.args = [
      '--master-addr',
      '$(LWS_LEADER_ADDRESS)',
      '--address',
      'leader.ns.svc',
      '--rpc',
      '10.20.0.7:50052',
    ];
    expect(failuresOn(rule, j)).toEqual([]);
  });

  test('IP endpoints are judged against allowed CIDRs', () => {
    const j = exampleStack();
    j.provider.kubernetes[0].host = 'https://10.20.0.1:6443';
    expect(failuresOn(rule, j)).toEqual([]);
    j.provider.kubernetes[0].host = 'https://192.0.2.10:6443';
    expect(failuresOn(rule, j)).toEqual([
      "provider.kubernetes host: https://192.0.2.10:6443 names 192.0.2.10, outside the jurisdiction's declared hosts",
    ]);
  });
  test('an unresolved host is unknown', () => {
    const j = exampleStack();
    j.provider.kubernetes[0].host = 'https://${var.api_host}:6443';
    expect(unknowns(runOn(rule, j)).map((o) => o.address)).toEqual(['provider.kubernetes']);
  });

  test('judges the hosts a Gateway and its routes serve, wildcards and lookalikes included', () => {
    const j = exampleStack();
    const manifest = (kind: string, spec: Record<string, unknown>) => ({
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind,
        metadata: { name: 'x', namespace: 'llm' },
        spec,
      },
    });
    j.resource.kubernetes_manifest = {
      gw_ok: manifest('Gateway', {
        listeners: [
          { name: 'a', hostname: 'llm.de.example' },
          { name: 'b', hostname: '*.de.example' },
        ],
      }),
      gw_bad: manifest('Gateway', { listeners: [{ name: 'a', hostname: 'llm.de.example.attacker.io' }] }),
      route_bad: manifest('HTTPRoute', { hostnames: ['llm.de.example', '*.attacker.io'] }),
    };
    expect(failuresOn(rule, j).sort()).toEqual([
      "kubernetes_manifest.gw_bad manifest.spec.listeners[0].hostname: llm.de.example.attacker.io is served by the gateway but lies outside the jurisdiction's declared hosts",
      "kubernetes_manifest.route_bad manifest.spec.hostnames[1]: *.attacker.io is served by the gateway but lies outside the jurisdiction's declared hosts",
    ]);
  });
});

describe('SOV-012 on Cluster API objects (bare addresses and ranges)', () => {
  const cluster = (over: (spec: Any) => void = () => {}) => {
    const spec = {
      clusterNetwork: {
        pods: { cidrBlocks: ['10.20.64.0/18'] },
        services: { cidrBlocks: ['10.20.128.0/20'] },
      },
      topology: {
        classRef: { name: 'openstack-scs2-1-34-v2' },
        version: 'v1.34.3',
        variables: [
          { name: 'dnsNameservers', value: ['10.20.255.2'] },
          { name: 'imageName', value: 'ubuntu-capi-image' },
        ],
      },
    };
    over(spec);
    return withResource(exampleStack(), 'kubernetes_manifest', 'cluster', {
      manifest: { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'de' }, spec },
    });
  };

  test('passes addresses and ranges inside the declared CIDRs, and judges them', () => {
    expect(failuresOn(rule, cluster())).toEqual([]);
    expect(runOn(rule, cluster()).filter((o) => o.address === 'kubernetes_manifest.cluster')).toEqual([
      expect.objectContaining({ status: 'compliant' }),
    ]);
  });

  test('fails on a public nameserver, wherever in the spec it hides', () => {
    const j = cluster((s) => {
      s.topology.variables[0].value.push('1.1.1.1');
      s.topology.workers = {
        machineDeployments: [
          { name: 'gpu', variables: { overrides: [{ name: 'ntp', value: ['162.159.200.1'] }] } },
        ],
      };
    });
    expect(failuresOn(rule, j).sort()).toEqual([
      "kubernetes_manifest.cluster manifest.spec.topology.variables[0].value[1]: 1.1.1.1 is an address outside the jurisdiction's declared CIDRs (10.20.0.0/16)",
      "kubernetes_manifest.cluster manifest.spec.topology.workers.machineDeployments[0].variables.overrides[0].value[0]: 162.159.200.1 is an address outside the jurisdiction's declared CIDRs (10.20.0.0/16)",
    ]);
  });

  test('a computed address is unknown, never a pass', () => {
    const j = cluster((s) => (s.topology.variables[0].value = ['${var.dns}']));
    expect(unknowns(runOn(rule, j)).map((o) => o.address)).toContain('kubernetes_manifest.cluster');
  });

  test("a provider's object (OpenStackCluster) is judged the same way; a lookalike group is not Cluster API", () => {
    const osc = (apiVersion: string) =>
      withResource(exampleStack(), 'kubernetes_manifest', 'osc', {
        manifest: {
          apiVersion,
          kind: 'OpenStackCluster',
          metadata: { name: 'de' },
          spec: { managedSubnets: [{ cidr: '10.20.0.0/24', dnsNameservers: ['9.9.9.9'] }] },
        },
      });
    expect(failuresOn(rule, osc('infrastructure.cluster.x-k8s.io/v1beta1'))).toEqual([
      "kubernetes_manifest.osc manifest.spec.managedSubnets[0].dnsNameservers[0]: 9.9.9.9 is an address outside the jurisdiction's declared CIDRs (10.20.0.0/16)",
    ]);
    expect(failuresOn(rule, osc('cluster.x-k8s.io.example.net/v1'))).toEqual([]);
  });

  test('other kinds are left to the endpoint scan: a bare address in a ConfigMap manifest is not judged here', () => {
    const j = withResource(exampleStack(), 'kubernetes_manifest', 'cm', {
      manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { dns: '1.1.1.1' } },
    });
    expect(failuresOn(rule, j)).toEqual([]);
  });
});
