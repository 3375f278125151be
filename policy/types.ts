/**
 * The rule engine's vocabulary. A rule is a pure function of one synthesized resource (or of
 * the whole stack) that answers compliant, non-compliant, not applicable or unknown.
 */
import type { StackView, ResourceView } from './stack';
import type { StackMetadata } from '../core/stack-record';
import type { JurisdictionPolicy } from './auditor-policy';

/** How bad a failure of the rule is, independent of the level a pack applies it at. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** The level a pack applies a rule at: `error` gates synth and audit, `warning` is reported only. */
export type Level = 'error' | 'warning';

export type Status = 'compliant' | 'non-compliant' | 'not-applicable' | 'unknown';

/**
 * One answer from a rule. `path` names the field the answer is about, relative to the
 * resource (`spec.template.spec.container[0].security_context.privileged`). Stack rules set
 * `address` (a resource address, `terraform.backend.s3`, `provider.kubernetes[0]`).
 */
export interface Outcome {
  readonly status: Status;
  readonly path?: string;
  readonly message?: string;
  readonly address?: string;
}

export interface RuleContext {
  readonly stack: StackView;
  /** Metadata the stack declares, or an empty default (nothing allowed). */
  readonly metadata: StackMetadata;
  /** Problems with the declared metadata (missing, wrong schema version); reported by SOV-014. */
  readonly problems: readonly string[];
  /**
   * The auditor's policy for this stack (`--policy`): undefined without a policy file, null when
   * the file does not name the stack.
   */
  readonly policy?: JurisdictionPolicy | null;
  /** When the stack judged is a plan: the addresses the synthesized stack declares (SOV-018). */
  readonly synthesizedAddresses?: ReadonlySet<string>;
}

export interface RuleMeta {
  /** Stable id (`K8S-001`, `SOV-012`); never reused for another check. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** What a fix looks like, one sentence, shown with every failure. */
  readonly fix: string;
  /** Public controls the rule mirrors (PSS, Checkov, Trivy, kube-score, Polaris, framework clauses). */
  readonly anchors: readonly string[];
  /** Residency and foreign-control-plane rules are false: suppressions never apply to them. */
  readonly suppressible: boolean;
}

export interface ResourceRule extends RuleMeta {
  readonly scope: 'resource';
  /** Terraform resource types the rule inspects (`kubernetes_deployment_v1`, `kubernetes_manifest`). */
  readonly appliesTo: readonly string[];
  check(resource: ResourceView, ctx: RuleContext): Outcome | readonly Outcome[];
}

export interface StackRule extends RuleMeta {
  readonly scope: 'stack';
  /** Every outcome carries an `address`. */
  check(ctx: RuleContext): readonly Outcome[];
}

export type Rule = ResourceRule | StackRule;

export const ok = (path?: string): Outcome => ({ status: 'compliant', path });
export const fail = (path: string, message: string): Outcome => ({ status: 'non-compliant', path, message });
export const unknown = (path: string, message: string): Outcome => ({ status: 'unknown', path, message });
export const na: Outcome = { status: 'not-applicable' };
