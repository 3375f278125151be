import { rule } from '../../../policy/rules/sov-010-weights-pinned';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-010 weights pinned with a manifest', () => {
  test('passes the example job, manifest ConfigMap and server', () => expectExampleCompliant(rule));
  test('fails on a moving revision and a malformed manifest digest on the weights job', () => {
    const j = exampleStack();
    j.resource.kubernetes_job_v1.weights_llama.metadata.annotations['sovereign-stack.io/model-revision'] =
      'main';
    j.resource.kubernetes_job_v1.weights_llama.spec.template.metadata.annotations[
      'sovereign-stack.io/model-revision'
    ] = 'main';
    j.resource.kubernetes_job_v1.weights_llama.spec.template.metadata.annotations[
      'sovereign-stack.io/weights-manifest-sha256'
    ] = 'abc';
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_job_v1.weights_llama spec.template.metadata.annotations["sovereign-stack.io/model-revision"]: model revision "main" is a moving branch',
      'kubernetes_job_v1.weights_llama spec.template.metadata.annotations["sovereign-stack.io/weights-manifest-sha256"]: weights manifest SHA-256 "abc" is not 64 hex digits',
    ]);
  });
  test('fails when the server serves a manifest the metadata does not record', () => {
    const j = exampleStack();
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.metadata.annotations[
      'sovereign-stack.io/weights-manifest-sha256'
    ] = 'f'.repeat(64);
    expect(failuresOn(rule, j)).toEqual([
      `kubernetes_deployment_v1.vllm_llama spec.template.metadata.annotations["sovereign-stack.io/weights-manifest-sha256"]: manifest ${'f'.repeat(64)} differs from the metadata's ${'c'.repeat(64)}`,
    ]);
  });
});
