/**
 * The capacity judgement of a jurisdiction, from the spec alone: every pool against the GPU
 * table, every model against its pool (the same planner functions VllmServer and
 * LlamaCppServer call), the weights of each store against its size, and the replicas of all
 * models of a pool against its nodes. `sovereign validate` runs it; `sovereign synth` runs it
 * too (through the spec loader) before building the stacks, which repeat it with the same
 * functions. No cdktf.
 */
import {
  type KvCacheFormat,
  type ModelArchitecture,
  type WeightFormat,
  GGUF_BITS_PER_WEIGHT,
  GIB,
  ggufWeightBytes,
  packReplicas,
  weightBytes,
} from '../../constructs/capacity';
import { isSovereignError } from '../../core/errors';
import { poolFacts, poolProblems, type PoolFacts } from '../../constructs/gpu-products';
import { catalogueModel } from '../../constructs/model-catalogue';
import {
  type GpuPlacement,
  architectureProblems,
  ggufTypeFromFileName,
  llamaCppKvCacheBytes,
  llamaCppKvLayout,
  planLlamaCppServer,
} from '../../constructs/server-plan';
import { VLLM_QUANTIZATION_FORMAT } from '../../core/engines/vllm';
import { leaderWorkerSetNameProblem } from '../../core/lws-pins';
import { type VllmLayout, planVllmLayout } from '../../constructs/multi-node-plan';
import type { JurisdictionSpec, ModelSpec, PoolSpec } from './schema';
import type { SpecPath } from './load';

export interface PlanProblem {
  readonly path: SpecPath;
  readonly message: string;
}

/** The architecture the planner uses for a model: the catalogue entry or the spec's numbers. */
export function architectureOf(m: ModelSpec): ModelArchitecture | undefined {
  const a = m.architecture;
  if (typeof a === 'string') return catalogueModel(a);
  return {
    name: 'custom',
    // 32.76 × 1e9 is 32759999999.999996 in floating point: a parameter count is whole.
    parameters: Math.round(a.parametersBillion * 1e9),
    layers: a.layers,
    attentionHeads: a.attentionHeads,
    kvHeads: a.kvHeads,
    headDim: a.headDim,
    maxContextTokens: a.maxContextTokens,
    nativeFormat: a.dtype,
    ...(a.hiddenSize !== undefined ? { hiddenSize: a.hiddenSize } : {}),
    ...(a.vocabSize !== undefined ? { vocabSize: a.vocabSize } : {}),
    tiedEmbeddings: a.tieWordEmbeddings,
    ...(a.moe
      ? {
          moe: {
            experts: a.moe.experts,
            expertsPerToken: a.moe.expertsPerToken,
            sharedExperts: a.moe.sharedExperts,
            moeLayers: a.moe.moeLayers ?? a.layers,
            expertIntermediateSize: a.moe.expertIntermediateSize,
          },
        }
      : {}),
    ...(a.mla ? { mla: { kvLoraRank: a.mla.kvLoraRank, qkRopeHeadDim: a.mla.qkRopeHeadDim } } : {}),
    ...(a.slidingWindow
      ? { slidingWindow: { layers: a.slidingWindow.layers, window: a.slidingWindow.window } }
      : {}),
  };
}

/** The storage format vLLM loads: the quantization, else the --dtype cast, else the checkpoint's. */
export function vllmWeightFormat(m: ModelSpec, arch: ModelArchitecture): WeightFormat {
  if (m.quantization !== undefined && m.quantization in VLLM_QUANTIZATION_FORMAT)
    return VLLM_QUANTIZATION_FORMAT[m.quantization as keyof typeof VLLM_QUANTIZATION_FORMAT];
  if (m.dtype === 'float16') return 'fp16';
  if (m.dtype === 'bfloat16') return 'bf16';
  return arch.nativeFormat;
}

/** The single GGUF file of a llama.cpp model's manifest, if there is exactly one. */
export function ggufFileOf(m: ModelSpec): string | undefined {
  const ggufs = Object.keys(m.weights.files).filter((f) => f.toLowerCase().endsWith('.gguf'));
  return ggufs.length === 1 ? ggufs[0] : undefined;
}

