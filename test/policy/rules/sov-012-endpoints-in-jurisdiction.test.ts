import { rule } from '../../../policy/rules/sov-012-endpoints-in-jurisdiction';
import { exampleStack, metadata, runOn, unknowns, withResource, type Any } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

/** A ConfigMap `llm/peers` the stack creates, holding `data`. */
function peersConfigMap(j: Any, data: Record<string, string>): void {
  j.resource.kubernetes_config_map_v1.peers = { metadata: [{ name: 'peers', namespace: 'llm' }], data };
}

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

  describe('the host a process joins, however it is spelled or handed over', () => {
    const job = (j: Any) => j.resource.kubernetes_job_v1.weights_llama.spec.template.spec.container[0];
    const run = (edit: (c: Any) => void) => {
      const j = exampleStack();
      edit(job(j));
      return runOn(rule, j).filter((o) => o.status !== 'compliant' && o.status !== 'not-applicable');
    };
    test.each([
      ['an alias', ['-dpa', 'evil.attacker.net']],
      ['a prefix argparse accepts', ['--master-ad', '8.8.8.8']],
      ['a longer prefix, with =', ['--data-parallel-addr=8.8.8.8']],
      ['an underscore spelling', ['--master_addr', 'evil.attacker.net']],
      ['a decimal address', ['--master-addr', '134744072']],
      ['an address in a JSON option', ['--kv-transfer-config', '{"kv_ip":"8.8.8.8","kv_port":14579}']],
      ['an address in a dotted option', ['--kv-transfer-config.kv_ip', '8.8.8.8']],
    ])('%s fails', (_what, args) => {
      const found = run((c) => (c.args = ['serve', ...(args as string[])]));
      expect(found.map((o) => o.status)).toContain('non-compliant');
    });
    test('a Kubernetes variable is expanded from the container environment', () => {
      const found = run((c) => {
        c.env = [
          { name: 'LEADER', value: '8.8.8.8' },
          { name: 'E', value: '' },
        ];
        c.args = ['--master-addr', '$(LEADER)', '--data-parallel-address', '$(E)evil.attacker.net'];
      });
      expect(found.map((o) => [o.status, (o.message ?? '').split(' names ')[1]?.split(',')[0]])).toEqual([
        ['non-compliant', '8.8.8.8'],
        ['non-compliant', 'evil.attacker.net'],
      ]);
    });
    test("a script's own assignment is followed; a value from a Secret cannot be: unknown, never a pass", () => {
      const found = run((c) => {
        c.env = [{ name: 'FROM_SECRET', value_from: [{ secret_key_ref: [{ name: 's', key: 'k' }] }] }];
        c.command = ['/bin/sh', '-c', 'H=evil.attacker.net; exec vllm serve --master-addr $H'];
        c.args = ['--master-addr', '$(FROM_SECRET)'];
      });
      expect(found.map((o) => o.status)).toEqual(['non-compliant', 'unknown']);
    });
    test("a script's quotes are removed as the shell removes them", () => {
      const found = run(
        (c) => (c.command = ['/bin/sh', '-c', "exec vllm serve --master-addr ev''il.attacker.net"]),
      );
      expect(found.map((o) => o.message)).toEqual([
        "--master-addr ev''il.attacker.net (evil.attacker.net) names evil.attacker.net, outside the jurisdiction's declared hosts and CIDRs: the process would join or send work there",
      ]);
    });
    test('a ConfigMap handed to the engine as its config file', () => {
      const j = exampleStack();
      j.resource.kubernetes_config_map_v1 = {
        extra: {
          metadata: [{ name: 'extra', namespace: 'llm' }],
          data: { 'extra.yaml': 'master-addr: evil.attacker.net\nport: 8000\n' },
        },
      };
      expect(failuresOn(rule, j)).toEqual([
        "kubernetes_config_map_v1.extra data.extra.yaml: master-addr: evil.attacker.net names evil.attacker.net, outside the jurisdiction's declared hosts and CIDRs: the engine reading this file would join or send work there",
      ]);
    });
    test('the group leader the controller provides, in-cluster names and addresses inside the CIDRs pass', () => {
      const found = run((c) => {
        c.command = ['/bin/sh', '-c', 'exec vllm serve --master-addr "$LWS_LEADER_ADDRESS" --host 0.0.0.0'];
        c.args = [
          '--master-a',
          '$(LWS_LEADER_ADDRESS)',
          '-dpa',
          'leader.llm.svc',
          '--kv-transfer-config',
          '{"kv_ip":"10.20.0.9"}',
        ];
      });
      expect(found).toEqual([]);
    });
  });

  describe('IPv6 literals, judged against the CIDRs as IPv4 is', () => {
    const why =
      "outside the jurisdiction's declared hosts and CIDRs: the process would join or send work there";
    const v6 = (cidrs: string[] = ['10.20.0.0/16', '2001:db8:20::/48']) =>
      metadata({ allowed: { ...metadata().allowed, cidrs } });
    /** Non-passing outcomes of the rule after `edit` on the weights job's container, as `status path: message`. */
    const found = (edit: (c: Any) => void, meta = v6()) => {
      const j = exampleStack(meta);
      edit(j.resource.kubernetes_job_v1.weights_llama.spec.template.spec.container[0]);
      return runOn(rule, j)
        .filter((o) => o.status !== 'compliant' && o.status !== 'not-applicable')
        .map((o) => `${o.status} ${o.path!.replace('spec.template.spec.container[0].', '')}: ${o.message}`);
    };
    test.each([
      ['a global address', ['--master-addr', '2001:4860:4860::8888'], '2001:4860:4860::8888'],
      ['upper case, uncompressed', ['--master-addr', '2606:4700:0:0:0:0:0:1111'], '2606:4700:0:0:0:0:0:1111'],
      ['bracketed after =', ['--master-addr=[2001:db8::1]'], '2001:db8::1'],
      ['bracketed with a port', ['--rpc', '[2606:4700::1111]:50052'], '2606:4700::1111'],
      ['unbracketed with a port', ['--rpc', '2001:db8::1:50052'], '2001:db8::1'],
      ['link-local with a zone id', ['--master-addr', 'fe80::1%eth0'], 'fe80::1%eth0'],
      ['IPv4-mapped', ['--master-addr', '::ffff:8.8.8.8'], '::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8)'],
      [
        'IPv4-mapped in hex, upper case',
        ['--master-addr', '::FFFF:808:808'],
        '::ffff:808:808 (IPv4-mapped 8.8.8.8)',
      ],
      ['IPv4-compatible', ['--master-addr', '::8.8.8.8'], '::8.8.8.8 (IPv4-compatible 8.8.8.8)'],
      ['NAT64', ['-dpa', '64:ff9b::8.8.8.8'], '64:ff9b::8.8.8.8 (NAT64 8.8.8.8)'],
      // inet_pton refuses a leading zero, inet_aton reads it as octal: not read as 10.20.0.1
      ['a leading zero in the IPv4 part', ['--master-addr', '::ffff:010.20.0.1'], '::ffff:010.20.0.1'],
    ])('fails on %s after a host flag, naming the whole literal', (_what, args, names) => {
      // One finding for the flag (a word that is no address may hold an IPv4 address judged apart).
      const msgs = found((c) => (c.args = ['serve', ...args])).filter((x) => x.includes(' names '));
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatch(/^non-compliant args\[\d\]: /);
      expect(msgs[0]).toContain(` names ${names}, ${why}`);
    });
    test('fails on a literal a shell script or a JSON option names, once per literal', () => {
      expect(
        found((c) => {
          c.command = ['/bin/sh', '-c', 'exec vllm serve --master-addr [2606:4700::1111] --port 8000'];
          c.args = [
            '--kv-transfer-config',
            '{"kv_ip":"::ffff:8.8.8.8","peer":"2606:4700::1001","nat":"64:ff9b::808:808"}',
            '--kv-peer=[2001:DB8::9]:14579',
          ];
        }),
      ).toEqual([
        `non-compliant command[2]: --master-addr [2606:4700::1111] names 2606:4700::1111, ${why}`,
        "non-compliant args[1]: ::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8) is an address outside the jurisdiction's declared CIDRs",
        "non-compliant args[1]: 2606:4700::1001 is an address outside the jurisdiction's declared CIDRs",
        "non-compliant args[1]: 64:ff9b::808:808 (NAT64 8.8.8.8) is an address outside the jurisdiction's declared CIDRs",
        "non-compliant args[2]: 2001:db8::9 is an address outside the jurisdiction's declared CIDRs",
      ]);
    });
    test('fails on an IPv6 URL, a config file, a pod resolver and a Cluster API address that carry an outside IPv4', () => {
      const j = exampleStack(v6());
      const pod = j.resource.kubernetes_job_v1.weights_llama.spec.template.spec;
      pod.container[0].env[0].value = 'http://[::ffff:8.8.8.8]:8000/';
      pod.dns_policy = 'None';
      pod.dns_config = [{ nameservers: ['::ffff:10.20.0.53', '::ffff:1.1.1.1'] }];
      j.resource.kubernetes_config_map_v1 = {
        extra: { metadata: [{ name: 'extra' }], data: { 'c.json': '{"master_addr": "[2606:4700::1111]"}' } },
      };
      j.resource.kubernetes_manifest = {
        cluster: {
          manifest: {
            apiVersion: 'cluster.x-k8s.io/v1beta2',
            kind: 'Cluster',
            metadata: { name: 'de' },
            spec: {
              dns: ['::ffff:10.20.255.2', '::ffff:1.1.1.1', '2001:db8:20::53'],
              pods: ['::ffff:8.8.8.0/120'],
            },
          },
        },
      };
      expect(failuresOn(rule, j).sort()).toEqual(
        [
          "kubernetes_job_v1.weights_llama spec.template.spec.container[0].env[0].value: http://[::ffff:8.8.8.8]:8000 names ::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8), outside the jurisdiction's declared hosts",
          `kubernetes_job_v1.weights_llama spec.template.spec.dns_config.nameservers[1]: the pod's nameserver "::ffff:1.1.1.1" is outside the jurisdiction's declared CIDRs (10.20.0.0/16, 2001:db8:20::/48): names would be resolved from outside`,
          "kubernetes_config_map_v1.extra data.c.json: master_addr: [2606:4700::1111] names 2606:4700::1111, outside the jurisdiction's declared hosts and CIDRs: the engine reading this file would join or send work there",
          "kubernetes_manifest.cluster manifest.spec.dns[1]: ::ffff:1.1.1.1 (IPv4-mapped 1.1.1.1) is an address outside the jurisdiction's declared CIDRs (10.20.0.0/16, 2001:db8:20::/48)",
          "kubernetes_manifest.cluster manifest.spec.pods[0]: ::ffff:8.8.8.0/120 (IPv4-mapped 8.8.8.0/24) is an address outside the jurisdiction's declared CIDRs (10.20.0.0/16, 2001:db8:20::/48)",
        ].sort(),
      );
    });
    test('fails on a dotted IPv4 address inside a word that only looks like IPv6', () => {
      expect(found((c) => (c.args = ['--kv-peer=ab:cd:8.8.8.8', '--x', '1::1.1.1.1', 'x[::2]']))).toEqual([
        "non-compliant args[0]: 8.8.8.8 is an address outside the jurisdiction's declared CIDRs",
        "non-compliant args[2]: 1.1.1.1 is an address outside the jurisdiction's declared CIDRs",
      ]);
    });
    test('passes addresses inside the CIDRs in every form, the loopback, and an IPv4-mapped address inside', () => {
      expect(
        found((c) => {
          c.command = ['/bin/sh', '-c', 'exec vllm serve --master-addr [2001:DB8:20::7] --host ::'];
          c.args = [
            '--master-addr',
            '2001:db8:20:0:0:0:0:7',
            '--rpc',
            '[2001:db8:20::8]:50052,2001:db8:20::9:50052',
            '--data-parallel-address',
            '::ffff:10.20.0.9',
            '--address',
            '::1',
            '--kv-transfer-config',
            '{"kv_ip":"::ffff:a14:9","loopback":"[::1]:14579","local":"::ffff:127.0.0.1"}',
          ];
        }),
      ).toEqual([]);
    });
    test('fails on a link-local address unless the jurisdiction declares the link-local range', () => {
      const edit = (c: Any) => (c.args = ['--master-addr', 'fe80::1%eth0']);
      expect(found(edit)).toEqual([
        `non-compliant args[1]: --master-addr fe80::1%eth0 names fe80::1%eth0, ${why}`,
      ]);
      expect(found(edit, v6(['10.20.0.0/16', 'fe80::/10']))).toEqual([]);
    });
    test('does not read timestamps, digests, MAC addresses or code as addresses', () => {
      expect(
        found((c) => {
          c.command = [
            'python3',
            '-c',
            'import sys; print(sys.argv[1:][::2], x[1::3], "12:30:45"); // std::vector<a::b>',
          ];
          c.args = [
            '--since=2026-12-08T12:30:45Z',
            'at 12:30:45.123',
            `registry.de.example/x@sha256:${'ab'.repeat(32)}`,
            '00:1a:2b:3c:4d:5e',
            'AA:BB:CC:DD:EE:FF',
            '::',
            'a::b',
          ];
        }),
      ).toEqual([]);
    });
  });

  describe("peer addresses a container's environment hands its processes", () => {
    const v6 = () =>
      metadata({ allowed: { ...metadata().allowed, cidrs: ['10.20.0.0/16', '2001:db8:20::/48'] } });
    /** Non-passing outcomes after `edit` on the weights job (its container is `sync`), as `status path: message`. */
    const found = (edit: (j: Any, c: Any) => void) => {
      const j = exampleStack(v6());
      edit(j, j.resource.kubernetes_job_v1.weights_llama.spec.template.spec.container[0]);
      return runOn(rule, j)
        .filter((o) => o.status !== 'compliant' && o.status !== 'not-applicable')
        .map((o) => `${o.status} ${o.path!.replace('spec.template.spec.container[0].', '')}: ${o.message}`);
    };
    const why = "outside the jurisdiction's declared hosts and CIDRs";
    test.each([
      ['MASTER_ADDR', '8.8.8.8', '8.8.8.8', 'torch.distributed would join its rendezvous there'],
      ['MASTER_ADDR', 'rendezvous.attacker.example', 'rendezvous.attacker.example', 'torch.distributed'],
      ['VLLM_DP_MASTER_IP', '2001:4860:4860::8888', '2001:4860:4860::8888', 'data-parallel group'],
      ['VLLM_HOST_IP', '::ffff:8.8.8.8', '::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8)', 'give it to its peers'],
      ['VLLM_NIXL_SIDE_CHANNEL_HOST', 'kv.attacker.example', 'kv.attacker.example', 'KV-transfer handshake'],
      ['VLLM_LOOPBACK_IP', '203.0.113.9', '203.0.113.9', 'connect to each other'],
      ['RAY_ADDRESS', '[2606:4700::1111]:6379', '2606:4700::1111', 'Ray would connect'],
      ['NCCL_COMM_ID', '64:FF9B::808:808', '64:ff9b::808:808 (NAT64 8.8.8.8)', 'NCCL would bootstrap'],
      [
        'LWS_LEADER_ADDRESS',
        'leader.llm.svc.attacker.example',
        'leader.llm.svc.attacker.example',
        'their leader',
      ],
      ['MASTER_ADDR', '134744072', '8.8.8.8', 'torch.distributed'],
    ])('fails on %s=%s, naming the container, the variable and the host', (name, value, host, role) => {
      const msgs = found((_j, c) => c.env.push({ name, value }));
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatch(new RegExp(`^non-compliant env\\[\\d+\\]\\.value: container sync: ${name}=`));
      expect(msgs[0]).toContain(` names ${host}, ${why}: `);
      expect(msgs[0]).toContain(role);
    });
    test('fails on one outside server of an LLAMA_ARG_RPC list, named with it', () => {
      expect(
        found((_j, c) => c.env.push({ name: 'LLAMA_ARG_RPC', value: '10.20.0.7:50052,2001:db8::9:50052' })),
      ).toEqual([
        `non-compliant env[3].value: container sync: LLAMA_ARG_RPC=10.20.0.7:50052,2001:db8::9:50052 names 2001:db8::9 (2001:db8::9:50052), ${why}: llama-server would offload layers there`,
      ]);
    });
    test('fails on a $(NAME) reference expanded from the environment, and on a ConfigMap the stack creates', () => {
      expect(
        found((j, c) => {
          peersConfigMap(j, { leader: 'evil.attacker.example', NCCL_COMM_ID: '[2606:4700::1001]:29500' });
          c.env.push(
            { name: 'PEER', value: '8.8.8.8' },
            { name: 'MASTER_ADDR', value: '$(PEER)' },
            {
              name: 'VLLM_DP_MASTER_IP',
              value_from: { config_map_key_ref: { name: 'peers', key: 'leader' } },
            },
          );
          c.env_from = [{ config_map_ref: { name: '${kubernetes_config_map_v1.peers.metadata[0].name}' } }];
        }),
      ).toEqual([
        `non-compliant env[4].value: container sync: MASTER_ADDR=$(PEER) (8.8.8.8) names 8.8.8.8, ${why}: torch.distributed would join its rendezvous there`,
        `non-compliant env[5].value_from: container sync: VLLM_DP_MASTER_IP=evil.attacker.example (from ConfigMap peers key leader) names evil.attacker.example, ${why}: vLLM would join its data-parallel group there`,
        `non-compliant env_from[0]: container sync: NCCL_COMM_ID=[2606:4700::1001]:29500 (from ConfigMap \${kubernetes_config_map_v1.peers.metadata[0].name} key NCCL_COMM_ID) names 2606:4700::1001, ${why}: NCCL would bootstrap its communicator there`,
      ]);
    });
    test('fails on an address a pod label hands over (fieldRef), and on a prefixed envFrom key', () => {
      expect(
        found((j, c) => {
          j.resource.kubernetes_job_v1.weights_llama.spec.template.metadata.labels.peer =
            'peer.attacker.example';
          j.resource.kubernetes_config_map_v1.ray = {
            metadata: { name: 'ray', namespace: 'llm' },
            data: { ADDRESS: 'head.attacker.example' },
          };
          c.env.push({
            name: 'MASTER_ADDR',
            value_from: { field_ref: { field_path: "metadata.labels['peer']" } },
          });
          c.env_from = [{ prefix: 'RAY_', config_map_ref: { name: 'ray' } }];
        }),
      ).toEqual([
        `non-compliant env[3].value_from: container sync: MASTER_ADDR=peer.attacker.example (from the pod's label peer) names peer.attacker.example, ${why}: torch.distributed would join its rendezvous there`,
        `non-compliant env_from[0]: container sync: RAY_ADDRESS=head.attacker.example (from ConfigMap ray key ADDRESS) names head.attacker.example, ${why}: Ray would connect to a cluster there`,
      ]);
    });
    describe('a peer address set in a script, however the shell spells it', () => {
      const script = (text: string) => found((_j, c) => (c.command = ['/bin/sh', '-c', text]));
      const torch = 'torch.distributed would join its rendezvous there';
      test.each([
        ["MASTER_ADDR=ev'il'.example torchrun x.py", "MASTER_ADDR=ev'il'.example (evil.example)"],
        ['export MASTER_ADDR="evil".example', 'MASTER_ADDR="evil".example (evil.example)'],
        ['MASTER_ADDR=evil\\.example exec torchrun x.py', 'MASTER_ADDR=evil\\.example (evil.example)'],
        ['export MASTER_\\\nADDR=evil.example\nexec torchrun x.py', 'MASTER_ADDR=evil.example'],
        ['MASTER_ADDR+=evil.example; export MASTER_ADDR', 'MASTER_ADDR+=evil.example'],
        ["MASTER_ADDR=$'\\x65vil.example' torchrun x.py", "MASTER_ADDR=$'\\x65vil.example' (evil.example)"],
        ["declare -x MASTER_ADDR=$'\\145vil.example'", "MASTER_ADDR=$'\\145vil.example' (evil.example)"],
        ['env "MASTER_ADDR=evil.example" torchrun x.py', 'MASTER_ADDR=evil.example'],
        ['readonly MASTER_ADDR="${HOSTNAME_OF_PEER:-x}"evil.example', undefined],
      ])('%j', (text, shown) => {
        const msgs = script(text);
        if (shown === undefined) {
          expect(msgs).toEqual([
            `unknown command[2]: MASTER_ADDR="\${HOSTNAME_OF_PEER:-x}"evil.example: the address comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)`,
          ]);
          return;
        }
        expect(msgs).toEqual([`non-compliant command[2]: ${shown} names evil.example, ${why}: ${torch}`]);
      });
      test('a value read or computed when the script runs is unknown, never a pass', () => {
        const cannot =
          "the address comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)";
        expect(
          script(
            [
              'MASTER_ADDR=$(cat /etc/peer)',
              'export VLLM_HOST_IP=`hostname -i`',
              'RAY_ADDRESS=$PEER_FROM_SCRIPT',
              "eval 'NCCL_COMM_ID=$(cat /x):29500'",
              'read VLLM_DP_MASTER_IP < /etc/dp',
              'printf -v PET_MASTER_ADDR %s "$1"',
              'exec torchrun x.py',
            ].join('\n'),
          ),
        ).toEqual([
          `unknown command[2]: MASTER_ADDR=$(cat /etc/peer): ${cannot}`,
          `unknown command[2]: VLLM_HOST_IP=\`hostname -i\`: ${cannot}`,
          `unknown command[2]: RAY_ADDRESS=$PEER_FROM_SCRIPT: ${cannot}`,
          "unknown command[2]: eval 'NCCL_COMM_ID=$(cat /x):29500': may set a peer address the audit cannot follow",
          `unknown command[2]: NCCL_COMM_ID=$(cat /x):29500: ${cannot}`,
          'unknown command[2]: read VLLM_DP_MASTER_IP: the address is read when the script runs, which the audit cannot follow',
          'unknown command[2]: printf PET_MASTER_ADDR: the address is read when the script runs, which the audit cannot follow',
        ]);
      });
      test('a script inside a script is read too, and a variable whose name the script computes is unknown', () => {
        expect(
          script(
            [
              `su -c "sh -c 'export MASTER_ADDR=ev""il.example; exec torchrun x.py'" app`,
              'N=MASTER_ADDR; export "$N"=peer.example',
            ].join('\n'),
          ),
        ).toEqual([
          // The script's own `N=MASTER_ADDR` is followed: `export "$N"=…` sets MASTER_ADDR.
          `non-compliant command[2]: MASTER_ADDR=peer.example names peer.example, ${why}: ${torch}`,
          // Read after the outer script: its shell removes the inner `""`, the inner one reads the assignment.
          `non-compliant command[2]: MASTER_ADDR=evil.example names evil.example, ${why}: ${torch}`,
        ]);
      });
      test("a variable the script sets is expanded with the script's value, not the container's", () => {
        const flag = 'the process would join or send work there';
        expect(script('LWS_X=evil.example; exec vllm serve --master-addr $LWS_X')).toEqual([
          `non-compliant command[2]: --master-addr $LWS_X (evil.example) names evil.example, ${why}: ${flag}`,
        ]);
        expect(script('HOME=evil.example; exec vllm serve --master-addr "$HOME"')).toEqual([
          `non-compliant command[2]: --master-addr "$HOME" (evil.example) names evil.example, ${why}: ${flag}`,
        ]);
        // Assigned two different values (a branch each): unknown.
        expect(
          script(
            'if [ -n "$A" ]; then H=lws-group-leader; else H=evil.example; fi; exec vllm serve --master-addr $H',
          ),
        ).toEqual([
          "unknown command[2]: --master-addr $H: the host comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)",
        ]);
      });
      test('a use before the script assigns the name further on is unknown (a loop may have run the assignment)', () => {
        expect(
          found((_j, c) => {
            c.env.push({ name: 'H', value: 'lws-group-leader' });
            c.command = ['/bin/sh', '-c', 'while :; do vllm serve m --master-addr $H; H=evil.example; done'];
          }),
        ).toEqual([
          "unknown command[2]: --master-addr $H: the host comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)",
        ]);
      });
      test('only the variables the LeaderWorkerSet controller sets are known; any other LWS_ name is unknown', () => {
        expect(script('exec vllm serve --master-addr $LWS_FOO')).toEqual([
          "unknown command[2]: --master-addr $LWS_FOO: the host comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)",
        ]);
      });
      test('passes the common idiom: MASTER_ADDR exported from the group leader, then handed to torchrun', () => {
        expect(
          script('export MASTER_ADDR="${LWS_LEADER_ADDRESS}"; exec torchrun --master-addr=$MASTER_ADDR x.py'),
        ).toEqual([]);
      });
      test('a builtin that sets a variable the text does not name, in a script that starts an engine, is unknown', () => {
        const may = 'may set a peer address the audit cannot follow';
        const read = 'the address is read when the script runs, which the audit cannot follow';
        expect(
          script('printf -v MASTER_ADDR %s evil.example; export MASTER_ADDR; exec torchrun x.py'),
        ).toEqual([`unknown command[2]: printf MASTER_ADDR: ${read}`]);
        expect(script('read MASTER_ADDR <<< evil.example; exec torchrun x.py')).toEqual([
          `unknown command[2]: read MASTER_ADDR: ${read}`,
        ]);
        expect(script('mapfile -t MASTER_ADDR < /x; exec torchrun x.py')).toEqual([
          `unknown command[2]: mapfile MASTER_ADDR: ${read}`,
        ]);
        expect(
          script('for MASTER_ADDR in evil.example; do :; done; export MASTER_ADDR; exec torchrun x.py'),
        ).toEqual([
          'unknown command[2]: for MASTER_ADDR: the address is set by a loop, which the audit does not follow',
        ]);
        expect(script('read "$V" <<< evil.example; exec torchrun x.py')).toEqual([
          `unknown command[2]: read "$V": ${may}`,
        ]);
        expect(script('N=MASTER_ADDR; export $N=evil.example; exec torchrun x.py')).toEqual([
          `non-compliant command[2]: MASTER_ADDR=evil.example names evil.example, ${why}: ${torch}`,
        ]);
        expect(script('declare -n R=MASTER_ADDR; R=evil.example; exec torchrun x.py')).toEqual([
          `unknown command[2]: declare -n R=MASTER_ADDR: ${may}`,
        ]);
        expect(script('eval "MASTER_\\${E}ADDR=evil.example"; exec torchrun x.py')).toEqual([
          `unknown command[2]: eval "MASTER_\\\${E}ADDR=evil.example": ${may}`,
        ]);
        expect(script('set -a; . /tmp/f; exec torchrun x.py')).toEqual([
          `unknown command[2]: . /tmp/f: ${may}`,
        ]);
        expect(script('source <(cat /etc/env); exec vllm serve m')).toEqual([
          `unknown command[2]: source of a redirection: ${may}`,
        ]);
        expect(script('source "$HOME/env"; exec vllm serve m')).toEqual([
          `unknown command[2]: source "$HOME/env": ${may}`,
        ]);
        // Without an engine to read it, and for a name that is none of the peer variables, nothing to report.
        expect(script('. /etc/profile; cd /data; ls .; read X < /etc/x; echo "$X"')).toEqual([]);
        expect(script('read X < /etc/x; declare -n R=X; exec vllm serve m')).toEqual([]);
      });
      test('names set through a brace expansion, an array element, or words computed when the script runs', () => {
        const computed = 'sets a variable whose name the audit cannot follow, which may be a peer address';
        expect(script('export {MASTER_ADDR,X}=evil.example; exec torchrun x.py')).toEqual([
          `unknown command[2]: export {MASTER_ADDR,X}=evil.example: ${computed}`,
        ]);
        expect(script('MASTER_ADDR[0]=evil.example; export MASTER_ADDR; exec torchrun x.py')).toEqual([
          `non-compliant command[2]: MASTER_ADDR[0]=evil.example names evil.example, ${why}: ${torch}`,
        ]);
        expect(script('exec env $(cat /x) torchrun x.py')).toEqual([
          `unknown command[2]: env $(cat /x): ${computed}`,
        ]);
        expect(script('export $V; exec torchrun x.py')).toEqual([
          `unknown command[2]: export $V: ${computed}`,
        ]);
      });
      test('a script nested deeper than the reader follows is unknown, not skipped', () => {
        const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
        let text = 'MASTER_ADDR=evil.example torchrun x.py';
        for (let k = 0; k < 5; k++) text = `bash -c ${q(text)}`;
        const msgs = script(text);
        expect(msgs).toHaveLength(1);
        expect(msgs[0]).toMatch(
          /^unknown command\[2\]: .*: a script nested more than three levels deep, which the audit does not read; it may set a peer address$/,
        );
      });
      test('python code that sets a peer variable in its own environment is unknown', () => {
        expect(
          script(`python -c "import os; os.environ['MASTER_ADDR']='evil.example'; import runpy"`),
        ).toEqual([
          'unknown command[2]: code that sets MASTER_ADDR in its own environment (os.environ, putenv), which the audit does not follow: a process would connect to the peer address it names',
        ]);
        expect(script(`python3 -c "import os; os.putenv('VLLM_HOST_IP', 'evil.example')"`)).toHaveLength(1);
        // Reading it is no setting.
        expect(script(`python -c "import os; print(os.environ['MASTER_ADDR'] == 'x')"`)).toEqual([]);
      });
      test("torchrun's own spellings: PET_ variables and --rdzv-endpoint/--rdzv_endpoint, however written", () => {
        expect(
          found((_j, c) => {
            c.env.push({ name: 'PET_MASTER_ADDR', value: 'evil.example' });
            c.command = [
              '/bin/sh',
              '-c',
              "export PET_RDZV_ENDPOINT=ev'il'.example:29400; torchrun --rdzv-endpoint rdzv.example --rdzv_e=$'\\x65vil'2.example:29400 --local_addr 8.8.4.4 x.py",
            ];
            c.args = ['--master_addr', 'ev"il".example', '--rdzv-endpoint', '$(cat /etc/peer)'];
          }),
        ).toEqual([
          // The scan of every string reads the text as written, quotes and all.
          "non-compliant command[2]: 2.example:29400 names 2.example, outside the jurisdiction's declared hosts",
          `non-compliant command[2]: PET_RDZV_ENDPOINT=ev'il'.example:29400 (evil.example:29400) names evil.example, ${why}: torchrun would join its rendezvous there`,
          `non-compliant command[2]: --rdzv-endpoint rdzv.example names rdzv.example, ${why}: the process would join or send work there`,
          `non-compliant command[2]: --rdzv_e $'\\x65vil'2.example:29400 (evil2.example:29400) names evil2.example, ${why}: the process would join or send work there`,
          `non-compliant command[2]: --local_addr 8.8.4.4 names 8.8.4.4, ${why}: the process would join or send work there`,
          `non-compliant args[1]: --master_addr ev"il".example (evil.example) names evil.example, ${why}: the process would join or send work there`,
          "unknown args[3]: --rdzv-endpoint $(cat /etc/peer): the host comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)",
          `non-compliant env[3].value: container sync: PET_MASTER_ADDR=evil.example names evil.example, ${why}: torchrun would join its static rendezvous there`,
        ]);
      });
      test('passes in-cluster values however written: the group leader, a cluster name, an address inside the CIDRs', () => {
        expect(
          script(
            [
              'export MASTER_ADDR=$\'leader.llm.svc.cluster.local\' PET_MASTER_ADDR="$LWS_LEADER_ADDRESS"',
              'MASTER_\\',
              'ADDR=10.20.0.7 VLLM_HOST_IP+=2001:db8:20::5',
              'exec torchrun --rdzv-endpoint=$(LWS_LEADER_ADDRESS):29400 --rdzv_endpoint "10.20.0."7 x.py # MASTER_ADDR=$(cat /x)',
            ].join('\n'),
          ),
        ).toEqual([]);
      });
    });
    describe('an envFrom source the audit cannot read', () => {
      const may =
        'PET_MASTER_ADDR, PET_RDZV_ENDPOINT, PET_LOCAL_ADDR, VLLM_HOST_IP, VLLM_DP_MASTER_IP, VLLM_NIXL_SIDE_CHANNEL_HOST, VLLM_LOOPBACK_IP, RAY_ADDRESS, NCCL_COMM_ID, LLAMA_ARG_RPC';
      const tail = 'which the audit cannot follow: a process would connect to the peer address it names';
      test('is unknown for every peer address it may set, naming the container and the source', () => {
        expect(
          found((_j, c) => {
            c.env_from = [
              { secret_ref: { name: 'peers' } },
              { prefix: 'VLLM_', config_map_ref: { name: 'elsewhere' } },
            ];
            c.command = ['/bin/sh', '-c', 'exec torchrun --nnodes 2 x.py'];
          }),
        ).toEqual([
          `unknown env_from[0]: container sync: Secret peers may set MASTER_ADDR, ${may}, ${tail}`,
          `unknown env_from[1]: container sync: ConfigMap elsewhere (not created by the stack) with prefix VLLM_ may set VLLM_HOST_IP, VLLM_DP_MASTER_IP, VLLM_NIXL_SIDE_CHANNEL_HOST, VLLM_LOOPBACK_IP, ${tail}`,
        ]);
      });
      test('passes when env sets each name itself, the prefix can set none, or a later readable source sets it', () => {
        expect(
          found((j, c) => {
            peersConfigMap(j, { MASTER_ADDR: 'leader.llm.svc.cluster.local' });
            c.env_from = [
              { secret_ref: { name: 'tokens' } },
              { prefix: 'APP_', secret_ref: { name: 'app' } },
              { prefix: 'MASTER_', secret_ref: { name: 'm' } },
              { config_map_ref: { name: 'peers' } },
            ];
            for (const name of may.split(', ')) c.env.push({ name, value: '10.20.0.7' });
          }),
        ).toEqual([]);
      });
      test('an unreadable source after a readable one may still override it', () => {
        expect(
          found((j, c) => {
            peersConfigMap(j, { MASTER_ADDR: 'leader.llm.svc.cluster.local' });
            c.env_from = [
              { config_map_ref: { name: 'peers' } },
              { prefix: 'MASTER_', secret_ref: { name: 'm' } },
            ];
          }),
        ).toEqual([
          `unknown env_from[1]: container sync: Secret m with prefix MASTER_ may set MASTER_ADDR, ${tail}`,
        ]);
      });
    });
    test("a key named like Object's members is looked up among the object's own keys", () => {
      expect(
        found((j, c) => {
          peersConfigMap(j, { leader: 'leader.llm.svc.cluster.local' });
          c.env.push(
            {
              name: 'MASTER_ADDR',
              value_from: { field_ref: { field_path: "metadata.labels['constructor']" } },
            },
            {
              name: 'VLLM_HOST_IP',
              value_from: { field_ref: { field_path: "metadata.annotations['toString']" } },
            },
            {
              name: 'RAY_ADDRESS',
              value_from: { config_map_key_ref: { name: 'peers', key: 'constructor' } },
            },
          );
        }),
      ).toEqual([]);
    });
    test('fails on an assignment in a script or an argument, quoted or not', () => {
      expect(
        found((_j, c) => {
          c.command = ['/bin/sh', '-c', 'export MASTER_ADDR="rdzv.attacker.example"; exec python3 -m x'];
          c.args = ['env', 'VLLM_HOST_IP=2606:4700::1111', 'vllm', 'serve'];
        }),
      ).toEqual([
        `non-compliant command[2]: MASTER_ADDR=rdzv.attacker.example names rdzv.attacker.example, ${why}: torch.distributed would join its rendezvous there`,
        `non-compliant args[1]: VLLM_HOST_IP=2606:4700::1111 names 2606:4700::1111, ${why}: vLLM would give it to its peers as its own address, and they would connect there`,
      ]);
    });
    test('a Secret, a ConfigMap the stack does not create or a computed value cannot be followed: unknown, never a pass', () => {
      expect(
        found((_j, c) => {
          c.env.push(
            { name: 'MASTER_ADDR', value_from: { secret_key_ref: { name: 's', key: 'addr' } } },
            { name: 'RAY_ADDRESS', value_from: { config_map_key_ref: { name: 'elsewhere', key: 'addr' } } },
            { name: 'NCCL_COMM_ID', value: '${var.comm_id}' },
          );
          c.env_from = [{ config_map_ref: { name: 'elsewhere' } }];
          c.args = ['--master-addr', '$(SOMETHING_FROM_ENVFROM)'];
        }),
      ).toEqual([
        "unknown args[1]: --master-addr $(SOMETHING_FROM_ENVFROM): the host comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)",
        // Explicit `env` entries win over the source: it may set the other peer addresses only.
        'unknown env_from[0]: container sync: ConfigMap elsewhere (not created by the stack) may set PET_MASTER_ADDR, PET_RDZV_ENDPOINT, PET_LOCAL_ADDR, VLLM_HOST_IP, VLLM_DP_MASTER_IP, VLLM_NIXL_SIDE_CHANNEL_HOST, VLLM_LOOPBACK_IP, LLAMA_ARG_RPC, which the audit cannot follow: a process would connect to the peer address it names',
        'unknown env[3].value_from: container sync: MASTER_ADDR (from Secret s key addr): the address comes from a value the audit cannot follow',
        'unknown env[4].value_from: container sync: RAY_ADDRESS (from ConfigMap elsewhere key addr): the address comes from a value the audit cannot follow',
        'unknown env[5].value: container sync: NCCL_COMM_ID: the address comes from a value the audit cannot follow',
      ]);
    });
    test("passes in-cluster names, addresses inside the CIDRs, the pod's own address, the group leader and interface names", () => {
      expect(
        found((j, c) => {
          peersConfigMap(j, { leader: 'leader.llm.svc.cluster.local' });
          c.env.push(
            { name: 'MASTER_ADDR', value: '$(LWS_LEADER_ADDRESS)' },
            { name: 'VLLM_HOST_IP', value_from: { field_ref: { field_path: 'status.podIP' } } },
            {
              name: 'VLLM_DP_MASTER_IP',
              value_from: { config_map_key_ref: { name: 'peers', key: 'leader' } },
            },
            { name: 'VLLM_LOOPBACK_IP', value: '::1' },
            { name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', value: '2001:db8:20::5' },
            { name: 'RAY_ADDRESS', value: 'auto' },
            { name: 'NCCL_COMM_ID', value: '[::ffff:10.20.0.7]:29500' },
            { name: 'LLAMA_ARG_RPC', value: '10.20.0.7:50052,rpc-1.llm.svc:50052' },
            { name: 'NCCL_SOCKET_IFNAME', value: 'eth0' },
            { name: 'GLOO_SOCKET_IFNAME', value: '=eth1' },
          );
          c.command = ['/bin/sh', '-c', 'export MASTER_ADDR="$LWS_LEADER_ADDRESS"; exec python3 -m x'];
        }),
      ).toEqual([]);
    });
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
