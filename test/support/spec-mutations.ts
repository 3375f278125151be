/**
 * Seeded random edits of real specs, for the property "validate accepts ⇔ synth accepts".
 * Each generated spec is one of the bundled examples or held fixtures with one to three edits:
 * numbers nudged, scaled, made fractional or zero; strings lengthened, emptied, given a tab,
 * an `@`, a backslash or a port; dates, reasons and CIDRs that look right and are not; keys
 * dropped; GPU products, MIG profiles, sharing modes, tensor-parallel sizes, engines and
 * stores swapped for others the spec format allows; engine releases pinned with flags that only
 * one of them has.
 */
import * as fs from 'fs';
import { parse, stringify } from 'yaml';

/** mulberry32: a small deterministic PRNG, so every run generates the same specs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;
type Path = (string | number)[];

/** Specs the edits start from: the examples and the held fixtures that parse as specs. */
export const BASE_SPECS = [
  'examples/minimal.yaml',
  'examples/mig.yaml',
  'examples/sovereign.yaml',
  'test/fixtures/spec/engine-flags.yaml',
  'test/fixtures/spec/semantic.yaml',
  'test/fixtures/spec/remote-backend.yaml',
];

const PRODUCTS = [
  'NVIDIA-A100-SXM4-80GB',
  'NVIDIA-A100-SXM4-40GB',
  'NVIDIA-H100-80GB-HBM3',
  'NVIDIA-H200',
  'NVIDIA-L40S',
  'NVIDIA-L4',
  'NVIDIA-A10',
  'NVIDIA-RTX-PRO-6000',
];
const PROFILES = ['1g.10gb', '2g.20gb', '3g.40gb', '7g.80gb', '3g.20gb', '1g.5gb', '3g.71gb', '4g.40gb'];

function leaves(v: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Json)) leaves(x, [...path, k], out);
  }
  out.push({ path, value: v });
  return out;
}

function getIn(v: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Json)[k]),
    v,
  );
}

function setIn(root: unknown, path: Path, value: unknown): void {
  const parent = getIn(root, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object') return;
  const k = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent) && typeof k === 'number') parent.splice(k, 1);
    else delete (parent as Json)[k];
  } else (parent as Json)[k] = value;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function mutateNumber(r: () => number, n: number): unknown {
  return pick(r, [
    n + 1,
    n - 1,
    n * 2,
    Math.floor(n / 2),
    0,
    n + 0.5,
    32.76,
    8.03,
    n * 10,
    1e-4,
    -n,
    String(n),
  ]);
}

function mutateString(r: () => number, s: string): unknown {
  return pick(r, [
    `${s}x`,
    s.toUpperCase(),
    '',
    '   ',
    's'.repeat(70),
    `${s}\tx`,
    s.replace('://', '://user@'),
    s.replace('://', '://a\\@'),
    s.replace(/(\.example)/, '$1:443'),
    `${s}:8443`,
    '2099-02-30',
    '2030-01-31',
    '0.0.0.0/00',
    '10.0.0.0/8',
    s.slice(0, Math.max(1, Math.floor(s.length / 2))),
    `-${s}`,
    `.${s}`,
    7,
  ]);
}

