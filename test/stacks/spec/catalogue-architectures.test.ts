/**
 * The catalogue's current families in a spec: `architecture: gemma-3-27b`,
 * `mistral-small-3.1-24b` and `kimi-k2` validate where they fit, are refused with the planner's
 * numbers where they do not, and their licences are judged as the licence catalogue says.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isSovereignError } from '../../../core/errors';
import { parseSpec } from '../../../stacks/spec/load';
import { vllmLayouts } from '../../../stacks/spec/plan';
import { EXAMPLES } from '../../support/paths';

const minimal = fs.readFileSync(path.join(EXAMPLES, 'minimal.yaml'), 'utf8');
const frontier = fs.readFileSync(path.join(EXAMPLES, 'frontier.yaml'), 'utf8');

function swap(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`the example no longer contains ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

function problems(text: string): string[] {
  try {
    parseSpec(text, 'spec.yaml');
  } catch (e) {
    if (isSovereignError(e)) return e.problems.map((p) => `${p.path}  ${p.message}`);
    throw e;
  }
  return [];
}

/** minimal.yaml on one H100 with a 120 GiB store, serving `arch` under `license`. */
const onH100 = (arch: string, license: string, extra: readonly (readonly [string, string])[] = []) =>
  swap(minimal, [
    ['product: NVIDIA-L4', 'product: NVIDIA-H100-80GB-HBM3'],
    ['sizeGiB: 40', 'sizeGiB: 120'],
    ['architecture: llama-3.1-8b', `architecture: ${arch}`],
    ['license: llama3.1', `license: ${license}`],
    ...extra,
  ]);

const M = 'jurisdictions.lab.models.llama-8b';

