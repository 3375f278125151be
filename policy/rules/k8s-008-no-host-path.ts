import { join, many, one, str } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, type Outcome, type ResourceRule } from '../types';
import { onPod } from './private/helpers';

export const rule: ResourceRule = {
  id: 'K8S-008',
  title: 'Pods mount no hostPath volumes',
  severity: 'high',
  fix: 'Replace the hostPath volume by a PersistentVolumeClaim, emptyDir, ConfigMap or Secret.',
  anchors: ['PSS baseline: HostPath Volumes', 'KSV-0023', 'Polaris hostPathSet'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    onPod(r, (p) => {
      const k = p.obj.k;
      const vols = many(p.pod[k('volume')]);
      const out: Outcome[] = vols.map((v, i) => {
        const hp = one(v[k('host_path')]);
        const path = `${join(p.podPath, k('volume'))}[${i}]`;
        if (!hp) return ok(path);
        return fail(
          join(path, k('host_path')),
          `volume ${str(v.name) ?? i} mounts host path ${str(hp.path) ?? '(unset)'}`,
        );
      });
      return out.length ? out : [ok(join(p.podPath, k('volume')))];
    }),
};
