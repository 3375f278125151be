import { parseImage, registryAllowed } from '../../core/images';
import { WORKLOAD_TYPES } from '../k8s';
import { fail, na, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { imagesOf } from './private/helpers';

export const rule: ResourceRule = {
  id: 'SOV-002',
  title: 'Images come from a registry the jurisdiction allows',
  severity: 'critical',
  fix: 'Mirror the image into the jurisdiction registry and reference it there; the allowed registries are listed in `allowed.registries`.',
  anchors: [
    'Polaris (custom: allowed registries)',
    'Kyverno restrict-image-registries',
    'Gatekeeper K8sAllowedRepos',
    'GDPR Art. 44',
    'SecNumCloud 3.2 §19',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: [...WORKLOAD_TYPES, 'helm_release'],
  check: (r, ctx) => {
    const imgs = imagesOf(r);
    if (imgs.length === 0) return na;
    const allowed = ctx.metadata.allowed.registries;
    return imgs.map((i): Outcome => {
      const img = parseImage(i.ref);
      if (i.unresolved && (img.registry.includes('${') || i.ref.startsWith('${'))) {
        return unknown(i.path, `image ${i.ref}: registry is not resolved at synth time`);
      }
      if (i.ref === '') return fail(i.path, 'image is unset');
      if (registryAllowed(img, allowed)) return ok(i.path);
      const where = img.implicitRegistry ? 'docker.io (no registry named, Docker Hub implied)' : img.registry;
      return fail(
        i.path,
        `${i.nameFromChart ? 'image repository' : 'image'} ${i.ref} comes from ${where}, not an allowed registry (${allowed.join(', ') || 'none declared'})`,
      );
    });
  },
};
