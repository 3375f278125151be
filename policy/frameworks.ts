/**
 * The framework matrix: which clauses of which framework each rule gives evidence for, in one
 * table, and what of each framework stays a manual control (nothing in a Terraform artifact
 * can prove it). Sources, with the edition of each framework, are listed in docs/frameworks.md:
 * - BSI C5:2020 criteria ids (Cloud Computing Compliance Criteria Catalogue, 2020 edition);
 * - ANSSI SecNumCloud 3.2 (8 March 2022) chapter numbers;
 * - European Commission Cloud Sovereignty Framework 1.2.1 (October 2025) objectives SOV-1…SOV-8;
 * - Regulation (EU) 2024/1689 (AI Act) articles, where a rule touches what a deployer keeps.
 * A clause is evidenced by the artifact only as far as its rules reach: the matrix says which
 * rules, never that the clause is met.
 */

export type FrameworkId = 'c5' | 'secnumcloud' | 'eu-csf' | 'ai-act';

export const FRAMEWORKS: Readonly<Record<FrameworkId, string>> = {
  c5: 'BSI C5:2020',
  secnumcloud: 'ANSSI SecNumCloud 3.2',
  'eu-csf': 'EU Cloud Sovereignty Framework 1.2.1',
  'ai-act': 'EU AI Act (Regulation (EU) 2024/1689)',
};

export interface Clause {
  readonly id: string;
  readonly title: string;
}

/** Every clause the table below names, by framework and id. */
export const CLAUSES: Readonly<Record<FrameworkId, Readonly<Record<string, string>>>> = {
  c5: {
    'COS-01': 'Technical safeguards',
    'COS-06': 'Segregation of data traffic in jointly used network environments',
    'DEV-01': 'Policies for the development/procurement of information systems',
    'DEV-08': 'Version control',
    'IDM-01': 'Policy for user accounts and access rights',
    'IDM-06': 'Privileged access rights',
    'OPS-23': 'Managing vulnerabilities, malfunctions and errors – system hardening',
    'OPS-24': 'Separation of datasets in the cloud infrastructure',
    'PSS-12': 'Locations of data processing and storage',
    'SSO-01': 'Policies and instructions for controlling and monitoring third parties',
  },
  secnumcloud: {
    '9': 'Contrôle d’accès et gestion des identités',
    '12': 'Sécurité liée à l’exploitation',
    '13': 'Sécurité des communications',
    '14': 'Acquisition, développement et maintenance des systèmes d’information',
    '15': 'Relations avec les tiers',
    '19.2': 'Localisation des données',
    '19.6': 'Protection vis-à-vis du droit extra-européen',
  },
  'eu-csf': {
    'SOV-2': 'Legal & jurisdictional sovereignty',
    'SOV-3': 'Data & AI sovereignty',
    'SOV-4': 'Operational sovereignty',
    'SOV-5': 'Supply chain sovereignty',
    'SOV-6': 'Technology sovereignty',
    'SOV-7': 'Security & compliance sovereignty',
  },
  'ai-act': {
    'Art. 15': 'Accuracy, robustness and cybersecurity',
    'Art. 26': 'Obligations of deployers (use per instructions, logs kept)',
    'Art. 53': 'Obligations of GPAI providers: documentation given to downstream providers (Annex XII)',
  },
};

type Row = Partial<Record<FrameworkId, readonly string[]>>;

const HARDENING: Row = { c5: ['OPS-23'], secnumcloud: ['12'], 'eu-csf': ['SOV-7'] };
const ISOLATION: Row = { c5: ['OPS-23', 'OPS-24'], secnumcloud: ['12'], 'eu-csf': ['SOV-7'] };
const NETWORK: Row = { c5: ['COS-01', 'COS-06'], secnumcloud: ['13'], 'eu-csf': ['SOV-7'] };
const ACCESS: Row = { c5: ['IDM-01', 'IDM-06'], secnumcloud: ['9'], 'eu-csf': ['SOV-7'] };
const SUPPLY: Row = { c5: ['DEV-01', 'SSO-01'], secnumcloud: ['14', '15'], 'eu-csf': ['SOV-5', 'SOV-6'] };
/** A licence lets a party outside the jurisdiction change, restrict or end the use. */
const LICENCE: Row = { c5: ['SSO-01'], secnumcloud: ['15', '19.6'], 'eu-csf': ['SOV-2', 'SOV-3'] };
/** A licence binds the use to conditions: third-party terms the operator must keep. */
const LICENCE_TERMS: Row = { c5: ['SSO-01'], secnumcloud: ['15'], 'eu-csf': ['SOV-2'] };
const LOCATION: Row = { c5: ['PSS-12'], secnumcloud: ['19.2', '19.6'], 'eu-csf': ['SOV-2', 'SOV-3'] };

