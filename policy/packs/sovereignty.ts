import type { Pack } from './pack';

/** The product's promise: nothing the stack depends on lies outside its jurisdiction. */
export const SOVEREIGNTY: Pack = {
  id: 'sovereignty',
  title: 'Sovereignty and supply chain',
  framework: 'sovereign-stack residency and supply-chain controls',
  rules: [
    { rule: 'SOV-001', clause: 'images pinned by digest' },
    { rule: 'SOV-002', clause: 'images from allowed registries' },
    { rule: 'SOV-003', clause: 'charts pinned' },
    { rule: 'SOV-004', clause: 'charts from the jurisdiction mirror' },
    { rule: 'SOV-005', clause: 'providers pinned' },
    { rule: 'SOV-006', clause: 'providers from allowed hosts' },
    { rule: 'SOV-007', clause: 'state inside the jurisdiction' },
    { rule: 'SOV-008', clause: 'no hub access, no telemetry' },
    { rule: 'SOV-009', clause: 'model from a local verified path' },
    { rule: 'SOV-010', clause: 'weights pinned with a manifest' },
    { rule: 'SOV-011', clause: 'egress inside the jurisdiction' },
    { rule: 'SOV-012', clause: 'endpoints inside the jurisdiction' },
    { rule: 'SOV-013', clause: 'no cross-jurisdiction reference' },
    { rule: 'SOV-014', clause: 'jurisdiction and a boundary one jurisdiction can own declared' },
    { rule: 'SOV-015', clause: 'nothing Terraform applies is hidden from the audit' },
    { rule: 'SOV-016', clause: 'everything applied can be judged (deny by default)' },
    { rule: 'SOV-017', clause: "boundary within the auditor's policy" },
    { rule: 'SOV-018', clause: 'the plan applies only what the artifact declares' },
    { rule: 'K8S-026', clause: 'no credential in the artifact' },
    { rule: 'LIC-001', clause: 'model licence identified or explicitly accepted' },
    { rule: 'LIC-006', clause: 'model licence does not exclude the jurisdiction' },
  ],
};
