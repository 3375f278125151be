/**
 * The shape of a licence's facts as the catalogue (policy/licences) classifies them and as a
 * stack's `"//"` record carries them for auditors: which risks a clause carries, where it is,
 * what it does. Pure types, shared by the record, the catalogue and the reports.
 */

/** The risks a licence clause may carry, one rule each (LIC-002 … LIC-007). */
export const RISK_CLASSES = [
  'unilateral-change',
  'remote-restriction',
  'user-cap',
  'field-of-use',
  'territorial',
  'attribution',
] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export interface LicenceClause {
  readonly class: RiskClass;
  /** Where the clause is: `§6`, `AUP, final paragraph`. */
  readonly section: string;
  /** What the clause does, paraphrased (never the licence text). */
  readonly summary: string;
  /** For territorial clauses: ISO 3166-1 alpha-2 codes or `EU`, excluded from the grant. */
  readonly territories?: readonly string[];
  /**
   * An ordinary notice-keeping duty every open-source licence carries (keep the licence text
   * and copyright notices): recorded for the BOM, never a finding.
   */
  readonly notice?: true;
}

export interface Licence {
  /** Catalogue identifier, as the spec writes it. */
  readonly id: string;
  readonly name: string;
  /** SPDX licence id, when SPDX lists the licence. */
  readonly spdx?: string;
  /** URL of the text that was read. */
  readonly url: string;
  /** Date of the text that was read (its release or last-modified date), YYYY-MM-DD. */
  readonly version: string;
  /** Day the text was read for this catalogue, YYYY-MM-DD. */
  readonly read: string;
  /** Models the licence covers, for people choosing an identifier. */
  readonly covers: string;
  readonly clauses: readonly LicenceClause[];
}

/** A licence's facts as copied into a stack's record. */
export type LicenceFacts = Licence;
