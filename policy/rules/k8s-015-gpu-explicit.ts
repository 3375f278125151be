import { join, many, one, str } from '../json';
import { WORKLOAD_TYPES, envOf } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { onPod, unresolved } from './private/helpers';

/** Extended resources that name accelerators. */
export const GPU_RESOURCE = /^(nvidia\.com|amd\.com|gpu\.intel\.com)\//;

export const rule: ResourceRule = {
  id: 'K8S-015',
  title: 'GPU use is explicit: GPU limits on every container that uses one, none implied',
  severity: 'high',
  fix: 'Set the GPU resource (`nvidia.com/gpu`) in `resources.limits` (and requests equal to it) of the container that uses it; do not schedule onto GPU nodes or expose GPUs without it.',
  anchors: [
    'Kubernetes: Schedule GPUs (extended resources in limits)',
    'kube-score container-resources',
    'NVIDIA device plugin: NVIDIA_VISIBLE_DEVICES',
  ],
  suppressible: true,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    onPod(r, (p) => {
      const k = p.obj.k;
      const out: Outcome[] = [];
      let anyGpu = false;
      for (const c of p.containers) {
        const res = one(c.c[k('resources')]);
        const req = one(res?.requests) ?? {};
        const lim = one(res?.limits) ?? {};
        const names = [
          ...new Set([...Object.keys(req), ...Object.keys(lim)].filter((n) => GPU_RESOURCE.test(n))),
        ];
        for (const n of names) {
          anyGpu = true;
          const path = join(c.path, k('resources'), 'limits', n);
          if (unresolved(req[n]) || unresolved(lim[n]))
            out.push(unknown(path, `container ${c.name}: ${n} is not resolved at synth time`));
          else if (lim[n] === undefined)
            out.push(fail(path, `container ${c.name}: ${n} is requested but not limited`));
          else if (req[n] !== undefined && str(req[n]) !== str(lim[n]))
            out.push(
              fail(
                path,
                `container ${c.name}: ${n} request ${str(req[n])} differs from limit ${str(lim[n])}`,
              ),
            );
          else out.push(ok(path));
        }
        for (const e of envOf(p.obj, c)) {
          if (e.name !== 'NVIDIA_VISIBLE_DEVICES') continue;
          const v = str(e.value);
          if (v && !['void', 'none', ''].includes(v) && !names.length)
            out.push(
              fail(
                e.path,
                `container ${c.name}: NVIDIA_VISIBLE_DEVICES=${v} exposes GPUs without a GPU limit`,
              ),
            );
        }
      }
      const tolerations = many(p.pod[k('toleration')]);
      const selector = one(p.pod[k('node_selector')]) ?? {};
      const onGpuNodes =
        tolerations.some((t) => GPU_RESOURCE.test(str(t.key) ?? '')) ||
        Object.keys(selector).some((s) => s.startsWith('nvidia.com/gpu'));
      if (onGpuNodes && !anyGpu) {
        out.push(
          fail(
            join(p.podPath, k('toleration')),
            'the pod tolerates or selects GPU nodes but no container limits a GPU resource',
          ),
        );
      }
      return out;
    }),
};
