/**
 * Jurisdiction profiles: which policy packs apply and at which level, and the defaults a
 * profile tightens. A profile never loosens what the spec states; `none` only lowers the
 * Kubernetes hardening packs to warnings for labs and demos; the sovereignty pack always blocks.
 */
import type { StackMetadata } from '../policy/metadata';

export type ProfileId = 'eu-gdpr' | 'de-bsi-c5' | 'fr-secnumcloud' | 'none';

export interface Profile {
  readonly id: ProfileId;
  readonly title: string;
  /** Packs selected and the level their findings count at. */
  readonly packs: StackMetadata['packs'];
  /** Findings the policy cannot resolve (unknown) fail the gate. */
  readonly strict: boolean;
  /** Every model endpoint must require an API key (apiKeySecret). */
  readonly requireApiKey: boolean;
  /** Pod Security Standards version pinned in the namespace labels. */
  readonly podSecurityVersion: string;
}

const BASE = [
  { id: 'k8s-baseline', level: 'error' },
  { id: 'k8s-restricted', level: 'error' },
  { id: 'sovereignty', level: 'error' },
  { id: 'licence', level: 'warning' },
] as const;

export const PROFILES: Readonly<Record<ProfileId, Profile>> = {
  'eu-gdpr': {
    id: 'eu-gdpr',
    title: 'EU baseline (GDPR Chapter V transfers, Art. 32 security of processing)',
    packs: [...BASE, { id: 'eu-gdpr', level: 'error' }],
    strict: false,
    requireApiKey: false,
    podSecurityVersion: 'v1.33',
  },
  'de-bsi-c5': {
    id: 'de-bsi-c5',
    title: 'Germany: BSI C5:2020 on top of the EU baseline',
    packs: [...BASE, { id: 'eu-gdpr', level: 'error' }, { id: 'de-bsi-c5', level: 'error' }],
    strict: true,
    requireApiKey: true,
    podSecurityVersion: 'v1.33',
  },
  'fr-secnumcloud': {
    id: 'fr-secnumcloud',
    title: 'France: ANSSI SecNumCloud 3.2 on top of the EU baseline',
    packs: [...BASE, { id: 'eu-gdpr', level: 'error' }, { id: 'fr-secnumcloud', level: 'error' }],
    strict: true,
    requireApiKey: true,
    podSecurityVersion: 'v1.33',
  },
  none: {
    id: 'none',
    title: 'No framework: hardening findings warn (labs, demos); the sovereignty promise still blocks',
    packs: [
      { id: 'k8s-baseline', level: 'warning' },
      { id: 'k8s-restricted', level: 'warning' },
      { id: 'sovereignty', level: 'error' },
      { id: 'licence', level: 'warning' },
    ],
    strict: false,
    requireApiKey: false,
    podSecurityVersion: 'v1.33',
  },
};
