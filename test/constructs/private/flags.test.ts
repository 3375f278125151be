import { checkExtraArgs, didYouMean } from '../../../constructs/private/flags';
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

  test('did-you-mean over every spelling of every flag', () => {
    expect(didYouMean('--enable-prefix-cache', VLLM_FLAGS)).toBe('--enable-prefix-caching');
    expect(didYouMean('--completely-different', VLLM_FLAGS)).toBeUndefined();
  });

  test('values, negative numbers and --flag=value forms', () => {
    expect(checkExtraArgs('x', ['--seed', '-1', '--block-size=16', 'plain'], VLLM_FLAGS, 'vLLM')).toEqual([]);
  });

  test('spellings the pinned releases do not accept are not listed', () => {
    // vLLM v0.12.0: -O<n> is an optimization level, no longer a spelling of --compilation-config
    expect(checkExtraArgs('x', ['-O', '{}'], VLLM_FLAGS, 'vLLM')).toHaveLength(1);
    expect(checkExtraArgs('x', ['--compilation-config', '{}'], VLLM_FLAGS, 'vLLM')).toEqual([]);
    // llama.cpp: not registered in common/arg.cpp at the checked commit
    for (const flag of ['--temperature', '--cache-prompt', '--no-log-prefix', '--tools']) {
      expect(checkExtraArgs('x', [flag], LLAMA_CPP_FLAGS, 'llama.cpp')[0].message).toContain(
        'is not a llama.cpp flag',
      );
    }
  });

  test('llama.cpp b9174: --ui/--no-ui and their deprecated aliases --webui/--no-webui are known and set by the construct', () => {
    for (const flag of ['--ui', '--no-ui', '--webui', '--no-webui']) {
      expect(checkExtraArgs('x', [flag], LLAMA_CPP_FLAGS, 'llama.cpp')[0].message).toContain(
        `"${flag}" is set by the construct`,
      );
    }
  });
});
