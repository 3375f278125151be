/** Whether an endpoint lies inside the jurisdiction, as the stack metadata declares it. */
import {
  cidrWithin,
  describeIp,
  endpointsIn,
  hostAllowed,
  ipLiteral,
  isInternalHost,
  type Endpoint,
  type IpLiteral,
} from '../../../core/hosts';
import type { StackMetadata } from '../../../core/stack-record';

export type Verdict = 'inside' | 'outside' | 'unknown';

/** Hosts the jurisdiction declares: `allowed.hosts` plus the hosts of its registries and chart mirrors. */
export function declaredHosts(m: StackMetadata): string[] {
  const fromUrls = m.allowed.chartRepositories.flatMap((u) => endpointsIn(u).map((e) => e.host));
  return [...m.allowed.hosts, ...m.allowed.registries.map((r) => r.split('/')[0]), ...fromUrls];
}

/** Where the address an IP literal names lies: loopback and unspecified stay on the machine. */
export function judgeIp(ip: IpLiteral, m: StackMetadata): Verdict {
  if (isInternalHost(ip.address)) return 'inside';
  return cidrWithin(ip.address, m.allowed.cidrs) ? 'inside' : 'outside';
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
