/**
 * The audit report as data: everything an auditor files, built once from the evaluation and
 * rendered as text, Markdown, JSON or a CycloneDX BOM. Deterministic: sorted, no timestamp
 * unless one is injected. This file holds the report's shape and assembles it; each section of
 * a stack's report is built in its own file (inventory, exposure, references, data-locations,
 * supply-chain, licences).
 */
import type { EvaluationResult, Finding, FrameworkRollup, ResultRow, StackResult, Totals } from '../engine';
import type { Difference } from '../anchor';
import { cmp } from '../json';
import type { ModelRecord, PoolRecord, StackMetadata } from '../../core/stack-record';
import type { FileHash } from '../load';
import type { PlanSummary } from '../plan';
import type { SuppressionRecord } from '../suppressions';
import { type LicenceClause, type RiskClass } from '../../core/licence-facts';
import { auditTime, RULES_VERSION, toolkitCommit, toolkitVersion } from '../version';
import { PUBLIC_PROVIDER_REGISTRIES, locations } from './data-locations';
import { inventory } from './inventory';
import type { MultiNodeLaunch } from './multi-node-launch';
import { licences } from './licences';
import { references } from './references';
import { clusterRequirements } from './cluster-requirements';
import { supplyChain } from './supply-chain';

/**
 * Where a location is. `declared-public`: a public service (HashiCorp's or OpenTofu's provider
 * registry) that the stack declares allowed: permitted, but not inside the jurisdiction, and
 * shown as such so an auditor sees every outside dependency, allowed or not.
 */
export type Where = 'inside' | 'outside' | 'declared-public' | 'unknown';

export interface DataLocation {
  readonly kind:
    | 'backend'
    | 'cluster-api'
    | 'storage'
    | 'weights-source'
    | 'chart-repository'
    | 'image-registry'
    | 'provider-registry';
  readonly name: string;
  readonly location: string;
  readonly jurisdiction: Where;
}

export interface ImageEntry {
  readonly ref: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Resource addresses that run it; a chart's operand as `<address> (<values key>)`. */
  readonly usedBy: readonly string[];
  /**
   * Where the reference comes from: `resource` (written in a workload), or for an image a chart
   * runs, `values`, `chart default` or `values over chart default`.
   */
  readonly origin: string;
  /** What each chart operand is (`GPU driver (privileged, every GPU node)`). */
  readonly operands?: readonly string[];
  /** Why the reference as resolved cannot be pulled. */
  readonly problem?: string;
  readonly note?: string;
}

export interface ChartEntry {
  readonly address: string;
  readonly release: string;
  readonly chart: string;
  readonly version?: string;
  readonly repository?: string;
  /**
   * The images the chart runs were resolved from its values and the pinned version's defaults
   * (`resolved`), or the chart's version is not one whose defaults the audit knows.
   */
  readonly operands?: 'resolved' | 'chart version not known to the audit';
}

export interface ProviderEntry {
  readonly name: string;
  readonly source?: string;
  readonly version?: string;
}

export interface PoolEntry {
  readonly name: string;
  /** From the declared pool; absent when only a model names it. */
  readonly gpuProduct?: string;
  readonly nodeCount?: number;
  /** Schedulable GPU resources per node (after time-slicing or MIG). */
  readonly gpusPerNode?: number;
  readonly physicalGpusPerNode?: number;
  readonly sharing?: string;
  readonly resourceName?: string;
  /** Schedulable GPU resources the pool offers: nodes × GPUs per node. */
  readonly gpusOffered?: number;
  readonly models: readonly string[];
  /** GPUs the models placed on it request: GPUs per replica × replicas. */
  readonly gpusRequested: number;
  /** What the pool declares for serving across nodes, host-level requirements included. */
  readonly multiNode?: PoolRecord['multiNode'];
}

/**
 * A model's licence as the catalogue knows it (judged by its identifier, never read from the
 * facts the artifact carries), with its risk classes, the clauses behind them and every
 * acceptance of them.
 */
export interface ModelLicenceEntry {
  readonly model: string;
  /** The identifier recorded for the model, when it is a string. */
  readonly id?: string;
  /** Whether the catalogue lists it. */
  readonly listed: boolean;
  readonly name?: string;
  readonly spdx?: string;
  /** SPDX license expression: the SPDX id, or `LicenseRef-sovereign-<id>`. */
  readonly expression?: string;
  readonly url?: string;
  readonly version?: string;
  readonly read?: string;
  /** Risk classes the licence carries (notice-keeping duties excluded). */
  readonly classes: readonly RiskClass[];
  readonly clauses: readonly LicenceClause[];
  /** Territories the jurisdiction declares, which territorial clauses were judged against. */
  readonly territories: readonly string[];
  /** The spec's acceptance of an unlisted licence. */
  readonly acceptance?: { readonly reason: string; readonly url: string };
  /** Suppressions that accepted one of the licence's findings, with their reasons. */
  readonly accepted: readonly { readonly rule: string; readonly reason: string; readonly expires?: string }[];
}

