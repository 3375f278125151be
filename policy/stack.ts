/**
 * A read-only view over one synthesized stack (`cdk.tf.json`): its resources with Terraform
 * addresses, data sources, providers, backend and the `"//".sovereign` metadata.
 */
import { isObj, many, one, str, type Obj } from './json';
import { METADATA_KEY, METADATA_SCHEMA_VERSION, type StackMetadata } from '../core/stack-record';

export interface ResourceView {
  readonly mode: 'managed' | 'data';
  /** Terraform resource type (`kubernetes_deployment_v1`). */
  readonly type: string;
  /** Logical id (`vllm_llama_abc123`). */
  readonly name: string;
  /** `<type>.<name>`, or `data.<type>.<name>` for data sources. */
  readonly address: string;
  readonly body: Obj;
}

export interface ProviderView {
  /** Local name (`kubernetes`, `helm`). */
  readonly name: string;
  readonly alias?: string;
  /** `provider.kubernetes` or `provider.kubernetes.<alias>`. */
  readonly address: string;
  readonly body: Obj;
}

export interface RequiredProvider {
  readonly name: string;
  readonly source?: string;
  readonly version?: string;
}

export interface StackView {
  /** Stack name (the jurisdiction's stack id). */
  readonly name: string;
  /** Path of the synthesized file relative to the audited directory, when read from disk. */
  readonly file?: string;
  readonly raw: Obj;
  /** The `"//".sovereign` block as written, when present. */
  readonly declaredMetadata?: unknown;
  readonly resources: readonly ResourceView[];
  readonly data: readonly ResourceView[];
  readonly providers: readonly ProviderView[];
  readonly requiredProviders: readonly RequiredProvider[];
  /** The backend block (`{ type: 's3', body }`), or undefined when none is declared. */
  readonly backend?: { readonly type: string; readonly body: Obj };
  /** Every backend block (Terraform refuses more than one; the policy judges each). */
  readonly backends: readonly { readonly type: string; readonly body: Obj }[];
  /** Terraform Cloud / HCP `cloud` block, when present. */
  readonly cloud?: Obj;
  readonly outputs: Obj;
}

/**
 * Terraform's JSON syntax allows every block as an object or as an array of objects, at the top
 * level (`"resource": [{...}, {...}]`) as below; every element counts. The view reads them all.
 */
export function stackView(name: string, raw: unknown, file?: string): StackView {
  const root: Obj = isObj(raw) ? raw : {};
  const meta = one(root['//']);
  const resources: ResourceView[] = [];
  const data: ResourceView[] = [];
  for (const [mode, key, into] of [
    ['managed', 'resource', resources],
    ['data', 'data', data],
  ] as const) {
    const seen: ResourceView[] = [];
    for (const byType of many(root[key])) {
      for (const type of Object.keys(byType)) {
        for (const byName of many(byType[type])) {
          for (const n of Object.keys(byName)) {
            const address = mode === 'data' ? `data.${type}.${n}` : `${type}.${n}`;
            const bodies = Array.isArray(byName[n]) ? many(byName[n]) : [one(byName[n]) ?? {}];
            for (const body of bodies) seen.push({ mode, type, name: n, address, body });
          }
        }
      }
    }
    seen.sort((x, y) =>
      x.type < y.type ? -1 : x.type > y.type ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0,
    );
    into.push(...seen);
  }
  const providers: ProviderView[] = [];
  for (const prov of many(root.provider)) {
    for (const pname of Object.keys(prov).sort()) {
      for (const body of many(prov[pname])) {
        const alias = str(body.alias);
        providers.push({ name: pname, alias, address: `provider.${pname}${alias ? `.${alias}` : ''}`, body });
      }
    }
  }
  providers.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const terraforms = many(root.terraform);
  const requiredProviders: RequiredProvider[] = [];
  for (const t of terraforms) {
    for (const req of many(t.required_providers)) {
      for (const n of Object.keys(req)) {
        const v = req[n];
        if (typeof v === 'string') requiredProviders.push({ name: n, version: v });
        else
          for (const o of Array.isArray(v) ? many(v) : [one(v) ?? {}])
            requiredProviders.push({ name: n, source: str(o.source), version: str(o.version) });
      }
    }
  }
  requiredProviders.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const backends: { type: string; body: Obj }[] = [];
  for (const t of terraforms)
    for (const bs of many(t.backend))
      for (const type of Object.keys(bs)) for (const body of many(bs[type])) backends.push({ type, body });
  const clouds = terraforms.flatMap((t) => many(t.cloud));
  const outputs: Obj = {};
  // Defined, not assigned: an output named `__proto__` is data, never the prototype.
  for (const o of many(root.output))
    for (const [k, v] of Object.entries(o))
      Object.defineProperty(outputs, k, { value: v, enumerable: true, writable: true, configurable: true });
  return {
    name,
    file,
    raw: root,
    declaredMetadata: meta ? meta[METADATA_KEY] : undefined,
    resources,
    data,
    providers,
    requiredProviders,
    backend: backends[0],
    backends,
    cloud: clouds[0],
    outputs,
  };
}

