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

export function judgeEndpoint(e: Endpoint, m: StackMetadata): Verdict {
  if (e.unresolved) return 'unknown';
  if (isInternalHost(e.host)) return 'inside';
  if (parseIp(e.host)) return cidrWithin(e.host, m.allowed.cidrs) ? 'inside' : 'outside';
  return hostAllowed(e.host, e.port, declaredHosts(m)) ? 'inside' : 'outside';
}

/**
 * A host written without a scheme (`ntp1.example`, `10.0.0.7:50052`, a gateway's hostname), read
 * as a URL of `scheme` would read it: its host and verdict, or undefined when it names no host.
 */
export function judgeBareHost(
  value: string,
  m: StackMetadata,
  scheme = 'tcp',
): { readonly host: string; readonly verdict: Verdict } | undefined {
  const [e] = endpointsIn(`${scheme}://${value}`);
  return e === undefined || e.host === '' ? undefined : { host: e.host, verdict: judgeEndpoint(e, m) };
}
