/**
 * The record a stack composed in TypeScript needs to pass the policy gate: what its
 * jurisdiction allows (registries, chart mirror, hosts, network ranges, provider registry),
 * the policy packs its profile selects and its suppressions, written under `"//".sovereign`,
 * plus `required_providers` pinned to the versions of the bindings.
 *
 * `JurisdictionStack` writes the same record from `sovereign.yaml`; a hand-written
 * `TerraformStack` adds one `JurisdictionRecord` after its constructs:
 *
 *   new JurisdictionRecord(this, 'jurisdiction', { jurisdiction: 'de', profile: 'eu-gdpr',
 *     sovereignty: { registries: ['registry.de.example'], ... }, cluster, pools });
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { GpuNodePool } from '../constructs/gpu-node-pool';
import { GPU_OPERATOR_PSA_EXCEPTION, type PrivateCluster } from '../constructs/private-cluster';
import { METADATA_SCHEMA_VERSION, type StackMetadata, type Suppression } from '../core/stack-record';
import { TOOLKIT_VERSION } from '../core/version';
import { poolRecord, RequiredProviders, SovereignRecord } from './jurisdiction/record';
import { PROFILES, type ProfileId } from './profiles';

export interface JurisdictionRecordProps {
  /** Name of the jurisdiction (reports and the `"//".sovereign` record carry it). */
  readonly jurisdiction: string;
  /** Jurisdiction profile: the policy packs that apply and whether unknowns fail. */
  readonly profile: ProfileId;
  /** What the jurisdiction owns; the gate checks every endpoint of the stack against it. */
  readonly sovereignty: {
    /** Image registry hosts the jurisdiction runs. */
    readonly registries: readonly string[];
    /** Helm chart mirrors (`https://…` or `oci://…`). */
    readonly chartRepositories: readonly string[];
    /** Hosts and `*.domain` wildcards the jurisdiction declares its own. */
    readonly hosts: readonly string[];
    /** Network ranges inside the jurisdiction egress may reach. @default [] */
    readonly cidrs?: readonly string[];
    /** Host the Terraform providers are installed from. @default 'registry.terraform.io' */
    readonly providerRegistry?: string;
  };
  /**
   * The cluster of the stack: its GPU Operator namespace, privileged by necessity, is recorded
   * as the one `K8S-023` suppression with its reason (as `JurisdictionStack` does).
   * @default no such suppression
   */
  readonly cluster?: PrivateCluster;
  /** GPU node pools of the stack, recorded for the report. @default [] */
  readonly pools?: readonly GpuNodePool[];
  /** Accepted findings, each with a reason. @default [] */
  readonly suppressions?: readonly Suppression[];
  /** Terraform / OpenTofu version constraint. @default none */
  readonly requiredVersion?: string;
}

export class JurisdictionRecord extends Construct {
  /** The record written under `"//".sovereign`. */
  public readonly metadata: StackMetadata;

  constructor(scope: Construct, id: string, props: JurisdictionRecordProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const profile = PROFILES[props.profile];
    const sov = props.sovereignty;
    const suppressions = [...(props.suppressions ?? [])];
    const gpuNs = props.cluster?.gpuOperatorNamespace;
    if (props.cluster !== undefined && gpuNs !== undefined) {
      suppressions.push({
        rule: 'K8S-023',
        resource: `kubernetes_namespace_v1.${stack.getLogicalId(props.cluster.namespaceResources[gpuNs])}`,
        reason: GPU_OPERATOR_PSA_EXCEPTION,
      });
    }
    const providerRegistry = sov.providerRegistry ?? 'registry.terraform.io';
    this.metadata = {
      schemaVersion: METADATA_SCHEMA_VERSION,
      toolkitVersion: TOOLKIT_VERSION,
      jurisdiction: props.jurisdiction,
      profile: profile.id,
      packs: profile.packs,
      strict: profile.strict,
      allowed: {
        registries: [...sov.registries].sort(),
        chartRepositories: [...sov.chartRepositories].sort(),
        providerHosts: [providerRegistry],
        hosts: [...sov.hosts].sort(),
        cidrs: [...(sov.cidrs ?? [])].sort(),
        serviceTypes: [],
      },
      suppressions,
      models: [],
      pools: [...(props.pools ?? [])]
        .sort((a, b) => (a.poolName < b.poolName ? -1 : a.poolName > b.poolName ? 1 : 0))
        .map(poolRecord),
    };
    new SovereignRecord(this, this.metadata);
    new RequiredProviders(this, providerRegistry, props.requiredVersion);
  }
}
