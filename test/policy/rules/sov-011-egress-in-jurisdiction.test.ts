import { rule } from '../../../policy/rules/sov-011-egress-in-jurisdiction';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-011 egress only to declared in-jurisdiction CIDRs', () => {
  test('passes in-cluster peers and 10.20.5.0/24 inside 10.20.0.0/16', () => expectExampleCompliant(rule));
  test('is not suppressible', () => expect(rule.suppressible).toBe(false));
  test('fails on a CIDR outside the jurisdiction, an open rule and 0.0.0.0/0', () => {
    const j = exampleStack();
    const eg = j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress;
    eg[0].to[0].ip_block.cidr = '52.0.0.0/8';
    eg.push({ ports: [{ port: '443' }] });
    eg.push({ to: [{ ip_block: { cidr: '0.0.0.0/0' } }] });
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[0].to[0].ip_block.cidr: egress to 52.0.0.0/8 is outside the declared CIDRs (10.20.0.0/16)',
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[2].to: egress rule 2 has no destination: it allows every address',
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[3].to[0].ip_block.cidr: egress to 0.0.0.0/0 reaches every address',
    ]);
  });
  test('a wider CIDR than declared fails', () => {
    const j = exampleStack();
    j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress[0].to[0].ip_block.cidr =
      '10.0.0.0/8';
    expect(failuresOn(rule, j)).toHaveLength(1);
  });
  test('a declared cluster DNS address passes on the DNS ports only', () => {
    const j = exampleStack();
    j['//'].sovereign.allowed.dnsCidrs = ['169.254.20.10/32'];
    j['//'].sovereign.allowed.dnsPorts = [53];
    const eg = j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress;
    eg.push({
      to: [{ ip_block: { cidr: '169.254.20.10/32' } }],
      ports: [
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ],
    });
    eg.push({ to: [{ ip_block: { cidr: '169.254.20.10/32' } }], ports: [{ port: '443', protocol: 'TCP' }] });
    eg.push({ to: [{ ip_block: { cidr: '169.254.20.10/32' } }] });
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[3].to[0].ip_block.cidr: egress to 169.254.20.10/32 is outside the declared CIDRs (10.20.0.0/16)',
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[4].to[0].ip_block.cidr: egress to 169.254.20.10/32 is outside the declared CIDRs (10.20.0.0/16)',
    ]);
  });
});
