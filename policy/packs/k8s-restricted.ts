import type { Pack } from './pack';
import { K8S_BASELINE } from './k8s-baseline';

/** Pod Security Standards "restricted": baseline plus everything restricted adds, and namespace guard rails. */
export const K8S_RESTRICTED: Pack = {
  id: 'k8s-restricted',
  title: 'Kubernetes restricted hardening',
  framework:
    'Kubernetes Pod Security Standards (restricted), CIS Kubernetes Benchmark, NSA/CISA Kubernetes Hardening Guide',
  rules: [
    ...K8S_BASELINE.rules,
    { rule: 'K8S-002', clause: 'PSS restricted: Privilege Escalation' },
    { rule: 'K8S-003', clause: 'PSS restricted: Running as Non-root' },
    { rule: 'K8S-004', clause: 'PSS restricted: Running as Non-root user' },
    { rule: 'K8S-005', clause: 'PSS restricted: Seccomp' },
    { rule: 'K8S-006', clause: 'PSS restricted: Capabilities' },
    { rule: 'K8S-010', clause: 'PSS restricted: Volume Types' },
    { rule: 'K8S-011', clause: 'CKV_K8S_22' },
    { rule: 'K8S-012', clause: 'CIS 5.1.6' },
    { rule: 'K8S-017', clause: 'kube-score deployment-has-poddisruptionbudget' },
    { rule: 'K8S-018', clause: 'CIS 5.3.2' },
    { rule: 'K8S-023', clause: 'CIS 5.2.1' },
    { rule: 'K8S-024', clause: 'NSA/CISA: Resource policies' },
  ].sort((a, b) => (a.rule < b.rule ? -1 : 1)),
};
