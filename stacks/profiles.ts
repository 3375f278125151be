/**
 * Jurisdiction profiles: which policy packs apply and at which level, and the defaults a
 * profile tightens. A profile never loosens what the spec states; `none` only lowers the
 * Kubernetes hardening packs to warnings for labs and demos; the sovereignty pack always blocks.
 */
import type { StackMetadata } from '../core/stack-record';
import { PROFILE_PACKS, PROFILE_STRICT } from '../policy/packs';

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

/** Packs and strictness come from the one table in policy/packs (PROFILE_PACKS, PROFILE_STRICT). */
const packs = (id: ProfileId) => PROFILE_PACKS[id] as StackMetadata['packs'];

export const PROFILES: Readonly<Record<ProfileId, Profile>> = {
  'eu-gdpr': {
    id: 'eu-gdpr',
    title: 'EU baseline (GDPR Chapter V transfers, Art. 32 security of processing)',
    packs: packs('eu-gdpr'),
    strict: PROFILE_STRICT['eu-gdpr'],
    requireApiKey: false,
    podSecurityVersion: 'v1.33',
  },
  'de-bsi-c5': {
    id: 'de-bsi-c5',
    title: 'Germany: BSI C5:2020 on top of the EU baseline',
    packs: packs('de-bsi-c5'),
    strict: PROFILE_STRICT['de-bsi-c5'],
    requireApiKey: true,
    podSecurityVersion: 'v1.33',
  },
  'fr-secnumcloud': {
    id: 'fr-secnumcloud',
    title: 'France: ANSSI SecNumCloud 3.2 on top of the EU baseline',
    packs: packs('fr-secnumcloud'),
    strict: PROFILE_STRICT['fr-secnumcloud'],
    requireApiKey: true,
    podSecurityVersion: 'v1.33',
  },
  none: {
    id: 'none',
    title: 'No framework: hardening findings warn (labs, demos); the sovereignty promise still blocks',
    packs: packs('none'),
    strict: PROFILE_STRICT['none'],
    requireApiKey: false,
    podSecurityVersion: 'v1.33',
  },
};
