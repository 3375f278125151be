import { checkExtraArgs, didYouMean, editDistance } from '../../../constructs/private/flags';
import { VLLM_FLAGS } from '../../../constructs/private/vllm-flags';
import { LLAMA_CPP_FLAGS } from '../../../constructs/private/llama-cpp-flags';

describe('flag tables', () => {
  test('every flag names its upstream source at the pinned release, and no spelling is listed twice', () => {
    for (const [table, tag] of [
      [VLLM_FLAGS, '@ v0.12.0'],
      [LLAMA_CPP_FLAGS, '@ b9174'],
    ] as const) {
      const names = table.flatMap((f) => f.names);
      expect(new Set(names).size).toBe(names.length);
      for (const f of table) expect(f.source).toContain(tag);
    }
  });

  test('edit distance and did-you-mean', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('--enable-prefix-cache', VLLM_FLAGS)).toBe('--enable-prefix-caching');
    expect(didYouMean('--completely-different', VLLM_FLAGS)).toBeUndefined();
  });

  test('values, negative numbers and --flag=value forms', () => {
    expect(checkExtraArgs('x', ['--seed', '-1', '--block-size=16', 'plain'], VLLM_FLAGS, 'vLLM')).toEqual([]);
  });
});
