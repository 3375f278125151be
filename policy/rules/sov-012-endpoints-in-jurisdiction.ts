import { argparseOption, type ArgparseOption } from '../../core/engines/flags';
import { many, one, str, strings } from '../json';
import {
  cidrWithin,
  describeIp,
  endpointsIn,
  ipLiteral,
  parseCidr,
  publicServiceOf,
  type Endpoint,
} from '../../core/hosts';
import { helmValues } from '../images';
import { k8sObject, podViews, type PodView } from '../k8s';
import type { Outcome, StackRule } from '../types';
import { judgeBareHost, judgeEndpoint, judgeIp } from './private/endpoint';
import { knownPrefix, shellWords, wordText, type ShellWord } from './private/shell-words';
import type { StackMetadata } from '../../core/stack-record';

export const rule: StackRule = {
  id: 'SOV-012',
  title: 'Every endpoint the stack names lies inside the jurisdiction',
  severity: 'critical',
  fix: "Point the endpoint at an in-jurisdiction host or mirror, and declare the host in the jurisdiction's `allowed.hosts` (or its IP in `allowed.cidrs`).",
  anchors: ['GDPR Art. 44', 'BSI C5:2020 PSS-12', 'SecNumCloud 3.2 §19'],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    // The same strings recur across a stack's resources (images, hosts, labels): each is read once.
    const read = new Map<string, readonly Endpoint[]>();
    const endpointsOf = (v: string) => {
      let e = read.get(v);
      if (e === undefined) read.set(v, (e = endpointsIn(v)));
      return e;
    };
    const bare: BareHostsSeen = { tokens: new Map(), texts: new Map() };
    let configMaps: ConfigMaps | undefined;
    const configMapsOf = () => (configMaps ??= configMapsIn(ctx.stack.resources));
    const scan = (address: string, body: unknown, prefix = '') => {
      let any = false;
      let bad = false;
      for (const s of strings(body, prefix)) {
        for (const e of endpointsOf(s.value)) {
          any = true;
          const v = judgeEndpoint(e, ctx.metadata);
          if (v === 'inside') continue;
          bad = true;
          out.push(
            v === 'unknown'
              ? {
                  status: 'unknown',
                  address,
                  path: s.path,
                  message: `${e.text}: host is not resolved at synth time`,
                }
              : {
                  status: 'non-compliant',
                  address,
                  path: s.path,
                  message: `${e.text} names ${namedHost(e.host)}, outside the jurisdiction's declared hosts`,
                },
          );
        }
      }
      if (any && !bad) out.push({ status: 'compliant', address });
    };
    // Gateway API names the hosts it serves without a scheme (`Gateway.spec.listeners[].hostname`,
    // `HTTPRoute.spec.hostnames[]`): each is an endpoint the jurisdiction publishes. A wildcard
    // listener (`*.example`) is judged as a host under it.
    const scanRouteHosts = (address: string, body: Record<string, unknown>) => {
      const m = (Array.isArray(body.manifest) ? body.manifest[0] : body.manifest) as
        { kind?: unknown; spec?: { listeners?: unknown; hostnames?: unknown } } | undefined;
      if (!m || typeof m !== 'object' || !m.spec || typeof m.spec !== 'object') return;
      const hosts: { value: unknown; path: string }[] = [];
      if (Array.isArray(m.spec.listeners))
        m.spec.listeners.forEach((l, i) =>
          hosts.push({
            value: (l as { hostname?: unknown })?.hostname,
            path: `manifest.spec.listeners[${i}].hostname`,
          }),
        );
      if (Array.isArray(m.spec.hostnames))
        m.spec.hostnames.forEach((h, i) => hosts.push({ value: h, path: `manifest.spec.hostnames[${i}]` }));
      for (const h of hosts) {
        if (typeof h.value !== 'string' || h.value === '') continue;
        const host = h.value.toLowerCase().replace(/^\*\./, 'any-host.');
        const v = judgeBareHost(host, ctx.metadata, 'https')?.verdict ?? 'outside';
        if (v === 'inside') out.push({ status: 'compliant', address });
        else
          out.push({
            status: v === 'unknown' ? 'unknown' : 'non-compliant',
            address,
            path: h.path,
            message: `${h.value} is served by the gateway but lies outside the jurisdiction's declared hosts`,
          });
      }
    };
    for (const p of ctx.stack.providers) scan(p.address, p.body);
    if (ctx.stack.backend) scan(`terraform.backend.${ctx.stack.backend.type}`, ctx.stack.backend.body);
    for (const r of [...ctx.stack.resources, ...ctx.stack.data]) {
      scan(r.address, r.body);
      scanPodNameservers(r, ctx.metadata.allowed.cidrs, out);
      scanBarePublicHosts(r, ctx.metadata, out, bare, configMapsOf);
      if (r.type === 'kubernetes_config_map_v1' || r.type === 'kubernetes_config_map')
        scanConfigMapHosts(r.address, one(r.body.data) ?? r.body.data, ctx.metadata, out);
      if (r.type === 'kubernetes_manifest' && str(one(r.body.manifest)?.kind) === 'ConfigMap')
        scanConfigMapHosts(r.address, one(r.body.manifest)?.data, ctx.metadata, out);
      if (r.type === 'kubernetes_manifest') {
        scanClusterAddresses(r.address, r.body, ctx.metadata.allowed.cidrs, out);
        scanTimeServers(r.address, r.body, ctx.metadata, out);
        scanRouteHosts(r.address, r.body);
      }
      if (r.type === 'helm_release')
        for (const t of helmValues(r.body).trees) scan(r.address, t.tree, t.path);
    }
    for (const name of Object.keys(ctx.stack.outputs)) scan(`output.${name}`, ctx.stack.outputs[name]);
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};

/** A host as a message names it: an IPv6 form that carries an IPv4 address with that address. */
function namedHost(host: string): string {
  const ip = host.includes(':') ? ipLiteral(host) : undefined;
  return ip ? describeIp(ip) : host;
}

/**
 * A Cluster API object hands its machines bare addresses (nameservers and time servers through
 * the ClusterClass variables, a control-plane endpoint, network ranges): no scheme, no port, so
 * the endpoint scan does not see them. Every string of its `spec` that is an IP address or a
 * CIDR must lie inside the declared CIDRs.
 */
