import type { Pack } from './pack';

/** Pod Security Standards "baseline" plus the cluster hygiene every stack needs. */
export const K8S_BASELINE: Pack = {
  id: 'k8s-baseline',
  title: 'Kubernetes baseline hardening',
  framework: 'Kubernetes Pod Security Standards (baseline), CIS Kubernetes Benchmark',
  rules: [
    { rule: 'K8S-001', clause: 'PSS baseline: Privileged Containers' },
    { rule: 'K8S-007', clause: 'PSS baseline: Host Namespaces' },
    { rule: 'K8S-008', clause: 'PSS baseline: HostPath Volumes' },
    { rule: 'K8S-009', clause: 'PSS baseline: Host Ports' },
    { rule: 'K8S-013', clause: 'CIS 5.7.4' },
    { rule: 'K8S-014', clause: 'CIS 5.7 / kube-score container-resources' },
    { rule: 'K8S-015', clause: 'Kubernetes: Schedule GPUs' },
    { rule: 'K8S-016', clause: 'kube-score container-probes' },
    { rule: 'K8S-019', clause: 'NSA/CISA: Network policies' },
    { rule: 'K8S-020', clause: 'kube-score service-type' },
    { rule: 'K8S-021', clause: 'CIS 5.1.3' },
    { rule: 'K8S-022', clause: 'CIS 5.1.1' },
    { rule: 'K8S-025', clause: 'Kubernetes: Good practices for Secrets' },
    { rule: 'K8S-026', clause: 'Terraform: sensitive data' },
  ],
};
