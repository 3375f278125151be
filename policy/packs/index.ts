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

/**
 * The packs each jurisdiction profile selects. Stacks write the selection into their metadata
 * (`"//".sovereign.packs`); a profile may tighten or relax levels there.
 */
export const PROFILE_PACKS: Readonly<Record<string, PackSelection>> = {
  none: DEFAULT_PACKS,
  'eu-gdpr': [...DEFAULT_PACKS, { id: 'eu-gdpr', level: 'error' }],
  'de-bsi-c5': [...DEFAULT_PACKS, { id: 'eu-gdpr', level: 'error' }, { id: 'de-bsi-c5', level: 'error' }],
  'fr-secnumcloud': [
    ...DEFAULT_PACKS,
    { id: 'eu-gdpr', level: 'error' },
    { id: 'fr-secnumcloud', level: 'error' },
  ],
};

export function packById(id: string): Pack | undefined {
  return ALL_PACKS.find((p) => p.id === id);
}
