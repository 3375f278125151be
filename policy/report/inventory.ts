/**
 * A stack's inventory: resource counts, pools and their GPUs, models (with their API-key
 * guard), images, services and callers.
 */
import { ANNOTATION_MODEL } from '../../core/annotations';
import type { StackResult } from '../engine';
import { cmp, list, many, num, one, str } from '../json';
import { get, podView, podViews } from '../k8s';
import { chartImages } from './chart-images';
import { imagesOf } from '../rules/private/helpers';
import type { PoolEntry, StackReport } from './model';
import { callers, services } from './exposure';
import { multiNodeLaunches } from './multi-node-launch';

/** Whether the engine container of a model's workload requires an API key. */
function requiresApiKey(r: StackResult, model: string): boolean {
  for (const res of r.stack.resources) {
    const p = podView(res);
    if (!p) continue;
    const ann = { ...p.obj.annotations, ...p.podAnnotations };
    if (ann[ANNOTATION_MODEL] !== model) continue;
    for (const { c, init } of p.containers) {
      if (init) continue;
      const args = [...list(c.args), ...list(c.command)].map((a) => String(a));
      if (args.some((a) => /^--api-key(-file)?(=|$)/.test(a))) return true;
      for (const e of many(c.env)) {
        const name = str(e.name);
        if (name !== 'VLLM_API_KEY' && name !== 'LLAMA_API_KEY') continue;
        const from = one(e[p.obj.k('value_from')]);
        if (one(from?.[p.obj.k('secret_key_ref')]) || (str(e.value) ?? '') !== '') return true;
      }
    }
  }
  return false;
}

const sorted = <T>(xs: T[], k: (x: T) => string) => xs.sort((a, b) => cmp(k(a), k(b)));

export function inventory(r: StackResult): StackReport['inventory'] {
  // Types are keys read from the judged JSON: a Map to count, a null-prototype object to hand on
  // (a type named `constructor` or `__proto__` is counted like any other).
  const resources = new Map<string, number>();
  for (const res of r.stack.resources) resources.set(res.type, (resources.get(res.type) ?? 0) + 1);
  const ordered = Object.create(null) as Record<string, number>;
  for (const k of [...resources.keys()].sort()) ordered[k] = resources.get(k) ?? 0;
  let gpus = 0;
  for (const res of r.stack.resources)
    for (const p of podViews(res)) {
      let per = 0;
      for (const c of p.containers) {
        const lim = one(one(c.c[p.obj.k('resources')])?.limits) ?? {};
        for (const [k, v] of Object.entries(lim))
          if (/^(nvidia\.com|amd\.com|gpu\.intel\.com)\//.test(k)) per += num(v) ?? 0;
      }
      // A LeaderWorkerSet group is its leader and `size - 1` workers (spec.leaderWorkerTemplate.size).
      const size = num(get(p.obj, p.obj.root, 'spec', 'leader_worker_template')?.[p.obj.k('size')]) ?? 1;
      gpus += per * (p.role === 'worker' ? Math.max(0, size - 1) : 1) * (p.replicas ?? 1);
    }
  const groups = multiNodeLaunches(r);
  const models = r.metadata.models.map((m) => ({
    name: m.name,
    engine: m.engine,
    revision: m.revision,
    replicas: m.replicas,
    gpus: m.gpus,
    pool: m.pool,
    apiKey: requiresApiKey(r, m.name),
    ...(groups.has(m.name) ? { multiNode: groups.get(m.name) } : {}),
  }));
  const poolMap = new Map<
    string,
    { -readonly [K in keyof PoolEntry]: PoolEntry[K] } & { models: string[] }
  >();
  for (const p of r.metadata.pools ?? []) {
    if (typeof p?.name !== 'string') continue;
    poolMap.set(p.name, {
      name: p.name,
      gpuProduct: p.gpuProduct,
      nodeCount: p.nodeCount,
      gpusPerNode: p.gpusPerNode,
      physicalGpusPerNode: p.physicalGpusPerNode,
      sharing: p.sharing,
      resourceName: p.resourceName,
      ...(p.multiNode ? { multiNode: p.multiNode } : {}),
      gpusOffered:
        typeof p.nodeCount === 'number' && typeof p.gpusPerNode === 'number'
          ? p.nodeCount * p.gpusPerNode
          : undefined,
      models: [],
      gpusRequested: 0,
    });
  }
  for (const m of r.metadata.models) {
    const name = m.pool ?? '(none)';
    const p = poolMap.get(name) ?? { name, models: [], gpusRequested: 0 };
    p.models.push(m.name);
    p.gpusRequested += m.gpus * m.replicas;
    poolMap.set(name, p);
  }
  // Every image that will run: those written out, and those a chart runs (its operands).
  const images = [
    ...new Set(
      r.stack.resources.flatMap((res) => [
        ...imagesOf(res)
          .filter((i) => !i.nameFromChart)
          .map((i) => i.ref),
        ...(chartImages(res)?.images ?? []).map((i) => i.ref),
      ]),
    ),
  ].sort();
  return {
    services: services(r),
    callers: callers(r),
    resources: ordered,
    resourceTotal: r.stack.resources.length,
    pools: sorted([...poolMap.values()], (p) => p.name),
    gpusRequested: gpus,
    models: sorted(models, (m) => m.name),
    images,
  };
}
