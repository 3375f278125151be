import { referencedAddresses, rule } from '../../../policy/rules/sov-013-no-cross-jurisdiction';
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

  test('fails on a reference to a resource the stack does not define (a cdktf cross-stack reference)', () => {
    const j = exampleStack();
    j.resource.kubernetes_service_v1.vllm_llama.spec.external_name =
      '${kubernetes_deployment_v1.other_stack_model.id}';
    j.resource.kubernetes_service_v1.vllm_llama.depends_on = ['kubernetes_job_v1.elsewhere'];
    expect(failuresOn(rule, j).sort()).toEqual(
      [
        'kubernetes_service_v1.vllm_llama depends_on: depends on kubernetes_job_v1.elsewhere, which this stack does not define',
        "kubernetes_service_v1.vllm_llama spec.external_name: references kubernetes_deployment_v1.other_stack_model, which this stack does not define (another stack's resource?)",
      ].sort(),
    );
  });

  test('a literal naming terraform_remote_state outside an expression is not a reference', () => {
    const j = exampleStack();
    j.resource.kubernetes_service_v1.vllm_llama.metadata.annotations = {
      note: 'data.terraform_remote_state.shared is not read here',
    };
    expect(failuresOn(rule, j)).toEqual([]);
  });

  test('reads references out of expressions, not out of quoted strings or variables', () => {
    expect(referencedAddresses('${file("../../../secrets/de-fra-ca.pem")}')).toEqual([]);
    expect(referencedAddresses('${var.x} ${local.y} ${path.module} ${terraform.workspace}')).toEqual([]);
    expect(referencedAddresses('http://${kubernetes_service_v1.llama.metadata[0].name}:8000')).toEqual([
      'kubernetes_service_v1.llama',
    ]);
    expect(referencedAddresses('${data.kubernetes_namespace_v1.x.id} plain.text_here.value')).toEqual([
      'data.kubernetes_namespace_v1.x',
    ]);
  });
});
