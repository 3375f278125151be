import { rule } from '../../../policy/rules/k8s-018-default-deny-network-policy';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-018 default-deny NetworkPolicy per workload namespace', () => {
  test('passes the example', () => expectExampleCompliant(rule));
  test('fails when the namespace has no default deny', () => {
    const j = exampleStack();
    delete j.resource.kubernetes_network_policy_v1.llm_default_deny;
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_deployment_v1.vllm_llama metadata.namespace: namespace llm has no default-deny NetworkPolicy for Ingress and Egress',
      'kubernetes_job_v1.weights_llama metadata.namespace: namespace llm has no default-deny NetworkPolicy for Ingress and Egress',
    ]);
  });
  test('fails when the default deny covers ingress only', () => {
    const j = exampleStack();
    j.resource.kubernetes_network_policy_v1.llm_default_deny.spec.policy_types = ['Ingress'];
    expect(failuresOn(rule, j)[0]).toMatch(/no default-deny NetworkPolicy for Egress$/);
  });
  test('a policy with rules is not a default deny', () => {
    const j = exampleStack();
    j.resource.kubernetes_network_policy_v1.llm_default_deny.spec.egress = [
      { to: [{ ip_block: { cidr: '10.20.0.0/16' } }] },
    ];
    expect(failuresOn(rule, j)[0]).toMatch(/for Egress$/);
  });
});
