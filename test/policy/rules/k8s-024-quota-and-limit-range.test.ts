import { rule } from '../../../policy/rules/k8s-024-quota-and-limit-range';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-024 quota and limit range per namespace', () => {
  test('passes the example', () => expectExampleCompliant(rule));
  test('fails without a LimitRange', () => {
    const j = exampleStack();
    delete j.resource.kubernetes_limit_range_v1;
    expect(failuresOn(rule, j)).toContain(
      'kubernetes_deployment_v1.vllm_llama metadata.namespace: namespace llm has no LimitRange',
    );
  });
  test('fails when the quota does not cap GPUs a workload uses', () => {
    const j = exampleStack();
    delete j.resource.kubernetes_resource_quota_v1.llm.spec.hard['requests.nvidia.com/gpu'];
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_deployment_v1.vllm_llama metadata.namespace: namespace llm: no ResourceQuota caps requests.nvidia.com/gpu',
    ]);
  });
});