export interface StackReport {
  readonly name: string;
  readonly file?: string;
  readonly jurisdiction: string;
  readonly profile: string;
  readonly packs: readonly { readonly id: string; readonly level: string }[];
  /** Unknown results failed in this stack (`--strict` or the stack's profile). */
  readonly strict: boolean;
  readonly inventory: {
    readonly resources: Readonly<Record<string, number>>;
    readonly resourceTotal: number;
    /**
     * Pools the stack declares (`"//".sovereign.pools`) with the models placed on each, plus any
     * pool a model names that is not declared (`(none)` for CPU-only models).
     */
    readonly pools: readonly PoolEntry[];
    readonly gpusRequested: number;
    readonly models: readonly {
      readonly name: string;
      readonly engine: string;
      readonly revision: string;
      readonly replicas: number;
      readonly gpus: number;
      readonly pool?: string;
      /**
       * Clients must send an API key: the engine reads one from a Secret (`VLLM_API_KEY`,
       * `LLAMA_API_KEY`) or is given `--api-key`/`--api-key-file`. False means anyone who reaches
       * the Service can use the model.
       */
      readonly apiKey: boolean;
      /**
       * The LeaderWorkerSet groups that serve it across nodes, as their pod templates launch them
       * (read from the judged JSON, never the spec): size, GPUs per pod, Ray or multiprocessing,
       * and where the leader and the workers disagree.
       */
      readonly multiNode?: readonly MultiNodeLaunch[];
    }[];
    readonly images: readonly string[];
    /** Services, with the models whose server pods they select. */
    readonly services: readonly ServiceEntry[];
    /** Who may call in: the sources each NetworkPolicy with ingress rules admits. */
    readonly callers: readonly CallerEntry[];
  };
  readonly dataLocations: readonly DataLocation[];
  /**
   * Secrets and ConfigMaps the stack refers to by name and never creates (credentials, pull
   * Secrets, CA bundles): what must exist in the cluster, and where, before the stack deploys.
   */
  readonly references: readonly ObjectReference[];
  /** Feature gates, controller flags and providers the target cluster must run (Cluster API objects). */
  readonly clusterRequirements: readonly ClusterRequirement[];
  /** What the stack declares its own, as recorded in the artifact: every verdict is judged against it. */
  readonly boundary: StackMetadata['allowed'];
  /**
   * Who declared the boundary: `self-declared in the artifact` unless the audit was given an
   * anchor (a boundary the jurisdiction signed or published apart from the artifact).
   */
  readonly boundaryDeclaredBy: string;
  /** Results grouped per rule: how many resources passed, failed, were suppressed or unknown. */
  readonly rules: readonly RuleSummary[];
  readonly totals: Totals;
  readonly frameworks: readonly FrameworkRollup[];
  /** Every rule × address result except not-applicable ones (counted in totals). */
  readonly results: readonly Omit<ResultRow, 'packs'>[];
  readonly findings: readonly Finding[];
  readonly suppressions: readonly SuppressionRecord[];
  readonly supplyChain: {
    readonly images: readonly ImageEntry[];
    readonly charts: readonly ChartEntry[];
    readonly providers: readonly ProviderEntry[];
    readonly models: readonly ModelRecord[];
  };
  /** Each model's licence, risk classes, clauses and acceptances. */
  readonly licences: readonly ModelLicenceEntry[];
}

export interface ServiceEntry {
  readonly namespace: string;
  readonly name: string;
  /** `ClusterIP` when unset. */
  readonly type: string;
  readonly ports: readonly number[];
  /** Models whose server pods the selector matches. */
  readonly models: readonly string[];
}

export interface CallerEntry {
  /** Namespace of the NetworkPolicy. */
  readonly namespace: string;
  readonly policy: string;
  /** `namespace chat-frontend`, `namespaces with team=x`, `pods with app=y`, `10.0.0.0/8`. */
  readonly from: readonly string[];
  readonly ports: readonly string[];
}

export interface RuleSummary {
  readonly rule: string;
  readonly title: string;
  readonly level: string;
  readonly passed: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly unknown: number;
}

export interface ObjectReference {
  readonly kind: 'Secret' | 'ConfigMap';
  /** As written; `default` when the object names none. */
  readonly namespace: string;
  readonly name: string;
  /** `image pull`, `environment (<key>)`, `volume` or `chart values`. */
  readonly use: string;
  /** Terraform addresses that refer to it. */
  readonly by: readonly string[];
}

