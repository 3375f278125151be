/**
 * The auditor's policy file (`sovereign audit --policy file`): per jurisdiction, the boundary
 * the auditor approved and the packs every stack must at least be judged against. It is held
 * by the auditor, not shipped in the artifact, so an artifact cannot widen it. Schema
 * (YAML or JSON; documented in docs/trust-model.md):
 *
 *   version: 1
 *   jurisdictions:
 *     <stack name>:
 *       registries: [registry.de.example]          # image registry hosts
 *       hosts: ['*.de.example']                    # hosts and *.domain wildcards
 *       cidrs: [10.20.0.0/16]                      # egress ranges (DNS ranges too)
 *       chartRepository: oci://registry.de.example/charts   # or a list
 *       providerRegistry: providers.de.example     # or a list
 *       declaredPublic: [{ host: registry.terraform.io, reason: ... }]   # optional
 *       providers: []                              # providers besides kubernetes, helm
 *       packs: [eu-gdpr, de-bsi-c5]                # minimum packs, at error
 *       strict: true                               # unknown findings fail
 */
import { readFileSync } from 'fs';
import { inputInvalid, inputProblems, type Problem } from '../core/errors';
import { boundaryProblems, type DeclaredPublic } from './boundary';
import { cidrWithin, hostAllowed, parseCidr } from '../core/hosts';
import type { StackMetadata } from '../core/stack-record';
import { ALL_PACK_IDS } from './packs/ids';
import type { PackSelection } from './packs';

export interface JurisdictionPolicy {
  readonly registries: readonly string[];
  readonly hosts: readonly string[];
  readonly cidrs: readonly string[];
  readonly chartRepositories: readonly string[];
  readonly providerHosts: readonly string[];
  readonly declaredPublic: readonly DeclaredPublic[];
  readonly providers: readonly string[];
  readonly packs: PackSelection;
  readonly strict: boolean;
}

export interface AuditorPolicy {
  readonly file: string;
  readonly jurisdictions: Readonly<Record<string, JurisdictionPolicy>>;
}

const KEYS = [
  'registries',
  'hosts',
  'cidrs',
  'chartRepository',
  'providerRegistry',
  'declaredPublic',
  'providers',
  'packs',
  'strict',
];

/** Reads and checks a policy file; every problem is located (exit 2). */
export function readAuditorPolicy(file: string): AuditorPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputInvalid(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  const lc = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length !== 1) throw inputInvalid(file, 'must hold exactly one YAML document');
  const doc = list[0];
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const pos = lc.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, col: pos.col, path: '', message: e.message.split('\n')[0] });
  }
  if (problems.length) throw inputProblems(file, problems);
  const data = doc.toJS({ maxAliasCount: 0 }) as unknown;
  const at = (path: (string | number)[], message: string) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const pos = node?.range ? lc.linePos(node.range[0]) : undefined;
    problems.push({ file, line: pos?.line, col: pos?.col, path: path.join('.'), message });
  };
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(data)) throw inputInvalid(file, 'must be a mapping with version and jurisdictions');
  if (data.version !== 1) at(['version'], 'version must be 1');
  if (!isObj(data.jurisdictions)) {
    at(['jurisdictions'], 'jurisdictions must be a mapping of stack name to its approved boundary');
    throw inputProblems(file, problems);
  }
  for (const k of Object.keys(data))
    if (k !== 'version' && k !== 'jurisdictions')
      at([k], `unknown key ${k} (allowed: version, jurisdictions)`);
  // No prototype: a jurisdiction named `__proto__` is an entry like any other.
  const out: Record<string, JurisdictionPolicy> = Object.create(null) as Record<string, JurisdictionPolicy>;
  for (const [name, raw] of Object.entries(data.jurisdictions)) {
    const base = ['jurisdictions', name];
    if (!isObj(raw)) {
      at(base, 'must be a mapping');
      continue;
    }
    for (const k of Object.keys(raw))
      if (!KEYS.includes(k)) at([...base, k], `unknown key ${k} (allowed: ${KEYS.join(', ')})`);
    const strs = (k: string, one = false): string[] => {
      const v = raw[k];
      if (v === undefined) return [];
      if (one && typeof v === 'string') return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
      at([...base, k], `${k} must be ${one ? 'a string or ' : ''}a list of strings`);
      return [];
    };
    const cidrs = strs('cidrs');
    cidrs.forEach((c, i) => {
      if (!parseCidr(c)) at([...base, 'cidrs', i], `${c} is not a CIDR (10.20.0.0/16)`);
    });
    const packs = strs('packs');
    packs.forEach((p, i) => {
      if (!ALL_PACK_IDS.includes(p))
        at([...base, 'packs', i], `unknown pack ${p} (known: ${ALL_PACK_IDS.join(', ')})`);
    });
    const dp = raw.declaredPublic;
    const declaredPublic: DeclaredPublic[] = [];
    if (dp !== undefined) {
      if (!Array.isArray(dp))
        at([...base, 'declaredPublic'], 'declaredPublic must be a list of { host, reason }');
      else
        dp.forEach((d, i) => {
          if (!isObj(d) || typeof d.host !== 'string' || typeof d.reason !== 'string')
            at([...base, 'declaredPublic', i], 'each entry is { host, reason }');
          else declaredPublic.push({ host: d.host, reason: d.reason });
        });
    }
    if (raw.strict !== undefined && typeof raw.strict !== 'boolean')
      at([...base, 'strict'], 'strict must be true or false');
    const jp: JurisdictionPolicy = {
      registries: strs('registries'),
      hosts: strs('hosts'),
      cidrs,
      chartRepositories: strs('chartRepository', true),
      providerHosts: strs('providerRegistry', true),
      declaredPublic,
      providers: strs('providers'),
      packs: packs.map((id) => ({ id, level: 'error' as const })),
      strict: raw.strict === true,
    };
    // The auditor's own boundary obeys the same limits as a spec's.
    for (const p of boundaryProblems({ ...jp }))
      at(
        [
          ...base,
          p.field === 'chartRepositories'
            ? 'chartRepository'
            : p.field === 'providerHosts'
              ? 'providerRegistry'
              : p.field,
          ...(p.index !== undefined ? [p.index] : []),
        ],
        p.message,
      );
    out[name] = jp;
  }
  if (problems.length) throw inputProblems(file, problems);
  return { file, jurisdictions: out };
}

