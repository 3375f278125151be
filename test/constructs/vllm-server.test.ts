import { VllmServer, type VllmServerProps } from '../../constructs/vllm-server';
import { type Json, IMAGE_VLLM, envMap, errorOf, only, pool, synth, weights } from './serving-fixtures';
import type { Construct } from 'constructs';

function build(over: (s: Construct) => Partial<VllmServerProps> = () => ({})) {
  let server: VllmServer | undefined;
  const json = synth((s) => {
    const o = over(s);
    server = new VllmServer(s, 'llama', {
      jurisdiction: 'de',
      image: IMAGE_VLLM,
      architecture: 'llama-3.1-8b',
      ...o,
      weights: o.weights ?? weights(s),
      pool: o.pool ?? pool(s),
    });
  });
  return { json, server: server as VllmServer };
}
/** The fixture image retagged for the older release. */
const V012 = IMAGE_VLLM.replace(':v0.33.0@', ':v0.12.0@');
const deployment = (j: Json) => only(j, 'kubernetes_deployment_v1');
const container = (j: Json) => deployment(j).spec.template.spec.container[0];

describe('VllmServer defaults', () => {
  const { json, server } = build();
  const d = deployment(json);
  const pod = d.spec.template.spec;
  const c = container(json);

  test('serves the mounted weights directory with the planned flags', () => {
    expect(c.command).toEqual(['vllm', 'serve']);
    expect(c.args).toEqual([
      '/models',
      '--served-model-name', 'llama',
      '--host', '0.0.0.0',
      '--port', '8000',
      '--tensor-parallel-size', '1',
      '--max-model-len', '8192',
      '--dtype', 'auto',
      '--gpu-memory-utilization', '0.90',
      '--kv-cache-dtype', 'auto',
      '--enable-prefix-caching',
      '--max-num-seqs', '8',
    ]); // prettier-ignore
    expect(server.args).toEqual(c.args);
    expect(server.tensorParallelSize).toBe(1);
    expect(server.endpointUrl).toBe('http://llama-vllm.ai.svc.cluster.local:8000/v1');
    expect(server.serviceName).toBe('llama-vllm');
  });

  test('restricted security context on the pod and every container', () => {
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.enable_service_links).toBe(false);
    expect(pod.security_context).toEqual({
      fs_group: '1000',
      run_as_group: '1000',
      run_as_non_root: true,
      run_as_user: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.container).toHaveLength(1);
    expect(pod.init_container).toBeUndefined();
    for (const ct of pod.container as Json[]) {
      expect(ct.security_context).toEqual({
        allow_privilege_escalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        read_only_root_filesystem: true,
        run_as_group: '1000',
        run_as_non_root: true,
        run_as_user: '1000',
        seccomp_profile: { type: 'RuntimeDefault' },
      });
    }
  });

  test('offline, no telemetry, every cache on an emptyDir', () => {
    const env = envMap(c);
    for (const k of [
      'HF_HUB_OFFLINE',
      'TRANSFORMERS_OFFLINE',
      'HF_HUB_DISABLE_TELEMETRY',
      'VLLM_NO_USAGE_STATS',
      'VLLM_DO_NOT_TRACK',
      'DO_NOT_TRACK',
    ]) {
      expect(env[k].value).toBe('1');
    }
    const mounts = (c.volume_mount as Json[]).map((m) => m.mount_path as string);
    for (const k of [
      'HOME',
      'XDG_CACHE_HOME',
      'XDG_CONFIG_HOME',
      'HF_HOME',
      'VLLM_CACHE_ROOT',
      'VLLM_CONFIG_ROOT',
      'VLLM_RPC_BASE_PATH',
      'TRITON_CACHE_DIR',
      'TORCHINDUCTOR_CACHE_DIR',
      'TMPDIR',
    ]) {
      const v = env[k].value as string;
      expect(mounts.some((m) => m !== '/models' && (v === m || v.startsWith(`${m}/`)))).toBe(true);
    }
    expect(env.VLLM_API_KEY).toBeUndefined();
    const emptyDirs = (pod.volume as Json[]).filter((v) => v.empty_dir).map((v) => v.name);
    expect(emptyDirs).toEqual(['home', 'cache', 'tmp', 'shm']);
  });

  test('weights read-only from the verified claim; /dev/shm in memory, 2 GiB per GPU', () => {
    expect(c.volume_mount[0]).toEqual({
      mount_path: '/models',
      name: 'weights',
      read_only: true,
      sub_path: 'models/llama/abc123',
    });
    expect(pod.volume[0]).toEqual({
      name: 'weights',
      persistent_volume_claim: { claim_name: 'model-store', read_only: true },
    });
    expect(pod.volume.find((v: Json) => v.name === 'shm')).toEqual({
      name: 'shm',
      empty_dir: { medium: 'Memory', size_limit: '2Gi' },
    });
    expect(c.volume_mount.find((m: Json) => m.name === 'shm').mount_path).toBe('/dev/shm');
  });

  test('health probes on the named port; startup allows an hour', () => {
    expect(c.port).toEqual([{ container_port: 8000, name: 'http', protocol: 'TCP' }]);
    for (const p of [c.startup_probe, c.readiness_probe, c.liveness_probe]) {
      expect(p.http_get).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    }
    expect(c.startup_probe.failure_threshold * c.startup_probe.period_seconds).toBe(3600);
  });

  test('GPU requests = limits = TP; scheduling from the pool; depends on verification and pool', () => {
    expect(c.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(c.resources.requests.cpu).toBe('4');
    expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
    expect(pod.node_selector).toEqual({ 'sovereign-stack.io/pool': 'h100' });
    expect(pod.toleration).toEqual([
      { effect: 'NoSchedule', key: 'sovereign-stack.io/gpu', operator: 'Equal', value: 'h100' },
    ]);
    expect(d.depends_on).toEqual([
      'kubernetes_config_map_v1.weights-verified',
      'kubernetes_labels.pool-labels',
    ]);
  });

  test('annotations and labels for the policy and the ML-BOM', () => {
    expect(d.spec.template.metadata.annotations).toEqual({
      'sovereign-stack.io/engine': 'vllm@v0.33.0',
      'sovereign-stack.io/model': 'llama',
      'sovereign-stack.io/model-revision': 'abc123',
      'sovereign-stack.io/weights-manifest-sha256': 'c'.repeat(64),
    });
    expect(d.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('server');
  });

  test('ClusterIP service on the named port; no PDB or HPA for one replica', () => {
    const svc = only(json, 'kubernetes_service_v1');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.port).toEqual([
      { app_protocol: 'http', name: 'http', port: 8000, protocol: 'TCP', target_port: 'http' },
    ]);
    expect(svc.spec.selector).toEqual(d.spec.selector.match_labels);
    expect(json.resource.kubernetes_pod_disruption_budget_v1).toBeUndefined();
    expect(json.resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
  });

  test('is deterministic', () => {
    expect(JSON.stringify(build().json)).toBe(JSON.stringify(json));
  });
});

describe('VllmServer options', () => {
  test('every tunable reaches the command line and the pod', () => {
    const { json, server } = build(() => ({
      architecture: 'llama-3.1-70b',
      name: 'l70',
      servedModelName: 'meta/llama-70b',
      dtype: 'bfloat16',
      quantization: 'fp8',
      kvCacheDtype: 'fp8',
      maxModelLenTokens: 16384,
      maxNumSeqs: 4,
      gpuMemoryUtilization: 0.85,
      tensorParallelSize: 4,
      enablePrefixCaching: false,
      shmSizeGiB: 16,
      port: 9000,
      cpu: '12',
      memory: '200Gi',
      runAsUser: 2000,
      startupTimeoutMinutes: 90,
      cacheSizeGiB: 20,
      license: 'llama3.1',
      command: ['python3', '-m', 'vllm.entrypoints.cli.main', 'serve'],
      allowedRegistries: ['registry.gov.example'],
      extraArgs: ['--max-num-batched-tokens', '8192', '--enforce-eager', '--disable-log-stats'],
      apiKeySecret: { name: 'llm-keys', key: 'vllm' },
    }));
    const c = container(json);
    expect(c.args).toEqual([
      '/models',
      '--served-model-name', 'meta/llama-70b',
      '--host', '0.0.0.0',
      '--port', '9000',
      '--tensor-parallel-size', '4',
      '--max-model-len', '16384',
      '--dtype', 'bfloat16',
      '--gpu-memory-utilization', '0.85',
      '--kv-cache-dtype', 'fp8',
      '--no-enable-prefix-caching',
      '--max-num-seqs', '4',
      '--quantization', 'fp8',
      '--max-num-batched-tokens', '8192', '--enforce-eager', '--disable-log-stats',
    ]); // prettier-ignore
    expect(c.command).toEqual(['python3', '-m', 'vllm.entrypoints.cli.main', 'serve']);
    expect(server.weightFormat).toBe('fp8');
    expect(c.resources).toEqual({
      limits: { cpu: '12', memory: '200Gi', 'nvidia.com/gpu': '4' },
      requests: { cpu: '12', memory: '200Gi', 'nvidia.com/gpu': '4' },
    });
    expect(c.security_context.run_as_user).toBe('2000');
    expect(c.startup_probe.failure_threshold * c.startup_probe.period_seconds).toBe(90 * 60);
    const pod = deployment(json).spec.template.spec;
    expect(pod.volume.find((v: Json) => v.name === 'shm').empty_dir.size_limit).toBe('16Gi');
    expect(pod.volume.find((v: Json) => v.name === 'cache').empty_dir.size_limit).toBe('20Gi');
    expect(deployment(json).spec.template.metadata.annotations['sovereign-stack.io/model-license']).toBe(
      'llama3.1',
    );
    expect(server.endpointUrl).toBe('http://l70.ai.svc.cluster.local:9000/v1');
  });

  test('the API key comes only from a Secret reference', () => {
    const { json } = build(() => ({ apiKeySecret: { name: 'llm-keys', key: 'vllm' } }));
    const env = envMap(container(json));
    expect(env.VLLM_API_KEY).toEqual({
      name: 'VLLM_API_KEY',
      value_from: { secret_key_ref: { key: 'vllm', name: 'llm-keys', optional: false } },
    });
    expect(container(json).args).not.toContain('--api-key');
  });

  test('image pull Secrets reach the pod, by name only', () => {
    expect(deployment(build().json).spec.template.spec.image_pull_secrets).toBeUndefined();
    const { json } = build(() => ({ imagePullSecrets: ['registry-pull'] }));
    expect(deployment(json).spec.template.spec.image_pull_secrets).toEqual([{ name: 'registry-pull' }]);
    expect(errorOf(() => build(() => ({ imagePullSecrets: ['-bad'] })))).toContain('imagePullSecrets[0]');
  });

  test('custom architecture numbers for a model outside the catalogue', () => {
    const { server } = build(() => ({
      architecture: {
        name: 'acme-13b',
        parameters: 13e9,
        layers: 40,
        attentionHeads: 40,
        kvHeads: 40,
        headDim: 128,
        maxContextTokens: 4096,
        nativeFormat: 'fp16',
      },
    }));
    expect(server.maxModelLenTokens).toBe(4096);
    expect(server.weightFormat).toBe('fp16');
  });

  test('PDB when replicas > 1', () => {
    const { json } = build(() => ({ replicas: 3 }));
    expect(deployment(json).spec.replicas).toBe('3');
    const pdb = only(json, 'kubernetes_pod_disruption_budget_v1');
    expect(pdb.spec.max_unavailable).toBe('1');
    expect(pdb.spec.selector.match_labels).toEqual(deployment(json).spec.selector.match_labels);
  });

  test('HPA (autoscaling/v2) on CPU by default, or on a per-pod metric', () => {
    const cpu = build(() => ({ autoscaling: { minReplicas: 1, maxReplicas: 4 } })).json;
    const hpa = only(cpu, 'kubernetes_horizontal_pod_autoscaler_v2');
    expect(hpa.spec.scale_target_ref).toEqual({
      api_version: 'apps/v1',
      kind: 'Deployment',
      name: 'llama-vllm',
    });
    expect(hpa.spec.metric).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { average_utilization: 80, type: 'Utilization' } },
      },
    ]);
    expect(only(cpu, 'kubernetes_pod_disruption_budget_v1')).toBeDefined();
    // The autoscaler owns the replica count: an apply must not reset it.
    expect(only(cpu, 'kubernetes_deployment_v1').lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
    expect(only(build(() => ({})).json, 'kubernetes_deployment_v1').lifecycle).toBeUndefined();
    const pods = build(() => ({
      autoscaling: {
        minReplicas: 2,
        maxReplicas: 4,
        podsMetric: { name: 'vllm_num_requests_waiting', averageValue: '5' },
      },
    })).json;
    expect(only(pods, 'kubernetes_horizontal_pod_autoscaler_v2').spec.metric).toEqual([
      {
        type: 'Pods',
        pods: {
          metric: { name: 'vllm_num_requests_waiting' },
          target: { average_value: '5', type: 'AverageValue' },
        },
      },
    ]);
    expect(only(pods, 'kubernetes_deployment_v1').spec.replicas).toBe('2');
  });
});

