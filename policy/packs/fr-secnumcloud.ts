import type { Pack } from './pack';

const LOCATION = 'SecNumCloud 3.2 §19 (localisation des données)';
const EXTRA_EU = 'SecNumCloud 3.2 §19.6 (protection vis-à-vis du droit extra-européen)';
const OPS = 'SecNumCloud 3.2 §12 (sécurité liée à l’exploitation)';
const NET = 'SecNumCloud 3.2 §13 (sécurité des communications)';
const ACCESS = 'SecNumCloud 3.2 §9 (contrôle d’accès)';

/** ANSSI SecNumCloud 3.2; chapter-level mapping. */
export const FR_SECNUMCLOUD: Pack = {
  id: 'fr-secnumcloud',
  title: 'ANSSI SecNumCloud',
  framework: 'ANSSI SecNumCloud qualification requirements 3.2',
  rules: [
    { rule: 'K8S-001', clause: OPS },
    { rule: 'K8S-002', clause: OPS },
    { rule: 'K8S-005', clause: OPS },
    { rule: 'K8S-006', clause: OPS },
    { rule: 'K8S-018', clause: NET },
    { rule: 'K8S-019', clause: NET },
    { rule: 'K8S-021', clause: ACCESS },
    { rule: 'K8S-022', clause: ACCESS },
    { rule: 'K8S-026', clause: ACCESS },
    { rule: 'LIC-002', clause: EXTRA_EU },
    { rule: 'LIC-003', clause: EXTRA_EU },
    { rule: 'SOV-002', clause: LOCATION },
    { rule: 'SOV-004', clause: LOCATION },
    { rule: 'SOV-006', clause: EXTRA_EU },
    { rule: 'SOV-007', clause: EXTRA_EU },
    { rule: 'SOV-008', clause: EXTRA_EU },
    { rule: 'SOV-009', clause: LOCATION },
    { rule: 'SOV-011', clause: NET },
    { rule: 'SOV-012', clause: LOCATION },
    { rule: 'SOV-013', clause: EXTRA_EU },
  ],
};
