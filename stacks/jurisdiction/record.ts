/**
 * What the stack's JSON says of itself: the `"//".sovereign` record auditors and policy read,
 * and the exact provider pins.
 */
import { TerraformElement } from 'cdktf';
import { type Construct } from 'constructs';
import type { GpuNodePool } from '../../constructs/gpu-node-pool';
import {
  METADATA_KEY,
  METADATA_SCHEMA_VERSION,
  type ModelRecord,
  type PoolRecord,
  type StackMetadata,
} from '../../core/stack-record';
import type { Profile } from '../profiles';
import type { JurisdictionSpec } from '../spec/schema';

/**
 * The allow-list every stack of a jurisdiction records from its `sovereignty` block (the serving
 * and the provisioning stack alike): registries, the chart mirror, the provider mirror, hosts
 * and address ranges, sorted.
 */
export function sovereigntyAllowList(sov: JurisdictionSpec['sovereignty']) {
  return {
    registries: [...sov.registries].sort(),
    chartRepositories: [sov.chartRepository],
    providerHosts: [sov.providerRegistry],
    hosts: [...sov.hosts].sort(),
    cidrs: [...sov.cidrs].sort(),
  };
}

/** Provider versions of the bindings in package.json; the stack pins exactly these. */
export const PROVIDER_VERSIONS = { kubernetes: '2.38.0', helm: '3.1.1' } as const;

/** Writes `{"//": {"sovereign": …}}` into the stack's JSON: the record auditors and policy read. */
export class SovereignRecord extends TerraformElement {
  constructor(
    scope: Construct,
    private readonly record: StackMetadata,
  ) {
    super(scope, 'sovereign-record');
  }

  public toTerraform(): Record<string, unknown> {
    return { '//': { [METADATA_KEY]: this.record } };
  }
}

/**
 * `terraform.required_providers` with full source addresses and exact versions. Added last so
 * it replaces what the provider bindings declare (`kubernetes`, `~> 2.0`).
 */
export class RequiredProviders extends TerraformElement {
  constructor(
    scope: Construct,
    private readonly host: string,
    /** A Terraform / OpenTofu version constraint, when a setting needs a recent one. */
    private readonly requiredVersion?: string,
  ) {
    super(scope, 'required-providers');
  }

  public toTerraform(): Record<string, unknown> {
    return {
      terraform: {
        ...(this.requiredVersion ? { required_version: this.requiredVersion } : {}),
        required_providers: {
          helm: { source: `${this.host}/hashicorp/helm`, version: PROVIDER_VERSIONS.helm },
          kubernetes: { source: `${this.host}/hashicorp/kubernetes`, version: PROVIDER_VERSIONS.kubernetes },
        },
      },
    };
  }
}

/** The record written under `"//".sovereign`. */
export function buildMetadata(
  name: string,
  spec: JurisdictionSpec,
  toolkitVersion: string,
  profile: Profile,
  suppressions: StackMetadata['suppressions'],
  records: ModelRecord[],
  pools: Record<string, GpuNodePool>,
): StackMetadata {
  const sov = spec.sovereignty;
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    toolkitVersion: toolkitVersion,
    jurisdiction: name,
    profile: spec.profile,
    packs: profile.packs,
    strict: profile.strict,
    allowed: {
      ...sovereigntyAllowList(sov),
      ...(spec.cluster.dns.cidrs.length > 0
        ? {
            dnsCidrs: [...spec.cluster.dns.cidrs].sort(),
            dnsPorts: [...spec.cluster.dns.ports].sort((a, b) => a - b),
          }
        : {}),
      serviceTypes: [],
      ...(sov.declaredPublic.length > 0
        ? { declaredPublic: sov.declaredPublic.map((d) => ({ host: d.host, reason: d.reason })) }
        : {}),
    },
    suppressions,
    ...(spec.territories.length > 0 ? { territories: [...spec.territories].sort() } : {}),
    models: records,
    pools: Object.keys(pools)
      .sort()
      .map((k) => ({ ...poolRecord(pools[k]), ...multiNodeRecord(spec.pools[k].multiNode) })),
  };
}

/** What the `"//"` record says of a GPU pool: the facts the capacity rules read back. */
export function poolRecord(p: GpuNodePool): PoolRecord {
  return {
    name: p.poolName,
    gpuProduct: p.gpuProduct,
    gpusPerNode: p.gpusPerNode,
    physicalGpusPerNode: p.physicalGpusPerNode,
    nodeCount: p.nodeCount,
    sharing: p.sharing.mode,
    resourceName: p.resourceName,
  };
}

/** What the record says of a pool's multi-node settings: the node side auditors must check. */
function multiNodeRecord(mn: JurisdictionSpec['pools'][string]['multiNode']): Pick<PoolRecord, 'multiNode'> {
  if (mn === undefined) return {};
  return {
    multiNode: {
      ...(mn.rdma ? { rdmaResource: mn.rdma.resourceName, rdmaPerPod: mn.rdma.perPod } : {}),
      nccl: Object.fromEntries(
        Object.entries(mn.nccl as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
      shmSizeGiB: mn.shmSizeGiB,
      ...(mn.ipcLock ? { ipcLock: mn.ipcLock.reason } : {}),
      hostRequirements: [...mn.hostRequirements],
    },
  };
}
