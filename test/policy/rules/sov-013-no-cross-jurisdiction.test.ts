import { rule } from '../../../policy/rules/sov-013-no-cross-jurisdiction';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe("SOV-013 no reference to another jurisdiction's stack", () => {
  test('passes the example', () => expectExampleCompliant(rule));
  test('fails on terraform_remote_state, cdktf cross-stack outputs and foreign jurisdiction labels', () => {
    const j = exampleStack();
    j.data = { terraform_remote_state: { 'cross-stack-reference-input-fr': { backend: 's3', config: {} } } };
    j.output['cross-stack-output-kubernetes_namespace_v1llmmetadata0name'] = {
      value: '${kubernetes_namespace_v1.llm.metadata[0].name}',
    };
    j.resource.kubernetes_service_v1.vllm_llama.metadata.labels = { 'sovereign-stack.io/jurisdiction': 'fr' };
    j.resource.kubernetes_service_v1.vllm_llama.spec.external_name =
      '${data.terraform_remote_state.cross-stack-reference-input-fr.outputs.x}';
    expect(failuresOn(rule, j).sort()).toEqual(
      [
        'data.terraform_remote_state.cross-stack-reference-input-fr : reads the state of another stack',
        'output.cross-stack-output-kubernetes_namespace_v1llmmetadata0name : is a cdktf cross-stack output consumed by another stack',
        'kubernetes_service_v1.vllm_llama metadata.labels["sovereign-stack.io/jurisdiction"]: belongs to jurisdiction fr, not de',
        'kubernetes_service_v1.vllm_llama spec.external_name: references another stack through terraform_remote_state',
      ].sort(),
    );
  });
});
