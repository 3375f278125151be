/**
 * What a JurisdictionStack records about itself inside its synthesized JSON, under the
 * top-level `"//"` key (Terraform and OpenTofu ignore it): `"//": { "sovereign": {...} }`.
 * Policy rules read their stack context from here, so `sovereign audit` judges any
 * cdktf.out on its own, without the spec or the TypeScript. Rules must check the real
 * resources; this block only says what is allowed and what was suppressed.
 */

import type { LicenceFacts } from './licence-facts';

export const METADATA_KEY = 'sovereign';
export const METADATA_SCHEMA_VERSION = 1;

export interface Suppression {
  /** Rule id (`SOV-001`). */
  readonly rule: string;
  /** Terraform address the suppression applies to (`kubernetes_deployment_v1.vllm_llama_abc123`), or `*` for the whole stack. */
  readonly resource: string;
  /** Why it is acceptable; at least 10 characters. */
  readonly reason: string;
  /** Last day it applies, `YYYY-MM-DD`; an expired suppression is itself a finding. */
  readonly expires?: string;
}

export interface ModelRecord {
  readonly name: string;
  readonly engine: 'vllm' | 'llama-cpp';
  /** The engine image, pinned by digest. */
  readonly image: string;
  readonly revision: string;
  readonly manifestSha256: string;
  /** Files and their SHA-256, from the pinned manifest. */
  readonly files: readonly { readonly path: string; readonly sha256: string }[];
  /** Licence identifier from the catalogue (policy/licences), or an unlisted one accepted below. */
  readonly license?: string;
  /** The catalogue's facts on that licence, copied for auditors; rules judge the catalogue's own. */
  readonly licenseFacts?: LicenceFacts;
  /** The spec's reasoned acceptance of a licence the catalogue does not list. */
  readonly licenseAcceptance?: { readonly reason: string; readonly url: string };
  /** Where the weights are copied from (URL or volume path). */
  readonly source: string;
  /** Free text for the ML-BOM model card: architecture, parameters, quantization. */
  readonly description?: string;
  readonly gpus: number;
  readonly replicas: number;
  readonly pool?: string;
  /** Nodes (pods) one replica spans when served across nodes by a LeaderWorkerSet; gpus is then the group's total. */
  readonly nodesPerReplica?: number;
}

/** A GPU node pool as the stack declares it (GpuNodePool's resolved public fields). */
export interface PoolRecord {
  readonly name: string;
  /** The physical GPU product (`NVIDIA-H100-80GB-HBM3`). */
  readonly gpuProduct: string;
  /** Schedulable GPU resources per node: physical GPUs × time-slicing replicas or × MIG instances. */
  readonly gpusPerNode: number;
  readonly physicalGpusPerNode: number;
  readonly nodeCount: number;
  readonly sharing: 'none' | 'time-slicing' | 'mig';
  /** Extended resource the pool's pods request (`nvidia.com/gpu`, `nvidia.com/mig-3g.40gb`). */
  readonly resourceName: string;
  /** What the pool declares for serving across nodes: the node side auditors must check. */
  readonly multiNode?: {
    readonly rdmaResource?: string;
    readonly rdmaPerPod?: number;
    readonly nccl: Readonly<Record<string, string>>;
    readonly shmSizeGiB: number;
    /** The reason given for adding IPC_LOCK, when it is added. */
    readonly ipcLock?: string;
    readonly hostRequirements: readonly string[];
  };
}

export interface StackMetadata {
  readonly schemaVersion: number;
  readonly toolkitVersion: string;
  readonly jurisdiction: string;
  /** Jurisdiction profile (`eu-gdpr`, `de-bsi-c5`, `fr-secnumcloud`, `none`). */
  readonly profile: string;
  /** Policy packs the profile selects, with the level each applies at. */
  readonly packs: readonly { readonly id: string; readonly level: 'error' | 'warning' }[];
  /**
   * The profile makes findings the policy cannot resolve (unknown) fail this stack's gate,
   * whatever `--strict` says. @default false
   */
  readonly strict?: boolean;
  readonly allowed: {
    /** Image registry hosts (`registry.de.example`, `registry.de.example:5000`). */
    readonly registries: readonly string[];
    /** Helm repository URLs (`https://charts.de.example/nvidia`, `oci://registry.de.example/charts`). */
    readonly chartRepositories: readonly string[];
    /** Provider registry hosts (`registry.terraform.io`, `providers.de.example`). */
    readonly providerHosts: readonly string[];
    /** Hosts the jurisdiction declares its own: exact names or `*.suffix` wildcards. */
    readonly hosts: readonly string[];
    /** CIDRs inside the jurisdiction that egress may reach. */
    readonly cidrs: readonly string[];
    /**
     * Addresses of the cluster's DNS that workloads may reach on `dnsPorts` only: host-network
     * caches (NodeLocal DNSCache) and the DNS service address, which no pod selector matches.
     * Written only when the jurisdiction declares any (`cluster.dns.cidrs`). @default []
     */
    readonly dnsCidrs?: readonly string[];
    /** The DNS ports (UDP and TCP) those addresses may be reached on. @default [] */
    readonly dnsPorts?: readonly number[];
    /** Service types allowed besides ClusterIP. */
    readonly serviceTypes: readonly string[];
    /**
     * Global public services the jurisdiction accepts depending on, each with its reason
     * (`sovereignty.declaredPublic`). Written only when the spec declares any; every report
     * shows them as "declared public". @default []
     */
    readonly declaredPublic?: readonly { readonly host: string; readonly reason: string }[];
  };
  readonly suppressions: readonly Suppression[];
  /**
   * Territories the jurisdiction lies in: ISO 3166-1 alpha-2 country codes and/or `EU`, which
   * licence territorial exclusions are judged against. @default []
   */
  readonly territories?: readonly string[];
  readonly models: readonly ModelRecord[];
  /** GPU node pools, by name. @default [] (a CPU-only stack, or one written before pools were recorded) */
  readonly pools?: readonly PoolRecord[];
}
