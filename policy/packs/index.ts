export type { Pack } from './pack';
import type { Level } from '../types';
import { DE_BSI_C5 } from './de-bsi-c5';
import { EU_GDPR } from './eu-gdpr';
import { FR_SECNUMCLOUD } from './fr-secnumcloud';
import { K8S_BASELINE } from './k8s-baseline';
import { K8S_RESTRICTED } from './k8s-restricted';
import { LICENCE } from './licence';
import type { Pack } from './pack';
import { SOVEREIGNTY } from './sovereignty';

export { DE_BSI_C5, EU_GDPR, FR_SECNUMCLOUD, K8S_BASELINE, K8S_RESTRICTED, LICENCE, SOVEREIGNTY };
export { ALL_PACK_IDS } from './ids';

export const ALL_PACKS: readonly Pack[] = [
  K8S_BASELINE,
  K8S_RESTRICTED,
  SOVEREIGNTY,
  EU_GDPR,
  DE_BSI_C5,
  FR_SECNUMCLOUD,
  LICENCE,
];

export type PackSelection = readonly { readonly id: string; readonly level: Level }[];

/** What a stack without a pack selection is judged against. */
export const DEFAULT_PACKS: PackSelection = [
  { id: 'k8s-restricted', level: 'error' },
  { id: 'sovereignty', level: 'error' },
  { id: 'licence', level: 'warning' },
];

const BASE: PackSelection = [
  { id: 'k8s-baseline', level: 'error' },
  { id: 'k8s-restricted', level: 'error' },
  { id: 'sovereignty', level: 'error' },
  { id: 'licence', level: 'warning' },
];

/**
 * The one table of which packs each jurisdiction profile selects, and at which level.
 * stacks/profiles.ts derives its profiles from it, stacks write the selection into their
 * metadata (`"//".sovereign.packs`), and policy/RULES.md is generated from it. The audit treats
 * the table as a floor: a stack's metadata may add packs or raise levels, never drop or lower
 * what its declared profile selects, and `sovereignty` is at error whatever it says.
 */
export const PROFILE_PACKS: Readonly<Record<string, PackSelection>> = {
  'eu-gdpr': [...BASE, { id: 'eu-gdpr', level: 'error' }],
  'de-bsi-c5': [...BASE, { id: 'eu-gdpr', level: 'error' }, { id: 'de-bsi-c5', level: 'error' }],
  'fr-secnumcloud': [...BASE, { id: 'eu-gdpr', level: 'error' }, { id: 'fr-secnumcloud', level: 'error' }],
  none: [
    { id: 'k8s-baseline', level: 'warning' },
    { id: 'k8s-restricted', level: 'warning' },
    { id: 'sovereignty', level: 'error' },
    { id: 'licence', level: 'warning' },
  ],
};

/** Profiles whose unknown findings fail the gate (strict), whatever the metadata says. */
export const PROFILE_STRICT: Readonly<Record<string, boolean>> = {
  'eu-gdpr': false,
  'de-bsi-c5': true,
  'fr-secnumcloud': true,
  none: false,
};

/** The floor every stack is judged against, whatever its metadata says: sovereignty at error. */
export const SOVEREIGNTY_FLOOR: PackSelection = [{ id: 'sovereignty', level: 'error' }];

/**
 * The selection a stack is judged against: what it declares, raised to its declared profile's
 * packs (or DEFAULT_PACKS when the profile is unknown or no packs are declared), to `minimum`
 * (an auditor's policy) and to the sovereignty floor. One entry per pack, at the highest level.
 */
export function effectiveSelection(
  declared: unknown,
  profile: unknown,
  minimum: PackSelection = [],
): PackSelection {
  const list: { id: string; level: Level }[] = [];
  const decl = Array.isArray(declared)
    ? declared.filter(
        (p): p is { id: string; level: Level } =>
          typeof p === 'object' &&
          p !== null &&
          typeof (p as { id?: unknown }).id === 'string' &&
          ((p as { level?: unknown }).level === 'error' || (p as { level?: unknown }).level === 'warning'),
      )
    : [];
  // Own keys only: a profile read from the artifact (`constructor`) names no table entry.
  const prof =
    typeof profile === 'string' && Object.hasOwn(PROFILE_PACKS, profile) ? PROFILE_PACKS[profile] : undefined;
  for (const sel of [...decl, ...(prof ?? DEFAULT_PACKS), ...minimum, ...SOVEREIGNTY_FLOOR]) {
    if (!ALL_PACKS.some((p) => p.id === sel.id)) continue;
    const cur = list.find((x) => x.id === sel.id);
    if (!cur) list.push({ id: sel.id, level: sel.level });
    else if (sel.level === 'error') cur.level = 'error';
  }
  return list;
}

export function packById(id: string): Pack | undefined {
  return ALL_PACKS.find((p) => p.id === id);
}