/**
 * Something the cluster a stack is applied to must run or allow, read from the objects the stack
 * writes (today: the Cluster API management cluster of a provisioning stack): a feature gate, a
 * controller flag, a provider. Without it the apply is refused or the nodes come up without what
 * the stack relies on.
 */
export interface ClusterRequirement {
  readonly requirement: string;
  /** What in the stack needs it, and what happens without it. */
  readonly why: string;
  /** Terraform addresses that need it. */
  readonly by: readonly string[];
}

export interface AuditReport {
  readonly tool: {
    readonly name: 'sovereign-stack';
    readonly version: string;
    readonly rulesVersion: string;
    /** The commit the toolkit was built from, when known. */
    readonly commit?: string;
  };
  /**
   * The audit time, UTC ISO 8601 (`2026-12-07T10:00:00Z`): injected, or `SOURCE_DATE_EPOCH`,
   * or the clock. With the same time the report is byte-identical for the same input.
   */
  readonly generatedAt: string;
  readonly strict: boolean;
  /** The date suppression expiry was judged against. */
  readonly evaluatedOn: string;
  /** The spec the artifact was synthesized from, when the audit knows it. */
  readonly spec?: { readonly path: string; readonly sha256: string };
  readonly files: readonly FileHash[];
  readonly totals: Totals;
  readonly gate: 'pass' | 'fail';
  readonly stacks: readonly StackReport[];
  readonly plan?: PlanSummary & { readonly file: string };
  /** What the boundary the stacks were judged against rests on (docs/trust-model.md). */
  readonly trust: TrustSection;
}

export interface TrustSection {
  /**
   * `self-declared`: only the artifact's own `"//".sovereign` says what the boundary is;
   * `spec`: the directory was compared byte for byte with the approved spec's synthesis;
   * `policy`: the declared boundary was checked against the auditor's policy file.
   */
  readonly anchor: 'self-declared' | 'spec' | 'policy' | 'spec+policy';
  readonly statement: string;
  readonly spec?: { readonly file: string; readonly differences: readonly Difference[] };
  readonly policy?: { readonly file: string };
  /** `--allow-unknown`: the reason, and every unknown it let through. */
  readonly allowUnknown?: {
    readonly reason: string;
    readonly accepted: readonly {
      readonly stack: string;
      readonly rule: string;
      readonly address: string;
      readonly path: string;
      readonly message: string;
    }[];
  };
  /** Global public services a stack declares as accepted, with the reason: shown as "declared public". */
  readonly declaredPublic: readonly {
    readonly stack: string;
    readonly host: string;
    readonly reason: string;
  }[];
}

export interface ReportOptions {
  readonly files?: readonly FileHash[];
  readonly plan?: PlanSummary & { readonly file: string };
  /** The approved spec the directory was compared with (`audit --spec`) and what differs. */
  readonly specAnchor?: { readonly file: string; readonly differences: readonly Difference[] };
  /** The auditor-held policy file each boundary was checked against (`audit --policy`). */
  readonly policy?: { readonly file: string };
  /** ISO timestamp to record. @default auditTime(): SOURCE_DATE_EPOCH, else the clock */
  readonly now?: string;
  /** The spec file (as the user named it) and the SHA-256 of its bytes. */
  readonly spec?: { readonly path: string; readonly sha256: string };
  /** Who declared each stack's boundary. @default 'self-declared in the artifact' */
  readonly boundaryDeclaredBy?: string;
}

function ruleSummaries(r: StackResult): RuleSummary[] {
  const by = new Map<string, { -readonly [K in keyof RuleSummary]: RuleSummary[K] }>();
  for (const x of r.rows) {
    if (x.status === 'not-applicable') continue;
    const e = by.get(x.rule) ?? {
      rule: x.rule,
      title: x.title,
      level: x.level,
      passed: 0,
      failed: 0,
      suppressed: 0,
      unknown: 0,
    };
    if (x.status === 'passed') e.passed++;
    else if (x.status === 'failed') e.failed++;
    else if (x.status === 'suppressed') e.suppressed++;
    else if (x.status === 'unknown') e.unknown++;
    by.set(x.rule, e);
  }
  return [...by.values()].sort((a, b) => cmp(a.rule, b.rule));
}

/** What a boundary is when nothing outside the artifact vouches for it. */
export const SELF_DECLARED = 'self-declared in the artifact';

