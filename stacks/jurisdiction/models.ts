/**
 * Each model: its verified weights, its server (vLLM, llama.cpp, or a vLLM group across
 * nodes), its endpoint output and what the record says of it.
 */
import { TerraformOutput, type ITerraformDependable } from 'cdktf';
import type { ModelArchitecture } from '../../constructs/capacity';
import type { CpuNodePool } from '../../constructs/cpu-node-pool';
import type { GpuNodePool } from '../../constructs/gpu-node-pool';
import type { LeaderWorkerSetController } from '../../constructs/leader-worker-set';
import { LlamaCppServer } from '../../constructs/llama-cpp-server';
import type { IModelWeightStore } from '../../constructs/model-weight-store';
import { ModelWeights } from '../../constructs/model-weights';
import { MultiNodeVllmServer } from '../../constructs/multi-node-vllm-server';
import { VllmServer } from '../../constructs/vllm-server';
import { manifestSha256 } from '../../constructs/weights-manifest';
import type { CaBundleRef, WeightsSource } from '../../constructs/weights-source';
import type { ModelRecord } from '../../core/stack-record';
import { licenceById } from '../../policy/licences/catalogue';
import {
  architectureOf as plannedArchitecture,
  cpuQuantity,
  ggufFileOf,
  memoryQuantity,
  type vllmLayouts,
} from '../spec/plan';
import type { ModelSpec } from '../spec/schema';
import { dependAll, SERVING_PORT, type BuildContext } from './common';

/** What the models' loop made: weights and servers by model, their records, the relaxations. */
export interface BuiltModels {
  readonly weights: Record<string, ModelWeights>;
  readonly servers: Record<string, VllmServer | LlamaCppServer | MultiNodeVllmServer>;
  readonly records: ModelRecord[];
  readonly relaxations: { rule: string; resource: string; reason: string }[];
}

export function buildModels(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  placed: {
    readonly stores: Record<string, IModelWeightStore>;
    readonly pools: Record<string, GpuNodePool>;
    readonly cpuPools: Record<string, CpuNodePool>;
    readonly layouts: ReturnType<typeof vllmLayouts>;
    readonly leaderWorkerSet: LeaderWorkerSetController | undefined;
  },
  namespaceReady: readonly ITerraformDependable[],
): BuiltModels {
  const { stack, name, spec, at } = ctx;
  const sov = spec.sovereignty;
  const { stores, pools, cpuPools, layouts, leaderWorkerSet } = placed;
  const weights: Record<string, ModelWeights> = {};
  const servers: Record<string, VllmServer | LlamaCppServer | MultiNodeVllmServer> = {};
  const records: ModelRecord[] = [];
  const relaxations: { rule: string; resource: string; reason: string }[] = [];
  for (const [modelName, m] of models) {
    const w = at(
      ['models', modelName, 'weights'],
      () =>
        new ModelWeights(stack, `weights-${modelName}`, {
          store: stores[m.store],
          modelName,
          revision: m.weights.revision,
          files: m.weights.files,
          source: sourceOf(m),
          allowedEndpoints: sov.hosts,
          image: spec.images.weightsSync as string,
          allowedRegistries: sov.registries,
          imagePullSecrets: spec.images.pullSecrets,
          caBundle: caBundleOf(m),
          license: m.weights.license,
          // llama.cpp serves the manifest's one .gguf file, whatever else the manifest lists.
          fileName: m.engine === 'llama-cpp' ? ggufFileOf(m) : undefined,
          // A store on one node's disk: the Job runs on that node, tolerated as the server is.
          tolerations:
            spec.stores[m.store]?.localVolume && m.pool !== undefined
              ? cpuPools[m.pool]?.tolerations
              : undefined,
        }),
    );
    dependAll(w, namespaceReady);
    weights[modelName] = w;

    const pool = m.pool === undefined ? undefined : pools[m.pool];
    // The spec's semantic checks guarantee an image for every engine.
    const image = (m.image ??
      (m.engine === 'vllm'
        ? spec.images.vllm
        : pool === undefined
          ? (spec.images.llamaCppCpu ?? spec.images.llamaCpp)
          : spec.images.llamaCpp)) as string;
    const common = {
      jurisdiction: name,
      weights: w,
      allowedRegistries: sov.registries,
      imagePullSecrets: spec.images.pullSecrets,
      name: modelName,
      replicas: m.replicas,
      autoscaling: m.autoscaling && {
        minReplicas: m.autoscaling.minReplicas,
        maxReplicas: m.autoscaling.maxReplicas,
        targetCpuUtilizationPercent: m.autoscaling.targetCpuUtilization,
        // With the jurisdiction autoscaler, a ScaledObject on engine metrics scales it (below).
        external: spec.autoscaler !== undefined,
      },
      apiKeySecret: m.apiKeySecret,
      extraArgs: m.extraArgs,
      port: SERVING_PORT,
      cpu: cpuQuantity(m.cpu),
      memory: memoryQuantity(m.memoryGiB),
      license: m.weights.license,
    };
    const vllm = {
      release: spec.engines.vllm,
      image,
      pool: pool as GpuNodePool,
      architecture: architectureOf(m),
      dtype: m.dtype,
      quantization: m.quantization as never,
      maxModelLenTokens: m.maxModelLenTokens,
      maxNumSeqs: m.maxConcurrentSequences,
      gpuMemoryUtilization: m.gpuMemoryUtilization,
      tensorParallelSize: m.tensorParallelSize,
      enablePrefixCaching: m.prefixCaching,
    };
    const multiNode = m.pool === undefined ? undefined : spec.pools[m.pool]?.multiNode;
    const server = at(['models', modelName], () =>
      m.engine === 'vllm' && (layouts.get(modelName)?.nodes ?? 1) > 1 && multiNode !== undefined
        ? new MultiNodeVllmServer(stack, `model-${modelName}`, {
            ...common,
            ...vllm,
            multiNode: {
              ...multiNode,
              nccl: multiNode.nccl as Record<string, string>,
              declaredAt: `pools.${m.pool}.multiNode`,
            },
            dependsOn: leaderWorkerSet ? [leaderWorkerSet.release] : [],
          })
        : m.engine === 'vllm'
          ? new VllmServer(stack, `model-${modelName}`, { ...common, ...vllm })
          : new LlamaCppServer(stack, `model-${modelName}`, {
              ...common,
              release: spec.engines.llamaCpp,
              image,
              pool,
              cpuPool: m.pool === undefined ? undefined : cpuPools[m.pool],
              architecture: architectureOf(m),
              ggufQuantization: m.quantization,
              contextTokensPerSlot: m.maxModelLenTokens,
              parallelSlots: m.maxConcurrentSequences,
              gpuMemoryUtilization: m.gpuMemoryUtilization,
            }),
    );
    dependAll(server, namespaceReady);
    servers[modelName] = server;

    new TerraformOutput(stack, outputName(modelName, 'endpoint'), {
      value: server.endpointUrl,
      description: `In-cluster OpenAI-compatible endpoint of ${modelName} (${m.engine}, revision ${m.weights.revision})`,
    });
    records.push({
      name: modelName,
      engine: m.engine,
      image,
      revision: m.weights.revision,
      manifestSha256: manifestSha256(m.weights.files),
      files: Object.keys(m.weights.files)
        .sort()
        .map((path) => ({ path, sha256: m.weights.files[path] })),
      license: m.weights.license,
      ...licenceFactsOf(m),
      source: w.sourceUrl ?? `volume:${w.claimName}/${w.subPath}`,
      description: describeModel(m),
      gpus: server.gpusPerReplica,
      replicas: m.replicas,
      pool: m.pool,
      ...(server instanceof MultiNodeVllmServer ? { nodesPerReplica: server.nodesPerReplica } : {}),
    });
    if (server instanceof MultiNodeVllmServer && server.relaxation !== undefined)
      relaxations.push({
        rule: server.relaxation.rule,
        resource: `kubernetes_manifest.${stack.getLogicalId(server.leaderWorkerSet)}`,
        reason: server.relaxation.reason,
      });
  }
  return { weights, servers, records, relaxations };
}

