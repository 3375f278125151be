/**
 * The provider schemas the typed bindings were generated from, read offline from their jsii
 * assemblies (`.jsii`): for every resource, data source and provider configuration, its
 * attributes and nested blocks by their Terraform names (the registry-doc anchors, e.g.
 * `…/docs/resources/deployment_v1#wait_for_rollout`) and whether each is required. Used to
 * check synthesized JSON that the typed classes did not produce (overrides, the backend-free
 * parts of a stack) and that stays valid as the bindings move.
 */
import * as fs from 'fs';
import * as path from 'path';

type JsiiType =
  | { primitive: string }
  | { fqn: string }
  | { collection: { kind: 'array' | 'map'; elementtype: JsiiType } }
  | { union: { types: JsiiType[] } };

interface JsiiProperty {
  name: string;
  optional?: boolean;
  type: JsiiType;
  docs?: { summary?: string; remarks?: string };
}

interface JsiiTypeDef {
  kind: string;
  datatype?: boolean;
  properties?: JsiiProperty[];
  interfaces?: string[];
  docs?: { summary?: string };
  initializer?: { parameters?: { name: string; type: JsiiType }[] };
}

export interface Attribute {
  readonly required: boolean;
  /** The block's struct, when the attribute is a nested block or object. */
  readonly block?: string;
}

export interface ProviderSchema {
  /** Registry version in the docs links (`2.38.0`). */
  readonly version: string;
  /** Config struct of each resource type / data source / the provider. */
  readonly resources: ReadonlyMap<string, string>;
  readonly dataSources: ReadonlyMap<string, string>;
  readonly provider: string;
  /** Attributes of a struct by Terraform name. */
  attributes(struct: string): ReadonlyMap<string, Attribute>;
}

function structOf(t: JsiiType, types: Record<string, JsiiTypeDef>): string | undefined {
  if ('fqn' in t) return types[t.fqn]?.datatype ? t.fqn : undefined;
  if ('collection' in t)
    return t.collection.kind === 'array' ? structOf(t.collection.elementtype, types) : undefined;
  if ('union' in t) {
    for (const u of t.union.types) {
      const s = structOf(u, types);
      if (s) return s;
    }
  }
  return undefined;
}

/** Reads `<package>/.jsii` of a cdktf provider package (e.g. `@cdktf/provider-kubernetes`). */
export function readProviderSchema(pkg: string, provider: string): ProviderSchema {
  const file = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), '.jsii');
  const types = (JSON.parse(fs.readFileSync(file, 'utf8')) as { types: Record<string, JsiiTypeDef> }).types;
  const link = new RegExp(
    `registry\\.terraform\\.io/providers/hashicorp/${provider}/([0-9.]+)/docs/(resources|data-sources)/([a-z0-9_]+) ([a-z0-9_]+)\\}`,
  );
  const resources = new Map<string, string>();
  const dataSources = new Map<string, string>();
  let version = '';
  for (const def of Object.values(types)) {
    if (def.kind !== 'class') continue;
    const m = link.exec(def.docs?.summary ?? '');
    const config = def.initializer?.parameters?.find((p) => p.name === 'config')?.type;
    if (!m || !config || !('fqn' in config)) continue;
    version = m[1];
    (m[2] === 'resources' ? resources : dataSources).set(m[4], config.fqn);
  }
  const providerStruct = Object.keys(types).find(
    (fqn) => fqn.startsWith(`${pkg}.provider.`) && fqn.endsWith('ProviderConfig'),
  );
  if (!providerStruct || resources.size === 0) throw new Error(`no provider schema in ${file}`);

  const cache = new Map<string, Map<string, Attribute>>();
  const anchor = /\/docs(?:\/[a-z-]+\/[a-z0-9_]+)?#([a-z0-9_]+) /;
  const attributes = (struct: string): Map<string, Attribute> => {
    let out = cache.get(struct);
    if (out) return out;
    out = new Map();
    const def = types[struct];
    for (const p of def?.properties ?? []) {
      const m = anchor.exec(`${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`);
      if (!m) continue;
      out.set(m[1], { required: p.optional !== true, block: structOf(p.type, types) });
    }
    for (const base of def?.interfaces ?? []) {
      if (base.startsWith(pkg)) for (const [k, v] of attributes(base)) if (!out.has(k)) out.set(k, v);
    }
    cache.set(struct, out);
    return out;
  };
  return { version, resources, dataSources, provider: providerStruct, attributes };
}

/** Terraform meta-arguments cdktf may write beside a resource's attributes. */
const META = new Set([
  'depends_on',
  'lifecycle',
  'provider',
  'count',
  'for_each',
  'connection',
  'provisioner',
  '//',
]);

/**
 * Problems of one configuration body against a struct: attributes the schema does not know,
 * and required ones that are missing. Values that are whole `${…}` expressions are not entered.
 */
export function checkBody(
  schema: ProviderSchema,
  struct: string,
  body: unknown,
  where: string,
  top = true,
): string[] {
  if (Array.isArray(body)) return body.flatMap((b, i) => checkBody(schema, struct, b, `${where}[${i}]`, top));
  if (typeof body !== 'object' || body === null) return [];
  const attrs = schema.attributes(struct);
  const out: string[] = [];
  const obj = body as Record<string, unknown>;
  for (const [k, v] of Object.entries(obj)) {
    if (top && META.has(k)) continue;
    const a = attrs.get(k);
    if (!a) out.push(`${where}.${k}: not an attribute or block of this schema`);
    else if (a.block) out.push(...checkBody(schema, a.block, v, `${where}.${k}`, false));
  }
  for (const [k, a] of attrs) {
    if (a.required && !(k in obj)) out.push(`${where}.${k}: required, missing`);
  }
  return out;
}