/**
 * Machines a provisioned GPU pool has for placing models: its fixed count, or the autoscaler's
 * maximum (the autoscaler adds machines for pods that do not fit). Undefined for existing nodes.
 */
export function machineCountOf(spec: JurisdictionSpec, pool: string): number | undefined {
  const m = spec.cluster.provision?.pools[pool];
  return m === undefined ? undefined : (m.autoscaling?.maxReplicas ?? m.replicas);
}

/** The pool's placement facts for the planner, as GpuNodePool exposes them to the servers. */
export function placementOf(
  name: string,
  p: PoolSpec,
  facts: PoolFacts,
  machineCount: number | undefined,
): GpuPlacement {
  return {
    poolName: name,
    unitsPerNode: facts.unitsPerNode,
    unitMemoryBytes: facts.unitMemoryBytes,
    visibleMemoryBytes: facts.visibleMemoryBytes,
    maxUnitsPerPod: Math.min(facts.unitsPerNode, facts.maxUnitsPerPod),
    nodeCount: machineCount ?? p.nodes?.length ?? 0,
    resourceName: facts.resourceName,
    ...(p.sharing.mode === 'mig' ? { mig: { product: p.product, profile: p.sharing.profile } } : {}),
    product: p.product,
  };
}

/** Capacity problems of one jurisdiction. Models whose references are broken are skipped. */
export function capacityProblems(j: JurisdictionSpec): PlanProblem[] {
  return judge(j).problems;
}

/**
 * The layout the planner chose for each vLLM model that fits: one node, or a group of nodes
 * (served by a LeaderWorkerSet). The stack builds the server this names.
 */
export function vllmLayouts(j: JurisdictionSpec): ReadonlyMap<string, VllmLayout> {
  return judge(j).layouts;
}