/** `pattern` (a host or `*.domain`) lies inside what `approved` admits. */
function patternWithin(pattern: string, approved: readonly string[]): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) {
    const suffix = p.slice(2);
    return approved.some((a) => {
      const x = a.toLowerCase();
      return x === p || (x.startsWith('*.') && suffix.endsWith(`.${x.slice(2)}`));
    });
  }
  const [h, port] = /^(.*?)(?::(\d+))?$/.exec(p)!.slice(1);
  return hostAllowed(h, port ? Number(port) : undefined, approved);
}

/** Where the artifact's declared boundary is wider than the auditor's policy for it. */
export function widerThanPolicy(
  m: StackMetadata,
  jp: JurisdictionPolicy,
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const a = m.allowed;
  const each = (field: string, list: readonly string[], ok: (v: string) => boolean, what: string) =>
    list.forEach((v, i) => {
      if (!ok(v))
        out.push({
          path: `"//".sovereign.allowed.${field}[${i}]`,
          message: `${v} is not in the auditor's approved ${what}`,
        });
    });
  each(
    'registries',
    a.registries,
    (v) => jp.registries.map((x) => x.toLowerCase()).includes(v.toLowerCase()),
    'registries',
  );
  each('hosts', a.hosts, (v) => patternWithin(v, jp.hosts), 'hosts');
  each('cidrs', a.cidrs, (v) => cidrWithin(v, jp.cidrs), 'ranges');
  each('dnsCidrs', a.dnsCidrs ?? [], (v) => cidrWithin(v, jp.cidrs), 'ranges');
  each('chartRepositories', a.chartRepositories, (v) => jp.chartRepositories.includes(v), 'chart repository');
  each(
    'providerHosts',
    a.providerHosts,
    (v) => jp.providerHosts.map((x) => x.toLowerCase()).includes(v.toLowerCase()),
    'provider registry',
  );
  (a.declaredPublic ?? []).forEach((d, i) => {
    if (!jp.declaredPublic.some((x) => x.host.toLowerCase() === d.host.toLowerCase()))
      out.push({
        path: `"//".sovereign.allowed.declaredPublic[${i}]`,
        message: `${d.host} is declared public by the artifact but not by the auditor's policy`,
      });
  });
  return out;
}
