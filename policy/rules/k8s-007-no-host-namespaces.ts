import { bool, join } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { onPod, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-007',
  title: 'Pods do not share the host network, PID or IPC namespace',
  severity: 'high',
  fix: 'Remove `host_network`, `host_pid` and `host_ipc` (hostNetwork/hostPID/hostIPC) or set them to false.',
  anchors: [
    'PSS baseline: Host Namespaces',
    'CKV_K8S_17',
    'CKV_K8S_18',
    'CKV_K8S_19',
    'KSV-0008',
    'KSV-0009',
    'KSV-0010',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    onPod(r, (p) =>
      ['host_network', 'host_pid', 'host_ipc'].map((f): Outcome => {
        const v = p.pod[p.obj.k(f)];
        const path = join(p.podPath, p.obj.k(f));
        if (unresolved(v)) return unknown(path, `${f} is not resolved at synth time`);
        return bool(v) === true ? fail(path, `${f} is true: the pod shares the node's namespace`) : ok(path);
      }),
    ),
};