describe('Gemma 3 27B and Mistral Small 3.1 in a spec', () => {
  test('both validate on one 80 GiB GPU', () => {
    expect(problems(onH100('gemma-3-27b', 'gemma'))).toEqual([]);
    expect(problems(onH100('mistral-small-3.1-24b', 'Apache-2.0'))).toEqual([]);
    const { spec } = parseSpec(onH100('gemma-3-27b', 'gemma'), 'spec.yaml');
    expect(spec.jurisdictions.lab.models['llama-8b'].architecture).toBe('gemma-3-27b');
  });

  test('fails on the 24 GiB L4, with the numbers', () => {
    const text = swap(minimal, [
      ['architecture: llama-3.1-8b', 'architecture: gemma-3-27b'],
      ['license: llama3.1', 'license: gemma'],
    ]);
    expect(problems(text)).toEqual([
      // KV: vLLM's hybrid cache groups the 10 full and 52 sliding-window layers by 10: 1 full
      // group × 8192 tokens + 6 sliding groups × (cdiv(1023 + 2048, 16) + 1) × 16 = 3088 tokens;
      // 10 × (8192 + 6 × 3088) × 2 sequences × 2 × 16 × 128 × 2 B = 4,377,804,800 B = 4.08 GiB
      // (all 62 layers at 8k would be 7.75 GiB). 51.10 + 4.08 + 2 = 57.18 GiB.
      `${M}.pool  gemma-3-27b needs 51.1 GiB of weights + 4.1 GiB of KV cache (vLLM hybrid KV cache, per sequence 10 full-attention layers (1 group of 10) × 8192 tokens + 52 sliding-window layers (6 groups of 10) × 3088: window 1024 − 1 + a 2048-token prefill chunk in 16-token blocks, + 1 block; max_num_batched_tokens 2048: vLLM v0.33.0's default for a GPU under 70 GiB (22.5 GiB)) for 2 × 8k tokens (+ 2.0 GiB runtime reserve per GPU); pool gpu offers 1 GPU × 22.49 GiB × 0.90 = 20.2 GiB per node; at tensor-parallel size 1 each GPU would need 57.2 GiB of 20.2 GiB. Use a pool with more or larger GPUs, a quantized format, a shorter context or fewer concurrent sequences`,
    ]);
  });

  test('fails on a near miss of the id, suggesting it', () => {
    const got = problems(onH100('gemma3-27b', 'gemma'));
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(
      `${M}.architecture  "gemma3-27b" is not in the built-in catalogue. Did you mean "gemma-3-27b"?`,
    );
    expect(got[0]).toContain('gemma-3-27b, mistral-small-3.1-24b, kimi-k2;');
  });

  test('the Gemma Terms of Use fail a profile that forbids unilateral change and remote restriction', () => {
    // de-bsi-c5 also wants an API key on every endpoint: give it one, so only the licence is left
    const bsi = (license: string) =>
      onH100('gemma-3-27b', license, [
        ['profile: eu-gdpr', 'profile: de-bsi-c5'],
        [
          '        maxModelLenTokens: 8192\n',
          '        maxModelLenTokens: 8192\n        apiKeySecret: { name: llm-api-keys, key: gemma }\n',
        ],
      ]);
    const got = problems(bsi('gemma'));
    expect(got.map((p) => p.split('  ')[0])).toEqual([
      `${M}.weights.license`,
      `${M}.weights.license`,
      `${M}.weights.license`,
    ]);
    expect(got[0]).toContain(
      'LIC-002 the vendor may change the terms unilaterally — Gemma Terms of Use §3.2',
    );
    expect(got[1]).toContain(
      'LIC-002 the vendor may change the terms unilaterally — Gemma Terms of Use §4.1',
    );
    expect(got[2]).toContain('LIC-003 the vendor may restrict (remotely or otherwise) or terminate the use');
    expect(got[2]).toContain(
      'accept it with a suppression { rule: LIC-003, resource: model.llama-8b, reason }',
    );
    // Mistral Small 3.1 (Apache-2.0) passes the same profile
    expect(
      problems(
        swap(bsi('gemma'), [
          ['architecture: gemma-3-27b', 'architecture: mistral-small-3.1-24b'],
          ['license: gemma', 'license: Apache-2.0'],
        ]),
      ),
    ).toEqual([]);
    // and Gemma passes once both findings are accepted, with reasons
    const accepted = swap(bsi('gemma'), [
      [
        '    sovereignty:\n',
        [
          '    suppressions:',
          '      - rule: LIC-002',
          '        resource: model.llama-8b',
          "        reason: 'The Gemma 3 27B weights are pinned by revision and hash; a later policy or model version is reviewed before adoption.'",
          '      - rule: LIC-003',
          '        resource: model.llama-8b',
          "        reason: 'Served air-gapped from a local copy: no remote restriction can reach it; use stays within the Gemma policy.'",
          '    sovereignty:\n',
        ].join('\n'),
      ],
    ]);
    expect(problems(accepted)).toEqual([]);
  });

  test('a lookalike of the Gemma licence id is refused (LIC-001)', () => {
    const got = problems(onH100('gemma-3-27b', 'Gemma'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(new RegExp(`^${M.replace(/\./g, '\\.')}\\.weights\\.license  LIC-001 `));
    expect(got[0]).toContain('gemma');
  });
});

describe('Kimi K2 in a spec (the frontier example, two 8 × H100 nodes)', () => {
  const kimi = (storeGiB: string) =>
    swap(frontier, [
      ['architecture: deepseek-r1', 'architecture: kimi-k2'],
      ['license: MIT', 'license: kimi-k2-modified-mit'],
      ['sizeGiB: 800', `sizeGiB: ${storeGiB}`],
    ]); // the model keeps the example's key, deepseek-r1

  test('validates across the two nodes when the store holds its 958.3 GiB', () => {
    expect(problems(kimi('1100'))).toEqual([]);
    // one LeaderWorkerSet group: tensor parallel 8 in each node, pipeline parallel 2 across them
    const { spec } = parseSpec(kimi('1100'), 'spec.yaml');
    const layout = vllmLayouts(spec.jurisdictions['nl-ams-frontier']).get('deepseek-r1')!;
    expect([layout.nodes, layout.tensorParallelSize, layout.pipelineParallelSize]).toEqual([2, 8, 2]);
    expect(layout.capacity.weightBytes).toBe(1_029_007_057_195.375);
    expect(layout.capacity.kvBytesPerToken).toBe(70_272);
    expect(layout.capacity.expertParallel).toBe(true);
    expect(layout.capacity.fits).toBe(true);
  });

  test('fails when the store is too small for the FP8 weights, naming the size needed', () => {
    expect(problems(kimi('800'))).toEqual([
      'jurisdictions.nl-ams-frontier.stores.models.sizeGiB  store models holds deepseek-r1 958.3 GiB + mistral-7b 13.5 GiB = 971.8 GiB of weights, more than 800 GiB × 0.95 usable; make it at least 1023 GiB',
    ]);
  });
});
