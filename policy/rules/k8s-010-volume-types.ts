import { join, many, str } from '../json';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, ok, type Outcome, type ResourceRule } from '../types';
import { onPod } from './private/helpers';

/** The volume types Pod Security Standards "restricted" allows, in both spellings. */
export const ALLOWED_VOLUME_TYPES = {
  tf: [
    'config_map',
    'csi',
    'downward_api',
    'empty_dir',
    'ephemeral',
    'persistent_volume_claim',
    'projected',
    'secret',
  ],
  k8s: [
    'configMap',
    'csi',
    'downwardAPI',
    'emptyDir',
    'ephemeral',
    'persistentVolumeClaim',
    'projected',
    'secret',
  ],
};

export const rule: ResourceRule = {
  id: 'K8S-010',
  title: 'Pods use only the volume types the restricted profile allows',
  severity: 'medium',
  fix: 'Use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes; reach other storage through a PersistentVolume.',
  anchors: ['PSS restricted: Volume Types', 'KSV-0028'],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    onPod(r, (p) => {
      const k = p.obj.k;
      const allowed = ALLOWED_VOLUME_TYPES[p.obj.style];
      const out: Outcome[] = many(p.pod[k('volume')]).map((v, i) => {
        const path = `${join(p.podPath, k('volume'))}[${i}]`;
        const types = Object.keys(v).filter((x) => x !== 'name' && v[x] !== null && v[x] !== undefined);
        const bad = types.filter((t) => !allowed.includes(t));
        return bad.length
          ? fail(
              join(path, bad[0]),
              `volume ${str(v.name) ?? i} is of type ${bad.join(', ')}, not in the restricted allow-list`,
            )
          : ok(path);
      });
      return out.length ? out : [ok(join(p.podPath, k('volume')))];
    }),
};
