/** Whether an endpoint lies inside the jurisdiction, as the stack metadata declares it. */
import {
  cidrWithin,
  endpointsIn,
  hostAllowed,
  isInternalHost,
  parseIp,
  type Endpoint,
} from '../../../core/hosts';
import type { StackMetadata } from '../../../core/stack-record';

export type Verdict = 'inside' | 'outside' | 'unknown';

/** Hosts the jurisdiction declares: `allowed.hosts` plus the hosts of its registries and chart mirrors. */
export function declaredHosts(m: StackMetadata): string[] {
  const fromUrls = m.allowed.chartRepositories.flatMap((u) => endpointsIn(u).map((e) => e.host));
  return [...m.allowed.hosts, ...m.allowed.registries.map((r) => r.split('/')[0]), ...fromUrls];
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

/** Where the address an IP literal names lies: loopback and unspecified stay on the machine. */
export function judgeIp(ip: IpLiteral, m: StackMetadata): Verdict {
  if (isInternalHost(ip.address)) return 'inside';
  return cidrWithin(ip.address, m.allowed.cidrs) ? 'inside' : 'outside';
}

/** `::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8)`: the literal and, when it carries one, the IPv4 address judged. */
export function describeIp(ip: IpLiteral): string {
  return ip.carries ? `${ip.literal} (${ip.carries} ${ip.address})` : ip.literal;
}

export function judgeEndpoint(e: Endpoint, m: StackMetadata): Verdict {
  if (e.unresolved) return 'unknown';
  if (isInternalHost(e.host)) return 'inside';
  const ip = ipLiteral(e.host);
  if (ip) return judgeIp(ip, m);
  return hostAllowed(e.host, e.port, declaredHosts(m)) ? 'inside' : 'outside';
}

/**
 * A host written without a scheme (`ntp1.example`, `10.0.0.7:50052`, `2001:db8::7`, a gateway's
 * hostname), read as a URL of `scheme` would read it: its host and verdict, or undefined when it
 * names no host. An IPv6 literal is read as one (see IpLiteral), never split at its last colon;
 * `host` names it whole, with the IPv4 address it carries. A value with more colons than a
 * `host:port` that is no address (`::ffff:010.0.0.1`) is outside.
 */
export function judgeBareHost(
  value: string,
  m: StackMetadata,
  scheme = 'tcp',
): { readonly host: string; readonly verdict: Verdict } | undefined {
  const ip = value.includes(':') ? ipLiteral(value) : undefined;
  if (ip) return { host: describeIp(ip), verdict: judgeIp(ip, m) };
  // More colons than `host:port` and no address: named whole, as no host a parser would connect to.
  if (value.split(':').length > 2) return { host: value.trim().toLowerCase(), verdict: 'outside' };
  const [e] = endpointsIn(`${scheme}://${value}`);
  return e === undefined || e.host === '' ? undefined : { host: e.host, verdict: judgeEndpoint(e, m) };
}
