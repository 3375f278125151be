/**
 * Hosts, URLs and CIDRs: finding the endpoints a string names and deciding whether they lie
 * inside what a jurisdiction declares its own.
 */

import { domainToASCII } from 'url';

export interface Endpoint {
  /** Host name or IP literal, lower-case, without port or brackets, as a resolver sees it (WHATWG URL host parsing). */
  readonly host: string;
  readonly port?: number;
  /** The URL or `host:port` as written. */
  readonly text: string;
  /** True when the host part holds an unresolved `${...}` reference. */
  readonly unresolved: boolean;
  /** True when the URL carries user information (`user:password@`): a credential in the text. */
  readonly userinfo?: boolean;
  /** The public service a scheme implies (`hf://` is Hugging Face, `s3://bucket` is AWS S3). */
  readonly impliedBy?: string;
}

// The authority ends where WHATWG URL parsing ends it for special schemes: `/`, `\`, `?`, `#`.
const URL_RE = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/\\"'?#<>]*)/gi;
// An optional path after the port (`proxy.example:3128/`), but not an image reference's (`:tag`, `@digest`).
const HOST_PORT_RE = /^([A-Za-z0-9\u0080-\uffff][A-Za-z0-9.\u0080-\uffff-]*):(\d{1,5})(?:\/[^\s:@]*)?$/;
// scp-like git remotes: `git@github.com:org/repo.git`.
const SCP_RE = /(?:^|[\s="'])[A-Za-z0-9._-]+@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+):(?!\d+(?:\/|$))[^\s]*/g;

/**
 * Schemes whose authority is not a host: the service is implied by the scheme. An object-store
 * URL (`s3://bucket/key`) reaches the cloud's public endpoint unless an endpoint is configured
 * elsewhere, which the policy cannot see, so it is judged as that public endpoint.
 */
const IMPLIED_SCHEMES: Readonly<Record<string, string>> = {
  hf: 'huggingface.co',
  huggingface: 'huggingface.co',
  s3: 's3.amazonaws.com',
  s3a: 's3.amazonaws.com',
  gs: 'storage.googleapis.com',
  gcs: 'storage.googleapis.com',
  az: 'blob.core.windows.net',
  abfs: 'dfs.core.windows.net',
  abfss: 'dfs.core.windows.net',
  wasb: 'blob.core.windows.net',
  wasbs: 'blob.core.windows.net',
  r2: 'r2.cloudflarestorage.com',
  ms: 'modelscope.cn',
};

/** Schemes that never leave the cluster or the machine. */
const LOCAL_SCHEMES = new Set(['file', 'pvc', 'unix', 'local']);

/**
 * A host as a resolver sees it: WHATWG URL host parsing, so decimal, hex and octal IPv4 forms
 * (`134744072`, `0x08080808`) become dotted quads, IDNA and full-width dots (`huggingface。co`)
 * become ASCII, and case folds. Undefined when the host is not parseable at all.
 */
export function normalizeHost(raw: string): string | undefined {
  const h = raw.trim();
  if (h === '') return undefined;
  if (/^\[[0-9a-f:.]+\]$/i.test(h)) return h.slice(1, -1).toLowerCase();
  if (/^[0-9a-f:]+$/i.test(h) && h.includes(':')) return h.toLowerCase();
  try {
    const host = new URL(`http://${h}/`).hostname;
    if (host !== '') return host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    // fall through to IDNA alone
  }
  const ascii = domainToASCII(h.toLowerCase());
  return ascii === '' ? undefined : ascii.replace(/\.$/, '');
}

function authorityEndpoint(scheme: string, authority: string, text: string): Endpoint | undefined {
  if (authority.includes('${')) return { host: authority, text, unresolved: true };
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0;
  const hostPort = authority.slice(at + 1);
  // Own keys only: a scheme read from a judged value (`constructor://…`) is no implied host.
  const implied = Object.hasOwn(IMPLIED_SCHEMES, scheme) ? IMPLIED_SCHEMES[scheme] : undefined;
  // `s3://bucket/key` reaches the cloud's endpoint; a dotted authority (`s3://models.s3.de.example`)
  // names an endpoint host and is judged as one. `hf://` always means the Hugging Face Hub.
  if (implied && (!hostPort.includes('.') || scheme === 'hf' || scheme === 'huggingface'))
    return { host: implied, text, unresolved: false, userinfo, impliedBy: `${scheme}://` };
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d*))?$/i.exec(hostPort);
  if (v6) {
    host = v6[1];
    port = v6[2];
  } else {
    const i = hostPort.lastIndexOf(':');
    host = i >= 0 ? hostPort.slice(0, i) : hostPort;
    port = i >= 0 ? hostPort.slice(i + 1) : undefined;
  }
  if (host === '') return undefined;
  const norm = normalizeHost(host) ?? host.toLowerCase();
  return { host: norm, port: port ? Number(port) : undefined, text, unresolved: false, userinfo };
}