describe('VllmServer refusals', () => {
  test('fails when an extra flag is unknown, with a did-you-mean', () => {
    expect(errorOf(() => build(() => ({ extraArgs: ['--max-num-seq', '4'] })))).toContain(
      'extraArgs[0]  "--max-num-seq" is not a vLLM v0.33.0 flag this toolkit knows; did you mean "--max-num-seqs"?',
    );
  });

  test('fails when an extra flag is set by the construct or would leave the jurisdiction', () => {
    const msg = errorOf(() =>
      build(() => ({
        extraArgs: ['--tensor-parallel-size=2', '--tokenizer', 'meta-llama/x', '--api-key', 'secret'],
      })),
    );
    expect(msg).toContain(
      'extraArgs[0]  "--tensor-parallel-size" is set by the construct; use the prop "tensorParallelSize" instead',
    );
    expect(msg).toContain(
      'extraArgs[1]  "--tokenizer" is not allowed: it can name a Hugging Face Hub repository',
    );
    expect(msg).toContain(
      'extraArgs[3]  "--api-key" is set by the construct; use the prop "apiKeySecret" instead',
    );
  });

  test('fails once with every invalid prop', () => {
    const msg = errorOf(() =>
      build(() => ({
        image: 'vllm/vllm-openai:latest',
        name: '9bad',
        gpuMemoryUtilization: 1.5,
        architecture: 'llama-9',
      })),
    );
    expect(msg).toMatch(/^VllmServer llama: 4 invalid props/);
    expect(msg).toContain('image  "vllm/vllm-openai:latest" is not pinned');
    expect(msg).toContain('name  "9bad" must start with a letter');
    expect(msg).toContain('gpuMemoryUtilization  1.5 is not allowed');
    expect(msg).toContain('architecture  "llama-9" is not in the catalogue');
  });

  test('fails when the image registry is not allowed', () => {
    expect(errorOf(() => build(() => ({ allowedRegistries: ['registry.other.example'] })))).toContain(
      'registry "registry.gov.example" is not allowed here; allowed: registry.other.example',
    );
  });

  test('fails when the model does not fit the pool, with the numbers', () => {
    const msg = errorOf(() =>
      build((s) => ({
        architecture: 'llama-3.1-70b',
        maxModelLenTokens: 32768,
        maxNumSeqs: 4,
        pool: pool(s, { poolName: 'l40s', gpusPerNode: 2, gpuMemoryGiB: 48 }),
      })),
    );
    expect(msg).toContain('llama-3.1-70b: does not fit its GPU pool');
    expect(msg).toContain(
      'llama-3.1-70b needs 131.4 GiB of weights + 40.0 GiB of KV cache for 4 × 32k tokens',
    );
    expect(msg).toContain('pool l40s offers 2 GPUs × 48 GiB × 0.90 = 86.4 GiB per node');
  });

  test('fails when the pool has fewer GPUs per node than the tensor-parallel size', () => {
    expect(
      errorOf(() => build((s) => ({ tensorParallelSize: 8, pool: pool(s, { gpusPerNode: 4 }) }))),
    ).toContain('tensor-parallel size 8 needs 8 GPUs on one node; pool h100 has 4 GPUs per node');
  });

  test('fails when the pool has too few GPUs in total for the replicas', () => {
    expect(
      errorOf(() =>
        build((s) => ({
          replicas: 3,
          tensorParallelSize: 2,
          pool: pool(s, { gpusPerNode: 2, nodeCount: 2 }),
        })),
      ),
    ).toContain(
      'replicas  3 replicas × 2 GPUs need 3 × 2 nvidia.com/gpu on nodes with 2 free; pool h100 has 2 nodes × 2 GPUs, room for 2',
    );
  });
});

