/**
 * Hosts, URLs and CIDRs: finding the endpoints a string names and deciding whether they lie
 * inside what a jurisdiction declares its own.
 */

export interface Endpoint {
  /** Host name or IP literal, lower-case, without port or brackets. */
  readonly host: string;
  readonly port?: number;
  /** The URL or `host:port` as written. */
  readonly text: string;
  /** True when the host part holds an unresolved `${...}` reference. */
  readonly unresolved: boolean;
}

const URL_RE = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/"'?#<>]+)/gi;
const HOST_PORT_RE = /^([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;

/** Endpoints named in a string: every `scheme://authority` URL, or the whole string as `host:port`. */
export function endpointsIn(s: string): Endpoint[] {
  const out: Endpoint[] = [];
  // Both forms hold a colon; most strings in a stack (names, labels, flags) do not.
  if (!s.includes(':')) return out;
  for (const m of s.includes('://') ? s.matchAll(URL_RE) : []) {
    const text = m[0];
    let authority = m[2];
    const scheme = m[1].toLowerCase();
    if (scheme === 'file') continue;
    if (authority.includes('${') || (text.includes('${') && !authority.includes('.'))) {
      out.push({ host: authority, text, unresolved: true });
      continue;
    }
    authority = authority.slice(authority.lastIndexOf('@') + 1);
    let host: string;
    let port: string | undefined;
    const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(authority);
    if (v6) {
      host = v6[1];
      port = v6[2];
    } else {
      const i = authority.lastIndexOf(':');
      host = i >= 0 ? authority.slice(0, i) : authority;
      port = i >= 0 ? authority.slice(i + 1) : undefined;
    }
    if (host === '') continue;
    out.push({ host: host.toLowerCase(), port: port ? Number(port) : undefined, text, unresolved: false });
  }
  if (out.length === 0) {
    const hp = HOST_PORT_RE.exec(s.trim());
    if (hp && /[A-Za-z.]/.test(hp[1]) && Number(hp[2]) <= 65535) {
      out.push({ host: hp[1].toLowerCase(), port: Number(hp[2]), text: s.trim(), unresolved: false });
    } else if (/^\$\{[^}]*\}:\d{1,5}$/.test(s.trim())) {
      out.push({ host: s.trim(), text: s.trim(), unresolved: true });
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
  const h = host.toLowerCase();
  for (const raw of patterns) {
    const p = raw.toLowerCase();
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
