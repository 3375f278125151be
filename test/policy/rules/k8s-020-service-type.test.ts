import { rule } from '../../../policy/rules/k8s-020-service-type';
import { exampleStack, metadata } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-020 service type', () => {
  test('passes ClusterIP services', () => expectExampleCompliant(rule));
  test('fails on a LoadBalancer service the jurisdiction does not allow', () => {
    const j = exampleStack();
    j.resource.kubernetes_service_v1.vllm_llama.spec.type = 'LoadBalancer';
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_service_v1.vllm_llama spec.type: service type LoadBalancer is not allowed (allowed: ClusterIP)',
    ]);
  });
  test('passes a NodePort when allowed.serviceTypes lists it', () => {
    const m = metadata();
    const j = exampleStack({ ...m, allowed: { ...m.allowed, serviceTypes: ['NodePort'] } });
    j.resource.kubernetes_service_v1.vllm_llama.spec.type = 'NodePort';
    expect(failuresOn(rule, j)).toEqual([]);
  });
  test('fails on a helm value exposing a service', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.values.push('dcgmExporter:\n  service:\n    type: NodePort\n');
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator values[2].dcgmExporter.service.type: service type NodePort is not allowed (allowed: ClusterIP)',
    ]);
  });
});
