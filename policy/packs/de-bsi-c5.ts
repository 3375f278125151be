import type { Pack } from './pack';

const LOCATION = 'C5:2020 PSS-12 (locations of data processing and storage)';
const OPS = 'C5:2020 OPS (operations: hardening)';
const COS = 'C5:2020 COS (communication security)';
const IDM = 'C5:2020 IDM (identity and access management)';
const SUPPLIER = 'C5:2020 SSO (control and monitoring of service providers and suppliers)';
const DEV = 'C5:2020 DEV / SSO (change management, suppliers)';

/** BSI Cloud Computing Compliance Criteria Catalogue (C5:2020); domain-level mapping. */
export const DE_BSI_C5: Pack = {
  id: 'de-bsi-c5',
  title: 'BSI C5',
  framework: 'BSI Cloud Computing Compliance Criteria Catalogue C5:2020',
  rules: [
    { rule: 'K8S-001', clause: OPS },
    { rule: 'K8S-002', clause: OPS },
    { rule: 'K8S-003', clause: OPS },
    { rule: 'K8S-011', clause: OPS },
    { rule: 'K8S-018', clause: COS },
    { rule: 'K8S-019', clause: COS },
    { rule: 'K8S-021', clause: IDM },
    { rule: 'K8S-022', clause: IDM },
    { rule: 'K8S-025', clause: IDM },
    { rule: 'K8S-026', clause: IDM },
    { rule: 'LIC-002', clause: SUPPLIER },
    { rule: 'LIC-003', clause: SUPPLIER },
    { rule: 'SOV-001', clause: DEV },
    { rule: 'SOV-002', clause: LOCATION },
    { rule: 'SOV-003', clause: DEV },
    { rule: 'SOV-004', clause: LOCATION },
    { rule: 'SOV-005', clause: DEV },
    { rule: 'SOV-006', clause: DEV },
    { rule: 'SOV-007', clause: LOCATION },
    { rule: 'SOV-010', clause: DEV },
    { rule: 'SOV-011', clause: COS },
    { rule: 'SOV-012', clause: LOCATION },
  ],
};
