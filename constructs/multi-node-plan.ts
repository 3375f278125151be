/**
 * The layout of a vLLM server on a GPU pool: one node when the model fits one (the single-node
 * planner, server-plan.ts), else a group of nodes: tensor parallel across the GPUs of each node
 * and pipeline parallel across the nodes, as vLLM documents for multi-node serving ("set the
 * tensor parallel size to the number of GPUs in each node, and the pipeline parallel size to
 * the number of nodes": docs/serving/parallelism_scaling.md, "Multi-node deployment", vLLM
 * v0.12.0). The fewest nodes that hold the model win: every extra node adds a pipeline stage
 * and cross-node traffic. Pure functions, no cdktf: VllmServer / MultiNodeVllmServer and
 * `sovereign validate` (stacks/spec/plan.ts) reach the same verdict with the same numbers.
 */
import {
  type CapacityPlan,
  type CapacityRequest,
  formatGiB,
  planAt,
  slidingWindowApplies,
  validTensorParallelSizes,
} from './capacity';
import { capacityExceeded, isSovereignError } from '../core/errors';
import {
  type GpuPlacement,
  type VllmPlanInput,
  planVllmServer,
  vllmCapacityRequest,
  vllmUtilizationFlag,
} from './server-plan';

export interface VllmLayout {
  /** Nodes (pods) per replica: 1 on one node, else the pipeline-parallel size. */
  readonly nodes: number;
  /** GPUs per pod (`--tensor-parallel-size`). */
  readonly tensorParallelSize: number;
  /** `--pipeline-parallel-size`: 1 on one node, else the number of nodes. */
  readonly pipelineParallelSize: number;
  /** Figures per GPU of one pipeline stage; weightBytes and kvCacheBytes are the whole model's. */
  readonly capacity: CapacityPlan;
  /** `--gpu-memory-utilization` as emitted. */
  readonly utilizationFlag: string;
}

/** What the pool declares for serving across nodes; undefined when it declares nothing. */
export interface MultiNodeAllowance {
  /** The spec path that declares it, for messages (`pools.h100.multiNode`). */
  readonly declaredAt: string;
}

/** The plan of one pipeline stage at tensor-parallel `tp` across `pp` nodes. */
export function planStage(
  req: CapacityRequest,
  usableBytesPerGpu: number,
  tp: number,
  pp: number,
): CapacityPlan {
  const pool = { poolName: '', gpusPerNode: tp, gpuMemoryGiB: 0, usableBytesPerGpu };
  // A stage holds ceil(layers / pp) layers (vLLM splits layers as evenly as it can,
  // vllm/distributed/utils.py get_pp_indices), so its share of the weights and of the KV cache.
  const layers = Math.ceil(req.arch.layers / pp);
  const weightBytes = (req.weightBytes * layers) / req.arch.layers;
  // With sliding-window layers the KV cache is the whole model's times the stage's share of the
  // layers: vLLM groups the layers over the whole model, strided so each stage holds about its
  // share of every group (vllm/v1/core/kv_cache_utils.py `_get_kv_cache_groups_uniform_page_size`,
  // layers[i::num_groups]), and a stage's group size is its share of the model's.
  const stage = slidingWindowApplies(req.arch, req.kvLayout)
    ? planAt({ ...req, weightBytes, kvLayerShare: layers / req.arch.layers }, pool, tp)
    : planAt({ ...req, arch: { ...req.arch, layers }, weightBytes }, pool, tp);
  const whole = planAt(req, pool, tp);
  return {
    ...stage,
    weightBytes: whole.weightBytes,
    kvCacheBytes: whole.kvCacheBytes,
    kvBytesPerToken: whole.kvBytesPerToken,
  };
}

/**
 * One node if the model fits, else the fewest nodes of the pool that hold it, or a CAPACITY
 * error with the numbers: what the model needs, what one node and the whole pool offer.
 * `multiNode` undefined: the pool declares no interconnect, so a layout across nodes is
 * refused with the layout it would take.
 */