function scanClusterAddresses(
  address: string,
  body: unknown,
  cidrs: readonly string[],
  out: Outcome[],
): void {
  const m = one(one(body)?.manifest);
  // Cluster API and its providers: cluster.x-k8s.io, infrastructure.cluster.x-k8s.io, …
  if (!m || !/^([a-z0-9-]+\.)*cluster\.x-k8s\.io\//.test(str(m.apiVersion) ?? '')) return;
  let any = false;
  let bad = false;
  for (const s of strings(m.spec, 'manifest.spec')) {
    const v = s.value.trim();
    if (v.includes('${')) {
      // An address Terraform computes at apply time cannot be judged here.
      bad = true;
      out.push({
        status: 'unknown',
        address,
        path: s.path,
        message: `${v}: value is not resolved at synth time`,
      });
      continue;
    }
    const a = addressOrRange(v);
    if (a === undefined) continue;
    any = true;
    if (cidrWithin(a.judged, cidrs)) continue;
    bad = true;
    out.push({
      status: 'non-compliant',
      address,
      path: s.path,
      message: `${a.shown} is an address outside the jurisdiction's declared CIDRs (${cidrs.join(', ') || 'none'})`,
    });
  }
  if (any && !bad) out.push({ status: 'compliant', address });
}

/**
 * An IP address (any form IpLiteral reads) or a CIDR, as judged against the declared CIDRs: an IPv6
 * form that carries an IPv4 address is that address, and a range of them (`::ffff:8.8.8.0/120`) the
 * IPv4 range.
 */
function addressOrRange(v: string): { judged: string; shown: string } | undefined {
  if (parseCidr(v) !== undefined) return { judged: v, shown: v };
  const [addr, prefix, extra] = v.split('/');
  const ip = extra === undefined ? ipLiteral(addr) : undefined;
  if (ip === undefined) return undefined;
  if (prefix === undefined) return { judged: ip.address, shown: ip.carries ? describeIp(ip) : v };
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!ip.carries || !(bits >= 96 && bits <= 128)) return undefined;
  return { judged: `${ip.address}/${bits - 96}`, shown: `${v} (${ip.carries} ${ip.address}/${bits - 96})` };
}

/**
 * A kubeadm bootstrap or control-plane object names its nodes' time servers bare
 * (`ntp.servers[]`: `ntp.de.example`, `10.0.0.5`): no scheme, so the endpoint scan does not see a
 * host name there. Each is judged as an endpoint (`ntp://<server>`, so IP forms a resolver accepts,
 * `134744072` or `0x8.8.8.8`, become the address they are); a dotted IPv4 address is left to the
 * CIDR scan above.
 */