export function stackReport(r: StackResult, boundaryDeclaredBy = SELF_DECLARED): StackReport {
  return {
    name: r.stack.name,
    file: r.stack.file,
    jurisdiction: r.metadata.jurisdiction,
    profile: r.metadata.profile,
    packs: r.selection.map((p) => ({ id: p.id, level: p.level })),
    strict: r.strict,
    inventory: inventory(r),
    dataLocations: locations(r),
    references: references(r),
    clusterRequirements: clusterRequirements(r),
    boundary: r.metadata.allowed,
    boundaryDeclaredBy,
    rules: ruleSummaries(r),
    totals: r.totals,
    frameworks: r.frameworks,
    results: r.rows.filter((x) => x.status !== 'not-applicable').map(({ packs: _p, ...rest }) => rest),
    findings: r.findings,
    suppressions: r.suppressions,
    licences: licences(r),
    supplyChain: supplyChain(r),
  };
}

/** Who vouches for each stack's boundary, as the summary names it. */
function declaredBy(trust: TrustSection): string {
  switch (trust.anchor) {
    case 'self-declared':
      return SELF_DECLARED;
    case 'spec':
      return `declared in the approved spec ${trust.spec?.file} (the directory compared with it byte for byte)`;
    case 'policy':
      return `checked against the auditor's policy ${trust.policy?.file}`;
    default:
      return `declared in the approved spec ${trust.spec?.file} (compared byte for byte) and checked against the auditor's policy ${trust.policy?.file}`;
  }
}

export function trustSection(ev: EvaluationResult, opts: ReportOptions): TrustSection {
  const anchor: TrustSection['anchor'] =
    opts.specAnchor && opts.policy
      ? 'spec+policy'
      : opts.specAnchor
        ? 'spec'
        : opts.policy
          ? 'policy'
          : 'self-declared';
  const statement = {
    'self-declared':
      'The boundary is self-declared: the stacks were judged against the allow-lists written inside the artifact ("//".sovereign), which whoever produced it could have widened. Audit with --spec (the approved sovereign.yaml) or --policy (an auditor-held policy file) to anchor it.',
    spec: `The directory was compared byte for byte with what the approved spec ${opts.specAnchor?.file} synthesizes: ${opts.specAnchor?.differences.length ? `${opts.specAnchor.differences.length} file(s) differ` : 'identical'}.`,
    policy: `Each stack's declared boundary was checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
    'spec+policy': `The directory was compared byte for byte with what the approved spec ${opts.specAnchor?.file} synthesizes (${opts.specAnchor?.differences.length ? `${opts.specAnchor.differences.length} file(s) differ` : 'identical'}), and each stack's boundary checked against the auditor's policy ${opts.policy?.file} (SOV-017).`,
  }[anchor];
  return {
    anchor,
    statement,
    ...(opts.specAnchor ? { spec: opts.specAnchor } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(ev.allowUnknown !== undefined
      ? {
          allowUnknown: {
            reason: ev.allowUnknown,
            accepted: ev.findings
              .filter((f) => f.status === 'unknown')
              .map((f) => ({
                stack: f.stack,
                rule: f.rule,
                address: f.address,
                path: f.path,
                message: f.message,
              })),
          },
        }
      : {}),
    declaredPublic: ev.stacks.flatMap((r) =>
      [
        ...(r.metadata.allowed.declaredPublic ?? []),
        ...r.metadata.allowed.providerHosts
          .filter((h) => PUBLIC_PROVIDER_REGISTRIES.includes(h.toLowerCase()))
          .map((h) => ({
            host: h,
            reason: 'default provider registry: no mirror named (sovereignty.providerRegistry)',
          })),
      ].map((d) => ({ stack: r.stack.name, host: d.host, reason: d.reason })),
    ),
  };
}

export function buildReport(ev: EvaluationResult, opts: ReportOptions = {}): AuditReport {
  const trust = trustSection(ev, opts);
  return {
    tool: {
      name: 'sovereign-stack',
      version: toolkitVersion(),
      rulesVersion: RULES_VERSION,
      ...(toolkitCommit() ? { commit: toolkitCommit() } : {}),
    },
    generatedAt: opts.now ?? auditTime(),
    strict: ev.strict,
    evaluatedOn: ev.today,
    ...(opts.spec ? { spec: opts.spec } : {}),
    files: [...(opts.files ?? [])].sort((a, b) => cmp(a.path, b.path)),
    totals: ev.totals,
    gate: ev.totals.errors > 0 || (opts.specAnchor?.differences.length ?? 0) > 0 ? 'fail' : 'pass',
    stacks: ev.stacks.map((s) => stackReport(s, opts.boundaryDeclaredBy ?? declaredBy(trust))),
    ...(opts.plan ? { plan: opts.plan } : {}),
    trust,
  };
}
