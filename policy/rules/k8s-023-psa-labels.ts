import { at, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, unknown, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

export const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

export const rule: ResourceRule = {
  id: 'K8S-023',
  title: 'Namespaces enforce a Pod Security Admission level (restricted or baseline)',
  severity: 'medium',
  fix: 'Label the namespace `pod-security.kubernetes.io/enforce: restricted` (baseline at least); a namespace that must be privileged (GPU operator) needs a suppression with its reason.',
  anchors: [
    'Kubernetes Pod Security Admission',
    'CIS Kubernetes 5.2.1',
    'NSA/CISA Kubernetes Hardening Guide: Pod security',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: typesOf('Namespace'),
  check: (r) => {
    const o = k8sObject(r);
    if (!o || o.kind !== 'Namespace') return na;
    const path = `${at(o, 'metadata', 'labels')}["${PSA_ENFORCE}"]`;
    const v = o.labels[PSA_ENFORCE];
    if (unresolved(v)) return unknown(path, 'enforce level is not resolved at synth time');
    if (v === 'restricted' || v === 'baseline') return ok(path);
    return fail(
      path,
      v === undefined
        ? `namespace ${o.name ?? ''} has no ${PSA_ENFORCE} label`
        : `namespace ${o.name ?? ''} enforces ${v}`,
    );
  },
};