function scanTimeServers(address: string, body: unknown, metadata: StackMetadata, out: Outcome[]): void {
  const m = one(one(body)?.manifest);
  if (!m || !/^([a-z0-9-]+\.)*cluster\.x-k8s\.io\//.test(str(m.apiVersion) ?? '')) return;
  for (const s of strings(m.spec, 'manifest.spec')) {
    if (!/\.ntp\.servers\[\d+\]$/.test(s.path)) continue;
    const v = s.value.trim();
    if (v.includes('${') || ipLiteral(v) !== undefined) continue;
    const e = judgeBareHost(v, metadata, 'ntp');
    const verdict = e?.verdict ?? 'outside';
    if (verdict === 'inside') out.push({ status: 'compliant', address });
    else
      out.push({
        status: 'non-compliant',
        address,
        path: s.path,
        message: `time server ${v}${e && e.host !== v ? ` (${e.host})` : ''} lies outside the jurisdiction's declared hosts and CIDRs`,
      });
  }
}

/**
 * A pod's own resolvers (`dnsConfig.nameservers`, with `dnsPolicy: None` the only ones it asks):
 * bare addresses the endpoint scan does not see, in every pod template of every workload
 * (both of a LeaderWorkerSet). Each must lie inside the declared CIDRs, or every name the pod
 * resolves is answered from outside.
 */
function scanPodNameservers(
  r: Parameters<typeof podViews>[0],
  cidrs: readonly string[],
  out: Outcome[],
): void {
  for (const p of podViews(r)) {
    const dns = one(p.pod[p.obj.k('dns_config')]);
    if (!dns) continue;
    const servers = dns[p.obj.k('nameservers')];
    (Array.isArray(servers) ? servers : []).forEach((v, i) => {
      const path = `${p.podPath}.${p.obj.k('dns_config')}.nameservers[${i}]`;
      const ip = typeof v === 'string' ? ipLiteral(v) : undefined;
      if (ip !== undefined && cidrWithin(ip.address, cidrs))
        out.push({ status: 'compliant', address: r.address });
      else
        out.push({
          status: typeof v === 'string' && v.includes('${') ? 'unknown' : 'non-compliant',
          address: r.address,
          path,
          message: `the pod's nameserver ${JSON.stringify(v)} ${ip === undefined ? 'is not an IP address' : `is outside the jurisdiction's declared CIDRs (${cidrs.join(', ') || 'none'})`}: names would be resolved from outside`,
        });
    });
  }
}

/**
 * A public service named without a scheme in what a container runs (`curl -sL hf.co/x`,
 * `wget huggingface.co/…`, `pip install --index-url pypi.org/simple`): the endpoint scan needs a
 * scheme or a port, and tools add `https://` themselves. Only the well-known public services
 * (core/hosts.ts PUBLIC_SERVICES) are looked for as bare words, in a container's command, args
 * and environment values, so free text elsewhere does not count. A reasoned `declaredPublic`
 * exception admits one, as for URLs.
 */
function scanBarePublicHosts(
  r: Parameters<typeof podViews>[0],
  m: StackMetadata,
  out: Outcome[],
  /** Per stack: token → the host it names when that is a public service's, else null; text → its tokens that do. */
  seen: BareHostsSeen,
  configMaps: () => ConfigMaps,
): void {
  for (const p of podViews(r))
    for (const c of p.containers) {
      const check = (value: string, path: () => string) => {
        for (const { token, host } of publicHostTokens(value, seen)) {
          if (judgeEndpoint({ host: host.toLowerCase(), text: token, unresolved: false }, m) === 'inside')
            continue;
          out.push({
            status: 'non-compliant',
            address: r.address,
            path: path(),
            message: `${token} names ${host.toLowerCase()}, a public service outside the jurisdiction (written without a scheme, which tools add)`,
          });
        }
      };
      const words: { value: string; path: () => string }[] = [];
      for (const field of ['command', 'args']) {
        const v = c.c[p.obj.k(field)];
        (Array.isArray(v) ? v : []).forEach((x, i) => {
          if (typeof x !== 'string') return;
          const path = () => `${c.path}.${p.obj.k(field)}[${i}]`;
          check(x, path);
          words.push({ value: x, path });
        });
      }
      const env = c.c[p.obj.k('env')];
      const resolved = environmentOf(p, c.c, configMaps);
      scanHostFlags(words, resolved, m, r.address, out);
      scanJoinEnvironment(c.name, resolved, m, r.address, out, c.path);
      (Array.isArray(env) ? env : []).forEach((e, i) => {
        const v = (e as Record<string, unknown> | null)?.value;
        if (typeof v === 'string') check(v, () => `${c.path}.${p.obj.k('env')}[${i}].value`);
      });
    }
}

interface BareHostsSeen {
  readonly tokens: Map<string, string | null>;
  /** The same scripts and values recur in every workload of a stack: each is split once. */
  readonly texts: Map<string, readonly { token: string; host: string }[]>;
}

/** The words of `text` (in order) that name a public service without a scheme, with the host each names. */
function publicHostTokens(text: string, seen: BareHostsSeen): readonly { token: string; host: string }[] {
  let found = seen.texts.get(text);
  if (found !== undefined) return found;
  const hits: { token: string; host: string }[] = [];
  for (const token of text.split(/[\s"'`=,;()|&<>]+/)) {
    if (token.includes('://')) continue; // a URL: the endpoint scan judges it
    let host = seen.tokens.get(token);
    if (host === undefined) {
      const h = /^(?:[a-z0-9_.+-]+@)?([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.?(?:[:/]|$)/i.exec(token)?.[1];
      seen.tokens.set(token, (host = h === undefined || publicServiceOf(h) === undefined ? null : h));
    }
    if (host !== null) hits.push({ token, host });
  }
  seen.texts.set(text, (found = hits));
  return found;
}

/**
 * Flags whose value is a host a process connects to, as the engines and launchers the stacks run
 * spell them: where a node of a multi-node group finds the group (vLLM `--master-addr` and
 * `--data-parallel-address`/`-dpa`, ParallelConfig in vllm/engine/arg_utils.py; Ray `ray start
 * --address`), or where llama.cpp offloads layers (`--rpc host:port,…`, common/arg.cpp). vLLM's
 * parser reads `_` as `-` in a flag's name and, as argparse does by default, takes any unambiguous
 * prefix (`--master-a`, `--data-parallel-addr`): `from` is the shortest prefix no other vLLM flag
 * shares (`--master-port`, `--data-parallel-size`, …). Ray's and llama.cpp's parsers take whole
 * names only. torchrun (torch/distributed/run.py `get_args_parser`, pytorch/pytorch at f34fa151)
 * spells each option both ways (`--rdzv-endpoint`/`--rdzv_endpoint`, `<host>[:<port>]`;
 * `--master-addr`/`--master_addr`; `--local-addr`/`--local_addr`, the address its peers reach it
 * at) and, as argparse does by default, takes a prefix no other option shares.
 */
const HOST_FLAGS: readonly ArgparseOption[] = [
  { name: 'master-addr', from: 'master-a'.length },
  { name: 'data-parallel-address', from: 'data-parallel-a'.length, aliases: ['-dpa'] },
  { name: 'address', from: 'address'.length },
  { name: 'rpc', from: 'rpc'.length },
  { name: 'rdzv-endpoint', from: 'rdzv-e'.length },
  { name: 'local-addr', from: 'local-a'.length },
];
const MAY_HOLD_HOST_FLAG = /--(master[-_]a|data[-_]parallel[-_]a|address|rpc|rdzv[-_]e|local[-_]a)|-dpa/;

function isHostFlag(token: string): boolean {
  return argparseOption(token, HOST_FLAGS) !== undefined;
}

/** ConfigMaps the stack creates, by namespace and name (and by the reference to their name): their data. */
type ConfigMaps = ReadonlyMap<string, Record<string, unknown>>;

function configMapsIn(resources: readonly Parameters<typeof k8sObject>[0][]): ConfigMaps {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of resources) {
    const o = k8sObject(r);
    if (o?.kind !== 'ConfigMap' || o.name === undefined) continue;
    const data = one(o.root.data) ?? {};
    out.set(`${o.namespace ?? 'default'}\u0000${o.name}`, data);
    // A typed ConfigMap is often named by reference: `${kubernetes_config_map_v1.x.metadata[0].name}`.
    if (o.style === 'tf') out.set(`${o.namespace ?? 'default'}\u0000\${${r.address}.metadata[0].name}`, data);
  }
  return out;
}

/** A container's environment as its processes get it (see environmentOf). */
interface ContainerEnv {
  /**
   * Value by name: the string a process is given (a literal, `$(NAME)` references expanded, a key
   * of a ConfigMap the stack creates), or `null` when it cannot be followed (a Secret, a ConfigMap
   * the stack does not create, a value Terraform computes).
   */
  readonly values: ReadonlyMap<string, string | null>;
  /** Where each name is set, as a path under the container, and what it was read from. */
  readonly origin: ReadonlyMap<
    string,
    { readonly path: string; readonly raw?: string; readonly from?: string }
  >;
  /**
   * `envFrom` sources that cannot be followed (a Secret, a ConfigMap the stack does not create),
   * with their `prefix`: a name with that prefix that `env` does not set, and no later source
   * sets, may come from one.
   */
  readonly opaque: readonly OpaqueSource[];
  /** Names `env` sets (an `env` entry wins over every `envFrom` source). */
  readonly explicit: ReadonlySet<string>;
  /** Names a followed `envFrom` source sets, with the index of the last source that does. */
  readonly fromSource: ReadonlyMap<string, number>;
}

interface OpaqueSource {
  readonly path: string;
  readonly index: number;
  readonly prefix: string;
  /** What it is, as a message names it: `Secret peers`, `ConfigMap x (not created by the stack)`. */
  readonly what: string;
}

/** The unfollowable `envFrom` sources that may set `name` in `env` (none when `env` sets it itself). */
function opaqueSetting(
  env: Pick<ContainerEnv, 'opaque' | 'explicit' | 'fromSource'>,
  name: string,
): OpaqueSource[] {
  if (env.explicit.has(name)) return [];
  const after = env.fromSource.get(name) ?? -1;
  return env.opaque.filter((o) => o.index > after && name.startsWith(o.prefix));
}

/**
 * What a pod's own fields give a variable (`valueFrom.fieldRef`): its own addresses and names stand
 * for an in-cluster host; a label or an annotation of the pod template is read from the template.
 */
const OWN_FIELDS = new Set([
  'status.podIP',
  'status.podIPs',
  'status.hostIP',
  'status.hostIPs',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
]);

/**
 * A container's environment as Kubernetes builds it: `envFrom` sources in order, then `env`
 * entries in order (an entry overrides a source), each `env` value with `$(NAME)` expanded from the
 * names set before it (Kubernetes API, EnvVar.value). A ConfigMap the stack creates is followed
 * (`configMapKeyRef`, `envFrom.configMapRef` with its `prefix`); a Secret is not.
 */
function environmentOf(p: PodView, c: Record<string, unknown>, configMaps: () => ConfigMaps): ContainerEnv {
  const k = (s: string) => p.obj.k(s);
  const values = new Map<string, string | null>();
  const origin = new Map<string, { path: string; raw?: string; from?: string }>();
  const opaque: OpaqueSource[] = [];
  const explicit = new Set<string>();
  const fromSource = new Map<string, number>();
  const namespace = p.obj.namespace ?? 'default';
  const configMapRef = (name: unknown) =>
    typeof name === 'string' ? configMaps().get(`${namespace}\u0000${name}`) : undefined;
  many(c[k('env_from')]).forEach((src, j) => {
    const path = `${k('env_from')}[${j}]`;
    const prefix = typeof src.prefix === 'string' ? src.prefix : '';
    const cm = one(src[k('config_map_ref')]);
    const data = cm ? configMapRef(cm.name) : undefined;
    if (!data) {
      const secret = one(src[k('secret_ref')]);
      if (cm || secret)
        opaque.push({
          path,
          index: j,
          prefix,
          what: `${secret && !cm ? `Secret ${String(secret.name)}` : `ConfigMap ${String(cm?.name)} (not created by the stack)`}${prefix ? ` with prefix ${prefix}` : ''}`,
        });
      return;
    }
    for (const [key, v] of Object.entries(data)) {
      fromSource.set(prefix + key, j);
      if (typeof v !== 'string' || v.includes('${')) {
        values.set(prefix + key, null);
        origin.set(prefix + key, { path, from: `ConfigMap ${String(cm?.name)} key ${key}` });
        continue;
      }
      values.set(prefix + key, v);
      origin.set(prefix + key, { path, raw: v, from: `ConfigMap ${String(cm?.name)} key ${key}` });
    }
  });
  many(c[k('env')]).forEach((e, i) => {
    const name = str(e.name);
    if (name === undefined) return;
    const at = `${k('env')}[${i}]`;
    const before = { opaque, explicit: new Set(explicit), fromSource };
    explicit.add(name);
    if (typeof e.value === 'string') {
      const v = e.value.includes('${') ? null : expandReferences(e.value, values, before);
      values.set(name, v);
      origin.set(name, { path: `${at}.value`, raw: e.value });
      return;
    }
    const from = one(e[k('value_from')]);
    if (!from) {
      values.set(name, ''); // `value` unset: the empty string
      origin.set(name, { path: at, raw: '' });
      return;
    }
    const path = `${at}.${k('value_from')}`;
    const field = str(one(from[k('field_ref')])?.[k('field_path')]);
    const ref = one(from[k('config_map_key_ref')]);
    let v: string | null = null;
    let what: string | undefined;
    if (field !== undefined) {
      const meta = /^metadata\.(labels|annotations)\['([^']*)'\]$/.exec(field);
      if (OWN_FIELDS.has(field)) v = 'pod-own-field';
      else if (meta) {
        const fields = meta[1] === 'labels' ? p.podLabels : p.podAnnotations;
        // Own keys only: a label named `constructor` is not Object's.
        const got = Object.hasOwn(fields, meta[2]) ? fields[meta[2]] : '';
        v = got.includes('${') ? null : got;
        what = `the pod's ${meta[1] === 'labels' ? 'label' : 'annotation'} ${meta[2]}`;
      }
    } else if (one(from[k('resource_field_ref')])) v = '0';
    else if (ref) {
      what = `ConfigMap ${String(ref.name)} key ${String(ref.key)}`;
      const data = configMapRef(ref.name);
      const got =
        data && typeof ref.key === 'string' && Object.hasOwn(data, ref.key) ? data[ref.key] : undefined;
      if (data && got === undefined) {
        // A key the ConfigMap does not hold: the variable is not set (or the pod does not start).
        values.delete(name);
        origin.delete(name);
        return;
      }
      v = typeof got === 'string' && !got.includes('${') ? got : null;
    } else if (one(from[k('secret_key_ref')])) {
      const s = one(from[k('secret_key_ref')]);
      what = `Secret ${String(s?.name)} key ${String(s?.key)}`;
    }
    values.set(name, v);
    origin.set(name, { path, ...(v !== null && what ? { raw: v } : {}), ...(what ? { from: what } : {}) });
  });
  return { values, origin, opaque, explicit, fromSource };
}

/**
 * `$(NAME)` in an `env` value as Kubernetes expands it: from a name set before it; an unset name is
 * left as written (and `$$(NAME)` is the text `$(NAME)`). A name set from something that cannot be
 * followed, or that an unfollowable `envFrom` source may set, makes the whole value unknown (`null`).
 */
function expandReferences(
  value: string,
  values: ReadonlyMap<string, string | null>,
  env: Pick<ContainerEnv, 'opaque' | 'explicit' | 'fromSource'>,
): string | null {
  let unknown = false;
  const out = value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (w, name: string | undefined) => {
    if (name === undefined) return '$';
    const v = values.get(name);
    if (typeof v === 'string') return v;
    if (v === null || (!name.startsWith('LWS_') && opaqueSetting(env, name).length > 0)) unknown = true;
    return w;
  });
  return unknown ? null : out;
}

/**
 * A command or an argument as Kubernetes hands it to the process: `$(NAME)` put in from the
 * container's environment (`$$` is `$`); a LeaderWorkerSet variable the spec does not set (the
 * controller adds it: the group's own leader) stands for an in-cluster name; a name set from
 * something that cannot be followed, or that an unfollowable `envFrom` source may set, is
 * `\uE000NAME\uE001` (unknown to the shell-word reader; `asWritten` shows it as `$(NAME)`); an unset name is
 * left as written.
 */
function kubeExpand(text: string, env: ContainerEnv): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (w, name: string | undefined) => {
    if (name === undefined) return '$';
    const v = env.values.get(name);
    if (typeof v === 'string') return v;
    if (v === undefined && name === 'LWS_LEADER_ADDRESS') return 'lws-group-leader';
    if (v === undefined && LWS_SET.has(name)) return `\uE000${name}\uE001`;
    if (v === null || opaqueSetting(env, name).length > 0) return `\uE000${name}\uE001`;
    return w;
  });
}

