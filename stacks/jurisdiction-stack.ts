/**
 * One Terraform stack per jurisdiction, composed from the validated spec: explicit backend,
 * pinned providers, the cluster baseline, GPU pools and operator, weight stores and verified
 * weights, servers, outputs, and the `"//".sovereign` record the policy engine reads back.
 * Each part is built in stacks/jurisdiction/ (pools, cluster and add-ons, stores, models,
 * capacity, services, record); this module composes them in order.
 *
 * Construct ids are public API: they become Terraform addresses (`cluster`, `gpu-operator`,
 * `pool-<name>`, `store-<name>`, `weights-<model>`, `model-<model>`). Renaming one is a
 * breaking change.
 */
import { TerraformElement, TerraformOutput, TerraformStack } from 'cdktf';
import { type Construct } from 'constructs';
import type { CpuNodePool } from '../constructs/cpu-node-pool';
import type { GpuNodePool } from '../constructs/gpu-node-pool';
import type { GpuOperator } from '../constructs/gpu-operator';
import type { InferenceGateway } from '../constructs/inference-gateway';
import type { LeaderWorkerSetController } from '../constructs/leader-worker-set';
import type { LlamaCppServer } from '../constructs/llama-cpp-server';
import type { IModelWeightStore } from '../constructs/model-weight-store';
import type { ModelWeights } from '../constructs/model-weights';
import { MultiNodeVllmServer } from '../constructs/multi-node-vllm-server';
import { GPU_OPERATOR_PSA_EXCEPTION, type PrivateCluster } from '../constructs/private-cluster';
import type { VllmServer } from '../constructs/vllm-server';
import type { StackMetadata } from '../core/stack-record';
import { backendAttributes, SovereignBackend } from './backend';
import { deepMerge, stackInternals } from './cdktf-seam';
import { fastResolve, mergeResolved } from './fast-resolve';
import { checkCapacity } from './jurisdiction/capacity';
import { buildCluster, buildGpuOperator, buildLeaderWorkerSet } from './jurisdiction/cluster';
import type { BuildContext } from './jurisdiction/common';
import { buildModels } from './jurisdiction/models';
import { buildPools } from './jurisdiction/pools';
import { buildMetadata, RequiredProviders, SovereignRecord } from './jurisdiction/record';
import { buildAutoscaler, buildGateway, buildMonitoring } from './jurisdiction/services';
import { buildStores } from './jurisdiction/stores';
import { PROFILES, type Profile } from './profiles';
import type { JurisdictionSpec } from './spec/schema';
import { vllmLayouts } from './spec/plan';

export { SERVING_PORT } from './jurisdiction/common';
export { poolRecord, PROVIDER_VERSIONS, RequiredProviders, SovereignRecord } from './jurisdiction/record';

export interface JurisdictionStackProps {
  readonly spec: JurisdictionSpec;
  readonly toolkitVersion: string;
  /** The project directory seen from the stack's working directory. @default '../../..' (cdktf.out/stacks/<name>) */
  readonly projectFromStack?: string;
  /**
   * Runs each construct's creation, so a caller can turn a construct's refusal into an error
   * located in the spec (`jurisdictions.<name>.models.<model>`). @default runs it as is
   */
  readonly at?: <T>(path: readonly (string | number)[], create: () => T) => T;
}

export class JurisdictionStack extends TerraformStack {
  /**
   * cdktf resolves every element of every stack once more before synthesis only to find
   * references between stacks (and turn them into remote-state reads). Jurisdictions never
   * reference each other, and the policy gate refuses, from the artifact, any reference to an
   * address a stack does not define (SOV-013); `sovereign synth` therefore skips that pass, a
   * third of synth time. Library users keep cdktf's behaviour. @default true
   */
  public static findCrossStackReferences = true;

  public readonly jurisdiction: string;
  public readonly profile: Profile;
  public readonly backend: SovereignBackend;
  public readonly cluster: PrivateCluster;
  public readonly operator?: GpuOperator;
  public readonly pools: Readonly<Record<string, GpuNodePool>>;
  public readonly cpuPools: Readonly<Record<string, CpuNodePool>>;
  /** Weight stores: a ModelWeightStore, or the existing claim a store names. */
  public readonly stores: Readonly<Record<string, IModelWeightStore>>;
  public readonly weights: Readonly<Record<string, ModelWeights>>;
  public readonly servers: Readonly<Record<string, VllmServer | LlamaCppServer>>;
  /** Models served across nodes, each by a LeaderWorkerSet (not in `servers`). */
  public readonly groups: Readonly<Record<string, MultiNodeVllmServer>>;
  /** The LeaderWorkerSet controller, when a model is served across nodes. */
  public readonly leaderWorkerSet?: LeaderWorkerSetController;
  /** The jurisdiction's OpenAI-compatible endpoint, when the spec declares `gateway`. */
  public readonly gateway?: InferenceGateway;
  /** The record written under `"//".sovereign`. */
  public readonly metadata: StackMetadata;

