import { rule } from '../../../policy/rules/sov-005-provider-pinned';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-005 providers with full source and exact version', () => {
  test('passes registry.terraform.io/hashicorp/kubernetes 2.38.0', () => expectExampleCompliant(rule));
  test('fails on a short source, a range and an undeclared provider', () => {
    const j = exampleStack();
    j.terraform.required_providers.kubernetes.source = 'hashicorp/kubernetes';
    j.terraform.required_providers.helm.version = '~> 3.0';
    j.resource.random_id = { x: { byte_length: 4 } };
    expect(failuresOn(rule, j)).toEqual([
      'terraform.required_providers.helm version: version ~> 3.0 is not one exact version',
      'terraform.required_providers.kubernetes source: source hashicorp/kubernetes is not a full <host>/<namespace>/<type> address',
      'terraform.required_providers.random : provider random is used but not declared in required_providers',
    ]);
  });
});
