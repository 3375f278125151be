/**
 * Kubernetes recommended labels plus the jurisdiction label that every object we create
 * carries. @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */

import { LABEL_JURISDICTION } from './annotations';

/** Label key naming the jurisdiction an object belongs to. */
export const JURISDICTION_LABEL = LABEL_JURISDICTION;
export const MANAGED_BY = 'sovereign-stack';

export interface LabelInput {
  /** `app.kubernetes.io/name`: what the thing is (`vllm`, `llama-cpp`, `model-weights`). */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this instance (model or pool name). */
  readonly instance: string;
  /** `app.kubernetes.io/component` (`server`, `weights-sync`, `gpu-pool`). */
  readonly component: string;
  /** `app.kubernetes.io/part-of`. @default 'sovereign-stack' */
  readonly partOf?: string;
  /** `app.kubernetes.io/version`, e.g. the engine release; omitted when undefined. */
  readonly version?: string;
  readonly jurisdiction: string;
}

/** All recommended labels, keys sorted so synthesized JSON is stable. */
export function recommendedLabels(l: LabelInput): Record<string, string> {
  const out: Record<string, string> = {
    'app.kubernetes.io/component': l.component,
    'app.kubernetes.io/instance': l.instance,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/name': l.name,
    'app.kubernetes.io/part-of': l.partOf ?? 'sovereign-stack',
  };
  if (l.version !== undefined) out['app.kubernetes.io/version'] = sanitizeLabelValue(l.version);
  out[JURISDICTION_LABEL] = l.jurisdiction;
  return out;
}

/** The subset used in selectors: stable across upgrades (no version). */
export function selectorLabels(l: LabelInput): Record<string, string> {
  return {
    'app.kubernetes.io/instance': l.instance,
    'app.kubernetes.io/name': l.name,
    [JURISDICTION_LABEL]: l.jurisdiction,
  };
}

/** A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function sanitizeLabelValue(v: string): string {
  return v
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/**
 * The Pod Security Admission labels of a namespace: audit, enforce and warn at one level,
 * pinned to the cluster's policy version.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
 */
export function podSecurityLabels(
  level: 'restricted' | 'privileged',
  version: string,
): Record<string, string> {
  const psa = 'pod-security.kubernetes.io';
  const out: Record<string, string> = {};
  for (const mode of ['audit', 'enforce', 'warn']) {
    out[`${psa}/${mode}`] = level;
    out[`${psa}/${mode}-version`] = version;
  }
  return out;
}