/** Rule → clauses it gives evidence for. The one mapping table; every rule id appears once. */
export const RULE_CLAUSES: Readonly<Record<string, Row>> = {
  'K8S-001': HARDENING,
  'K8S-002': HARDENING,
  'K8S-003': HARDENING,
  'K8S-004': HARDENING,
  'K8S-005': HARDENING,
  'K8S-006': HARDENING,
  'K8S-007': ISOLATION,
  'K8S-008': ISOLATION,
  'K8S-009': ISOLATION,
  'K8S-010': HARDENING,
  'K8S-011': HARDENING,
  'K8S-012': ACCESS,
  'K8S-013': ISOLATION,
  'K8S-014': { c5: ['OPS-24'], secnumcloud: ['12'], 'eu-csf': ['SOV-4'] },
  'K8S-015': { c5: ['OPS-24'], secnumcloud: ['12'], 'eu-csf': ['SOV-4'] },
  'K8S-016': { secnumcloud: ['12'], 'eu-csf': ['SOV-4'], 'ai-act': ['Art. 15'] },
  'K8S-017': { secnumcloud: ['12'], 'eu-csf': ['SOV-4'], 'ai-act': ['Art. 15'] },
  'K8S-018': NETWORK,
  'K8S-019': NETWORK,
  'K8S-020': NETWORK,
  'K8S-021': ACCESS,
  'K8S-022': ACCESS,
  'K8S-023': HARDENING,
  'K8S-024': { c5: ['OPS-24'], secnumcloud: ['12'], 'eu-csf': ['SOV-4'] },
  'K8S-025': { c5: ['IDM-01'], secnumcloud: ['9'], 'eu-csf': ['SOV-7'] },
  'K8S-026': { c5: ['IDM-01'], secnumcloud: ['9'], 'eu-csf': ['SOV-7'] },
  'SOV-001': { ...SUPPLY, c5: ['DEV-01', 'DEV-08', 'SSO-01'] },
  'SOV-002': { c5: ['PSS-12', 'SSO-01'], secnumcloud: ['15', '19.6'], 'eu-csf': ['SOV-2', 'SOV-5'] },
  'SOV-003': { ...SUPPLY, c5: ['DEV-01', 'DEV-08'] },
  'SOV-004': { c5: ['PSS-12', 'SSO-01'], secnumcloud: ['15', '19.6'], 'eu-csf': ['SOV-2', 'SOV-5'] },
  'SOV-005': { ...SUPPLY, c5: ['DEV-01', 'DEV-08'] },
  'SOV-006': { c5: ['SSO-01'], secnumcloud: ['15', '19.6'], 'eu-csf': ['SOV-2', 'SOV-5'] },
  'SOV-007': LOCATION,
  'SOV-008': { ...LOCATION, 'ai-act': ['Art. 26'] },
  'SOV-009': { ...LOCATION, 'ai-act': ['Art. 26'] },
  'SOV-010': {
    c5: ['DEV-08'],
    secnumcloud: ['14'],
    'eu-csf': ['SOV-3', 'SOV-5'],
    'ai-act': ['Art. 53', 'Art. 26'],
  },
  'SOV-011': { ...LOCATION, c5: ['PSS-12', 'COS-01'] },
  'SOV-012': LOCATION,
  'SOV-013': LOCATION,
  'SOV-014': { c5: ['PSS-12'], secnumcloud: ['19.2'], 'eu-csf': ['SOV-2'] },
  'SOV-015': { ...SUPPLY, c5: ['DEV-01', 'SSO-01'], 'eu-csf': ['SOV-5', 'SOV-6', 'SOV-7'] },
  'SOV-016': { ...LOCATION, 'eu-csf': ['SOV-2', 'SOV-3', 'SOV-7'] },
  'SOV-017': { c5: ['PSS-12'], secnumcloud: ['19.2'], 'eu-csf': ['SOV-2'] },
  'SOV-018': { c5: ['DEV-08'], secnumcloud: ['14'], 'eu-csf': ['SOV-7'] },
  'LIC-001': SUPPLY,
  'LIC-002': LICENCE,
  'LIC-003': LICENCE,
  'LIC-004': LICENCE_TERMS,
  'LIC-005': LICENCE_TERMS,
  'LIC-006': LICENCE,
  'LIC-007': LICENCE_TERMS,
};

