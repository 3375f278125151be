/**
 * One judgement of a model's licence, two entry points: `sovereign validate` calls it on the
 * spec, the LIC-* rules on the `"//".sovereign` record of a synthesized stack. Risk classes
 * come from the catalogue entry the licence identifier names, never from flags the spec or the
 * artifact declares about themselves.
 */
import { ALL_PACKS } from '../packs';
import type { Level } from '../types';
import { RISK_CLASSES, type Licence, type LicenceClause, type RiskClass } from '../../core/licence-facts';
import { RISK_TITLES, excludedTerritories, licenceById, lookalikeOf } from './catalogue';

/** The rule that flags each risk class. */
export const RULE_OF_CLASS: Readonly<Record<RiskClass, string>> = {
  'unilateral-change': 'LIC-002',
  'remote-restriction': 'LIC-003',
  'user-cap': 'LIC-004',
  'field-of-use': 'LIC-005',
  territorial: 'LIC-006',
  attribution: 'LIC-007',
};

/** Licence rules no suppression can accept (their rule files say `suppressible: false`). */
export const UNSUPPRESSIBLE_LICENCE_RULES: readonly string[] = ['LIC-001', 'LIC-006'];

/** Rule id of the identity check: a catalogue id, or an unlisted licence explicitly accepted. */
export const LICENCE_IDENTITY_RULE = 'LIC-001';

/** The address licence findings carry, and suppressions name: `model.<name>`. */
export const modelAddress = (model: string): string => `model.${model}`;

export const MIN_ACCEPTANCE_REASON = 10;

/** How an unlisted licence is written: an SPDX `LicenseRef-` idstring. */
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

/** An explicit, reasoned acceptance of a licence the catalogue does not list. */
export interface LicenceAcceptance {
  readonly reason: string;
  /** Where the accepted text is published. */
  readonly url: string;
}

export interface LicenceInput {
  /** The licence identifier as written (spec) or recorded (artifact); anything else is judged too. */
  readonly license: unknown;
  readonly acceptance?: unknown;
  /** ISO 3166-1 alpha-2 codes and/or `EU` the jurisdiction declares. */
  readonly territories: readonly string[];
}

export interface Verdict {
  readonly rule: string;
  readonly status: 'compliant' | 'non-compliant' | 'not-applicable';
  /** The input field the verdict is about. */
  readonly field: 'license' | 'acceptance' | 'territories';
  readonly message?: string;
  readonly clause?: LicenceClause;
}

/** Problems with an acceptance (empty when it holds). */
export function acceptanceProblems(a: unknown): string[] {
  if (a === undefined || a === null) return ['no acceptance is given'];
  if (typeof a !== 'object' || Array.isArray(a)) return ['the acceptance must be { reason, url }'];
  const o = a as Record<string, unknown>;
  const p: string[] = [];
  if (typeof o.reason !== 'string' || o.reason.trim().length < MIN_ACCEPTANCE_REASON)
    p.push(`its reason must be at least ${MIN_ACCEPTANCE_REASON} characters`);
  if (typeof o.url !== 'string' || !/^https:\/\/[^/\s]+/.test(o.url))
    p.push('its url must be the https:// address of the accepted licence text');
  return p;
}

/** The catalogue entry a recorded identifier names, or undefined (unlisted, missing, not a string). */
export function catalogueEntry(license: unknown): Licence | undefined {
  return typeof license === 'string' ? licenceById(license) : undefined;
}

