/**
 * Suppressions travel inside the artifact (`"//".sovereign.suppressions`). Each names a rule,
 * a resource address (or `*`), a reason of at least 10 characters and optionally the last day
 * it applies. Problems with a suppression are findings of their own (SUP-*), so a report
 * shows every exception the stack claims and whether it held.
 */
import type { Suppression } from '../core/stack-record';
import type { RuleMeta } from './types';

export const MIN_REASON_LENGTH = 10;

const meta = (id: string, title: string, fix: string, severity: RuleMeta['severity']): RuleMeta => ({
  id,
  title,
  severity,
  fix,
  anchors: ['sovereign-stack suppression register'],
  suppressible: false,
});

/** Findings about suppressions themselves; always evaluated, whatever packs a stack selects. */
export const SUPPRESSION_RULES: readonly (RuleMeta & { readonly level: 'error' | 'warning' })[] = [
  {
    ...meta(
      'SUP-001',
      'Suppressions have not expired',
      'Fix the finding, or renew the suppression with a new expiry date and reason.',
      'high',
    ),
    level: 'error',
  },
  {
    ...meta(
      'SUP-002',
      'Suppressions are well-formed (known rule, address, reason of 10+ characters, YYYY-MM-DD expiry)',
      'Correct the suppression in the spec.',
      'high',
    ),
    level: 'error',
  },
  {
    ...meta(
      'SUP-003',
      'Suppressions target only suppressible rules',
      'Remove the suppression: residency and foreign-control-plane rules cannot be suppressed.',
      'medium',
    ),
    level: 'warning',
  },
  {
    ...meta(
      'SUP-004',
      'Suppressions match a finding',
      'Remove the suppression: nothing it names fails.',
      'low',
    ),
    level: 'warning',
  },
];

export type SuppressionState = 'applied' | 'unused' | 'expired' | 'invalid' | 'ignored';

export interface SuppressionRecord {
  readonly index: number;
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly expires?: string;
  readonly state: SuppressionState;
  /** Why the suppression did not apply, when it did not. */
  readonly note?: string;
  /** Addresses of the rows it suppressed. */
  readonly matched: readonly string[];
}

/** `YYYY-MM-DD` that is a real calendar date. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Problems that make a suppression invalid (empty when it is well-formed). `knownRules`
 * are the ids of every rule in the catalogue.
 */
export function suppressionProblems(s: Partial<Suppression>, knownRules: readonly string[]): string[] {
  const p: string[] = [];
  if (typeof s.rule !== 'string' || !knownRules.includes(s.rule))
    p.push(`rule ${JSON.stringify(s.rule)} is not a known rule id`);
  if (typeof s.resource !== 'string' || s.resource.trim() === '')
    p.push('resource must be a Terraform address or *');
  if (typeof s.reason !== 'string' || s.reason.trim().length < MIN_REASON_LENGTH) {
    p.push(
      `reason must be at least ${MIN_REASON_LENGTH} characters, is ${typeof s.reason === 'string' ? s.reason.trim().length : 0}`,
    );
  }
  if (s.expires !== undefined && (typeof s.expires !== 'string' || !isIsoDate(s.expires)))
    p.push(`expires ${JSON.stringify(s.expires)} is not a YYYY-MM-DD date`);
  return p;
}

/** True when the suppression's last day is before `today`. */
export function isExpired(s: Pick<Suppression, 'expires'>, today: string): boolean {
  return s.expires !== undefined && s.expires < today;
}
