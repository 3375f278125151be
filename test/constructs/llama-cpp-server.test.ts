import type { Construct } from 'constructs';
import {
  LlamaCppServer,
  type LlamaCppServerProps,
  ggufTypeFromFileName,
} from '../../constructs/llama-cpp-server';
import { type Json, IMAGE_LLAMA, envMap, errorOf, only, pool, synth, weights } from './serving-fixtures';

const GGUF = 'Llama-3.1-8B-Instruct-Q4_K_M.gguf';

function build(over: (s: Construct) => Partial<LlamaCppServerProps> = () => ({}), gpu = true) {
  let server: LlamaCppServer | undefined;
  const json = synth((s) => {
    const o = over(s);
    server = new LlamaCppServer(s, 'edge', {
      jurisdiction: 'de',
      image: IMAGE_LLAMA,
      architecture: 'llama-3.1-8b',
      ...o,
      weights: o.weights ?? weights(s, { fileName: GGUF }),
      pool: o.pool ?? (gpu ? pool(s) : undefined),
    });
  });
  return { json, server: server as LlamaCppServer };
}
const deployment = (j: Json) => only(j, 'kubernetes_deployment_v1');
const container = (j: Json) => deployment(j).spec.template.spec.container[0];

describe('LlamaCppServer on a GPU pool', () => {
  const { json, server } = build();
  const c = container(json);
  const pod = deployment(json).spec.template.spec;

  test('serves the one GGUF file with every layer on one GPU', () => {
    expect(c.command).toEqual(['/app/llama-server']);
    expect(c.args).toEqual([
      '--model', `/models/${GGUF}`,
      '--alias', 'llama',
      '--host', '0.0.0.0',
      '--port', '8080',
      '--ctx-size', '16384',
      '--parallel', '4',
      '--n-gpu-layers', '999',
      '--threads', '4',
      '--metrics',
      '--no-ui',
      '--offline',
    ]); // prettier-ignore
    expect(server.ggufQuantization).toBe('Q4_K_M');
    expect(server.gpusPerReplica).toBe(1);
    expect(c.resources.requests['nvidia.com/gpu']).toBe('1');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.node_selector).toEqual({ 'sovereign-stack.io/pool': 'h100' });
    expect(pod.toleration).toHaveLength(1);
    expect(server.endpointUrl).toBe('http://llama-llama-cpp.ai.svc.cluster.local:8080/v1');
  });

  test('restricted security context, read-only root, caches on emptyDirs, no /dev/shm', () => {
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.security_context.run_as_non_root).toBe(true);
    expect(pod.security_context.fs_group).toBe('1000');
    for (const ct of pod.container as Json[]) {
      expect(ct.security_context.read_only_root_filesystem).toBe(true);
      expect(ct.security_context.allow_privilege_escalation).toBe(false);
      expect(ct.security_context.capabilities).toEqual({ drop: ['ALL'] });
      expect(ct.security_context.seccomp_profile).toEqual({ type: 'RuntimeDefault' });
    }
    const env = envMap(c);
    expect(env.LLAMA_CACHE.value).toBe('/var/cache/sovereign/llama.cpp');
    expect(env.HOME.value).toBe('/home/sovereign');
    expect((pod.volume as Json[]).map((v) => v.name)).toEqual(['weights', 'home', 'cache', 'tmp']);
  });

  test('health probes on the named port; startup allows 30 minutes', () => {
    for (const p of [c.startup_probe, c.readiness_probe, c.liveness_probe]) {
      expect(p.http_get).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    }
    expect(c.startup_probe.failure_threshold * c.startup_probe.period_seconds).toBe(1800);
    expect(deployment(json).spec.template.metadata.annotations['sovereign-stack.io/engine']).toBe(
      'llama-cpp@b11459',
    );
  });
});