  constructor(scope: Construct, name: string, props: JurisdictionStackProps) {
    super(scope, name);
    const spec = props.spec;
    const at = props.at ?? (<T>(_p: readonly (string | number)[], create: () => T) => create());
    this.jurisdiction = name;
    this.profile = PROFILES[spec.profile];
    const sov = spec.sovereignty;
    const namespace = spec.namespaces.serving;
    const ctx: BuildContext = { stack: this, name, spec, at, namespace };

    this.backend = new SovereignBackend(
      this,
      spec.backend.type,
      backendAttributes(spec.backend, spec.cluster, props.projectFromStack),
    );

    // GPU pools first: the cluster sizes its GPU quota from them.
    const { pools, cpuPools } = buildPools(ctx);
    this.pools = pools;
    this.cpuPools = cpuPools;

    const models = Object.entries(spec.models);
    this.cluster = buildCluster(ctx, models, pools, this.profile, props.projectFromStack);
    const namespaceReady = [this.cluster.namespaceResources[namespace]];

    this.operator = buildGpuOperator(ctx, this.cluster, pools);

    // Models that do not fit one node are served across several by a LeaderWorkerSet, with the
    // layout the planner chose (stacks/spec/plan.ts, the same judgement `validate` makes).
    const layouts = vllmLayouts(spec);
    const stores = buildStores(ctx, models, layouts, namespaceReady);
    this.stores = stores;

    this.leaderWorkerSet = buildLeaderWorkerSet(ctx, this.cluster, layouts);
    const { weights, servers, records, relaxations } = buildModels(
      ctx,
      models,
      { stores, pools, cpuPools, layouts, leaderWorkerSet: this.leaderWorkerSet },
      namespaceReady,
    );
    const groups: Record<string, MultiNodeVllmServer> = {};
    this.weights = weights;
    for (const [k, v] of Object.entries(servers)) if (v instanceof MultiNodeVllmServer) groups[k] = v;
    this.servers = Object.fromEntries(
      Object.entries(servers).filter(([, v]) => !(v instanceof MultiNodeVllmServer)),
    ) as Record<string, VllmServer | LlamaCppServer>;
    this.groups = groups;

    checkCapacity(ctx, models, servers, pools);
    buildAutoscaler(ctx, models, servers, this.cluster);
    this.gateway = buildGateway(ctx, models, servers, this.cluster, namespaceReady);
    buildMonitoring(ctx, models, this.cluster, this.operator, namespaceReady);

    new TerraformOutput(this, 'serving_namespace', {
      value: namespace,
      description: `Namespace of the model servers and weight volumes in ${name}`,
    });
    const suppressions = [...spec.suppressions, ...relaxations];
    const gpuNs = this.cluster.gpuOperatorNamespace;
    if (gpuNs !== undefined) {
      new TerraformOutput(this, 'gpu_operator_namespace', {
        value: gpuNs,
        description: `Namespace of the NVIDIA GPU Operator (privileged) in ${name}`,
      });
      // The one documented exception to the restricted profile, recorded where auditors look.
      suppressions.push({
        rule: 'K8S-023',
        resource: `kubernetes_namespace_v1.${this.getLogicalId(this.cluster.namespaceResources[gpuNs])}`,
        reason: GPU_OPERATOR_PSA_EXCEPTION,
      });
    }

    this.metadata = buildMetadata(
      name,
      spec,
      props.toolkitVersion,
      this.profile,
      suppressions,
      records,
      pools,
    );
    new SovereignRecord(this, this.metadata);
    // S3-native state locking (use_lockfile) exists from Terraform 1.10 and OpenTofu 1.10 on:
    // an older binary stops at init with this constraint rather than an unknown argument.
    const lockfile = spec.backend.type === 's3' && spec.backend.useLockfile;
    new RequiredProviders(this, sov.providerRegistry, lockfile ? '>= 1.10' : undefined);
  }

  /** The backend is always explicit; the cross-stack pass runs only when asked (see above). */
  public prepareStack(): void {
    if (JurisdictionStack.findCrossStackReferences) super.prepareStack();
  }

  /**
   * cdktf's `toTerraform`, less its last step: after resolving every element it resolves the
   * whole merged stack once more, which changes nothing when every element is already resolved
   * and only raw overrides can still hold tokens. Skipped under the same switch as the
   * cross-stack pass, which also resolves each element with `fastResolve` (cdktf's resolve,
   * handed only the subtrees that hold tokens); the output is byte-identical (golden snapshots,
   * and a test comparing both).
   */
  public toTerraform(): Record<string, unknown> {
    if (JurisdictionStack.findCrossStackReferences) return super.toTerraform() as Record<string, unknown>;
    const self = stackInternals(this);
    const overrides = Object.keys(self.rawOverrides);
    const metadata: Record<string, unknown> = {
      version: self.cdktfVersion,
      stackName: this.node.id,
      backend: 'local',
      cloud: undefined,
      ...(overrides.length > 0 ? { overrides: { stack: overrides } } : {}),
    };
    const elements = stackElements(this);
    for (const e of elements) deepMerge(metadata, fastResolve(this, e.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const item of elements) {
      if (!TerraformOutput.isTerraformOutput(item)) continue;
      deepMerge(
        outputs,
        item.node.path
          .split('/')
          .reduceRight<Record<string, unknown>>(
            (inner, part) =>
              Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner },
            {},
          ),
      );
    }
    const tf: Record<string, unknown> = { '//': { metadata, outputs } };
    for (const e of elements) mergeResolved(tf, fastResolve(this, e.toTerraform()));
    mergeResolved(tf, fastResolve(this, self.rawOverrides));
    return tf;
  }
}

/** The Terraform elements of a stack in construct order, not descending into nested stacks. */
function stackElements(node: Construct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) stackElements(child, into);
  }
  return into;
}