/** Every verdict on one model's licence in one jurisdiction: LIC-001 first, then one per class. */
export function judgeLicence(input: LicenceInput): Verdict[] {
  const out: Verdict[] = [];
  const id = input.license;
  const entry = catalogueEntry(id);
  if (id === undefined || id === null || id === '') {
    out.push({
      rule: LICENCE_IDENTITY_RULE,
      status: 'non-compliant',
      field: 'license',
      message:
        'no licence is given: name the licence of the weights by its catalogue identifier (docs/licences.md)',
    });
  } else if (typeof id !== 'string') {
    out.push({
      rule: LICENCE_IDENTITY_RULE,
      status: 'non-compliant',
      field: 'license',
      message: `the licence must be a catalogue identifier string, got ${JSON.stringify(id)}`,
    });
  } else if (entry === undefined) {
    const near = lookalikeOf(id) ?? lookalikeOf(id.replace(/^LicenseRef-(sovereign-)?/i, ''));
    const problems = acceptanceProblems(input.acceptance);
    if (near !== undefined) {
      // A lookalike of a listed licence is never accepted as an unlisted one: it would let a
      // listed licence's clauses go unjudged under a different spelling.
      out.push({
        rule: LICENCE_IDENTITY_RULE,
        status: 'non-compliant',
        field: 'license',
        message: `${JSON.stringify(id)} is not a catalogue identifier; identifiers are exact: write "${near}"`,
      });
    } else if (!LICENSE_REF.test(id)) {
      // SPDX's LicenseRef grammar: ASCII letters, digits, '.' and '-'. It keeps homoglyphs of a
      // listed identifier (a Cyrillic 'А') from passing as an accepted unlisted licence.
      out.push({
        rule: LICENCE_IDENTITY_RULE,
        status: 'non-compliant',
        field: 'license',
        message: `${JSON.stringify(id)} is not in the licence catalogue; an unlisted licence is written LicenseRef-<ASCII letters, digits, '.' or '-'> and accepted with licenseAcceptance { reason, url }`,
      });
    } else if (problems.length > 0) {
      out.push({
        rule: LICENCE_IDENTITY_RULE,
        status: 'non-compliant',
        field: input.acceptance === undefined ? 'license' : 'acceptance',
        message: `${JSON.stringify(id)} is not in the licence catalogue and is not accepted: ${problems.join('; ')}. Use a catalogue identifier (docs/licences.md) or accept the licence with licenseAcceptance { reason, url }`,
      });
    } else {
      out.push({
        rule: LICENCE_IDENTITY_RULE,
        status: 'compliant',
        field: 'acceptance',
        message: `unlisted licence ${id} accepted: ${(input.acceptance as LicenceAcceptance).reason}`,
      });
    }
  } else {
    out.push({ rule: LICENCE_IDENTITY_RULE, status: 'compliant', field: 'license' });
  }

  for (const cls of RISK_CLASSES) {
    const rule = RULE_OF_CLASS[cls];
    if (entry === undefined) {
      out.push({ rule, status: 'not-applicable', field: 'license' });
      continue;
    }
    const clauses = entry.clauses.filter((c) => c.class === cls && c.notice !== true);
    if (clauses.length === 0) {
      out.push({ rule, status: 'compliant', field: 'license' });
      continue;
    }
    for (const c of clauses) {
      const cite = `${entry.name} ${c.section}: ${c.summary}`;
      if (cls !== 'territorial') {
        out.push({
          rule,
          status: 'non-compliant',
          field: 'license',
          clause: c,
          message: `${RISK_TITLES[cls]} — ${cite}`,
        });
        continue;
      }
      const excluded = c.territories ?? [];
      if (input.territories.length === 0) {
        out.push({
          rule,
          status: 'non-compliant',
          field: 'territories',
          clause: c,
          message: `the licence excludes ${excluded.join(', ')} and the jurisdiction declares no territories, so it cannot be shown to lie outside them; declare its ISO 3166 country codes (or EU) in territories — ${cite}`,
        });
        continue;
      }
      const hit = excludedTerritories(input.territories, excluded);
      out.push(
        hit.length > 0
          ? {
              rule,
              status: 'non-compliant',
              field: 'territories',
              clause: c,
              message: `the licence excludes ${excluded.join(', ')}, and the jurisdiction lies in ${hit.join(', ')}: the model may not be run here — ${cite}`,
            }
          : { rule, status: 'compliant', field: 'territories', clause: c },
      );
    }
  }
  return out;
}

export interface SpecSuppression {
  readonly rule: string;
  readonly resource: string;
  readonly expires?: string;
}

/**
 * The licence findings that would fail a jurisdiction's gate: verdicts at level error under its
 * pack selection that no live suppression accepts. What `sovereign validate` reports; synth and
 * audit reach the same answer through the LIC-* rules.
 */
export function gatingLicenceVerdicts(
  model: string,
  input: LicenceInput,
  selection: readonly { id: string; level: Level }[],
  suppressions: readonly SpecSuppression[],
  today: string,
): Verdict[] {
  return judgeLicence(input).filter((v) => {
    if (v.status !== 'non-compliant' || levelOf(v.rule, selection) !== 'error') return false;
    if (UNSUPPRESSIBLE_LICENCE_RULES.includes(v.rule)) return true;
    return !suppressions.some(
      (s) =>
        s.rule === v.rule &&
        (s.resource === '*' || s.resource === modelAddress(model)) &&
        (s.expires === undefined || s.expires >= today),
    );
  });
}

/** The level a pack selection applies a rule at, or undefined when no selected pack has it. */
export function levelOf(rule: string, selection: readonly { id: string; level: Level }[]): Level | undefined {
  let level: Level | undefined;
  for (const sel of selection) {
    const pack = ALL_PACKS.find((p) => p.id === sel.id);
    if (!pack || !pack.rules.some((r) => r.rule === rule)) continue;
    if (sel.level === 'error' || level === undefined) level = sel.level;
  }
  return level;
}
