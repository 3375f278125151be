/**
 * LlamaCppServer: one GGUF model behind llama.cpp's `llama-server` (OpenAI-compatible), on a GPU
 * pool (all layers offloaded to one GPU) or CPU-only for an edge site, offline, under the
 * Restricted Pod Security profile.
 *
 * Engine: llama.cpp, build per jurisdiction (core/engines/llama-cpp.ts: b9174, b11459). Every flag below is registered in common/arg.cpp
 * (checked at 145b6280, the newest stored commit, which predates b9174) and
 * listed in tools/server/README.md (checked at 25d5b0c5); the environment variables are the ones
 * arg.cpp (`.set_env`) and common/common.cpp (checked at 17fce9be) read. The probe path `/health`
 * is documented in that README: 503 while the model loads, 200 when ready.
 * @see https://github.com/ggml-org/llama.cpp/blob/b9174/tools/server/README.md
 */
import { Construct } from 'constructs';
import type { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import type { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { throwIfProblems } from '../core/errors';
import type { IGpuPool, INodePlacement } from './interfaces';
import {
  type CapacityPlan,
  type KvCacheFormat,
  type ModelArchitecture,
  GGUF_BITS_PER_WEIGHT,
  ggufWeightBytes,
} from './capacity';
import {
  ggufTypeFromFileName,
  gpuPlacementOf,
  llamaCppKvCacheBytes,
  llamaCppKvLayout,
  planLlamaCppServer,
} from './server-plan';
import {
  LLAMA_CPP_DEFAULT_RELEASE,
  LLAMA_CPP_RELEASE,
  LLAMA_CPP_RELEASES,
  LLAMA_CPP_TABLE,
  type LlamaCppRelease,
} from '../core/engines/llama-cpp';
import { checkServerProps } from './private/server-props';
import { type ServingBaseProps } from './serving-props';
import {
  CACHE_DIR,
  MODEL_DIR,
  apiKeyEnv,
  baseDirEnv,
  createServingResources,
  endpointUrl,
  wholeCpus,
} from './private/serving';

export { LLAMA_CPP_RELEASE, LLAMA_CPP_RELEASES, LLAMA_CPP_DEFAULT_RELEASE };
export type { LlamaCppRelease };

/** llama.cpp KV-cache types (`-ctk` / `-ctv`) the planner sizes. */
export type LlamaCppKvCacheType = 'f16' | 'q8_0' | 'q4_0';

export interface LlamaCppServerProps extends ServingBaseProps {
  /**
   * The llama.cpp build the image runs: extraArgs are checked against its flag table.
   * @default the newest supported (LLAMA_CPP_DEFAULT_RELEASE)
   */
  readonly release?: LlamaCppRelease;
  /** GPU pool: one GPU, all layers offloaded. Omit for CPU-only (edge): no GPU requested. */
  readonly pool?: IGpuPool;
  /** CPU-only: the nodes the server runs on (node selector and tolerations). @default any node */
  readonly cpuPool?: INodePlacement;
  /** The model's architecture: a catalogue id or the numbers for any other model. */
  readonly architecture: string | ModelArchitecture;
  /**
   * GGUF quantization of `weights.fileName` (`Q4_K_M`, `Q8_0`, …), for the capacity check.
   * @default read from the file name
   */
  readonly ggufQuantization?: string;
  /** Context per slot in tokens; `--ctx-size` is this × parallelSlots. @default min(model maximum, 4096) */
  readonly contextTokensPerSlot?: number;
  /** Requests served at once (`--parallel`). @default 4 */
  readonly parallelSlots?: number;
  /** KV-cache type for K and V (`--cache-type-k`, `--cache-type-v`). @default 'f16' */
  readonly kvCacheType?: LlamaCppKvCacheType;
  /** Fraction of the GPU the model and KV cache may fill (capacity check only). @default 0.9 */
  readonly gpuMemoryUtilization?: number;
}

const KV_FORMAT: Record<LlamaCppKvCacheType, KvCacheFormat> = { f16: 'fp16', q8_0: 'q8_0', q4_0: 'q4_0' };

/** `--n-gpu-layers` value that offloads every layer (and the output layer) of any model. */
export const ALL_LAYERS = 999;

export { ggufTypeFromFileName };

export class LlamaCppServer extends Construct {
  /** The default llama.cpp build (when the props pin none). */
  public static readonly RELEASE = LLAMA_CPP_RELEASE;
  /** The llama.cpp build whose flags this server emits. */
  public readonly release: LlamaCppRelease;
  public readonly name: string;
  public readonly namespace: string;
  public readonly servedModelName: string;
  public readonly port: number;
  public readonly replicas: number;
  /** True when no pool is given: no GPU is requested and no layer is offloaded. */
  public readonly cpuOnly: boolean;
  /** GPUs each pod requests (1 on a GPU pool, 0 CPU-only). */
  public readonly gpusPerReplica: number;
  public readonly gpuResourceName?: string;
  public readonly ggufQuantization: string;
  public readonly contextTokensPerSlot: number;
  public readonly parallelSlots: number;
  /** `--ctx-size`: total KV-cache tokens across slots. */
  public readonly contextTokens: number;
  /** `--threads`: whole CPUs of the CPU request. */
  public readonly threads: number;
  public readonly cpu: string;
  public readonly memory: string;
  public readonly architecture: ModelArchitecture;
  public readonly weightBytes: number;
  public readonly kvCacheBytes: number;
  /** GPU plan (undefined when CPU-only). */
  public readonly capacity?: CapacityPlan;
  public readonly command: readonly string[];
  public readonly args: readonly string[];
  public readonly envNames: readonly string[];
  public readonly serviceName: string;
  public readonly endpointUrl: string;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  public readonly autoscaler?: HorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: LlamaCppServerProps) {
    super(scope, id);
    const name = props.name ?? `${props.weights.modelName}-llama-cpp`;
    const checked = checkServerProps({
      props,
      name,
      pool: props.pool,
      architecture: props.architecture,
      table: LLAMA_CPP_TABLE,
      defaultRelease: LLAMA_CPP_DEFAULT_RELEASE,
      context: { path: 'contextTokensPerSlot', value: props.contextTokensPerSlot },
      counts: [['parallelSlots', props.parallelSlots, 256]],
      choices: [['kvCacheType', props.kvCacheType, Object.keys(KV_FORMAT)]],
    });
    const { problems, architecture: arch } = checked;
    const util = checked.gpuMemoryUtilization;
    const release = checked.release as LlamaCppRelease;
    const fileName = props.weights.fileName;
    if (fileName === undefined || !/^[^/]+\.gguf$/i.test(fileName)) {
      problems.push({
        path: 'weights.fileName',
        message: `${fileName === undefined ? 'missing' : `"${fileName}"`}: llama.cpp serves one .gguf file; name it (no directories)`,
      });
    }
    const quant = (
      props.ggufQuantization ?? (fileName ? ggufTypeFromFileName(fileName) : undefined)
    )?.toUpperCase();
    if (quant === undefined || GGUF_BITS_PER_WEIGHT[quant] === undefined) {
      problems.push({
        path: 'ggufQuantization',
        message: `${quant === undefined ? 'not given and not found in the file name' : `"${quant}" is unknown`}; use one of ${Object.keys(GGUF_BITS_PER_WEIGHT).join(', ')}`,
      });
    }
    throwIfProblems(`LlamaCppServer ${id}`, problems);
    const model = arch as ModelArchitecture;
    const ggufType = quant as string;

    this.release = release;
    this.name = name;
    this.namespace = props.weights.namespace;
    this.servedModelName = props.servedModelName ?? props.weights.modelName;
    this.port = props.port ?? 8080;
    this.replicas = props.replicas ?? props.autoscaling?.minReplicas ?? 1;
    this.architecture = model;
    this.ggufQuantization = ggufType;
    this.contextTokensPerSlot = props.contextTokensPerSlot ?? Math.min(model.maxContextTokens, 4096);
    this.parallelSlots = props.parallelSlots ?? 4;
    this.contextTokens = this.contextTokensPerSlot * this.parallelSlots;
    const kvType = props.kvCacheType ?? 'f16';
    this.weightBytes = ggufWeightBytes(model, ggufType);
    // Sliding-window layers keep only their window plus a micro-batch per slot (llama.cpp's SWA
    // cache, server-plan.ts llamaCppKvLayout), unless extraArgs ask for --swa-full.
    const kvLayout = llamaCppKvLayout(props.extraArgs);
    this.kvCacheBytes = llamaCppKvCacheBytes(
      model,
      KV_FORMAT[kvType],
      this.contextTokensPerSlot,
      this.parallelSlots,
      kvLayout,
    );
    this.cpuOnly = props.pool === undefined;
    const pool = props.pool;

    // ---- capacity: one GPU holds every layer and the KV cache; CPU-only: the memory limit does
    // (constructs/server-plan.ts, the same judgement `sovereign validate` makes)
    const plan = planLlamaCppServer(
      {
        arch: model,
        ggufType,
        weightBytes: this.weightBytes,
        kvCacheBytes: this.kvCacheBytes,
        kvCache: KV_FORMAT[kvType],
        contextTokensPerSlot: this.contextTokensPerSlot,
        parallelSlots: this.parallelSlots,
        gpuMemoryUtilization: util,
        peakReplicas: Math.max(this.replicas, props.autoscaling?.maxReplicas ?? 0),
        replicasPath: props.autoscaling ? 'autoscaling.maxReplicas' : 'replicas',
        memory: props.memory,
        kvLayout,
      },
      pool && gpuPlacementOf(pool),
    );
    this.capacity = plan.capacity;
    this.memory = plan.memory;
    this.cpu = props.cpu ?? (this.cpuOnly ? '8' : '4');
    this.threads = wholeCpus(this.cpu);
    this.gpusPerReplica = pool ? 1 : 0;
    this.gpuResourceName = pool?.resourceName;

    // ---- command line (common/arg.cpp, checked at 145b6280; README sections in brackets)
    this.command = props.command ?? ['/app/llama-server'];
    this.args = [
      '--model', // [Common params] -m, --model FNAME
      `${MODEL_DIR}/${fileName}`,
      '--alias', // [Example-specific params] -a, --alias: name clients send in `model`
      this.servedModelName,
      '--host', // [Example-specific params]
      '0.0.0.0',
      '--port', // [Example-specific params]
      String(this.port),
      '--ctx-size', // [Common params] -c: total KV tokens, shared by the slots
      String(this.contextTokens),
      '--parallel', // [Common params] -np: slots
      String(this.parallelSlots),
      // [Common params] -ngl: a number above any model's layer count offloads every layer on a
      // GPU pool, 0 CPU-only. A number, not 'all': at 145b6280 the value is parsed with
      // std::stoi (so 'all' exits with "invalid argument"); later builds that also accept
      // 'auto'/'all' still take an exact number.
      '--n-gpu-layers',
      pool ? String(ALL_LAYERS) : '0',
      '--threads', // [Common params] -t: whole CPUs requested
      String(this.threads),
      ...(kvType !== 'f16' ? ['--cache-type-k', kvType, '--cache-type-v', kvType] : []), // [Common params] -ctk/-ctv
      '--metrics', // [Example-specific params] Prometheus /metrics on the same port
      '--no-ui', // [Example-specific params] API only (b9174 name; --no-webui is its deprecated alias)
      '--offline', // [Common params] never touch the network for models
      ...(props.extraArgs ?? []),
    ];

    const env = [
      ...baseDirEnv(),
      // common/common.cpp @ 17fce9be fs_get_cache_directory(): LLAMA_CACHE overrides
      // $XDG_CACHE_HOME/llama.cpp (or ~/.cache/llama.cpp)
      { name: 'LLAMA_CACHE', value: `${CACHE_DIR}/llama.cpp` },
      // common/arg.cpp @ 145b6280: {"--api-key"} ... .set_env("LLAMA_API_KEY")
      ...apiKeyEnv('LLAMA_API_KEY', props.apiKeySecret),
    ];
    this.envNames = env.map((e) => e.name);

    const requests: Record<string, string> = { cpu: this.cpu, memory: this.memory };
    // CPU limit = request: the Guaranteed QoS class, and --threads never exceeds what the pod may use.
    const limits: Record<string, string> = { cpu: this.cpu, memory: this.memory };
    if (pool) {
      requests[pool.resourceName] = '1';
      limits[pool.resourceName] = '1';
    }
    const res = createServingResources({
      scope: this,
      engine: 'llama-cpp',
      engineRelease: release,
      name,
      props,
      port: this.port,
      replicas: this.replicas,
      uid: props.runAsUser ?? 1000,
      command: this.command,
      args: this.args,
      env,
      requests,
      limits,
      startupTimeoutMinutes: props.startupTimeoutMinutes ?? 30,
      pool: pool ?? props.cpuPool,
    });
    this.deployment = res.deployment;
    this.service = res.service;
    this.podDisruptionBudget = res.podDisruptionBudget;
    this.autoscaler = res.autoscaler;
    this.serviceName = name;
    this.endpointUrl = endpointUrl(name, this.namespace, this.port);
  }
}
