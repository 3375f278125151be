/**
 * Evaluates the NetworkPolicies of a synthesized stack the way Kubernetes does: a connection
 * from a pod (or an address outside the cluster) to a pod on a TCP port is allowed when the
 * destination's ingress and the source's egress both allow it. A pod no policy of a direction
 * selects is unrestricted in that direction; selected pods allow only what some rule admits.
 * Reads `kubernetes_network_policy_v1` as the provider's JSON (snake_case, blocks as lists).
 */
import { resources, type Json } from './synth';

export interface Pod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The pod's address, for ipBlock peers. */
  readonly ip?: string;
}
/** A caller outside the cluster, known only by its address. */
export interface External {
  readonly ip: string;
}
export type Endpoint = Pod | External;

interface Policy {
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly types: string[];
  readonly ingress: Json[];
  readonly egress: Json[];
}

const list = (v: unknown): Json[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) as Json[];
const isPod = (e: Endpoint): e is Pod => 'namespace' in e;

function matches(sel: Json | undefined, labels: Readonly<Record<string, string>>): boolean {
  const s = list(sel)[0];
  if (s === undefined) return true;
  if (list(s.match_expressions).length > 0) throw new Error('matchExpressions are not evaluated here');
  return Object.entries((s.match_labels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const b = Number(bits);
  const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
  return (ipToInt(ip) & mask) >>> 0 === (ipToInt(base) & mask) >>> 0;
}

function peerMatches(peer: Json, policyNs: string, e: Endpoint): boolean {
  const ipBlock = list(peer.ip_block)[0];
  if (ipBlock !== undefined) {
    const ip = e.ip;
    if (ip === undefined) return false;
    return inCidr(ip, ipBlock.cidr) && !list(ipBlock.except).some((x) => inCidr(ip, x as unknown as string));
  }
  if (!isPod(e)) return false;
  const nsSel = list(peer.namespace_selector)[0];
  if (nsSel === undefined) {
    if (e.namespace !== policyNs) return false;
  } else if (!matches(nsSel, { 'kubernetes.io/metadata.name': e.namespace })) return false;
  return matches(peer.pod_selector, e.labels);
}

function portMatches(rule: Json, port: number): boolean {
  const ports = list(rule.ports);
  return (
    ports.length === 0 ||
    ports.some((p) => String(p.port) === String(port) && (p.protocol ?? 'TCP') === 'TCP')
  );
}

export class NetworkModel {
  private readonly policies: Policy[];

  constructor(stack: Json) {
    this.policies = resources(stack, 'kubernetes_network_policy_v1').map((r) => {
      const spec = list(r.spec)[0];
      const meta = list(r.metadata)[0];
      return {
        namespace: meta.namespace as string,
        selector: (list(spec.pod_selector)[0]?.match_labels ?? {}) as Record<string, string>,
        types: list(spec.policy_types) as unknown as string[],
        ingress: list(spec.ingress),
        egress: list(spec.egress),
      };
    });
  }

  private selecting(p: Pod, type: 'Ingress' | 'Egress'): Policy[] {
    return this.policies.filter(
      (x) =>
        x.namespace === p.namespace &&
        x.types.includes(type) &&
        Object.entries(x.selector).every(([k, v]) => p.labels[k] === v),
    );
  }

  /** Whether `from` may open a TCP connection to `to` on `port`. */
  public allows(from: Endpoint, to: Pod, port: number): boolean {
    const ing = this.selecting(to, 'Ingress');
    const ingressOk =
      ing.length === 0 ||
      ing.some((p) =>
        p.ingress.some(
          (rule) =>
            portMatches(rule, port) &&
            (list(rule.from).length === 0 ||
              list(rule.from).some((peer) => peerMatches(peer, p.namespace, from))),
        ),
      );
    if (!ingressOk) return false;
    if (!isPod(from)) return true;
    const eg = this.selecting(from, 'Egress');
    return (
      eg.length === 0 ||
      eg.some((p) =>
        p.egress.some(
          (rule) =>
            portMatches(rule, port) &&
            (list(rule.to).length === 0 || list(rule.to).some((peer) => peerMatches(peer, p.namespace, to))),
        ),
      )
    );
  }
}