describe('VllmServer per release', () => {
  test('v0.33.0 (the default) sets USER for a UID without a passwd entry, with HOME on a writable emptyDir', () => {
    const { json, server } = build();
    expect(server.release).toBe('v0.33.0');
    const c = container(json);
    const env = envMap(c);
    expect(env.USER.value).toBe('sovereign');
    expect(env.HOME.value).toBe('/home/sovereign');
    const home = (c.volume_mount as Json[]).find((m) => m.mount_path === '/home/sovereign');
    expect(home?.read_only).toBeFalsy();
    const vol = (deployment(json).spec.template.spec.volume as Json[]).find((v) => v.name === home?.name);
    expect(vol?.empty_dir).toBeDefined();
    expect(server.envNames).toContain('USER');
  });

  test('v0.12.0 needs no USER (its torch resolves no user name at import); HOME stays set', () => {
    const { json, server } = build(() => ({ release: 'v0.12.0', image: V012 }));
    expect(server.release).toBe('v0.12.0');
    const env = envMap(container(json));
    expect(env.USER).toBeUndefined();
    expect(env.HOME.value).toBe('/home/sovereign');
    expect(deployment(json).spec.template.metadata.annotations['sovereign-stack.io/engine']).toBe(
      'vllm@v0.12.0',
    );
    expect(deployment(json).metadata.labels['app.kubernetes.io/version']).toBe('v0.12.0');
  });

  test('a flag removed upstream is accepted on v0.12.0 and refused on v0.33.0 with the release that removed it', () => {
    const { server } = build(() => ({ release: 'v0.12.0', image: V012, extraArgs: ['--swap-space', '4'] }));
    expect(server.args).toContain('--swap-space');
    expect(errorOf(() => build(() => ({ release: 'v0.33.0', extraArgs: ['--swap_space=4'] })))).toContain(
      'extraArgs[0]  "--swap_space" (read as "--swap-space") was removed from vLLM in v0.18.0 (vllm-project/vllm#36216); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    );
  });

  test('fails when the image tag names another release than the server runs', () => {
    expect(errorOf(() => build(() => ({ image: V012 })))).toContain(
      'image  the image is tagged vLLM v0.12.0 but the server runs vLLM v0.33.0 (release): tag and release must agree',
    );
    expect(errorOf(() => build(() => ({ release: 'v0.12.0' })))).toContain(
      'image  the image is tagged vLLM v0.33.0 but the server runs vLLM v0.12.0 (release)',
    );
  });

  test('fails on a release that is not supported', () => {
    expect(errorOf(() => build(() => ({ release: 'v0.34.0' as never })))).toContain(
      'release  "v0.34.0" is not a vLLM release this toolkit supports',
    );
  });
});
