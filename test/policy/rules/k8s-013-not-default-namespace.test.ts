import { rule } from '../../../policy/rules/k8s-013-not-default-namespace';
import { clone, everyKind, exampleStack, failures, runOnResource, type Any } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-013 not in default or kube-system', () => {
  test('passes the example stack (workloads, services, helm release)', () => expectExampleCompliant(rule));
  test('fails when a workload of any kind has no namespace', () => {
    for (const r of everyKind()) {
      const b: Any = clone(r.body);
      const meta = r.type === 'kubernetes_manifest' ? b.manifest.metadata : b.metadata;
      delete meta.namespace;
      const f = failures(runOnResource(rule, { ...r, body: b }));
      expect(f.map((x) => x.message)).toEqual(['namespace is unset: the object lands in default']);
      expect(f[0].path).toBe(
        r.type === 'kubernetes_manifest' ? 'manifest.metadata.namespace' : 'metadata.namespace',
      );
    }
  });
  test('fails when a helm release installs into kube-system', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.namespace = 'kube-system';
    expect(failuresOn(rule, j)).toEqual(['helm_release.gpu_operator namespace: namespace is kube-system']);
  });
  test('does not apply to cluster-scoped objects', () => {
    const j = exampleStack();
    expect(failuresOn(rule, j).filter((x) => x.startsWith('kubernetes_namespace'))).toEqual([]);
  });
});