describe('LlamaCppServer CPU-only (edge)', () => {
  test('requests no GPU, no GPU placement, threads from the CPU request, memory from the model', () => {
    const { json, server } = build(() => ({ cpu: '6' }), false);
    const c = container(json);
    const pod = deployment(json).spec.template.spec;
    expect(server.cpuOnly).toBe(true);
    expect(c.args).toEqual(expect.arrayContaining(['--n-gpu-layers', '0', '--threads', '6']));
    // 4.58 GiB of weights + 131,072 B × 16,384 tokens (2 GiB) of KV + 1 GiB = 7.58 → 8Gi
    expect(c.resources).toEqual({
      limits: { cpu: '6', memory: '8Gi' },
      requests: { cpu: '6', memory: '8Gi' },
    });
    expect(pod.node_selector).toBeUndefined();
    expect(pod.toleration).toBeUndefined();
    expect(deployment(json).depends_on).toEqual(['kubernetes_config_map_v1.weights-verified']);
  });

  test('options: context, slots, KV type, quantization, API key, extra args, port', () => {
    const { json, server } = build(
      () => ({
        weights: undefined,
        ggufQuantization: 'q8_0',
        contextTokensPerSlot: 8192,
        parallelSlots: 2,
        kvCacheType: 'q8_0',
        port: 9090,
        cpu: '2500m',
        memory: '32Gi',
        apiKeySecret: { name: 'keys', key: 'llama' },
        extraArgs: ['-fa', 'on', '--jinja'],
        replicas: 2,
      }),
      false,
    );
    const c = container(json);
    expect(server.threads).toBe(2);
    expect(c.args).toEqual([
      '--model', `/models/${GGUF}`,
      '--alias', 'llama',
      '--host', '0.0.0.0',
      '--port', '9090',
      '--ctx-size', '16384',
      '--parallel', '2',
      '--n-gpu-layers', '0',
      '--threads', '2',
      '--cache-type-k', 'q8_0', '--cache-type-v', 'q8_0',
      '--metrics',
      '--no-ui',
      '--offline',
      '-fa', 'on', '--jinja',
    ]); // prettier-ignore
    expect(envMap(c).LLAMA_API_KEY).toEqual({
      name: 'LLAMA_API_KEY',
      value_from: { secret_key_ref: { key: 'llama', name: 'keys', optional: false } },
    });
    expect(JSON.stringify(json)).not.toContain('--api-key');
    expect(only(json, 'kubernetes_pod_disruption_budget_v1').spec.max_unavailable).toBe('1');
  });

  test('reads the GGUF type from common file names', () => {
    expect(ggufTypeFromFileName('qwen2.5-7b-instruct-q5_k_m.gguf')).toBe('Q5_K_M');
    expect(ggufTypeFromFileName('model.Q8_0.gguf')).toBe('Q8_0');
    expect(ggufTypeFromFileName('model-IQ4_XS.gguf')).toBe('IQ4_XS');
    expect(ggufTypeFromFileName('model.gguf')).toBeUndefined();
  });
});

describe('LlamaCppServer refusals', () => {
  test('fails when a flag would download from outside, or is unknown (did-you-mean)', () => {
    const msg = errorOf(() =>
      build(() => ({ extraArgs: ['-hf', 'ggml-org/x', '--ctx-sise', '4096', '--n-gpu-layers', '10'] })),
    );
    expect(msg).toContain(
      'extraArgs[0]  "-hf" is not allowed: it downloads a model or file from outside the jurisdiction',
    );
    expect(msg).toContain(
      'extraArgs[2]  "--ctx-sise" is not a llama.cpp b11459 flag this toolkit knows; did you mean "--ctx-size"?',
    );
    expect(msg).toContain('extraArgs[4]  "--n-gpu-layers" is set by the construct');
  });

  test('fails when the weights are not a single GGUF file and the type is unknown', () => {
    const msg = errorOf(() => build((s) => ({ weights: weights(s, { fileName: undefined }) })));
    expect(msg).toContain('weights.fileName  missing: llama.cpp serves one .gguf file');
    expect(msg).toContain('ggufQuantization  not given and not found in the file name');
  });

  test('fails when the model does not fit one GPU, with the numbers', () => {
    const msg = errorOf(() =>
      build((s) => ({
        architecture: 'llama-3.1-70b',
        weights: weights(s, { fileName: 'Llama-3.1-70B-Q8_0.gguf' }),
        pool: pool(s, { poolName: 'l4', gpusPerNode: 1, gpuMemoryGiB: 24 }),
      })),
    );
    // weights 70,553,706,496 × 8.51 / 8 = 75,051,480,535 B = 69.9 GiB; KV 327,680 B × 4 × 4096 = 5 GiB
    expect(msg).toContain('llama-3.1-70b needs 69.9 GiB of weights + 5.0 GiB of KV cache for 4 × 4k tokens');
    expect(msg).toContain('pool l4 offers 1 GPU × 24 GiB × 0.90 = 21.6 GiB per node');
  });

  test('fails when the memory limit of a CPU-only server is too small', () => {
    expect(errorOf(() => build(() => ({ memory: '4Gi' }), false))).toContain(
      'memory  llama-3.1-8b (Q4_K_M) needs 4.6 GiB of weights + 2.0 GiB of KV cache for 4 × 4k tokens + 1.0 GiB of buffers = 7.6 GiB of RAM; memory 4Gi is 4.0 GiB',
    );
  });

  test('fails when the pool has too few GPUs for the replicas', () => {
    expect(
      errorOf(() => build((s) => ({ replicas: 3, pool: pool(s, { gpusPerNode: 1, nodeCount: 2 }) }))),
    ).toContain(
      'replicas  3 replicas × 1 GPU need 3 × 1 nvidia.com/gpu on nodes with 1 free; pool h100 has 2 nodes × 1 GPUs, room for 2',
    );
  });
});

describe('LlamaCppServer per build', () => {
  test('pins the build it is given; refuses one that is not supported', () => {
    const b9174 = IMAGE_LLAMA.replace('-b11459@', '-b9174@');
    expect(build(() => ({ release: 'b9174', image: b9174 })).server.release).toBe('b9174');
    expect(errorOf(() => build(() => ({ release: 'b9174' })))).toContain(
      'image  the image is tagged llama.cpp b11459 but the server runs llama.cpp b9174 (release)',
    );
    expect(errorOf(() => build(() => ({ release: 'b9175' as never })))).toContain(
      'release  "b9175" is not a llama.cpp release this toolkit supports',
    );
  });
});
