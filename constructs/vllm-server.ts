/**
 * VllmServer: one open-weight model behind vLLM's OpenAI-compatible server, on one GPU pool,
 * offline and silent, under the Restricted Pod Security profile.
 *
 * Engine: vLLM, release per jurisdiction (core/engines/vllm.ts: v0.12.0, v0.33.0). Every flag below is defined in
 * vllm/engine/arg_utils.py (checked at 99d7eb5d) or vllm/entrypoints/openai/cli_args.py (checked
 * at 789340fb), both stored commits just before the v0.12.0 tag (the tag itself is not stored);
 * every environment variable is read by vllm/envs.py (checked at f218f9c2 and a stored copy of
 * the v0.12-era file) or by the library named beside it. The probe path `/health` is the
 * OpenAI API server's health route (`@router.get("/health")`, 200 once the engine is up).
 * @see https://docs.vllm.ai/en/v0.12.0/cli/serve/
 * @see https://docs.vllm.ai/en/v0.12.0/configuration/env_vars/
 */
import { Construct } from 'constructs';
import type { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { throwIfProblems } from '../core/errors';
import {
  type CapacityPlan,
  type KvCacheFormat,
  type ModelArchitecture,
  type WeightFormat,
  GIB,
  weightBytes,
} from './capacity';
import { gpuPlacementOf, planVllmServer } from './server-plan';
import type { VllmEngineProps } from './serving-props';
import { MODEL_DIR, apiKeyEnv, createServingResources, endpointUrl } from './private/serving';
import { checkVllmProps, vllmEnv, vllmWeightFormat } from './private/vllm-common';
import {
  VLLM_DEFAULT_RELEASE,
  VLLM_RELEASE,
  VLLM_RELEASES,
  type VllmQuantization,
  type VllmRelease,
} from '../core/engines/vllm';

export { VLLM_RELEASE, VLLM_RELEASES, VLLM_DEFAULT_RELEASE };
export type { VllmQuantization, VllmRelease };

export { ENGINE_USER } from './private/vllm-common';

export interface VllmServerProps extends VllmEngineProps {
  /** Size of the `/dev/shm` memory emptyDir (NCCL between TP workers). @default 2 GiB per GPU */
  readonly shmSizeGiB?: number;
}

export class VllmServer extends Construct {
  /** The default vLLM release (when the props pin none). */
  public static readonly RELEASE = VLLM_RELEASE;
  /** The vLLM release whose flags and environment this server emits. */
  public readonly release: VllmRelease;
  public readonly name: string;
  public readonly namespace: string;
  public readonly servedModelName: string;
  public readonly port: number;
  public readonly replicas: number;
  public readonly tensorParallelSize: number;
  /** GPUs each pod requests (= tensorParallelSize) of `gpuResourceName`. */
  public readonly gpusPerReplica: number;
  public readonly gpuResourceName: string;
  public readonly maxModelLenTokens: number;
  public readonly maxNumSeqs: number;
  public readonly gpuMemoryUtilization: number;
  public readonly shmSizeGiB: number;
  public readonly architecture: ModelArchitecture;
  public readonly weightFormat: WeightFormat;
  public readonly capacity: CapacityPlan;
  /** Container command and args, as synthesized. */
  public readonly command: readonly string[];
  public readonly args: readonly string[];
  /** Environment variable names set on the container (values in the Deployment). */
  public readonly envNames: readonly string[];
  public readonly serviceName: string;
  /** In-cluster OpenAI-compatible base URL. */
  public readonly endpointUrl: string;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  public readonly autoscaler?: HorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: VllmServerProps) {
    super(scope, id);
    const name = props.name ?? `${props.weights.modelName}-vllm`;
    const checked = checkVllmProps(props, name, [['shmSizeGiB', props.shmSizeGiB, 512]]);
    const { problems, architecture: arch } = checked;
    const util = checked.gpuMemoryUtilization;
    const release = checked.release;
    throwIfProblems(`VllmServer ${id}`, problems);
    const model = arch as ModelArchitecture;

    this.release = release;
    this.name = name;
    this.namespace = props.weights.namespace;
    this.servedModelName = props.servedModelName ?? props.weights.modelName;
    this.port = props.port ?? 8000;
    this.replicas = props.replicas ?? props.autoscaling?.minReplicas ?? 1;
    this.architecture = model;
    this.maxModelLenTokens = props.maxModelLenTokens ?? Math.min(model.maxContextTokens, 8192);
    this.maxNumSeqs = props.maxNumSeqs ?? 8;
    this.gpuMemoryUtilization = util;
    this.weightFormat = vllmWeightFormat(props, model);
    const kvCache: KvCacheFormat = props.kvCacheDtype === 'fp8' ? 'fp8' : 'auto';

    // ---- capacity: the smallest TP that fits one pod, then GPUs across the pool
    // (constructs/server-plan.ts, the same judgement `sovereign validate` makes)
    const pool = props.pool;
    const plan = planVllmServer(
      {
        arch: model,
        weightBytes: weightBytes(model, this.weightFormat),
        kvCache,
        maxModelLenTokens: this.maxModelLenTokens,
        maxNumSeqs: this.maxNumSeqs,
        gpuMemoryUtilization: util,
        tensorParallelSize: props.tensorParallelSize,
        peakReplicas: Math.max(this.replicas, props.autoscaling?.maxReplicas ?? 0),
        replicasPath: props.autoscaling ? 'autoscaling.maxReplicas' : 'replicas',
        release,
        extraArgs: props.extraArgs ?? [],
      },
      gpuPlacementOf(pool),
    );
    this.capacity = plan.capacity;
    const tp = plan.tensorParallelSize;
    this.tensorParallelSize = tp;
    this.gpusPerReplica = tp;
    this.gpuResourceName = pool.resourceName;
    this.shmSizeGiB = props.shmSizeGiB ?? 2 * tp;

    // ---- command line (`vllm serve [model_tag] [options]`; the positional model_tag is added by
    // make_arg_parser in vllm/entrypoints/openai/cli_args.py @ 789340fb)
    this.command = props.command ?? ['vllm', 'serve'];
    this.args = [
      MODEL_DIR, // positional model_tag: the verified, read-only weights directory, never a hub id
      // ModelConfig (vllm/engine/arg_utils.py @ 99d7eb5d): name clients send in `model`
      '--served-model-name',
      this.servedModelName,
      // Frontend (vllm/entrypoints/openai/cli_args.py @ 789340fb)
      '--host',
      '0.0.0.0',
      '--port',
      String(this.port),
      // ParallelConfig (arg_utils.py @ 99d7eb5d)
      '--tensor-parallel-size',
      String(tp),
      // ModelConfig (arg_utils.py @ 99d7eb5d)
      '--max-model-len',
      String(this.maxModelLenTokens),
      '--dtype',
      props.dtype ?? 'auto',
      // CacheConfig (arg_utils.py @ 99d7eb5d)
      // A fraction of the memory the process sees: under time-slicing that is the whole GPU,
      // so the share's budget is scaled down (server-plan.ts vllmUtilizationFlag); the planner
      // budgets exactly this figure.
      '--gpu-memory-utilization',
      plan.utilizationFlag,
      '--kv-cache-dtype',
      props.kvCacheDtype ?? 'auto',
      props.enablePrefixCaching === false ? '--no-enable-prefix-caching' : '--enable-prefix-caching',
      // SchedulerConfig (arg_utils.py @ 99d7eb5d)
      '--max-num-seqs',
      String(this.maxNumSeqs),
      // ModelConfig (arg_utils.py @ 99d7eb5d)
      ...(props.quantization ? ['--quantization', props.quantization] : []),
      // ParallelConfig `enable_expert_parallel` (arg_utils.py @ 99d7eb5d; vllm/config/parallel.py
      // @ 840e7972): a MoE model on more than one GPU places whole experts per GPU instead of
      // slicing each expert (capacity.ts expertParallelApplies); same bytes per GPU.
      ...(plan.capacity.expertParallel && !(props.extraArgs ?? []).includes('--enable-expert-parallel')
        ? ['--enable-expert-parallel']
        : []),
      ...(props.extraArgs ?? []),
    ];

    const env = [
      ...vllmEnv(release),
      // vllm/envs.py @ f218f9c2: VLLM_API_KEY; vllm/entrypoints/openai/api_server.py uses it
      // when --api-key is absent (`args.api_key or [envs.VLLM_API_KEY]`)
      ...apiKeyEnv('VLLM_API_KEY', props.apiKeySecret),
    ];
    this.envNames = env.map((e) => e.name);

    const gpu = String(tp);
    const cpu = props.cpu ?? String(4 * tp);
    const memory =
      props.memory ?? `${Math.max(16, Math.ceil(this.capacity.weightBytes / GIB / tp) + 8) * tp}Gi`;
    const res = createServingResources({
      scope: this,
      engine: 'vllm',
      engineRelease: release,
      name,
      props,
      port: this.port,
      replicas: this.replicas,
      uid: props.runAsUser ?? 1000,
      command: this.command,
      args: this.args,
      env,
      requests: { cpu, memory, [pool.resourceName]: gpu },
      // CPU limit = request: with memory and GPU also equal, the pod is in the Guaranteed QoS class.
      limits: { cpu, memory, [pool.resourceName]: gpu },
      shmSizeGiB: this.shmSizeGiB,
      startupTimeoutMinutes: props.startupTimeoutMinutes ?? 60,
      pool,
    });
    this.deployment = res.deployment;
    this.service = res.service;
    this.podDisruptionBudget = res.podDisruptionBudget;
    this.autoscaler = res.autoscaler;
    this.serviceName = name;
    this.endpointUrl = endpointUrl(name, this.namespace, this.port);
  }
}