/**
 * Endpoints named in a string: every `scheme://authority` URL (with the host WHATWG URL parsing
 * gives), `user@host:path` git remotes, and `host:port` tokens (`HTTPS_PROXY=proxy.example:3128/`).
 */
export function endpointsIn(s: string): Endpoint[] {
  const out: Endpoint[] = [];
  // Every form holds a colon; most strings in a stack (names, labels, flags) do not.
  if (!s.includes(':')) return out;
  if (s.includes('//')) {
    for (const m of s.matchAll(URL_RE)) {
      const scheme = m[1].toLowerCase();
      if (LOCAL_SCHEMES.has(scheme)) continue;
      const text = m[0];
      if (text.includes('${') && !m[2].includes('.') && m[2].includes('${')) {
        out.push({ host: m[2], text, unresolved: true });
        continue;
      }
      const e = authorityEndpoint(scheme, m[2], text);
      if (e) out.push(e);
    }
  }
  if (s.includes('@')) {
    for (const m of s.matchAll(SCP_RE)) {
      if (m[0].includes('://')) continue;
      const host = normalizeHost(m[1]);
      if (host) out.push({ host, text: m[0].trim().replace(/^[="']/, ''), unresolved: false });
    }
  }
  if (out.length === 0) {
    for (const token of s.split(/[\s=,;"']+/)) {
      if (!token.includes(':')) continue;
      const hp = HOST_PORT_RE.exec(token);
      if (hp && /[A-Za-z.\u0080-\uffff]/.test(hp[1]) && Number(hp[2]) <= 65535) {
        const host = normalizeHost(hp[1]);
        if (host) out.push({ host, port: Number(hp[2]), text: token, unresolved: false });
      } else if (/^\$\{[^}]*\}:\d{1,5}\/?$/.test(token)) {
        out.push({ host: token, text: token, unresolved: true });
      }
    }
  }
  return out;
}

/** Names that never leave the cluster or the machine. */
export function isInternalHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '0.0.0.0' || h === '::' || h === '::1') return true;
  if (/^127\./.test(h)) return true;
  if (!h.includes('.') && !h.includes(':')) return true; // a bare service name
  return /\.(svc|svc\.cluster\.local|cluster\.local)$/.test(h);
}

/** `host` (optionally `host:port`) matches an allowed name: exact, or `*.suffix` for any sub-domain. */
export function hostAllowed(host: string, port: number | undefined, patterns: readonly string[]): boolean {
  const h = normalizeHost(host) ?? host.toLowerCase();
  for (const raw of patterns) {
    const p = raw.startsWith('*.') ? `*.${normalizeHost(raw.slice(2)) ?? raw.slice(2)}` : raw.toLowerCase();
    const [pHost, pPort] = splitHostPort(p);
    if (pPort !== undefined && pPort !== port) continue;
    if (pHost.startsWith('*.')) {
      if (h.endsWith(pHost.slice(1))) return true;
    } else if (h === pHost) {
      return true;
    }
  }
  return false;
}

function splitHostPort(s: string): [string, number | undefined] {
  const m = /^(.*):(\d{1,5})$/.exec(s);
  if (m && !m[1].includes(':')) return [m[1], Number(m[2])];
  return [s, undefined];
}

// ------------------------------------------------------------------ IP and CIDR

interface Net {
  readonly v: 4 | 6;
  readonly addr: bigint;
  readonly prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  // Embedded IPv4 forms (`::ffff:10.0.0.1`) are not accepted: write them as IPv4.
  if (!/^[0-9a-f:]+$/i.test(s) || !s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const grp = (h: string) => (h === '' ? [] : h.split(':'));
  const head = grp(halves[0]);
  const rest = halves.length === 2 ? grp(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return undefined;
  let n = 0n;
  for (const g of [...head, ...Array<string>(fill).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

export function parseIp(s: string): { v: 4 | 6; addr: bigint } | undefined {
  const a4 = parseV4(s);
  if (a4 !== undefined) return { v: 4, addr: a4 };
  const a6 = parseV6(s);
  if (a6 !== undefined) return { v: 6, addr: a6 };
  return undefined;
}

export function parseCidr(s: string): Net | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (!ip || prefix > (ip.v === 4 ? 32 : 128)) return undefined;
  return { v: ip.v, addr: ip.addr, prefix };
}

function contains(outer: Net, inner: Net): boolean {
  if (outer.v !== inner.v || inner.prefix < outer.prefix) return false;
  const bits = BigInt(outer.v === 4 ? 32 : 128);
  const shift = bits - BigInt(outer.prefix);
  return outer.addr >> shift === inner.addr >> shift;
}

/** True when `cidr` (or a bare IP) lies inside one of `allowed`. */
export function cidrWithin(cidr: string, allowed: readonly string[]): boolean {
  const inner = cidr.includes('/') ? parseCidr(cidr) : ipAsNet(cidr);
  if (!inner) return false;
  return allowed.some((a) => {
    const outer = parseCidr(a);
    return outer !== undefined && contains(outer, inner);
  });
}

function ipAsNet(s: string): Net | undefined {
  const ip = parseIp(s);
  return ip ? { ...ip, prefix: ip.v === 4 ? 32 : 128 } : undefined;
}

/** The prefix length of a CIDR, or undefined when it is not one. */
export function cidrPrefix(s: string): number | undefined {
  return parseCidr(s)?.prefix;
}

/**
 * Wildcards at or above a public suffix (`*.co`, `*.co.uk`, `*.s3.amazonaws.com`) admit
 * every registrant under it. Judged with the Public Suffix List (ICANN and private sections)
 * through tldts. Returns the suffix the wildcard covers, or undefined when it is narrow enough.
 */
export function wildcardAtPublicSuffix(pattern: string): string | undefined {
  const p = pattern.trim().toLowerCase();
  if (p === '*' || p === '*.') return '*';
  if (!p.startsWith('*.')) return undefined;
  const rest = normalizeHost(p.slice(2)) ?? p.slice(2);
  if (!rest.includes('.')) return rest;
  // Loaded only when a wildcard is judged: validate and --help never pay for the list.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tldts = require('tldts') as typeof import('tldts');
  const suffix = tldts.getPublicSuffix(rest, { allowPrivateDomains: true });
  return suffix === rest ? rest : undefined;
}

/**
 * Global public services: registries, model hubs, code hosts and public cloud object stores.
 * A jurisdiction may list one of them as its own only by an explicit, reasoned exception
 * (`sovereignty.declaredPublic`), which every report shows as "declared public".
 */
export const PUBLIC_SERVICES: readonly string[] = [
  'docker.io',
  'docker.com',
  'ghcr.io',
  'quay.io',
  'gcr.io',
  'pkg.dev',
  'registry.k8s.io',
  'k8s.gcr.io',
  'public.ecr.aws',
  'nvcr.io',
  'ngc.nvidia.com',
  'nvidia.github.io',
  'mcr.microsoft.com',
  'azurecr.io',
  'huggingface.co',
  'hf.co',
  'modelscope.cn',
  'ollama.com',
  'github.com',
  'githubusercontent.com',
  'gitlab.com',
  'bitbucket.org',
  'amazonaws.com',
  'googleapis.com',
  'core.windows.net',
  'r2.cloudflarestorage.com',
  'digitaloceanspaces.com',
  'backblazeb2.com',
  'pypi.org',
  'pythonhosted.org',
  'npmjs.org',
  'app.terraform.io',
  'api.openai.com',
  'wandb.ai',
  'sentry.io',
  // Public time services: a node set to one of them takes its clock from outside.
  'ntp.org',
  'time.google.com',
  'time.cloudflare.com',
  'time.apple.com',
  'time.windows.com',
  'time.aws.com',
  'time.facebook.com',
];

/**
 * The public service a host, `host:port` or `*.suffix` pattern names or covers (`registry-1.docker.io`
 * → `docker.io`; `*.amazonaws.com` → `amazonaws.com`), or undefined.
 */
export function publicServiceOf(hostOrPattern: string): string | undefined {
  let p = hostOrPattern.trim().toLowerCase();
  p = p.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split('/')[0];
  p = p.slice(p.lastIndexOf('@') + 1);
  const wildcard = p.startsWith('*.');
  const bare = splitHostPort(wildcard ? p.slice(2) : p)[0];
  const host = normalizeHost(bare) ?? bare;
  for (const svc of PUBLIC_SERVICES) {
    if (host === svc || host.endsWith(`.${svc}`)) return svc;
    if (wildcard && svc.endsWith(`.${host}`)) return svc;
  }
  return undefined;
}

/** Private, shared and local ranges: never "public space". */
const NON_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
].map((c) => parseCidr(c) as Net);

/** Largest public space a jurisdiction may declare its own: a /8 of IPv4, a /16 of IPv6. */
export const MAX_PUBLIC_V4 = 1n << 24n;
export const MAX_PUBLIC_V6 = 1n << 112n;

/** Merged [start, end] intervals of a set of CIDRs of one IP version. */
function intervals(nets: readonly Net[], v: 4 | 6): [bigint, bigint][] {
  const bits = BigInt(v === 4 ? 32 : 128);
  const iv = nets
    .filter((n) => n.v === v)
    .map((n): [bigint, bigint] => {
      const size = 1n << (bits - BigInt(n.prefix));
      const start = (n.addr / size) * size;
      return [start, start + size - 1n];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of iv) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1n) last[1] = e > last[1] ? e : last[1];
    else out.push([s, e]);
  }
  return out;
}

function sizeOf(iv: readonly [bigint, bigint][]): bigint {
  return iv.reduce((n, [s, e]) => n + (e - s + 1n), 0n);
}

function subtract(a: [bigint, bigint][], b: readonly [bigint, bigint][]): [bigint, bigint][] {
  let cur = a;
  for (const [bs, be] of b) {
    const next: [bigint, bigint][] = [];
    for (const [s, e] of cur) {
      if (be < s || bs > e) next.push([s, e]);
      else {
        if (s < bs) next.push([s, bs - 1n]);
        if (e > be) next.push([be + 1n, e]);
      }
    }
    cur = next;
  }
  return cur;
}

/**
 * How much public address space the union of `cidrs` covers, per IP version, and whether it
 * exceeds what one jurisdiction can own (`0.0.0.0/1` + `128.0.0.0/1` is the whole internet,
 * as `0.0.0.0/0` is). Unparseable entries are ignored here (the schema refuses them).
 */
export function publicSpace(cidrs: readonly string[]): { v4: bigint; v6: bigint; tooWide: boolean } {
  const nets = cidrs.map((c) => (c.includes('/') ? parseCidr(c) : ipAsNet(c))).filter((n): n is Net => !!n);
  const v4 = sizeOf(subtract(intervals(nets, 4), intervals(NON_PUBLIC, 4)));
  const v6 = sizeOf(subtract(intervals(nets, 6), intervals(NON_PUBLIC, 6)));
  return { v4, v6, tooWide: v4 > MAX_PUBLIC_V4 || v6 > MAX_PUBLIC_V6 };
}

/**
 * An IP address as a value writes it: dotted IPv4, or IPv6 in any text form (RFC 4291 §2.2:
 * compressed `::`, upper case, a dotted IPv4 tail), bracketed or not, with a zone id
 * (`fe80::1%eth0`, RFC 4007 §11; `%25eth0` in a URL) and, when bracketed, a port. An unbracketed
 * value with more colons than a `host:port` is an address as a whole; only when it is none
 * (`2001:db8::1:50052`, a group of five digits) is its last part read as a port.
 */
export interface IpLiteral {
  /** As written, lower-case, without brackets or port (`2001:db8::1`, `fe80::1%eth0`, `::ffff:8.8.8.8`). */
  readonly literal: string;
  /**
   * The address a connection reaches, as judged against the CIDRs: the IPv4 address an IPv6 form
   * carries to an IPv4 host (`::ffff:8.8.8.8` is 8.8.8.8), else the address in canonical form
   * (RFC 5952), without the zone.
   */
  readonly address: string;
  /** How an IPv6 form carries an IPv4 address, when it does. */
  readonly carries?: 'IPv4-mapped' | 'IPv4-compatible' | 'NAT64';
  /**
   * In the IETF's reserved `::/8` and carrying no IPv4 host: unspecified, loopback, or an address
   * no network forwards (IANA IPv6 Address Space registry). What code writes looks like these
   * (`a[::2]`, `x[1::3]`, `a::b`).
   */
  readonly reserved: boolean;
}

// A dotted IPv4 tail in decimal, no leading zeros (inet_pton; a reader of `010` as octal would disagree).
const V4_TAIL = /^(.*:)((?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3})$/;
const MAPPED = 0xffffn; // ::ffff:0:0/96, RFC 4291 §2.5.5.2
const NAT64 = 0x64ff9b0000000000000000n; // 64:ff9b::/96, the well-known prefix of RFC 6052 §2.1
const NAT64_LOCAL = 0x64ff9b0001n; // 64:ff9b:1::/48, RFC 8215: a local prefix, judged as IPv6

/** The IPv6 address `text` (no brackets, no zone) holds, as a number: a dotted tail becomes two groups. */
function v6Number(text: string): bigint | undefined {
  let hex = text;
  const tail = V4_TAIL.exec(text);
  if (tail) {
    const v4 = parseIp(tail[2]);
    if (v4?.v !== 4) return undefined;
    hex = `${tail[1]}${(v4.addr >> 16n).toString(16)}:${(v4.addr & 0xffffn).toString(16)}`;
  }
  const ip = parseIp(hex);
  return ip?.v === 6 ? ip.addr : undefined;
}

/** The IP address a value names (see IpLiteral), or undefined when it names none. */
export function ipLiteral(text: string): IpLiteral | undefined {
  const t = text.trim();
  if (parseIp(t)?.v === 4) return { literal: t, address: t, reserved: false };
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(t);
  const inner = (bracketed ? bracketed[1] : t).toLowerCase();
  const ip = v6Literal(inner);
  if (ip || bracketed) return ip;
  const port = /^(.*):\d{1,5}$/.exec(inner);
  return port ? v6Literal(port[1]) : undefined;
}

/** An IPv6 literal with an optional zone id (`fe80::1%eth0`, `%25eth0` as a URL writes it). */
function v6Literal(text: string): IpLiteral | undefined {
  const z = /^([0-9a-f:.]+)(?:%(?:25)?([\w.~-]+))?$/.exec(text);
  const n = z && z[1].includes(':') ? v6Number(z[1]) : undefined;
  if (!z || n === undefined) return undefined;
  const literal = z[2] === undefined ? z[1] : `${z[1]}%${z[2]}`;
  const high = n >> 32n;
  // `::` and `::1` are the unspecified and loopback addresses, not IPv4-compatible ones (RFC 4291 §2.5.5.1).
  const carries =
    high === MAPPED
      ? 'IPv4-mapped'
      : high === NAT64
        ? 'NAT64'
        : high === 0n && n > 1n
          ? 'IPv4-compatible'
          : undefined;
  if (carries)
    return {
      literal,
      address: [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.'),
      carries,
      // Deprecated and forwarded by no current stack; `::2` is what `a[::2]` looks like.
      reserved: carries === 'IPv4-compatible' && !V4_TAIL.test(z[1]),
    };
  const groups = (n | (1n << 128n))
    .toString(16)
    .slice(1)
    .replace(/(.{4})(?!$)/g, '$1:');
  const address = new URL(`http://[${groups}]/`).hostname.slice(1, -1);
  return { literal, address, reserved: n >> 120n === 0n && n >> 80n !== NAT64_LOCAL };
}

/** `::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8)`: the literal and, when it carries one, the IPv4 address judged. */
export function describeIp(ip: IpLiteral): string {
  return ip.carries ? `${ip.literal} (${ip.carries} ${ip.address})` : ip.literal;
}