/**
 * The variables the LeaderWorkerSet controller adds to every container of a group
 * (pkg/utils/pod/pod_utils.go `AddLWSVariables` and api/leaderworkerset/v1/leaderworkerset_types.go,
 * kubernetes-sigs/lws v0.10.0): the leader's address stands for an in-cluster name; the group size
 * and the worker index are numbers the audit does not know. Any other `LWS_*` name is not set by
 * it, so it is unknown like any other unset name.
 */
const LWS_SET: ReadonlySet<string> = new Set(['LWS_LEADER_ADDRESS', 'LWS_GROUP_SIZE', 'LWS_WORKER_INDEX']);

function lookupEnv(env: ContainerEnv, name: string): string | undefined {
  const v = env.values.get(name);
  if (typeof v === 'string') return v;
  if (v === undefined && name === 'LWS_LEADER_ADDRESS') return 'lws-group-leader';
  return undefined;
}

/**
 * What a script assigns to its own variables, in the order it is read (shellWords' `onWord`): after
 * `NAME=value` in any form (plain, `export`, `declare`, `local`, `readonly`, `env`, a command's
 * prefix), a later `$NAME`/`${NAME}` is that value as the reader made it (so it is judged), or
 * unknown when it is not known. The order is straight-line: an assignment inside a branch, a loop or
 * a function counts as if it ran, and a name assigned two different values, or set by `read`,
 * `printf -v`, `for NAME in` or `mapfile`, is unknown from then on. A name the script never assigns
 * comes from the container's environment (lookupEnv); one it assigns only further on is unknown
 * before that (a loop may have run the assignment already).
 */
