import { rule } from '../../../policy/rules/sov-006-provider-host';
import { exampleStack, metadata } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-006 providers from an allowed host', () => {
  test('passes hosts the jurisdiction lists', () => expectExampleCompliant(rule));
  test('fails when the jurisdiction allows only its own mirror', () => {
    const m = metadata();
    const j = exampleStack({ ...m, allowed: { ...m.allowed, providerHosts: ['providers.de.example'] } });
    j.terraform.required_providers.helm.source = 'providers.de.example/hashicorp/helm';
    expect(failuresOn(rule, j)).toEqual([
      'terraform.required_providers.kubernetes source: provider kubernetes installs from registry.terraform.io, not an allowed provider host (providers.de.example)',
    ]);
  });
});
