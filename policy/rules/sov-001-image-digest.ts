import { parseImage } from '../../core/images';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, na, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { imagesOf } from './private/helpers';

export const rule: ResourceRule = {
  id: 'SOV-001',
  title: 'Images are pinned by digest',
  severity: 'high',
  fix: 'Reference the image as `<registry>/<repository>@sha256:<digest>` (a tag may stay for readability before the digest).',
  anchors: [
    'CKV_K8S_43',
    'kube-score container-image-tag',
    'Polaris tagNotSpecified',
    'SLSA: pinned dependencies',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: [...WORKLOAD_TYPES, 'helm_release'],
  check: (r) => {
    const imgs = imagesOf(r);
    if (imgs.length === 0) return na;
    return imgs.map((i): Outcome => {
      if (i.unresolved) return unknown(i.path, `image ${i.ref} is not resolved at synth time`);
      if (i.ref === '') return fail(i.path, 'image is unset');
      const img = parseImage(i.ref);
      // A mirror repository alone (the GPU Operator's values): the pinned chart supplies the
      // image name and its tag, or a `version` does; only a digest given there is judged.
      if (i.nameFromChart && !i.ref.includes('@')) return na;
      if (img.digest) return ok(i.path);
      if (i.ref.includes('@'))
        return fail(i.path, `image ${i.ref} has a malformed digest (expected sha256:<64 hex>)`);
      if (img.tag === undefined || img.tag === 'latest')
        return fail(i.path, `image ${i.ref} uses the mutable latest tag and no digest`);
      return fail(i.path, `image ${i.ref} is pinned by tag only, not by digest`);
    });
  },
};