/** The catalogue's facts on a model's licence and the spec's acceptance, for the record. */
function licenceFactsOf(m: ModelSpec): Pick<ModelRecord, 'licenseFacts' | 'licenseAcceptance'> {
  const facts = m.weights.license === undefined ? undefined : licenceById(m.weights.license);
  const a = m.weights.licenseAcceptance;
  return {
    ...(facts ? { licenseFacts: facts } : {}),
    ...(a ? { licenseAcceptance: { reason: a.reason, url: a.url } } : {}),
  };
}

function outputName(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

function sourceOf(m: ModelSpec): WeightsSource {
  const s = m.weights.source;
  switch (s.type) {
    case 's3':
      return {
        kind: 's3',
        endpoint: s.endpoint,
        bucket: s.bucket,
        prefix: s.prefix,
        region: s.region,
        credentials: {
          secretName: s.credentials.secret,
          accessKeyIdKey: s.credentials.accessKeyIdKey,
          secretAccessKeyKey: s.credentials.secretAccessKeyKey,
        },
      };
    case 'https':
      return { kind: 'https', baseUrl: s.url };
    case 'volume':
      return { kind: 'volume' };
  }
}

function caBundleOf(m: ModelSpec): CaBundleRef | undefined {
  const s = m.weights.source;
  return s.type !== 'volume' && s.caBundle
    ? { configMapName: s.caBundle.configMap, key: s.caBundle.key }
    : undefined;
}

/** A catalogue name as is; custom numbers as the planner reads them (stacks/spec/plan.ts). */
function architectureOf(m: ModelSpec): string | ModelArchitecture {
  return typeof m.architecture === 'string' ? m.architecture : (plannedArchitecture(m) as ModelArchitecture);
}

function describeModel(m: ModelSpec): string {
  const arch =
    typeof m.architecture === 'string' ? m.architecture : `custom ${m.architecture.parametersBillion}B`;
  return `${arch}${m.quantization ? ` (${m.quantization})` : ''} served by ${m.engine}`;
}
