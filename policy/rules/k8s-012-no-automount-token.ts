import { bool, join } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { onPod, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-012',
  title: 'Pods do not automount a service-account token',
  severity: 'medium',
  fix: 'Set `automount_service_account_token: false` (automountServiceAccountToken) on the pod spec.',
  anchors: ['CKV_K8S_38', 'KSV-0036', 'CIS Kubernetes 5.1.6', 'Polaris automountServiceAccountToken'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    onPod(r, (p) => {
      const path = join(p.podPath, p.obj.k('automount_service_account_token'));
      const v = p.pod[p.obj.k('automount_service_account_token')];
      if (unresolved(v)) return [unknown(path, 'value is not resolved at synth time')];
      return [
        bool(v) === false
          ? ok(path)
          : fail(path, `must be false, is ${v === undefined ? 'unset (defaults to true)' : 'true'}`),
      ];
    }),
};
