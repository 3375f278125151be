/**
 * MoE and MLA models from the spec: catalogue ids and numbers given in the spec, judged alike by
 * `validate` (parseSpec) and `synth`, with located errors for inconsistent numbers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSovereignError } from '../../../core/errors';
import { parseSpec } from '../../../stacks/spec/load';
import { synthesize } from '../../../bin/lib/synthesize';
import { synthSpec, type Json } from '../../support/synth';

const minimal = fs.readFileSync('examples/minimal.yaml', 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-moe-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function judge(text: string): Promise<{ validate: string[]; synth: number }> {
  let validate: string[] = [];
  try {
    parseSpec(text, 'spec.yaml');
  } catch (e) {
    if (!isSovereignError(e)) throw e;
    validate = e.problems.map((p) => `${p.path}  ${p.message}`);
  }
  const file = path.join(tmp, `spec-${n++}.yaml`);
  fs.writeFileSync(file, text);
  let synth = 0;
  try {
    synth = (await synthesize({ spec: file, outdir: path.join(tmp, `out-${n}`), today: '2026-12-07' }))
      .exitCode;
  } catch (e) {
    if (!isSovereignError(e)) throw e;
    synth = e.exitCode;
  }
  return { validate, synth };
}

/** The minimal example with another model, pool and store size. */
function spec(
  architecture: string,
  pool: string,
  opts: { seqs?: number; len?: number; store?: number; license?: string } = {},
): string {
  return minimal
    .replace(
      'architecture: llama-3.1-8b',
      `architecture:${architecture.startsWith('\n') ? '' : ' '}${architecture}`,
    )
    .replace('gpu: { product: NVIDIA-L4, gpusPerNode: 1, nodes: [lab-gpu-01] }', `gpu: ${pool}`)
    .replace('maxConcurrentSequences: 2', `maxConcurrentSequences: ${opts.seqs ?? 2}`)
    .replace('maxModelLenTokens: 8192', `maxModelLenTokens: ${opts.len ?? 8192}`)
    .replace('sizeGiB: 40', `sizeGiB: ${opts.store ?? 40}`)
    .replace('license: llama3.1', `license: ${opts.license ?? 'llama3.1'}`);
}

const args = (text: string): string[] => {
  const stack = synthSpec('spec.yaml', text, true).stacks.lab;
  const d = Object.values<Json>(stack.resource.kubernetes_deployment_v1).find(
    (x) => x.metadata.labels?.['app.kubernetes.io/component'] === 'server',
  )!;
  return d.spec.template.spec.container[0].args as string[];
};

// DeepSeek-V2-Lite's shape (hidden 2048, 27 layers, 64 routed + 2 shared experts, 6 per token,
// first layer dense, moe_intermediate_size 1408, kv_lora_rank 512, qk_rope_head_dim 64), as a
// user would copy it from config.json.
const mlaMoe = (moe: string, params = '15.71') => `
          parametersBillion: ${params}
          layers: 27
          attentionHeads: 16
          kvHeads: 16
          headDim: 192
          maxContextTokens: 163840
          dtype: bf16
          hiddenSize: 2048
          vocabSize: 102400
          moe: { ${moe} }
          mla: { kvLoraRank: 512, qkRopeHeadDim: 64 }`;
const lite = 'experts: 64, expertsPerToken: 6, sharedExperts: 2, moeLayers: 26, expertIntermediateSize: 1408';
const l40s = '{ product: NVIDIA-L40S, gpusPerNode: 1, nodes: [lab-gpu-01] }';

describe('MoE and MLA numbers given in the spec', () => {
  test('a custom MoE + MLA model is planned from its latent cache and served on one GPU', async () => {
    const text = spec(mlaMoe(lite), l40s);
    expect(await judge(text)).toEqual({ validate: [], synth: 0 });
    const a = args(text);
    expect(a[a.indexOf('--tensor-parallel-size') + 1]).toBe('1');
    expect(a).not.toContain('--enable-expert-parallel');
  });

  test('fails, located, when experts per token exceed the experts', async () => {
    const v = await judge(spec(mlaMoe(lite.replace('expertsPerToken: 6', 'expertsPerToken: 65')), l40s));
    expect(v.synth).toBe(2);
    expect(v.validate).toContain(
      'jurisdictions.lab.models.llama-8b.architecture.moe.expertsPerToken  65 experts per token is more than the 64 experts (num_experts_per_tok ≤ n_routed_experts)',
    );
  });

  test('fails, located, when the experts hold more than the total (active > total)', async () => {
    const v = await judge(spec(mlaMoe(lite, '10'), l40s));
    expect(v.synth).toBe(2);
    expect(v.validate.join('\n')).toContain(
      'jurisdictions.lab.models.llama-8b.architecture.moe  the routed experts alone hold 26 layers × 64 experts × 3 × 2048 × 1408 = 14.39B parameters, more than the 10.00B total',
    );
  });

  test('fails, located, when MoE layers exceed layers or a field is unknown', async () => {
    const v = await judge(spec(mlaMoe(lite.replace('moeLayers: 26', 'moeLayers: 28')), l40s));
    expect(v.synth).toBe(2);
    expect(v.validate.join('\n')).toContain(
      "architecture.moe.moeLayers  28 MoE layers is more than the model's 27 layers",
    );
    const typo = await judge(spec(mlaMoe(`${lite}, expertsPerTok: 6`), l40s));
    expect(typo.synth).toBe(2);
    expect(typo.validate.join('\n')).toContain('architecture.moe');
  });
});

describe('catalogue MoE models', () => {
  const h100x2 = '{ product: NVIDIA-H100-80GB-HBM3, gpusPerNode: 2, nodes: [lab-gpu-01] }';

  test('gpt-oss-120b (MXFP4) at 16 × 16k tokens takes two H100s with expert parallel', async () => {
    const text = spec('gpt-oss-120b', h100x2, { seqs: 16, len: 16384, store: 80, license: 'gpt-oss' });
    expect(await judge(text)).toEqual({ validate: [], synth: 0 });
    const a = args(text);
    expect(a[a.indexOf('--tensor-parallel-size') + 1]).toBe('2');
    expect(a).toContain('--enable-expert-parallel');
  });

  test('fails when DeepSeek-V3 FP8 is placed on one 8 × H100 node, with the numbers', async () => {
    const pool = '{ product: NVIDIA-H100-80GB-HBM3, gpusPerNode: 8, nodes: [lab-gpu-01] }';
    const v = await judge(spec('deepseek-v3', pool, { store: 700, license: 'MIT' }));
    expect(v.synth).toBe(2);
    expect(v.validate.join('\n')).toContain(
      'jurisdictions.lab.models.llama-8b.pool  deepseek-v3 (MoE: 671.0B parameters, all experts resident; 37.6B active) needs 626.8 GiB of weights + 1.1 GiB of MLA latent cache (held whole on every GPU) for 2 × 8k tokens',
    );
  });
});
