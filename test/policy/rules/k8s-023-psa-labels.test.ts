import { rule } from '../../../policy/rules/k8s-023-psa-labels';
import { exampleStack } from '../fixtures';
import { failuresOn } from './helpers';

describe('K8S-023 PSA labels on namespaces', () => {
  test('passes restricted, fails privileged (the example suppresses that one)', () => {
    expect(failuresOn(rule, exampleStack())).toEqual([
      'kubernetes_namespace_v1.gpu_operator metadata.labels["pod-security.kubernetes.io/enforce"]: namespace gpu-operator enforces privileged',
    ]);
  });
  test('fails when the label is missing', () => {
    const j = exampleStack();
    j.resource.kubernetes_namespace_v1.llm.metadata.labels = {};
    expect(failuresOn(rule, j)).toContain(
      'kubernetes_namespace_v1.llm metadata.labels["pod-security.kubernetes.io/enforce"]: namespace llm has no pod-security.kubernetes.io/enforce label',
    );
  });
});