function judge(j: JurisdictionSpec): { problems: PlanProblem[]; layouts: Map<string, VllmLayout> } {
  const out: PlanProblem[] = [];
  const layouts = new Map<string, VllmLayout>();
  const podsPerReplica = new Map<string, number>();
  const placements = new Map<string, GpuPlacement>();
  for (const [name, p] of Object.entries(j.pools)) {
    const found = poolProblems({
      product: p.product,
      gpusPerNode: p.gpusPerNode,
      gpuMemoryGiB: p.gpuMemoryGiB,
      sharing: p.sharing,
    });
    for (const f of found) out.push({ path: ['pools', name, ...f.path.split('.')], message: f.message });
    if (found.length === 0)
      placements.set(
        name,
        placementOf(name, p, poolFacts({ ...p, sharing: p.sharing }), machineCountOf(j, name)),
      );
  }

  const gpusPerReplica = new Map<string, number>();
  const weightBytesOf = new Map<string, number>();
  for (const [name, m] of Object.entries(j.models)) {
    const path = ['models', name];
    const arch = architectureOf(m);
    if (!arch) continue; // reported by the semantic checks
    const archProblems = architectureProblems(arch);
    for (const p of archProblems) out.push({ path: [...path, ...p.path.split('.')], message: p.message });
    if (archProblems.length > 0) continue;
    if (m.maxModelLenTokens > arch.maxContextTokens) {
      out.push({
        path: [...path, 'maxModelLenTokens'],
        message: `${m.maxModelLenTokens} tokens is more than ${arch.name}'s context of ${arch.maxContextTokens} (max_position_embeddings)`,
      });
      continue;
    }
    const pool = m.pool === undefined ? undefined : placements.get(m.pool);
    const isGpuPool = m.pool !== undefined && j.pools[m.pool] !== undefined;
    if (isGpuPool && pool === undefined) continue; // the pool's own problem is reported
    const peakReplicas = Math.max(m.replicas, m.autoscaling?.maxReplicas ?? 0);
    const replicasPath = m.autoscaling ? 'autoscaling.maxReplicas' : 'replicas';
    try {
      if (m.engine === 'vllm') {
        if (!pool) continue; // vLLM without a GPU pool is reported by the semantic checks
        if (m.quantization !== undefined && !(m.quantization in VLLM_QUANTIZATION_FORMAT)) continue;
        const plan = planVllmLayout(
          {
            arch,
            weightBytes: weightBytes(arch, vllmWeightFormat(m, arch)),
            kvCache: 'auto',
            maxModelLenTokens: m.maxModelLenTokens,
            maxNumSeqs: m.maxConcurrentSequences,
            gpuMemoryUtilization: m.gpuMemoryUtilization,
            tensorParallelSize: m.tensorParallelSize,
            peakReplicas,
            replicasPath,
            release: j.engines.vllm,
            extraArgs: m.extraArgs ?? [],
          },
          pool,
          j.pools[m.pool as string].multiNode === undefined
            ? undefined
            : { declaredAt: `pools.${m.pool}.multiNode` },
          `pools.${m.pool}`,
        );
        gpusPerReplica.set(name, plan.tensorParallelSize);
        podsPerReplica.set(name, plan.nodes);
        weightBytesOf.set(name, plan.capacity.weightBytes);
        layouts.set(name, plan);
      } else {
        const file = ggufFileOf(m);
        if (file === undefined) continue; // one .gguf file is required: reported by the semantic checks
        const quant = (m.quantization ?? ggufTypeFromFileName(file))?.toUpperCase();
        if (quant === undefined || GGUF_BITS_PER_WEIGHT[quant] === undefined) {
          out.push({
            path: [...path, 'quantization'],
            message: `${quant === undefined ? 'not given and not found in the file name' : `"${quant}" is not a GGUF type the planner sizes`}; use one of ${Object.keys(GGUF_BITS_PER_WEIGHT).join(', ')}`,
          });
          continue;
        }
        const kv: KvCacheFormat = 'fp16';
        const wBytes = ggufWeightBytes(arch, quant);
        const kvLayout = llamaCppKvLayout(m.extraArgs ?? []);
        const kvBytes = llamaCppKvCacheBytes(
          arch,
          kv,
          m.maxModelLenTokens,
          m.maxConcurrentSequences,
          kvLayout,
        );
        planLlamaCppServer(
          {
            arch,
            ggufType: quant,
            weightBytes: wBytes,
            kvCacheBytes: kvBytes,
            kvCache: kv,
            contextTokensPerSlot: m.maxModelLenTokens,
            parallelSlots: m.maxConcurrentSequences,
            gpuMemoryUtilization: m.gpuMemoryUtilization,
            peakReplicas,
            replicasPath,
            memory: memoryQuantity(m.memoryGiB),
            kvLayout,
          },
          pool,
        );
        gpusPerReplica.set(name, pool ? 1 : 0);
        weightBytesOf.set(name, wBytes);
      }
    } catch (e) {
      if (!isSovereignError(e) || e.code !== 'CAPACITY') throw e;
      for (const p of e.problems) out.push({ path: [...path, ...p.path.split('.')], message: p.message });
    }
  }

  // The weights of every model on a store must fit its volume (5 % kept for the filesystem).
  for (const [storeName, store] of Object.entries(j.stores)) {
    const onStore = Object.keys(j.models).filter(
      (n) => j.models[n].store === storeName && weightBytesOf.has(n),
    );
    const bytes = onStore.map((n) => weightBytesOf.get(n) as number);
    const need = bytes.reduce((a, b) => a + b, 0);
    if (need > store.sizeGiB * GIB * 0.95) {
      const each = onStore.map((n, i) => `${n} ${(bytes[i] / GIB).toFixed(1)} GiB`).join(' + ');
      out.push({
        path: ['stores', storeName, 'sizeGiB'],
        message: `store ${storeName} holds ${each} = ${(need / GIB).toFixed(1)} GiB of weights, more than ${store.sizeGiB} GiB × 0.95 usable; make it at least ${Math.ceil(need / GIB / 0.95)} GiB`,
      });
    }
  }

  // Each model fits its pool on its own; together they must fit too.
  for (const [poolName, placement] of placements) {
    const demands = Object.entries(j.models)
      .filter(([n, m]) => m.pool === poolName && gpusPerReplica.has(n))
      .map(([n, m]) => ({
        model: n,
        gpusPerReplica: gpusPerReplica.get(n) as number,
        // A replica across nodes is one pod per node of its group.
        replicas: Math.max(m.replicas, m.autoscaling?.maxReplicas ?? 0) * (podsPerReplica.get(n) ?? 1),
      }));
    const short = packReplicas(placement.nodeCount, placement.unitsPerNode, demands);
    if (short.length > 0) {
      const asked = demands
        .map((d) => `${d.replicas} × ${d.gpusPerReplica} GPU(s) for ${d.model}`)
        .join(' + ');
      out.push({
        path: ['pools', poolName],
        message: `the models placed on pool ${poolName} need ${asked} (replicas × GPUs per replica), but the pool has ${placement.nodeCount} node(s) × ${placement.unitsPerNode} GPU(s): ${short.map((s) => `${s.unplaced} replica(s) of ${s.model}`).join(' and ')} cannot be scheduled. Add nodes, lower replicas, or shorten context / concurrency so fewer GPUs per replica are needed`,
      });
    }
  }
  out.push(...multiNodeProblems(j, layouts));
  return { problems: out, layouts };
}

