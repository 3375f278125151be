import { str } from '../json';
import { CLUSTER_SCOPED, WORKLOAD_KINDS, at, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, unknown, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

const FORBIDDEN = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export const rule: ResourceRule = {
  id: 'K8S-013',
  title: 'Workloads and their objects are not in default or kube-system',
  severity: 'medium',
  fix: 'Set `metadata.namespace` to a workload namespace created by the stack.',
  anchors: ['CKV_K8S_21', 'KSV-0110', 'KSV-0037', 'kube-score namespace (default)', 'CIS Kubernetes 5.7.4'],
  suppressible: true,
  scope: 'resource',
  appliesTo: [
    ...typesOf(
      ...WORKLOAD_KINDS,
      'Service',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'ResourceQuota',
      'LimitRange',
      'Role',
      'RoleBinding',
      'Secret',
      'ConfigMap',
      'PersistentVolumeClaim',
      'ServiceAccount',
      'HorizontalPodAutoscaler',
    ),
    'helm_release',
  ],
  check: (r) => {
    let ns: unknown;
    let path: string;
    if (r.type === 'helm_release') {
      ns = r.body.namespace;
      path = 'namespace';
    } else {
      const o = k8sObject(r);
      if (!o || CLUSTER_SCOPED.has(o.kind)) return na;
      ns = o.namespace ?? (o.root.metadata as Record<string, unknown> | undefined)?.namespace;
      path = at(o, 'metadata', 'namespace');
    }
    if (unresolved(ns as never)) return unknown(path, 'namespace is not resolved at synth time');
    const s = str(ns);
    if (s === undefined || s === '') return fail(path, 'namespace is unset: the object lands in default');
    if (FORBIDDEN.includes(s)) return fail(path, `namespace is ${s}`);
    return ok(path);
  },
};
