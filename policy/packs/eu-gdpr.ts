import type { Pack } from './pack';

const TRANSFER = 'GDPR Art. 44 (transfers to third countries)';
const SECURITY = 'GDPR Art. 32(1)(b) (confidentiality and integrity of processing)';

/** Regulation (EU) 2016/679: transfers (Chapter V) and security of processing (Art. 32). */
export const EU_GDPR: Pack = {
  id: 'eu-gdpr',
  title: 'EU GDPR',
  framework: 'Regulation (EU) 2016/679 (GDPR)',
  rules: [
    { rule: 'K8S-018', clause: SECURITY },
    { rule: 'K8S-022', clause: SECURITY },
    { rule: 'K8S-025', clause: SECURITY },
    { rule: 'K8S-026', clause: SECURITY },
    { rule: 'SOV-002', clause: TRANSFER },
    { rule: 'SOV-007', clause: TRANSFER },
    { rule: 'SOV-008', clause: TRANSFER },
    { rule: 'SOV-009', clause: TRANSFER },
    { rule: 'SOV-011', clause: TRANSFER },
    { rule: 'SOV-012', clause: TRANSFER },
    { rule: 'SOV-013', clause: TRANSFER },
  ],
};