/** A model served across nodes needs the LeaderWorkerSet controller, and it an API server to reach. */
function multiNodeProblems(j: JurisdictionSpec, layouts: ReadonlyMap<string, VllmLayout>): PlanProblem[] {
  const out: PlanProblem[] = [];
  const spread = [...layouts].filter(([, l]) => l.nodes > 1);
  for (const [name, l] of spread) {
    const m = j.models[name];
    if (j.leaderWorkerSet === undefined)
      out.push({
        path: ['models', name],
        message: `is served across ${l.nodes} nodes of pool ${m.pool} (tensor parallel ${l.tensorParallelSize} × pipeline parallel ${l.pipelineParallelSize}) by a LeaderWorkerSet: add leaderWorkerSet (image of the mirrored controller) to the jurisdiction`,
      });
    const setName = leaderWorkerSetNameProblem(name);
    if (setName !== undefined) out.push({ path: ['models', name], message: setName });
    // Every pod of the group mounts the weights, each on its own node.
    const store = j.stores[m.store];
    if (store?.accessMode === 'ReadWriteOnce' || store?.localVolume !== undefined)
      out.push({
        path: ['stores', m.store, store.localVolume !== undefined ? 'localVolume' : 'accessMode'],
        message: `${name} is served across ${l.nodes} nodes, and each of its pods mounts store "${m.store}", ${store.localVolume !== undefined ? "a directory on one node's disk" : 'which is ReadWriteOnce (one node only)'}: use a shared volume (ReadWriteMany)`,
      });
    if (m.autoscaling !== undefined)
      out.push({
        path: ['models', name, 'autoscaling'],
        message: `a model served across nodes scales by whole groups of ${l.nodes} nodes, which the autoscaler does not drive: give replicas instead`,
      });
  }
  if (
    j.leaderWorkerSet !== undefined &&
    j.leaderWorkerSet.apiServer === undefined &&
    j.gateway?.apiServer === undefined &&
    j.autoscaler?.apiServer === undefined
  )
    out.push({
      path: ['leaderWorkerSet'],
      message:
        'the controller must reach the Kubernetes API: give leaderWorkerSet.apiServer (cidrs, port), or gateway.apiServer',
    });
  return out;
}

/** `16Gi`, or `1536Mi` for 1.5: a Kubernetes memory quantity the servers accept. */
export function memoryQuantity(gib: number | undefined): string | undefined {
  if (gib === undefined) return undefined;
  return Number.isInteger(gib) ? `${gib}Gi` : `${Math.ceil(gib * 1024)}Mi`;
}

/** `8`, or `500m` for 0.5: a Kubernetes CPU quantity the servers accept. */
export function cpuQuantity(cores: number | undefined): string | undefined {
  if (cores === undefined) return undefined;
  return Number.isInteger(cores) ? String(cores) : `${Math.max(1, Math.round(cores * 1000))}m`;
}
