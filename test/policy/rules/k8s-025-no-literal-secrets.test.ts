import { rule } from '../../../policy/rules/k8s-025-no-literal-secrets';
import { looksSecret } from '../../../policy/rules/private/helpers';
import { exampleStack, withResource } from '../fixtures';
import { expectCompliantInEveryKind, expectFailsInEveryKind, failuresOn } from './helpers';

describe('K8S-025 secrets are never literal', () => {
  test('passes secret_key_ref env in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when an API key is a literal env value', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].env[6] = { name: 'VLLM_API_KEY', value: 'sk-123' }),
      { tf: 'env[6].value', k8s: 'env[6].value' },
      /VLLM_API_KEY is a literal value/,
    ));
  test('does not mistake TOKENIZERS_PARALLELISM for a token', () => {
    expect(looksSecret('TOKENIZERS_PARALLELISM')).toBe(false);
    expect(looksSecret('HF_TOKEN')).toBe(true);
    expect(looksSecret('AWS_SECRET_ACCESS_KEY')).toBe(true);
  });
  test('fails on a Secret with literal data, passes one from a variable', () => {
    const j = withResource(exampleStack(), 'kubernetes_secret_v1', 's', {
      data: { token: 'abc', other: '${var.other}' },
      metadata: { name: 's', namespace: 'llm' },
    });
    expect(failuresOn(rule, j)).toEqual([
      'kubernetes_secret_v1.s data["token"]: Secret s holds a literal value for token',
    ]);
  });
});