/** Edits that know the spec format: values a user writing from the README would try. */
function structuralEdit(r: () => number, spec: Json): void {
  if (spec === null || typeof spec !== 'object') return;
  const js = (spec.jurisdictions ?? {}) as Json;
  if (js === null || typeof js !== 'object') return;
  const names = Object.keys(js);
  if (names.length === 0) return;
  const j = js[pick(r, names)] as Json;
  if (j === null || typeof j !== 'object') return;
  const pools = (j.pools ?? {}) as Record<string, Json>;
  const models = (j.models ?? {}) as Record<string, Json>;
  const stores = (j.stores ?? {}) as Record<string, Json>;
  const poolNames = Object.keys(pools);
  const modelNames = Object.keys(models);
  const storeNames = Object.keys(stores);
  const pool = poolNames.length ? pools[pick(r, poolNames)] : undefined;
  const model = modelNames.length ? models[pick(r, modelNames)] : undefined;
  const store = storeNames.length ? stores[pick(r, storeNames)] : undefined;
  switch (Math.floor(r() * 22)) {
    case 0:
      if (pool) pool.product = pick(r, PRODUCTS);
      break;
    case 1:
      if (pool)
        pool.sharing = { mode: 'mig', strategy: pick(r, ['single', 'mixed']), profile: pick(r, PROFILES) };
      break;
    case 2:
      if (pool) pool.sharing = { mode: 'time-slicing', replicasPerGpu: pick(r, [2, 3, 4, 8]) };
      break;
    case 3:
      if (pool) pool.gpuMemoryGiB = pick(r, [24, 44.99, 48, 79.64, 80, 141, 22.49]);
      break;
    case 4:
      if (model) model.tensorParallelSize = pick(r, [1, 2, 3, 4, 8, 16]);
      break;
    case 5:
      if (model) model.replicas = pick(r, [1, 2, 3, 8, 16, 64]);
      break;
    case 6:
      if (model) model.maxModelLenTokens = pick(r, [256, 4096, 32768, 131072, 200000]);
      break;
    case 7:
      if (model && r() < 0.15) model.architecture = pick(r, ['gpt-oss-120b', 'deepseek-v3', 'llama-3.3-70b']);
      else if (model)
        model.architecture = {
          parametersBillion: pick(r, [32.76, 8.03, 8.19, 4.02, 70.55]),
          layers: pick(r, [32, 64, 80]),
          attentionHeads: pick(r, [32, 40, 64]),
          kvHeads: pick(r, [8, 5, 3]),
          headDim: 128,
          ...(r() < 0.8 ? { maxContextTokens: pick(r, [8192, 32768, 131072]) } : {}),
          ...(r() < 0.8 ? { dtype: pick(r, ['bf16', 'fp16', 'fp8', 'int4', 'mxfp4']) } : {}),
          // MoE and MLA numbers, consistent or not (experts per token above experts, MoE
          // layers above layers, experts holding more than the total, a zero rank)
          ...(r() < 0.3
            ? {
                hiddenSize: pick(r, [2048, 4096]),
                vocabSize: pick(r, [128256, 151936]),
                moe: {
                  experts: pick(r, [8, 64, 128]),
                  expertsPerToken: pick(r, [2, 8, 130]),
                  expertIntermediateSize: pick(r, [768, 1408, 14336]),
                  ...(r() < 0.5 ? { moeLayers: pick(r, [16, 90]) } : {}),
                },
              }
            : {}),
          ...(r() < 0.2 ? { mla: { kvLoraRank: pick(r, [512, 0]), qkRopeHeadDim: 64 } } : {}),
        };
      break;
    case 8:
      if (model) model.gpuMemoryUtilization = pick(r, [0.3, 0.5, 0.95, 0.99, 0.291]);
      break;
    case 9:
      if (model) model.maxConcurrentSequences = pick(r, [1, 64, 300, 4096]);
      break;
    case 10:
      if (model) model.quantization = pick(r, ['awq', 'fp8', 'Q4_K_M', 'Q8_0', 'gptq', 'q4']);
      break;
    case 11:
      if (store) {
        if (r() < 0.5) store.existingClaim = 'pre-seeded';
        else store.localVolume = { node: 'edge-01', path: pick(r, ['/srv/w', 'relative', '/srv/../x']) };
      }
      break;
    case 12:
      if (model && r() < 0.5) (model.weights as Json).source = { type: 'volume' };
      else if (store) store.sizeGiB = pick(r, [1, 10, 1000]);
      break;
    case 13:
      j.suppressions = [
        {
          rule: 'K8S-012',
          resource: '*',
          reason: pick(r, ['          ', 'accepted for the pilot', 'short']),
          ...(r() < 0.7 ? { expires: pick(r, ['2099-02-30', '2099-12-31', '2026-13-01']) } : {}),
        },
      ];
      break;
    case 14:
      if (model) model.cpu = pick(r, [0.5, 1.5, 8, 0.0001]);
      if (model && r() < 0.5) model.memoryGiB = pick(r, [1.5, 2, 16, 64]);
      break;
    case 15:
      // engine releases pinned, with flags one release has and the other refuses
      j.engines = {
        ...(r() < 0.8 ? { vllm: pick(r, ['v0.12.0', 'v0.33.0', 'v0.34.0']) } : {}),
        ...(r() < 0.5 ? { llamaCpp: pick(r, ['b9174', 'b11459', 'b9175']) } : {}),
      };
      if (model)
        model.extraArgs = pick(r, [
          ['--swap-space', '4'],
          ['--swap_space=4'],
          ['--calculate-kv-scales'],
          ['--max-num-partial-prefills', '2', '--seed', '1'],
          ['--seed', '1'],
          ['--ctx_size', '8'],
        ]);
      break;
    case 16:
      if (model) model.engine = model.engine === 'vllm' ? 'llama-cpp' : 'vllm';
      break;
    case 17:
      if (model) delete model.pool;
      break;
    case 18:
      j.cpuPools = {
        [pick(r, ['edge', 'cpu', poolNames[0] ?? 'x'])]: pick(r, [
          { nodes: ['edge-01'] },
          { nodeSelector: {} },
          {
            nodeSelector: { 'topology.kubernetes.io/zone': 'a' },
            taints: [{ key: 'edge', effect: 'NoSchedule' }],
          },
          { nodes: ['edge-01'], nodeSelector: { a: 'b' } },
        ]),
      };
      if (model && r() < 0.7) model.pool = Object.keys(j.cpuPools as Json)[0];
      break;
    case 19:
      if (model)
        model.apiKeySecret = {
          name: pick(r, ['keys', 'Keys', 'k'.repeat(70)]),
          key: pick(r, ['api', 'a b', 'x/y']),
        };
      break;
    case 20:
      if (model)
        model.autoscaling = {
          minReplicas: pick(r, [1, 2, 5]),
          maxReplicas: pick(r, [1, 4, 50, 200]),
          ...(r() < 0.5 ? { targetCpuUtilization: pick(r, [50, 100]) } : {}),
        };
      break;
    default: {
      const sov = j.sovereignty as Json | undefined;
      if (sov && Array.isArray(sov.hosts))
        sov.hosts = [...(sov.hosts as string[]), pick(r, ['models.lab.example:443', '*.example:8443'])];
    }
  }
}

