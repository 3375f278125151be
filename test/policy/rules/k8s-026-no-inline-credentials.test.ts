import { rule } from '../../../policy/rules/k8s-026-no-inline-credentials';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('K8S-026 no inline provider or backend credentials', () => {
  test('passes kubeconfig-based providers', () => expectExampleCompliant(rule));
  test('is not suppressible', () => expect(rule.suppressible).toBe(false));
  test('fails on a literal token, a nested helm password and a backend secret key', () => {
    const j = exampleStack();
    j.provider.kubernetes[0].token = 'eyJhbGciOi';
    j.provider.helm[0].kubernetes.password = 'hunter22';
    j.terraform.backend.s3.secret_key = 'abc';
    expect(failuresOn(rule, j)).toEqual([
      'provider.helm kubernetes.password: kubernetes.password is a literal credential',
      'provider.kubernetes token: token is a literal credential',
      'terraform.backend.s3 secret_key: secret_key is a literal credential',
    ]);
  });
  test('passes a token taken from a variable', () => {
    const j = exampleStack();
    j.provider.kubernetes[0].token = '${var.kube_token}';
    expect(failuresOn(rule, j)).toEqual([]);
  });
});
