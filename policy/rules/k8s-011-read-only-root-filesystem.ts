import { bool, join, one } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { eachContainer, unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-011',
  title: 'Containers have a read-only root filesystem',
  severity: 'medium',
  fix: 'Set `read_only_root_filesystem: true` (readOnlyRootFilesystem); mount emptyDir volumes where the engine writes caches.',
  anchors: [
    'CKV_K8S_22',
    'KSV-0014',
    'kube-score container-security-context-readonlyrootfilesystem',
    'Polaris notReadOnlyRootFilesystem',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(r, (c, p) => {
      const k = p.obj.k;
      const path = join(c.path, k('security_context'), k('read_only_root_filesystem'));
      const v = one(c.c[k('security_context')])?.[k('read_only_root_filesystem')];
      if (unresolved(v)) return unknown(path, `container ${c.name}: value is not resolved at synth time`);
      return bool(v) === true ? ok(path) : fail(path, `container ${c.name}: root filesystem is writable`);
    }),
};