export interface GeneratedSpec {
  readonly base: string;
  readonly text: string;
}

/** `count` specs from the seed; the same seed always gives the same specs. */
export function generateSpecs(seed: number, count: number): GeneratedSpec[] {
  const r = rng(seed);
  const bases = BASE_SPECS.filter((f) => fs.existsSync(f)).map((f) => ({
    f,
    data: parse(fs.readFileSync(f, 'utf8')) as Json,
  }));
  const out: GeneratedSpec[] = [];
  for (let i = 0; i < count; i++) {
    // The smaller specs more often: they synthesize faster and are as good at finding gaps.
    const b =
      r() < 0.15 ? bases[Math.floor(r() * bases.length)] : bases[Math.floor(r() * Math.min(2, bases.length))];
    const spec = structuredClone(b.data);
    const edits = 1 + Math.floor(r() * 3);
    for (let e = 0; e < edits; e++) {
      if (r() < 0.5) {
        structuralEdit(r, spec);
        continue;
      }
      const all = leaves(spec).filter(
        (l) => l.path.length > 0 && !String(l.path[l.path.length - 2]).match(/^files$/),
      );
      if (all.length === 0) continue;
      const leaf = pick(r, all);
      const v = leaf.value;
      if (r() < 0.1) setIn(spec, leaf.path, undefined);
      else if (typeof v === 'number') setIn(spec, leaf.path, mutateNumber(r, v));
      else if (typeof v === 'string') setIn(spec, leaf.path, mutateString(r, v));
      else if (typeof v === 'boolean') setIn(spec, leaf.path, !v);
    }
    out.push({ base: b.f, text: stringify(spec, { lineWidth: 0 }) });
  }
  return out;
}