export function planVllmLayout(
  input: VllmPlanInput,
  pool: GpuPlacement,
  multiNode: MultiNodeAllowance | undefined,
  poolPath: string,
): VllmLayout {
  let single: { path: string; message: string };
  let singleError: unknown;
  try {
    const plan = planVllmServer(input, pool);
    return {
      nodes: 1,
      tensorParallelSize: plan.tensorParallelSize,
      pipelineParallelSize: 1,
      capacity: plan.capacity,
      utilizationFlag: plan.utilizationFlag,
    };
  } catch (e) {
    if (!isSovereignError(e) || e.code !== 'CAPACITY') throw e;
    // Refusals that more nodes do not change: a TP size that does not divide the heads, a MIG
    // or time-sliced pool (one unit per pod), too many replicas for the pool.
    const p = e.problems[0];
    const memoryShort = /would need [0-9.]+ GiB/.test(p?.message ?? '');
    if (
      pool.mig ||
      pool.maxUnitsPerPod < pool.unitsPerNode ||
      !memoryShort ||
      p.path === input.replicasPath ||
      (input.tensorParallelSize ?? 0) > pool.maxUnitsPerPod
    )
      throw e;
    single = p;
    singleError = e;
  }
  const name = input.arch.name;
  const flag = vllmUtilizationFlag(input.gpuMemoryUtilization, pool);
  const usable = flag * pool.visibleMemoryBytes;
  const sizes = validTensorParallelSizes(input.arch, pool.maxUnitsPerPod);
  const tp = input.tensorParallelSize ?? sizes[sizes.length - 1];
  const req = vllmCapacityRequest(input, tp, pool);
  const maxNodes = Math.min(pool.nodeCount, input.arch.layers);
  let fit: { pp: number; plan: CapacityPlan } | undefined;
  for (let pp = 2; pp <= maxNodes && !fit; pp++) {
    const plan = planStage(req, usable, tp, pp);
    if (plan.fits) fit = { pp, plan };
  }
  const one = planAt(
    req,
    { poolName: pool.poolName, gpusPerNode: tp, gpuMemoryGiB: 0, usableBytesPerGpu: usable },
    tp,
  );
  const reserve = one.runtimeReserveBytesPerGpu;
  // The same figure in every message: what the model needs if spread over n nodes, against
  // what n nodes offer.
  const needOn = (n: number) => one.weightBytes + one.kvCacheBytes + reserve * tp * n;
  const perNode = usable * tp;
  // A pool that declares nothing for serving across nodes keeps the single-node refusal when
  // no number of its nodes would hold the model either.
  if (!fit && multiNode === undefined) throw singleError;
  if (!fit) {
    // Fewest nodes that would hold it (weights, KV cache, per-GPU reserve), at this TP.
    let enough = 2;
    while (enough < input.arch.layers && planStage(req, usable, tp, enough).fits === false) enough++;
    throw capacityExceeded(
      name,
      'pool',
      `${name} needs ${formatGiB(needOn(enough))} of GPU memory (${formatGiB(one.weightBytes)} of weights + ${formatGiB(one.kvCacheBytes)} of KV cache${one.kvCacheNote ? ` (${one.kvCacheNote})` : ''} for ${input.maxNumSeqs} × ${input.maxModelLenTokens} tokens + ${formatGiB(reserve)} per GPU of runtime), spread as tensor parallel ${tp} in a node × pipeline parallel across ${enough} nodes; one node of pool ${pool.poolName} offers ${tp} × ${formatGiB(usable)} usable = ${formatGiB(perNode)}, and the pool's ${pool.nodeCount} node${pool.nodeCount === 1 ? '' : 's'} offer ${formatGiB(perNode * pool.nodeCount)}. Add nodes (${enough} are needed), use a quantized checkpoint, or shorten context / concurrency`,
    );
  }
  if (multiNode === undefined) {
    throw capacityExceeded(
      name,
      single.path,
      `${single.message.replace(/\.?$/, '')}. It fits across ${fit.pp} nodes of pool ${pool.poolName} (tensor parallel ${tp} in a node × pipeline parallel ${fit.pp}: ${formatGiB(fit.plan.requiredBytesPerGpu)} of ${formatGiB(usable)} per GPU), served by a LeaderWorkerSet once the pool declares its interconnect: add ${poolPath}.multiNode (RDMA resource, NCCL settings, /dev/shm)`,
    );
  }
  const pods = input.peakReplicas * fit.pp;
  const podsPerNode = Math.floor(pool.unitsPerNode / tp);
  if (pods > podsPerNode * pool.nodeCount) {
    throw capacityExceeded(
      name,
      input.replicasPath,
      `${input.peakReplicas} replica${input.peakReplicas === 1 ? '' : 's'} × ${fit.pp} nodes × ${tp} GPUs need ${pods} pods of ${tp} ${pool.resourceName}; pool ${pool.poolName} has ${pool.nodeCount} node${pool.nodeCount === 1 ? '' : 's'} × ${pool.unitsPerNode} GPUs, room for ${podsPerNode * pool.nodeCount}`,
    );
  }
  return {
    nodes: fit.pp,
    tensorParallelSize: tp,
    pipelineParallelSize: fit.pp,
    capacity: fit.plan,
    utilizationFlag: flag.toFixed(2),
  };
}
