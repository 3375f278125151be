import { rule } from '../../../policy/rules/k8s-019-no-open-cidr';
import { exampleStack, runOn, unknowns } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-019 no 0.0.0.0/0 or ::/0 in NetworkPolicies', () => {
  test('passes the example', () => expectExampleCompliant(rule));
  test('fails on 0.0.0.0/0 egress and ::/0 ingress', () => {
    const j = exampleStack();
    const spec = j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec;
    spec.egress[0].to[0].ip_block.cidr = '0.0.0.0/0';
    spec.ingress[0].from.push({ ip_block: { cidr: '::/0' } });
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_network_policy_v1.llm_allow_serving spec.ingress[0].from[1].ip_block.cidr: ingress allows ::/0 (every address)',
      'kubernetes_network_policy_v1.llm_allow_serving spec.egress[0].to[0].ip_block.cidr: egress allows 0.0.0.0/0 (every address)',
    ]);
  });
  test('reads kubernetes_manifest NetworkPolicies (ipBlock)', () => {
    const j = exampleStack();
    j.resource.kubernetes_manifest = {
      np: {
        manifest: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'x', namespace: 'llm' },
          spec: { egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }], podSelector: {} },
        },
      },
    };
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_manifest.np manifest.spec.egress[0].to[0].ipBlock.cidr: egress allows 0.0.0.0/0 (every address)',
    ]);
  });
  test('is unknown when the cidr is a reference', () => {
    const j = exampleStack();
    j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress[0].to[0].ip_block.cidr =
      '${var.cidr}';
    expect(unknowns(runOn(rule, j))).toHaveLength(1);
  });
});
