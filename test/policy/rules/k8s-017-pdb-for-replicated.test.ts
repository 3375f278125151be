import { rule } from '../../../policy/rules/k8s-017-pdb-for-replicated';
import { exampleStack, runOn, unknowns } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-017 PDB for replicated servers', () => {
  test('passes the example (2 replicas, PDB selecting them)', () => expectExampleCompliant(rule));
  test('fails when the PDB selects other pods', () => {
    const j = exampleStack();
    j.resource.kubernetes_pod_disruption_budget_v1.vllm_llama.spec.selector.match_labels = {
      'app.kubernetes.io/instance': 'other',
    };
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_deployment_v1.vllm_llama spec.replicas: 2 replicas and no PodDisruptionBudget in namespace llm selects the pods',
    ]);
  });
  test('counts a kubernetes_manifest PDB', () => {
    const j = exampleStack();
    const pdb = j.resource.kubernetes_pod_disruption_budget_v1.vllm_llama;
    delete j.resource.kubernetes_pod_disruption_budget_v1;
    j.resource.kubernetes_manifest = {
      pdb: {
        manifest: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: pdb.metadata,
          spec: { maxUnavailable: 1, selector: { matchLabels: pdb.spec.selector.match_labels } },
        },
      },
    };
    expect(failuresOn(rule, j)).toEqual([]);
  });
  test('is unknown when replicas is a reference, not applicable for one replica', () => {
    const j = exampleStack();
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.replicas = '${var.replicas}';
    expect(unknowns(runOn(rule, j))).toHaveLength(1);
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.replicas = 1;
    expect(runOn(rule, j).map((o) => o.status)).toEqual(['not-applicable']);
  });
});