/** Metadata a stack without (valid) sovereign metadata is judged against: nothing allowed. */
export function emptyMetadata(jurisdiction: string): StackMetadata {
  return {
    schemaVersion: METADATA_SCHEMA_VERSION,
    toolkitVersion: 'unknown',
    jurisdiction,
    profile: 'none',
    packs: [],
    allowed: {
      registries: [],
      chartRepositories: [],
      providerHosts: [],
      hosts: [],
      cidrs: [],
      serviceTypes: [],
    },
    suppressions: [],
    models: [],
    pools: [],
    strict: false,
  };
}

/**
 * The stack's metadata, with every array defaulted so rules can read it without checks,
 * and the problems that make it unusable (reported by SOV-014).
 */
export function readMetadata(view: StackView): { metadata: StackMetadata; problems: string[] } {
  const m = view.declaredMetadata;
  const problems: string[] = [];
  if (!isObj(m)) {
    return {
      metadata: emptyMetadata(view.name),
      problems: [`"//".${METADATA_KEY} is missing: the stack does not declare its jurisdiction`],
    };
  }
  if (m.schemaVersion !== METADATA_SCHEMA_VERSION) {
    problems.push(
      `"//".${METADATA_KEY}.schemaVersion is ${JSON.stringify(m.schemaVersion)}, expected ${METADATA_SCHEMA_VERSION}`,
    );
  }
  if (typeof m.jurisdiction !== 'string' || m.jurisdiction === '') {
    problems.push(`"//".${METADATA_KEY}.jurisdiction must be a non-empty string`);
  }
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const allowed = one(m.allowed) ?? {};
  if (!isObj(m.allowed)) problems.push(`"//".${METADATA_KEY}.allowed is missing`);
  if (m.strict !== undefined && typeof m.strict !== 'boolean')
    problems.push(`"//".${METADATA_KEY}.strict must be true or false, got ${JSON.stringify(m.strict)}`);
  const base = emptyMetadata(typeof m.jurisdiction === 'string' ? m.jurisdiction : view.name);
  const metadata: StackMetadata = {
    ...base,
    ...(m as unknown as Partial<StackMetadata>),
    packs: Array.isArray(m.packs) ? (m.packs as unknown as StackMetadata['packs']) : [],
    allowed: {
      registries: strings(allowed.registries),
      chartRepositories: strings(allowed.chartRepositories),
      providerHosts: strings(allowed.providerHosts),
      hosts: strings(allowed.hosts),
      cidrs: strings(allowed.cidrs),
      dnsCidrs: strings(allowed.dnsCidrs),
      dnsPorts: Array.isArray(allowed.dnsPorts)
        ? allowed.dnsPorts.filter((p): p is number => Number.isInteger(p))
        : [],
      serviceTypes: strings(allowed.serviceTypes),
      declaredPublic: Array.isArray(allowed.declaredPublic)
        ? allowed.declaredPublic
            .filter(isObj)
            .map((d) => ({ host: String(d.host ?? ''), reason: String(d.reason ?? '') }))
        : [],
    },
    suppressions: Array.isArray(m.suppressions)
      ? (m.suppressions as unknown as StackMetadata['suppressions'])
      : [],
    models: Array.isArray(m.models) ? (m.models as unknown as StackMetadata['models']) : [],
    pools: Array.isArray(m.pools) ? (m.pools as unknown as NonNullable<StackMetadata['pools']>) : [],
    strict: m.strict === true,
  };
  return { metadata, problems };
}
