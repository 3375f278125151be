/**
 * Props the servers (VllmServer, MultiNodeVllmServer, LlamaCppServer) take, and the value types they use. Public:
 * engineers composing the constructs in TypeScript write these.
 */
import type { IGpuPool, IModelWeights } from './interfaces';
import type { ModelArchitecture } from './capacity';
import type { VllmQuantization, VllmRelease } from '../core/engines/vllm';

/** A key of a Kubernetes Secret in the server's namespace. */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** HorizontalPodAutoscaler (autoscaling/v2) settings. */
export interface ServerAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Scale on a per-pod custom metric served by a metrics adapter (e.g. a Prometheus adapter
   * exposing the engine's queue length). When unset, scales on CPU utilisation.
   */
  readonly podsMetric?: { readonly name: string; readonly averageValue: string };
  /** CPU utilisation target in percent, used when podsMetric is unset. @default 80 */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * Scaled by an external autoscaler (a KEDA ScaledObject on engine metrics): no HPA is
   * created, and an apply keeps the replica count the autoscaler set. @default false
   */
  readonly external?: boolean;
}

/** Props both servers take. */
export interface ServingBaseProps {
  /** Jurisdiction label value every object carries. */
  readonly jurisdiction: string;
  /** The verified weights to serve; the server runs in their namespace and mounts them read-only. */
  readonly weights: IModelWeights;
  /** Engine image, pinned by digest, from a registry the jurisdiction allows. */
  readonly image: string;
  /** Registries the image may come from. @default any explicit registry host */
  readonly allowedRegistries?: readonly string[];
  /**
   * Image pull Secrets (names, of type kubernetes.io/dockerconfigjson) in the server's
   * namespace, for a registry that requires credentials. @default none (the nodes' own)
   */
  readonly imagePullSecrets?: readonly string[];
  /** Base name of the Deployment, Service, PDB and HPA. @default `<weights.modelName>-<engine>` */
  readonly name?: string;
  /** Model name clients send in the OpenAI API `model` field. @default weights.modelName */
  readonly servedModelName?: string;
  /** Pods. @default 1 */
  readonly replicas?: number;
  /** Optional HorizontalPodAutoscaler; replicas is then its starting point. */
  readonly autoscaling?: ServerAutoscaling;
  /** API key clients must send, from a Secret (read by the engine from its environment). @default no key */
  readonly apiKeySecret?: SecretKeyRef;
  /** Extra engine flags, checked against the construct's known-flag table. @default none */
  readonly extraArgs?: readonly string[];
  /** Container port, named `http` (also serves `/metrics`). @default 8000 (vLLM), 8080 (llama.cpp) */
  readonly port?: number;
  /** CPU request (Kubernetes quantity). @default 4 per GPU (vLLM); 4, or 8 CPU-only (llama.cpp) */
  readonly cpu?: string;
  /**
   * Memory request and limit (Kubernetes quantity). @default vLLM: (weights / TP + 8 GiB, at
   * least 16 GiB) per GPU; llama.cpp: 4 GiB on a GPU, weights + KV cache + 1 GiB CPU-only
   */
  readonly memory?: string;
  /** UID / GID the engine runs as (also fsGroup). @default 1000 */
  readonly runAsUser?: number;
  /** How long the startup probe waits for the model to load, in minutes. @default 60 (vLLM), 30 (llama.cpp) */
  readonly startupTimeoutMinutes?: number;
  /** Size limit of the emptyDir that holds caches (compiled kernels, home). @default 10 */
  readonly cacheSizeGiB?: number;
  /** Model licence (SPDX id or name), written as an annotation for the ML-BOM. */
  readonly license?: string;
  /** Container command. @default the engine's server binary in its upstream image */
  readonly command?: readonly string[];
}

/** What every vLLM server takes: the engine release, the model, its sizing and vLLM's own switches. */
export interface VllmEngineProps extends ServingBaseProps {
  /**
   * The vLLM release the image runs: extraArgs are checked against its flag table, and the
   * environment is the one it needs (docs/engines.md). @default the newest supported (VLLM_DEFAULT_RELEASE)
   */
  readonly release?: VllmRelease;
  /** The GPU pool the server runs on (node selector, tolerations, GPU resource). */
  readonly pool: IGpuPool;
  /** The model's architecture: a catalogue id (`llama-3.1-70b`) or the numbers for any other model. */
  readonly architecture: string | ModelArchitecture;
  /**
   * Activation/weight dtype (`--dtype`). @default 'auto' (the checkpoint's torch_dtype)
   * @see https://docs.vllm.ai/en/v0.12.0/cli/serve/ (ModelConfig)
   */
  readonly dtype?: 'auto' | 'bfloat16' | 'float16';
  /** Quantization of the checkpoint (`--quantization`). @default none (vLLM detects it from the checkpoint) */
  readonly quantization?: VllmQuantization;
  /** KV-cache dtype (`--kv-cache-dtype`). @default 'auto' */
  readonly kvCacheDtype?: 'auto' | 'fp8';
  /** Longest sequence, prompt + output (`--max-model-len`). @default min(model maximum, 8192) */
  readonly maxModelLenTokens?: number;
  /** Sequences batched at once (`--max-num-seqs`); the planner reserves KV for all at full length. @default 8 */
  readonly maxNumSeqs?: number;
  /** Fraction of GPU memory vLLM may use (`--gpu-memory-utilization`). @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /** GPUs per replica (`--tensor-parallel-size`). @default the smallest that fits, from the capacity planner */
  readonly tensorParallelSize?: number;
  /** Automatic prefix caching (`--enable-prefix-caching` / `--no-enable-prefix-caching`). @default true */
  readonly enablePrefixCaching?: boolean;
}
