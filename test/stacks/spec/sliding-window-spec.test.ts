/**
 * Sliding-window layers given in the spec: planned as the engine keeps them, and refused, located,
 * when the numbers do not fit the model.
 */
import * as fs from 'fs';
import { isSovereignError } from '../../../core/errors';
import { parseSpec } from '../../../stacks/spec/load';

const minimal = fs.readFileSync('examples/minimal.yaml', 'utf8');
const M = 'jurisdictions.lab.models.llama-8b';

/** Gemma 3 27B's text decoder as a user copies it from config.json, on the minimal example's L4. */
const spec = (slidingWindow: string, extra = ''): string =>
  minimal
    .replace(
      'architecture: llama-3.1-8b',
      `architecture:
          parametersBillion: 27.43
          layers: 62
          attentionHeads: 32
          kvHeads: 16
          headDim: 128
          maxContextTokens: 131072
          dtype: bf16${slidingWindow}`,
    )
    .replace(
      'gpu: { product: NVIDIA-L4, gpusPerNode: 1, nodes: [lab-gpu-01] }',
      'gpu: { product: NVIDIA-H100-80GB-HBM3, gpusPerNode: 1, nodes: [lab-gpu-01] }',
    )
    .replace(
      'maxModelLenTokens: 8192',
      `maxModelLenTokens: 32768\n        gpuMemoryUtilization: 0.95${extra}`,
    )
    .replace('maxConcurrentSequences: 2', 'maxConcurrentSequences: 3')
    .replace('sizeGiB: 40', 'sizeGiB: 80')
    .replace('license: llama3.1', 'license: gemma');

/** `file:line:col  path  message` of each problem, as the CLI prints them. */
function located(text: string): string[] {
  try {
    parseSpec(text, 'spec.yaml');
    return [];
  } catch (e) {
    if (!isSovereignError(e)) throw e;
    return e.problems.map((p) => `${p.file}:${p.line}:${p.col}  ${p.path}  ${p.message}`);
  }
}
const problems = (text: string): string[] => located(text).map((l) => l.split('  ').slice(1).join('  '));

const sw = '\n          slidingWindow: { layers: 52, window: 1024 }';

describe('sliding-window layers in the spec', () => {
  test('3 × 32k tokens of Gemma 3 27B fit one H100 with the sliding-window layers given', () => {
    // vLLM hybrid cache: 10 × 16 × (2048 + 6 × 577) = 881,600 layer-tokens × 8,192 B × 3
    // = 21,666,201,600 B (20.18 GiB); 51.10 + 20.18 + 2 = 73.28 GiB ≤ 79.65 × 0.95 = 75.66 GiB
    expect(problems(spec(sw))).toEqual([]);
  });

  test('fails without them: all 62 layers at 32k need 46.5 GiB of KV cache', () => {
    const got = problems(spec(''));
    expect(got).toHaveLength(1);
    // 62 × 32768 × 8,192 B × 3 = 49,928,994,816 B = 46.5 GiB
    expect(got[0]).toContain(
      `${M}.pool  custom needs 51.1 GiB of weights + 46.5 GiB of KV cache for 3 × 32k tokens`,
    );
  });

  test('--disable-sliding-window counts every layer in full', () => {
    const got = problems(spec(sw, "\n        extraArgs: ['--disable-sliding-window']"));
    expect(got.join('\n')).toContain(
      '46.5 GiB of KV cache (all 62 layers at the whole context, the 52 sliding-window layers included: the engine keeps them in full)',
    );
  });

  test('fails, located, when more layers slide than the model has', () => {
    const text = spec('\n          slidingWindow: { layers: 63, window: 1024 }');
    const line = text.split('\n').findIndex((l) => l.includes('layers: 63')) + 1;
    expect(located(text)).toContain(
      `spec.yaml:${line}:${text.split('\n')[line - 1].indexOf('63') + 1}  ` +
        `${M}.architecture.slidingWindow.layers  63 sliding-window layers is more than the model's 62 layers (count the "sliding_attention" entries of layer_types)`,
    );
  });

  test('fails, located, on a window of 0 or an unknown field', () => {
    const text = spec('\n          slidingWindow: { layers: 52, window: 0 }');
    const line = text.split('\n').findIndex((l) => l.includes('window: 0')) + 1;
    expect(located(text)).toEqual([
      `spec.yaml:${line}:${text.split('\n')[line - 1].indexOf('0 }') + 1}  ${M}.architecture.slidingWindow.window  must be greater than 0; got number 0`,
    ]);
    const typo = problems(spec('\n          slidingWindow: { layers: 52, size: 1024 }'));
    expect(typo.join('\n')).toContain('architecture.slidingWindow');
  });
});