/** What stays with people: clauses no synthesized artifact can evidence. */
export const MANUAL_CONTROLS: Readonly<Record<FrameworkId, readonly Clause[]>> = {
  c5: [
    {
      id: 'PSS-12',
      title: 'the data centres behind the declared hosts and ranges are where the boundary says',
    },
    { id: 'OPS-23', title: 'node operating systems and the cluster itself are hardened' },
    { id: 'IDM-01', title: 'who holds cluster credentials and the signing key' },
  ],
  secnumcloud: [
    { id: '19.6', title: 'the operator and its shareholders are not subject to extra-European law' },
    { id: '12', title: 'logging, backups and vulnerability management in operation' },
  ],
  'eu-csf': [
    { id: 'SOV-1', title: 'ownership, governance and financing of the operator' },
    { id: 'SOV-5', title: 'origin of the GPUs, firmware and the images’ build provenance' },
    { id: 'SOV-8', title: 'environmental sustainability' },
  ],
  'ai-act': [
    { id: 'Art. 50', title: 'telling people they are interacting with an AI system' },
    { id: 'Art. 26', title: 'human oversight and keeping the logs the serving stack produces' },
  ],
};

export interface MatrixClause extends Clause {
  readonly rules: readonly string[];
  /** `evidenced` every rule passed (or was suppressed with a reason); `failed`; `unknown`; `not exercised` no resource it applies to. */
  readonly result: 'evidenced' | 'evidenced with suppressions' | 'failed' | 'unknown' | 'not exercised';
}

export interface MatrixFramework {
  readonly id: FrameworkId;
  readonly framework: string;
  readonly clauses: readonly MatrixClause[];
}

interface RuleCounts {
  readonly rule: string;
  readonly passed: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly unknown: number;
}

const clauseOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Rolls per-rule results up to the clauses of every framework. */
export function frameworkMatrix(rules: readonly RuleCounts[]): MatrixFramework[] {
  const byRule = new Map(rules.map((r) => [r.rule, r]));
  const out: MatrixFramework[] = [];
  for (const fw of Object.keys(FRAMEWORKS) as FrameworkId[]) {
    const clauses = new Map<string, string[]>();
    for (const [rule, row] of Object.entries(RULE_CLAUSES))
      for (const c of row[fw] ?? []) clauses.set(c, [...(clauses.get(c) ?? []), rule]);
    const list: MatrixClause[] = [...clauses.entries()]
      .sort(([a], [b]) => clauseOrder(a, b))
      .map(([id, ids]) => {
        const rs = ids.map((i) => byRule.get(i)).filter((x): x is RuleCounts => x !== undefined);
        const sum = (k: 'passed' | 'failed' | 'suppressed' | 'unknown') => rs.reduce((n, r) => n + r[k], 0);
        const result: MatrixClause['result'] =
          sum('failed') > 0
            ? 'failed'
            : sum('unknown') > 0
              ? 'unknown'
              : sum('passed') + sum('suppressed') === 0
                ? 'not exercised'
                : sum('suppressed') > 0
                  ? 'evidenced with suppressions'
                  : 'evidenced';
        return { id, title: CLAUSES[fw][id] ?? id, rules: ids.sort(), result };
      });
    out.push({ id: fw, framework: FRAMEWORKS[fw], clauses: list });
  }
  return out;
}
