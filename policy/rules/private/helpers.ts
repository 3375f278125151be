/** Helpers shared by the rules in this folder; not exported from the package. */
import { helmImages, imagesInValues, type FoundImage } from '../../images';
import { ANNOTATION_ENGINE, COMPONENT_SERVER } from '../../../core/annotations';
import {
  argsOf,
  envOf,
  k8sObject as k8sObjectOf,
  podView,
  podViews,
  type ContainerView,
  type K8sObject,
  type PodView,
} from '../../k8s';
import { isRef, type Json } from '../../json';
import { na, type Outcome } from '../../types';
import type { ResourceView } from '../../stack';

/** Runs `fn` on the pod spec of a workload resource; not applicable for anything else. */
export function onPod(r: ResourceView, fn: (p: PodView) => Outcome[]): Outcome[] {
  // Every pod template: a LeaderWorkerSet's leader and worker are judged alike.
  const views = podViews(r);
  if (views.length === 0) return [na];
  const out = views.flatMap((p) => fn(p));
  return out.length === 0 ? [na] : out;
}

/** Runs `fn` on every container (init containers too unless `initToo` is false). */
export function eachContainer(
  r: ResourceView,
  fn: (c: ContainerView, p: PodView) => Outcome | Outcome[],
  initToo = true,
): Outcome[] {
  return onPod(r, (p) => p.containers.filter((c) => initToo || !c.init).flatMap((c) => fn(c, p)));
}

/** A reference (`${...}`) makes a value unknown. */
export const unresolved = (v: Json | undefined): boolean => isRef(v);

export type Engine = 'vllm' | 'llama-cpp';

/**
 * The serving engine a container runs, when it is a model server: from the pod's engine
 * annotation or component label, then from the image and command.
 */
export function servingEngine(p: PodView, c: ContainerView): Engine | undefined {
  if (c.init) return undefined;
  const o = p.obj;
  const image = typeof c.c.image === 'string' ? c.c.image.toLowerCase() : '';
  const { command, args } = argsOf(o, c);
  const words = [...command, ...args].join(' ').toLowerCase();
  const engineAnn = (
    p.podAnnotations[ANNOTATION_ENGINE] ??
    o.annotations[ANNOTATION_ENGINE] ??
    ''
  ).toLowerCase();
  const isServer =
    p.podLabels['app.kubernetes.io/component'] === COMPONENT_SERVER ||
    o.labels['app.kubernetes.io/component'] === COMPONENT_SERVER ||
    engineAnn !== '';
  const hint = `${engineAnn} ${image} ${words}`;
  if (/llama[-._]?cpp|llama-server/.test(hint)) return 'llama-cpp';
  if (/vllm/.test(hint)) return 'vllm';
  return isServer ? 'vllm' : undefined;
}

/** Env var names that carry secrets (`HF_TOKEN`, `VLLM_API_KEY`, `DB_PASSWORD`). */
export function looksSecret(name: string): boolean {
  const n = `_${name.toUpperCase()}_`;
  return (
    /_(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|CREDENTIALS?)_/.test(n) ||
    /_(API|ACCESS|PRIVATE|SECRET)_KEY_/.test(n)
  );
}

export { envOf, type K8sObject };

/** Kubernetes objects of a kind in a namespace (`default` when unset) within the stack. */
export function objectsIn(
  stack: { resources: readonly ResourceView[] },
  ns: string,
  kind: string,
): K8sObject[] {
  const out: K8sObject[] = [];
  for (const r of stack.resources) {
    const o = k8sObjectOf(r);
    if (o && o.kind === kind && (o.namespace ?? 'default') === ns) out.push(o);
  }
  return out;
}

/** Every image a resource names: container images of workloads, image values of Helm releases. */
export function imagesOf(r: ResourceView): FoundImage[] {
  if (r.type === 'helm_release') return helmImages(r.body);
  const p = podView(r);
  if (!p) {
    // A custom resource that is not a workload may still name the image a controller runs
    // (agentgateway's AgentgatewayParameters `spec.image: {registry, repository, digest}`):
    // read it with the conventions of chart values.
    if (r.type !== 'kubernetes_manifest') return [];
    const m = (Array.isArray(r.body.manifest) ? r.body.manifest[0] : r.body.manifest) as Json;
    const spec =
      m !== null && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, Json>).spec : undefined;
    return spec === undefined ? [] : imagesInValues(spec, 'manifest.spec');
  }
  return podViews(r).flatMap((v) =>
    v.containers.map((c) => ({
      ref: typeof c.c.image === 'string' ? c.c.image : '',
      path: `${c.path}.image`,
      unresolved: isRef(c.c.image),
    })),
  );
}