function scriptVariables(
  env: ContainerEnv,
  texts: readonly string[],
): {
  lookup: (name: string) => string | undefined;
  onWord: (w: ShellWord) => void;
} {
  const assigned = new Map<string, string | null>();
  const record = (name: string, v: string | null) => {
    if (assigned.has(name) && assigned.get(name) !== v) assigned.set(name, null);
    else assigned.set(name, v);
  };
  let command: string | undefined;
  let prev: string | undefined;
  // Every name the script assigns anywhere (a loop may run the assignment before a use written above it).
  const somewhere = new Set<string>();
  for (const t of texts)
    for (const m of t.matchAll(/(?:^|[\s;&|(`'"])([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/g))
      somewhere.add(m[1]);
  const lookup = (name: string) =>
    assigned.has(name)
      ? (assigned.get(name) ?? undefined)
      : somewhere.has(name)
        ? undefined
        : lookupEnv(env, name);
  const onWord = (w: ShellWord) => {
    if (w.sep) {
      command = undefined;
      prev = undefined;
      return;
    }
    const text = wordText(w);
    const first = command === undefined;
    const set = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(\+?)=/.exec(knownPrefix(w));
    if (set) {
      const name = set[1];
      const v = wordText(wordAfter(w, set[0].length, 0));
      const base = set[2] === '' ? '' : lookup(name);
      record(name, v === undefined || base === undefined ? null : base + v);
      prev = text;
      return; // a prefix assignment: the command is the next word
    }
    if (first) command = text ?? '';
    else if (text !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) {
      if (
        command === 'read' ||
        command === 'mapfile' ||
        command === 'readarray' ||
        (command === 'printf' && prev === '-v') ||
        (command === 'for' && prev === 'for')
      )
        record(text, null);
    }
    prev = text;
  };
  return { lookup, onWord };
}

/** Commands that set the variables their arguments name (`export N=v`, `env N=v cmd`, …). */
const EXPORTING = new Set(['export', 'declare', 'typeset', 'readonly', 'local', 'env']);

/** The rest of a word after its first `n` known characters (the value of `--flag=value`, `NAME=value`). */
function wordAfter(w: ShellWord, n: number, rawFrom: number): ShellWord {
  const parts: { text: string; known: boolean }[] = [];
  let skip = n;
  for (const p of w.parts) {
    if (skip >= p.text.length && p.known) {
      skip -= p.text.length;
      continue;
    }
    parts.push(skip > 0 ? { text: p.text.slice(skip), known: p.known } : p);
    skip = 0;
  }
  return { raw: w.raw.slice(rawFrom), parts };
}

/** A word's text as written, `$(NAME)` Kubernetes could not follow shown as such (see kubeExpand). */
const asWritten = (raw: string) =>
  raw.includes('\uE000') ? raw.replace(/\uE000([^\uE001]*)\uE001/g, '$$($1)') : raw;

/**
 * The value part of a word whose quotes open before its `=` (`"MASTER_ADDR=x"`, `'N=$(c)'`)
 * without the quote left unopened or unclosed.
 */
function balanced(written: string): string {
  let w = written;
  for (const q of ['"', "'"]) {
    if ((w.split(q).length - 1) % 2 === 0) continue;
    if (w.endsWith(q)) w = w.slice(0, -1);
    else if (w.startsWith(q)) w = w.slice(1);
  }
  return w;
}

/** A word as a message shows it: as written, with what the command gets when that differs. */
function shown(raw: string, value: string): string {
  const written = balanced(asWritten(raw));
  return written === value || written === `"${value}"` || written === `'${value}'`
    ? value
    : `${written} (${value})`;
}

/** Text with what only hides a name removed (quotes, backslashes, line continuations): a cheap test first. */
const loose = (s: string) => (/["'\\]/.test(s) ? s.replace(/\\\r?\n|["'\\]/g, '') : s);

/**
 * Environment variables a process reads as the address of a peer, however it is written (no scheme
 * needed: the endpoint scan sees only URLs and `host:port`), with what the process does there.
 * Each name as its reader spells it:
 * - MASTER_ADDR: torch.distributed's `env://` rendezvous connects to its TCPStore there
 *   (torch/distributed/rendezvous.py `_env_rendezvous_handler`, pytorch/pytorch, read at 0140b62d).
 * - PET_MASTER_ADDR, PET_RDZV_ENDPOINT (`<host>[:<port>]`), PET_LOCAL_ADDR: torchrun reads every
 *   option it declares with the `env` action from `PET_<DEST>` when the command line does not give
 *   it (torch/distributed/argparse_util.py `env`; the options `--master-addr`/`--master_addr`,
 *   `--rdzv-endpoint`/`--rdzv_endpoint` and `--local-addr`/`--local_addr` in
 *   torch/distributed/run.py `get_args_parser`; pytorch/pytorch, read at f34fa151).
 * - VLLM_HOST_IP (the address a process gives its peers, vllm/utils/network_utils.py `get_ip`),
 *   VLLM_DP_MASTER_IP (the data-parallel master, vllm/config/parallel.py), VLLM_NIXL_SIDE_CHANNEL_HOST
 *   (the NIXL KV-transfer handshake host) and VLLM_LOOPBACK_IP (what a process's own parts connect
 *   to, `get_loopback_ip`): vllm/envs.py at 9aaf83ef (vllm-project/vllm main of 2026-05-19, read in
 *   the history of the local-inference-lab/vllm fork; all four also at 001f69f8).
 * - RAY_ADDRESS: `ray.init()` reads it before any address it is given (docs.ray.io, "Starting Ray");
 *   `auto` and `local` name no host.
 * - NCCL_COMM_ID: the bootstrap root, `<ipv4>:<port>`, `[<ipv6>]:<port>` or `<hostname>:<port>`
 *   (src/bootstrap.cc `bootstrapNetInit`, NVIDIA/nccl, read at 081eafaf).
 * - LWS_LEADER_ADDRESS: the LeaderWorkerSet controller sets it to the group's leader
 *   (pkg/utils/pod/pod_utils.go `AddLWSVariables`, kubernetes-sigs/lws, read at 1b17603c, puts its
 *   own first and drops the template's); a template that writes it is judged as written, since the
 *   engines and scripts of the group read it to find their leader.
 * - LLAMA_ARG_RPC: llama-server's `--rpc` list (`.set_env("LLAMA_ARG_RPC")`, common/arg.cpp at 145b6280).
 * NCCL_SOCKET_IFNAME and GLOO_SOCKET_IFNAME name network interfaces, not hosts, and are not judged.
 */
const JOIN_ENV: ReadonlyMap<string, string> = new Map([
  ['MASTER_ADDR', 'torch.distributed would join its rendezvous there'],
  ['PET_MASTER_ADDR', 'torchrun would join its static rendezvous there'],
  ['PET_RDZV_ENDPOINT', 'torchrun would join its rendezvous there'],
  ['PET_LOCAL_ADDR', 'torchrun would give it to its peers as its own address, and they would connect there'],
  ['VLLM_HOST_IP', 'vLLM would give it to its peers as its own address, and they would connect there'],
  ['VLLM_DP_MASTER_IP', 'vLLM would join its data-parallel group there'],
  ['VLLM_NIXL_SIDE_CHANNEL_HOST', 'vLLM would hand it to remote agents for the KV-transfer handshake'],
  ['VLLM_LOOPBACK_IP', "vLLM's own processes would connect to each other there"],
  ['RAY_ADDRESS', 'Ray would connect to a cluster there'],
  ['NCCL_COMM_ID', 'NCCL would bootstrap its communicator there'],
  ['LWS_LEADER_ADDRESS', "the group's processes would look for their leader there"],
  ['LLAMA_ARG_RPC', 'llama-server would offload layers there'],
]);
/** A peer variable's name anywhere in a text (torchrun reads every `PET_*` option). */
const JOIN_NAME_IN_TEXT = new RegExp(`${[...JOIN_ENV.keys()].join('|')}|PET_`);
const isJoinName = (name: string) => JOIN_ENV.has(name) || name.startsWith('PET_');
/** A script that starts a process reading peer variables (see JOIN_ENV). */
const LAUNCHES_ENGINE = /\b(?:torchrun|vllm|python[0-9.]*|ray|llama-server|sglang|deepspeed|accelerate)\b/;
/** Builtins that set variables a script's text need not name: `eval`, `source`/`.`, `read`, `printf -v`, `declare -n`, `export $V`, `env $(…)`. */
const SETS_UNSEEN =
  /\b(?:eval|source|read|readarray|mapfile|printf|declare|typeset|local|export|env)\b|(?:^|[\s;&|(])\.\s/;
/** Python code that sets an environment variable (`os.environ['N'] = …`, `os.putenv(`, `setdefault(`, `.update(`). */
const PYTHON_SETS_ENV = /environ\s*\[[^\]]*\]\s*=(?!=)|putenv\s*\(|environ\.(?:setdefault|update)\s*\(/;

/**
 * The hosts a join variable's value names outside the jurisdiction (a list for LLAMA_ARG_RPC).
 * With `judged`, a `host:port` or URL the scan of every string already judged where it is written
 * is left to it.
 */
function joinHostsOutside(
  name: string,
  value: string,
  m: StackMetadata,
  judged: boolean,
): { part: string; host: string }[] {
  const out: { part: string; host: string }[] = [];
  if (name === 'RAY_ADDRESS' && /^(auto|local)$/i.test(value.trim())) return out;
  for (const raw of name === 'LLAMA_ARG_RPC' ? value.split(',') : [value]) {
    const part = raw.trim();
    if (part === '' || part.startsWith('$(')) continue;
    if (endpointsIn(part).length > 0) {
      if (judged) continue;
      for (const e of endpointsIn(part))
        if (judgeEndpoint(e, m) !== 'inside') out.push({ part, host: namedHost(e.host) });
      continue;
    }
    const e = judgeBareHost(part, m);
    if (e !== undefined && e.verdict !== 'inside') out.push({ part, host: e.host });
  }
  return out;
}

/**
 * The peer addresses a container's environment hands its processes (JOIN_ENV): each literal
 * value, `$(NAME)` reference and ConfigMap key judged as a host; a value the audit cannot follow
 * (a Secret, a ConfigMap the stack does not create, a value Terraform computes) is unknown, as a
 * host flag's is.
 */
function scanJoinEnvironment(
  container: string,
  env: ContainerEnv,
  m: StackMetadata,
  address: string,
  out: Outcome[],
  containerPath: string,
): void {
  // An `envFrom` source the audit cannot read may set any name (with its prefix): a peer address
  // `env` does not set itself (an `env` entry wins) may come from it. The LeaderWorkerSet
  // controller sets LWS_LEADER_ADDRESS in `env` itself.
  if (env.opaque.length > 0) {
    const may = new Map<OpaqueSource, string[]>();
    for (const name of JOIN_ENV.keys())
      if (!name.startsWith('LWS_'))
        for (const o of opaqueSetting(env, name)) may.set(o, [...(may.get(o) ?? []), name]);
    for (const [o, names] of may)
      out.push({
        status: 'unknown',
        address,
        path: `${containerPath}.${o.path}`,
        message: `container ${container}: ${o.what} may set ${names.join(', ')}, which the audit cannot follow: a process would connect to the peer address it names`,
      });
  }
  for (const [name, why] of JOIN_ENV) {
    if (!env.values.has(name)) continue;
    const value = env.values.get(name);
    const o = env.origin.get(name);
    const path = `${containerPath}.${o?.path ?? ''}`;
    const source = o?.from ? ` (from ${o.from})` : '';
    if (value === null || value === undefined) {
      out.push({
        status: 'unknown',
        address,
        path,
        message: `container ${container}: ${name}${source}: the address comes from a value the audit cannot follow`,
      });
      continue;
    }
    // Written literally where the scan of every string reads it: a `host:port` there is judged there.
    const judged = o?.raw === value;
    for (const { part, host } of joinHostsOutside(name, value, m, judged))
      out.push({
        status: 'non-compliant',
        address,
        path,
        message: `container ${container}: ${name}=${o?.raw !== undefined && o.raw !== value ? `${o.raw} (${value})` : value}${source} names ${host}${part === value ? '' : ` (${part})`}, outside the jurisdiction's declared hosts and CIDRs: ${why}`,
      });
  }
}

/**
 * Where a process is told to join a group or send work, judged as an endpoint: the value after a
 * host flag in a container's command and args, across elements (`--master-addr`, `evil.example`),
 * after `=`, or inside a shell script, with the shell's quotes removed (`ev''il.example`) and
 * variables expanded from the container's environment (`expand`). A worker pointed elsewhere sends
 * its share of the model and every request's activations there. Every IP address in the command
 * and args (a JSON option such as `{"kv_ip": "…"}` included) is judged against the CIDRs too: dotted
 * IPv4, and IPv6 in every form a parser accepts (compressed, upper case, bracketed with a port, a
 * zone id, a dotted IPv4 tail; IpLiteral in core/hosts). An IPv6 form that carries an IPv4
 * host (IPv4-mapped `::ffff:8.8.8.8`, IPv4-compatible `::8.8.8.8`, NAT64 `64:ff9b::8.8.8.8`) is
 * judged as that IPv4 address; a link-local address (`fe80::1%eth0`) like any other, so it passes
 * only when the CIDRs hold it; `::1` and `::` never leave the machine. Outside a host flag an
 * address counts only as a whole word, so a timestamp (`12:30:45`), a MAC address or a digest is
 * none, and the rest of the IETF-reserved `::/8` (`::2`, `1::3`, `a::b`: what slices and scoped
 * names in code look like, forwarded by no network) is not read as one. `host:port` and URLs are
 * judged by the scan of every string.
 */
function scanHostFlags(
  words: readonly { value: string; path: () => string }[],
  env: ContainerEnv,
  m: StackMetadata,
  address: string,
  out: Outcome[],
): void {
  const reported = new Set<string>();
  const outside = (host: string, path: () => string, message: string) => {
    const key = `${path()}\u0000${host}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push({ status: 'non-compliant', address, path: path(), message });
  };
  const cannot =
    "a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)";
  const hasFlag = words.some((w) => MAY_HOLD_HOST_FLAG.test(loose(w.value)) || w.value.includes("$'"));
  // A peer variable's name anywhere, or (in a script that starts an engine) a builtin that sets
  // variables the text need not name.
  const launches = words.some((w) => LAUNCHES_ENGINE.test(w.value));
  const hasJoin = words.some(
    (w) =>
      JOIN_NAME_IN_TEXT.test(loose(w.value)) ||
      w.value.includes("$'") ||
      (launches && SETS_UNSEEN.test(w.value)),
  );
  if (!hasFlag && !hasJoin) {
    scanAddresses(words, m, outside);
    return;
  }
  // The words a shell makes of each element, in order, each with the element it is read from; a
  // word that is itself a script (`sh -c '…'`, `su -c "…"`, `eval '…'`) is read again, after it.
  const tokens: { w: ShellWord; path: () => string; text: string }[] = [];
  const SEP: ShellWord = { raw: ';', parts: [], sep: true };
  const vars = scriptVariables(
    env,
    words.map((w) => w.value),
  );
  const tooDeep: { path: () => string; raw: string }[] = [];
  const add = (ws: readonly ShellWord[], path: () => string, text: string, depth: number) => {
    const nested: ShellWord[][] = [];
    for (const t of ws) {
      tokens.push({ w: t, path, text });
      const inner = !t.sep ? wordText(t) : undefined;
      if (
        inner !== undefined &&
        /[\s;&|`$'"\\]/.test(inner) &&
        (MAY_HOLD_HOST_FLAG.test(loose(inner)) ||
          JOIN_NAME_IN_TEXT.test(loose(inner)) ||
          inner.includes("$'") ||
          (launches && SETS_UNSEEN.test(inner)))
      ) {
        // Beyond three levels of scripts in scripts, the inner one is not read: unknown, not skipped.
        if (depth >= 3) tooDeep.push({ path, raw: t.raw });
        else nested.push(shellWords(inner, vars.lookup, vars.onWord));
      }
    }
    for (const n of nested) {
      tokens.push({ w: SEP, path, text });
      add(n, path, text, depth + 1);
    }
  };
  for (const w of words) {
    add(shellWords(kubeExpand(w.value, env), vars.lookup, vars.onWord), w.path, w.value, 0);
  }
  const unknownSeen = new Set<string>();
  const unknown = (path: string, message: string) => {
    if (unknownSeen.has(`${path}\u0000${message}`)) return;
    unknownSeen.add(`${path}\u0000${message}`);
    out.push({ status: 'unknown', address, path, message });
  };
  for (const { path, raw } of tooDeep)
    unknown(
      path(),
      `${asWritten(raw).slice(0, 80)}: a script nested more than three levels deep, which the audit does not read; it may set a peer address`,
    );
  /**
   * In a script that starts an engine, a builtin that may set a peer variable the text does not
   * name: `eval` of text the audit cannot read whole (a variable, `$(…)`, a `$` left to expand
   * again), `source`/`.` of a file, `read`/`mapfile` or `printf -v` into a name it cannot read,
   * `declare -n`/`typeset -n`/`local -n` making a name refer to a peer variable (or one it cannot read).
   */
  const setsUnseen = (i: number, cmd: string) => {
    const args: { w: ShellWord; path: () => string }[] = [];
    for (let j = i + 1; j < tokens.length && !tokens[j].w.sep; j++) args.push(tokens[j]);
    const may = (path: string, what: string) =>
      unknown(path, `${what}: may set a peer address the audit cannot follow`);
    if (cmd === 'eval') {
      const hidden = args.find((a) => {
        const t = wordText(a.w);
        return t === undefined || /[$`\\]/.test(t);
      });
      if (hidden) may(hidden.path(), `eval ${asWritten(hidden.w.raw)}`);
    } else if (cmd === 'source' || cmd === '.') {
      // `source <(…)`: the file is a redirection, no word of the command.
      if (args.length > 0) may(args[0].path(), `${cmd} ${asWritten(args[0].w.raw)}`);
      else may(tokens[i].path(), `${cmd} of a redirection`);
    } else if (cmd === 'read' || cmd === 'mapfile' || cmd === 'readarray' || cmd === 'printf') {
      args.forEach((a, k) => {
        if (wordText(a.w) !== undefined) return;
        if (cmd === 'printf' && wordText(args[k - 1]?.w ?? a.w) !== '-v') return;
        may(a.path(), `${cmd} ${asWritten(a.w.raw)}`);
      });
    } else if (cmd === 'declare' || cmd === 'typeset' || cmd === 'local') {
      if (!args.some((a) => /^-[a-zA-Z]*n/.test(wordText(a.w) ?? ''))) return;
      for (const a of args) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(knownPrefix(a.w));
        if (!m) continue;
        const target = wordText(wordAfter(a.w, m[0].length, 0));
        if (target === undefined || isJoinName(target)) may(a.path(), `${cmd} -n ${asWritten(a.w.raw)}`);
      }
    }
  };
  let command: string | undefined; // the first word of the simple command a word is part of
  tokens.forEach(({ w, path, text }, i) => {
    if (w.sep) {
      command = undefined;
      return;
    }
    const known = knownPrefix(w);
    // A script handed to `sh -c` (its own element) starts a command of its own.
    if (i > 0 && tokens[i - 1].text !== text && /^-[a-z]*c$/.test(wordText(tokens[i - 1].w) ?? ''))
      command = undefined;
    const first = command === undefined;
    if (first) command = wordText(w) ?? '';
    // `exec`, `command`, `builtin`: the command is the next word.
    if (first && /^(?:exec|command|builtin|nohup)$/.test(command ?? '')) {
      command = undefined;
      return;
    }
    // A host flag, its value the next word or after `=`.
    if (hasFlag) {
      const eq = /^(-[-\w]*)=/.exec(known);
      const flag = eq ? eq[1] : wordText(w) !== undefined && isHostFlag(known) ? known : undefined;
      if (flag !== undefined && isHostFlag(flag)) {
        const next = eq ? undefined : tokens[i + 1];
        const at = eq ? { w: wordAfter(w, eq[0].length, w.raw.indexOf('=') + 1), path, text } : next;
        if (at !== undefined && !at.w.sep) {
          const value = wordText(at.w);
          if (value === undefined)
            unknown(at.path(), `${flag} ${asWritten(at.w.raw)}: the host comes from ${cannot}`);
          else
            for (const part of value.split(',')) {
              if (part === '') continue;
              for (const host of hostsOutside(part, at.text, m))
                outside(
                  host,
                  at.path,
                  `${flag} ${shown(at.w.raw, part)} names ${host}, outside the jurisdiction's declared hosts and CIDRs: the process would join or send work there`,
                );
            }
        }
      }
    }
    // A peer address set in a script or an argument (`export MASTER_ADDR=…`, `env VLLM_HOST_IP=…
    // vllm serve`, `declare -x`, `MASTER_ADDR+=…`), judged as the variable in the container's
    // environment is (JOIN_ENV); before the address scan, so the finding names the variable.
    // `NAME[i]=` sets an element (`[0]` is the scalar itself): judged as the name.
    const set = hasJoin ? /^([A-Za-z_][A-Za-z0-9_]*?)(?:\[[^\]]*\])?(\+?)=/.exec(known) : null;
    if (set && JOIN_ENV.has(set[1])) {
      const name = set[1];
      const op = set[0];
      const vw = wordAfter(w, set[0].length, w.raw.indexOf('=') + 1);
      const appended = wordText(vw);
      const base =
        set[2] === ''
          ? ''
          : env.values.has(name)
            ? env.values.get(name)
            : opaqueSetting(env, name).length
              ? null
              : '';
      // A literal `$` or backquote left in the value is expanded again by whatever evaluates it (`eval`).
      if (appended === undefined || /[$`]/.test(appended) || typeof base !== 'string') {
        unknown(path(), `${op}${balanced(asWritten(vw.raw))}: the address comes from ${cannot}`);
        return;
      }
      const value = base + appended;
      for (const { part, host } of joinHostsOutside(name, value, m, text.includes(value)))
        outside(
          host,
          path,
          `${op}${shown(vw.raw, value)} names ${host}, outside the jurisdiction's declared hosts and CIDRs: ${JOIN_ENV.get(name)}${part === value ? '' : ` (${part})`}`,
        );
      return;
    }
    // A variable whose name the script computes (`export "$N"=…`, `declare "${N}=…"`, in a script
    // that starts an engine `export $VARS`, `env $(cat /e) torchrun`) or a brace expansion
    // (`export {MASTER_ADDR,X}=…`) makes may be any.
    if (
      !first &&
      EXPORTING.has(command ?? '') &&
      w.parts.length > 0 &&
      ((!w.parts[0].known && (launches || w.parts.some((p) => p.known && p.text.includes('=')))) ||
        /^[^=]*\{[^}]*,[^}]*\}[^=]*=/.test(known))
    )
      unknown(
        path(),
        `${command} ${asWritten(w.raw)}: sets a variable whose name the audit cannot follow, which may be a peer address`,
      );
    // A peer address read when the script runs (`read MASTER_ADDR`, `printf -v MASTER_ADDR …`).
    if (hasJoin && known === 'for' && isJoinName(wordText(tokens[i + 1]?.w ?? w) ?? ''))
      unknown(
        path(),
        `for ${wordText(tokens[i + 1].w)}: the address is set by a loop, which the audit does not follow`,
      );
    if (hasJoin && (known === 'read' || known === 'printf' || known === 'mapfile' || known === 'readarray'))
      for (let j = i + 1; j < tokens.length && !tokens[j].w.sep; j++) {
        const arg = wordText(tokens[j].w);
        if (arg === undefined || !JOIN_ENV.has(arg)) continue;
        unknown(
          tokens[j].path(),
          `${known} ${arg}: the address is read when the script runs, which the audit cannot follow`,
        );
      }
    if (launches && first) setsUnseen(i, known);
    // Python that sets a peer variable in its own environment (`python -c "os.environ['MASTER_ADDR']=…"`).
    const code = wordText(w) ?? known;
    if (JOIN_NAME_IN_TEXT.test(code) && PYTHON_SETS_ENV.test(code))
      unknown(
        path(),
        `code that sets ${JOIN_NAME_IN_TEXT.exec(code)?.[0]} in its own environment (os.environ, putenv), which the audit does not follow: a process would connect to the peer address it names`,
      );
  });
  scanAddresses(words, m, outside);
}

/**
 * The hosts a host flag's value names outside the jurisdiction: a bare host, or a `host:port` or URL
 * the scan of every string does not see as written (quotes, escapes or variables in between).
 */
function hostsOutside(part: string, text: string, m: StackMetadata): string[] {
  const found = endpointsIn(part);
  if (found.length > 0) {
    if (text.includes(part)) return []; // the scan of every string judges it where it is written
    return found.filter((e) => judgeEndpoint(e, m) !== 'inside').map((e) => namedHost(e.host));
  }
  const e = judgeBareHost(part, m);
  return e === undefined || e.verdict === 'inside' ? [] : [e.host];
}

/** Every IP address in the command and args, judged against the CIDRs (see scanHostFlags). */
function scanAddresses(
  words: readonly { value: string; path: () => string }[],
  m: StackMetadata,
  outside: (host: string, path: () => string, message: string) => void,
): void {
  for (const w of words)
    for (const [written, v6] of w.value.matchAll(w.value.includes(':') ? IP_IN_TEXT : IPV4_IN_TEXT)) {
      const ip = v6 === undefined ? undefined : ipLiteral(v6);
      // A word shaped like IPv6 that is none, or lies in the reserved block, may still hold a dotted
      // IPv4 address (`ab:cd:8.8.8.8`, `1::8.8.8.8`): each is judged as one.
      const ipv4 =
        ip === undefined || ip.reserved ? [...written.matchAll(IPV4_IN_TEXT)].map((x) => x[0]) : [];
      const found =
        ip !== undefined && !ip.reserved
          ? [{ written, ip }]
          : ipv4.map((x) => ({ written: x, ip: undefined }));
      for (const a of found) {
        // IPv4 as a resolver reads it (WHATWG: `010.0.0.1` is octal); IPv6 as IpLiteral reads it.
        const e = a.ip ? { host: describeIp(a.ip), verdict: judgeIp(a.ip, m) } : judgeBareHost(a.written, m);
        if (e === undefined || e.verdict === 'inside') continue;
        const judged = a.ip?.literal ?? e.host;
        if (endpointsIn(w.value).some((x) => x.host === judged)) continue; // the scan of every string judged it
        outside(
          e.host,
          w.path,
          `${a.ip ? e.host : a.written} is an address outside the jurisdiction's declared CIDRs`,
        );
      }
    }
}

/**
 * IP addresses written in a text, each a whole word: IPv6 in any form (group 1: bracketed with a
 * port, a zone id, a dotted tail), or dotted IPv4. Timestamps (`12:30:45`), MAC addresses and
 * digests (`sha256:…`) are no IPv6 address and are not read as one.
 */
const IP_IN_TEXT =
  /(?<![\w.:%-])(\[[0-9a-f:.]+(?:%[\w.~-]+)?\](?::\d{1,5})?|[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*(?:%[\w.~-]+)?)(?![\w.:%\]-])|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/gi;
/** Dotted IPv4 addresses only: the same matches for a text without a colon, found faster. */
const IPV4_IN_TEXT = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;

/**
 * A ConfigMap can hand an engine its options as a file (`vllm serve --config <file>`): a
 * `master-addr`/`data-parallel-address` key in its data (YAML `key: value` or JSON `"key": "value"`)
 * is judged as the flag would be.
 */
function scanConfigMapHosts(address: string, data: unknown, m: StackMetadata, out: Outcome[]): void {
  if (typeof data !== 'object' || data === null) return;
  for (const [key, text] of Object.entries(data)) {
    if (typeof text !== 'string') continue;
    for (const [, name, value] of text.matchAll(
      /["']?(master[-_]addr|data[-_]parallel[-_]address)["']?\s*[:=]\s*["']?(\[[^\]\s"']*\](?::\d+)?|[^\s"'#,}\]]+)/g,
    )) {
      if (endpointsIn(value).length > 0) continue;
      const e = judgeBareHost(value, m);
      if (e === undefined || e.verdict === 'inside') continue;
      out.push({
        status: 'non-compliant',
        address,
        path: `data.${key}`,
        message: `${name}: ${value} names ${e.host}, outside the jurisdiction's declared hosts and CIDRs: the engine reading this file would join or send work there`,
      });
    }
  }
}
