/**
 * The Secrets and ConfigMaps a stack's workloads and charts name, so an auditor sees what must
 * exist beside the artifact.
 */
import type { StackResult } from '../engine';
import { helmValues } from '../images';
import { cmp, many, one, str } from '../json';
import { k8sObject, podView } from '../k8s';
import type { ObjectReference } from './model';

/** Secrets and ConfigMaps named by pods (pull Secrets, env, volumes) and by chart values. */
export function references(r: StackResult): ObjectReference[] {
  const found = new Map<string, { ref: Omit<ObjectReference, 'by'>; by: Set<string> }>();
  // What the stack creates itself is not a reference to something out of band.
  const created = new Set<string>();
  for (const res of r.stack.resources) {
    const o = k8sObject(res);
    if (o && (o.kind === 'Secret' || o.kind === 'ConfigMap') && o.name)
      created.add([o.kind, o.namespace ?? 'default', o.name].join('\u0000'));
  }
  const add = (ref: Omit<ObjectReference, 'by'>, address: string) => {
    if (ref.name === '' || ref.name.includes('${')) return;
    if (created.has([ref.kind, ref.namespace, ref.name].join('\u0000'))) return;
    const key = [ref.kind, ref.namespace, ref.name, ref.use].join('\u0000');
    const hit = found.get(key) ?? { ref, by: new Set<string>() };
    hit.by.add(address);
    found.set(key, hit);
  };
  for (const res of r.stack.resources) {
    const p = podView(res);
    if (p) {
      const o = p.obj;
      const namespace = o.namespace ?? 'default';
      for (const s of many(p.pod[o.k('image_pull_secrets')]))
        add({ kind: 'Secret', namespace, name: str(s.name) ?? '', use: 'image pull' }, res.address);
      for (const v of many(p.pod[o.k('volume')])) {
        const secret = one(v.secret);
        const configMap = one(v[o.k('config_map')]);
        if (secret)
          add(
            { kind: 'Secret', namespace, name: str(secret[o.k('secret_name')]) ?? '', use: 'volume' },
            res.address,
          );
        if (configMap)
          add({ kind: 'ConfigMap', namespace, name: str(configMap.name) ?? '', use: 'volume' }, res.address);
      }
      for (const { c } of p.containers) {
        for (const e of many(c.env)) {
          const from = one(e[o.k('value_from')]);
          const secret = one(from?.[o.k('secret_key_ref')]);
          const configMap = one(from?.[o.k('config_map_key_ref')]);
          for (const [kind, ref] of [
            ['Secret', secret],
            ['ConfigMap', configMap],
          ] as const) {
            if (ref)
              add(
                { kind, namespace, name: str(ref.name) ?? '', use: `environment (${str(ref.key) ?? '?'})` },
                res.address,
              );
          }
        }
      }
    }
    // The Cluster API infrastructure's credentials Secret: referred to, never written.
    if (res.type === 'kubernetes_manifest') {
      const m = one(one(res.body)?.manifest);
      if (str(m?.kind) === 'OpenStackClusterTemplate') {
        const idRef = one(one(one(one(m?.spec)?.template)?.spec)?.identityRef);
        const namespace = str(one(m?.metadata)?.namespace) ?? 'default';
        if (idRef && str(idRef.name))
          add(
            {
              kind: 'Secret',
              namespace,
              name: str(idRef.name) ?? '',
              use: 'OpenStack identity (key clouds.yaml)',
            },
            res.address,
          );
      }
    }
    if (res.type === 'helm_release') {
      const namespace = str(res.body.namespace) ?? 'default';
      for (const t of helmValues(res.body).trees) {
        for (const name of pullSecretsIn(t.tree))
          add({ kind: 'Secret', namespace, name, use: 'chart values (imagePullSecrets)' }, res.address);
      }
    }
  }
  return [...found.values()]
    .map(({ ref, by }) => ({ ...ref, by: [...by].sort(cmp) }))
    .sort(
      (a, b) =>
        cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.use, b.use),
    );
}

/** Names under every `imagePullSecrets` key of a values tree: plain names or `{name}` objects. */
function pullSecretsIn(tree: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(tree)) for (const x of tree) pullSecretsIn(x, out);
  else if (typeof tree === 'object' && tree !== null) {
    for (const [k, v] of Object.entries(tree)) {
      if (k === 'imagePullSecrets' && Array.isArray(v)) {
        for (const x of v) {
          const name = typeof x === 'string' ? x : str(one(x)?.name);
          if (name) out.add(name);
        }
      } else pullSecretsIn(v, out);
    }
  }
  return out;
}
