import { join, many, one, str } from '../json';
import { cidrPrefix, cidrWithin } from '../../core/hosts';
import { at, get, k8sObject, typesOf } from '../k8s';
import { fail, na, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

export const rule: ResourceRule = {
  id: 'SOV-011',
  title: 'Egress reaches only in-cluster peers and declared in-jurisdiction CIDRs',
  severity: 'critical',
  fix: 'Limit every egress rule to pod/namespace selectors or ip_blocks inside `allowed.cidrs` (or, on the DNS ports only, `allowed.dnsCidrs`); an egress rule without `to` allows every destination.',
  anchors: [
    'GDPR Art. 44',
    'BSI C5:2020 COS (communication security)',
    'SecNumCloud 3.2 §19',
    'NSA/CISA Kubernetes Hardening Guide: Network policies',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: typesOf('NetworkPolicy'),
  check: (r, ctx) => {
    const o = k8sObject(r);
    if (!o || o.kind !== 'NetworkPolicy') return na;
    const spec = get(o, o.root, 'spec') ?? {};
    const out: Outcome[] = [];
    const dns = ctx.metadata.allowed;
    many(spec.egress).forEach((rule, i) => {
      const base = join(at(o, 'spec'), `egress[${i}]`);
      const peers = many(rule.to);
      // A declared DNS address (host-network cache, DNS service) is fine on the DNS ports only.
      const ports = many(rule.ports).map((p) => Number(str(p.port) ?? p.port));
      const dnsOnly = ports.length > 0 && ports.every((p) => (dns.dnsPorts ?? []).includes(p));
      if (peers.length === 0) {
        out.push(fail(join(base, 'to'), `egress rule ${i} has no destination: it allows every address`));
        return;
      }
      peers.forEach((peer, j) => {
        const ip = one(peer[o.k('ip_block')]);
        const path = join(base, `to[${j}]`);
        if (!ip) return void out.push(ok(path));
        const cidr = str(ip.cidr) ?? '';
        const cpath = join(path, o.k('ip_block'), 'cidr');
        if (unresolved(ip.cidr)) out.push(unknown(cpath, 'cidr is not resolved at synth time'));
        else if (cidrPrefix(cidr) === 0) out.push(fail(cpath, `egress to ${cidr} reaches every address`));
        else if (dnsOnly && cidrWithin(cidr, dns.dnsCidrs ?? [])) out.push(ok(cpath));
        else if (!cidrWithin(cidr, ctx.metadata.allowed.cidrs))
          out.push(
            fail(
              cpath,
              `egress to ${cidr} is outside the declared CIDRs (${ctx.metadata.allowed.cidrs.join(', ') || 'none'})`,
            ),
          );
        else out.push(ok(cpath));
      });
    });
    return out.length ? out : na;
  },
};
