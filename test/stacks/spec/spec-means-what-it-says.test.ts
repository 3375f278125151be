/**
 * Specs written from the README that `validate` used to accept and `synth` (or the cluster)
 * refused: each is now judged alike by both entry points, with the numbers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSovereignError } from '../../../core/errors';
import { parseSpec } from '../../../stacks/spec/load';
import { synthesize } from '../../../bin/lib/synthesize';
import { synthExample, synthSpec, type Json } from '../../support/synth';

const minimal = fs.readFileSync('examples/minimal.yaml', 'utf8');
const mig = fs.readFileSync('examples/mig.yaml', 'utf8');
const sovereign = fs.readFileSync('examples/sovereign.yaml', 'utf8');

interface Verdict {
  /** validate: the problems as `path  message`, or [] when valid. */
  readonly validate: string[];
  /** synth's exit code (0 valid, 1 policy, 2 bad input). */
  readonly synth: number;
  readonly synthSays: string;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-means-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

async function judge(text: string): Promise<Verdict> {
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
  let synthSays = '';
  try {
    synth = (await synthesize({ spec: file, outdir: path.join(tmp, `out-${n}`), today: '2026-12-07' }))
      .exitCode;
  } catch (e) {
    if (!isSovereignError(e)) throw e;
    synth = e.exitCode;
    synthSays = e.message;
  }
  return { validate, synth, synthSays };
}

/** Both refuse; validate's problems contain `expected`. */
async function bothRefuse(text: string, ...expected: string[]): Promise<string[]> {
  const v = await judge(text);
  expect(v.synth).toBe(2);
  expect(v.validate.length).toBeGreaterThan(0);
  for (const e of expected) expect(v.validate.join('\n')).toContain(e);
  return v.validate;
}

async function bothAccept(text: string): Promise<void> {
  const v = await judge(text);
  expect([v.validate, v.synth, v.synthSays]).toEqual([[], 0, '']);
}

// The model server's Deployment (a gateway adds its endpoint pickers' Deployments).
const deployment = (stack: Json): Json =>
  Object.values<Json>(stack.resource.kubernetes_deployment_v1).find(
    (d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'server',
  )!;

describe('MIG: one slice per pod', () => {
  test('the MIG example serves each replica from one 3g.40gb slice at tensor-parallel size 1', () => {
    const stack = synthExample('examples/mig.yaml').stacks['lab-mig'];
    const d = deployment(stack);
    const c = d.spec.template.spec.container[0];
    expect(d.spec.replicas).toBe('8');
    expect(c.resources.limits['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(c.args[c.args.indexOf('--tensor-parallel-size') + 1]).toBe('1');
    expect(stack['//'].sovereign.pools[0]).toMatchObject({
      gpusPerNode: 8,
      resourceName: 'nvidia.com/mig-3g.40gb',
    });
  });

  test('fails when a 70B model is placed on 3g.40gb slices, naming what would hold it', async () => {
    const text = mig
      .replace('architecture: llama-3.1-8b', 'architecture: llama-3.1-70b')
      .replace('replicas: 8', 'replicas: 1');
    await bothRefuse(
      text,
      'jurisdictions.lab-mig.models.llama-8b.pool  llama-3.1-70b needs 131.4 GiB of weights',
      'A MIG pool serves a model from one slice per pod (a CUDA process sees one slice); no MIG profile of NVIDIA-A100-SXM4-80GB holds it: use whole GPUs (sharing none) with tensor parallelism',
    );
  });

  test('fails when a model outgrows its slice, naming the profiles that hold it', async () => {
    const text = mig.replace('profile: 3g.40gb', 'profile: 2g.20gb').replace('replicas: 8', 'replicas: 1');
    await bothRefuse(text, 'MIG profiles of NVIDIA-A100-SXM4-80GB that hold it: 3g.40gb, 4g.40gb, 7g.80gb');
  });

  test('fails when tensor parallelism across MIG slices is asked for', async () => {
    await bothRefuse(
      mig.replace('replicas: 8', 'replicas: 1\n        tensorParallelSize: 8'),
      'a CUDA process sees one MIG slice only, so a pod uses one slice: tensor-parallel size 8 cannot work',
    );
  });

  test('slice memory is the driver figure, not the profile name: 3g.40gb on an A100 is 39.25 GiB', async () => {
    // 15.0 GiB weights + 2.0 reserve + KV 32k × 4 × 128 KiB = 16 GiB → 33.0 GiB of 39.25 × 0.9 = 35.3
    await bothAccept(mig);
    // 32k × 5 sequences: 37.0 GiB, which 40 GiB × 0.9 = 36 would refuse too, but 39.25 × 0.9 = 35.3 refuses first
    const v = await bothRefuse(mig.replace('maxConcurrentSequences: 4', 'maxConcurrentSequences: 5'));
    expect(v.join('\n')).toContain('1 GPU × 39.25 GiB × 0.90 = 35.3 GiB');
  });
});

describe('GPU facts as data', () => {
  test('a stated memory that disagrees with the table is refused by both; the table figure is used when omitted', async () => {
    await bothRefuse(
      minimal.replace('gpusPerNode: 1, nodes', 'gpusPerNode: 1, gpuMemoryGiB: 24, nodes'),
      'jurisdictions.lab.pools.gpu.gpuMemoryGiB  24 GiB disagrees with NVIDIA-L4: the driver reports 23034 MiB = 22.49 GiB',
    );
    await bothAccept(minimal.replace('gpusPerNode: 1, nodes', 'gpusPerNode: 1, gpuMemoryGiB: 22.49, nodes'));
  });

  test('a product outside the table needs its memory', async () => {
    await bothRefuse(
      minimal.replace('product: NVIDIA-L4,', 'product: NVIDIA-RTX-PRO-6000,'),
      'jurisdictions.lab.pools.gpu.gpuMemoryGiB  NVIDIA-RTX-PRO-6000 is not in the GPU table',
    );
    await bothAccept(
      minimal.replace('product: NVIDIA-L4,', 'product: NVIDIA-RTX-PRO-6000, gpuMemoryGiB: 94.97,'),
    );
  });

  test('pods are pinned to the pool product as GFD labels it (time-sliced nodes carry -SHARED)', () => {
    const out = synthExample('examples/sovereign.yaml').stacks;
    const affinity = (stack: Json) =>
      deployment(stack).spec.template.spec.affinity.node_affinity
        .required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions[0];
    expect(affinity(out['de-fra'])).toEqual({
      key: 'nvidia.com/gpu.product',
      operator: 'In',
      values: ['NVIDIA-H100-80GB-HBM3'],
    });
    expect(affinity(out['fr-par']).values).toEqual(['NVIDIA-L40S-SHARED']);
  });

  test('a time-slice share budgets exactly what vLLM gets: 0.45 of the 44.99 GiB an L40S shows', () => {
    const c = deployment(synthExample('examples/sovereign.yaml').stacks['fr-par']).spec.template.spec
      .container[0];
    // 0.9 × (46068 MiB / 2) / 46068 MiB = 0.45: 20.24 GiB, not 0.9 × 48 / 2 = 21.6
    expect(c.args[c.args.indexOf('--gpu-memory-utilization') + 1]).toBe('0.45');
  });
});

describe('custom models', () => {
  const custom = (extra: string) =>
    minimal.replace(
      'architecture: llama-3.1-8b',
      `architecture:\n          parametersBillion: 8.03\n          layers: 32\n          attentionHeads: 32\n          kvHeads: 8\n          headDim: 128${extra}`,
    );

  test('fractional billions (32.76, 8.03, 8.19, 4.02) synthesize', async () => {
    for (const b of ['8.03', '8.19', '4.02']) {
      await bothAccept(
        custom('\n          maxContextTokens: 131072\n          dtype: bf16')
          .replace('parametersBillion: 8.03', `parametersBillion: ${b}`)
          .replace('product: NVIDIA-L4,', 'product: NVIDIA-L40S,'),
      );
    }
    const big = custom('\n          maxContextTokens: 131072\n          dtype: int4')
      .replace('parametersBillion: 8.03', 'parametersBillion: 32.76')
      .replace('layers: 32', 'layers: 64')
      .replace('attentionHeads: 32', 'attentionHeads: 40')
      .replace('product: NVIDIA-L4,', 'product: NVIDIA-L40S,');
    await bothAccept(big);
  });

  test('fails without maxContextTokens or dtype: nothing is assumed', async () => {
    await bothRefuse(custom('\n          dtype: bf16'), 'architecture.maxContextTokens  is required');
    await bothRefuse(custom('\n          maxContextTokens: 131072'), 'architecture.dtype  is required');
    await bothRefuse(
      custom('\n          maxContextTokens: 4096\n          dtype: bf16'),
      "maxModelLenTokens  8192 tokens is more than custom's context of 4096",
    );
  });

  test('the declared dtype sizes the weights: fp8 fits where bf16 does not', async () => {
    const tight = (dtype: string) =>
      custom(`\n          maxContextTokens: 131072\n          dtype: ${dtype}`).replace(
        'maxConcurrentSequences: 2',
        'maxConcurrentSequences: 4',
      );
    await bothRefuse(tight('bf16'), 'custom needs 15.0 GiB of weights');
    await bothAccept(tight('fp8'));
  });
});

describe('validate runs every check synth runs', () => {
  test('a model too big for its GPUs is refused by validate, with the numbers', async () => {
    await bothRefuse(
      minimal.replace('architecture: llama-3.1-8b', 'architecture: llama-3.1-70b'),
      'jurisdictions.lab.models.llama-8b.pool  llama-3.1-70b needs 131.4 GiB of weights',
    );
  });

  test('an explicit tensorParallelSize that does not fit names the one that does', async () => {
    const text = sovereign.replace(
      '        architecture: llama-3.1-70b\n',
      '        architecture: llama-3.1-70b\n        tensorParallelSize: 2\n',
    );
    await bothRefuse(text, 'tensorParallelSize 4 fits: set it, or leave tensorParallelSize out');
  });

  test.each([
    ["expires: '2099-02-30'", 'suppressions.0.expires  expires is a real calendar date YYYY-MM-DD'],
    [
      "reason: '            '",
      'suppressions.0.reason  a reason must be at least 10 characters besides spaces',
    ],
  ])('a suppression with %s is refused by both', async (field, message) => {
    const s = { rule: 'K8S-012', resource: '*', reason: 'accepted for the pilot', expires: '2099-12-31' };
    const line = `{ rule: ${s.rule}, resource: '*', reason: '${s.reason}', expires: '${s.expires}' }`.replace(
      field.startsWith('expires') ? `expires: '${s.expires}'` : `reason: '${s.reason}'`,
      field,
    );
    await bothRefuse(`${minimal}    suppressions:\n      - ${line}\n`, message);
  });

  test('cidr 0.0.0.0/00 is refused by both', async () => {
    await bothRefuse(
      minimal.replace('cidrs: [10.10.0.0/16]', 'cidrs: [0.0.0.0/00]'),
      'sovereignty.cidrs.0  a CIDR looks like',
    );
    await bothRefuse(
      minimal.replace('cidrs: [10.10.0.0/16]', 'cidrs: [0.0.0.0/0]'),
      '0.0.0.0/0 is the whole internet',
    );
  });

  test.each([
    ['https://user@models.lab.example/meta-llama/x', 'the URL carries credentials'],
    [
      'https://models.lab.example\\@evil.example/x',
      '"https://models.lab.example\\@evil.example/x" holds a backslash',
    ],
    [
      'https://evil.example\\@models.lab.example/x',
      '"https://evil.example\\@models.lab.example/x" holds a backslash',
    ],
  ])('a weights URL %s is refused by both', async (url, message) => {
    const text = minimal.replace(
      'url: https://models.lab.example/meta-llama/Llama-3.1-8B-Instruct',
      `url: '${url}'`,
    );
    await bothRefuse(text, `weights.source.url  ${message}`);
  });

  test('a host declared with its port matches the URL with that port, in validate, synth and the gate alike', async () => {
    const withPort = minimal
      .replace("hosts: ['*.lab.example']", "hosts: ['registry.lab.example', 'models.lab.example:443']")
      .replace('url: https://models.lab.example/', 'url: https://models.lab.example:443/');
    await bothAccept(withPort);
    await bothRefuse(
      withPort.replace('url: https://models.lab.example:443/', 'url: https://models.lab.example/'),
      'host "models.lab.example" is not among the declared in-jurisdiction endpoints',
    );
  });
});

describe('pre-seeded weights and CPU pools', () => {
  test('the edge example verifies weights in place on a local volume of its edge node, placed by its CPU pool', () => {
    const edge = synthExample('examples/sovereign.yaml').stacks['eu-edge-vie'];
    const pv = Object.values<Json>(edge.resource.kubernetes_persistent_volume_v1)[0];
    expect(pv.spec[0].persistent_volume_source.local.path).toBe('/srv/sovereign');
    expect(pv.spec[0].persistent_volume_reclaim_policy).toBe('Retain');
    expect(pv.spec[0].node_affinity.required.node_selector_term[0].match_expressions[0]).toEqual({
      key: 'kubernetes.io/hostname',
      operator: 'In',
      values: ['vie-edge-01'],
    });
    const pvc = Object.values<Json>(edge.resource.kubernetes_persistent_volume_claim_v1)[0];
    // Bound to that volume by name (a reference to it, resolved by Terraform).
    expect(pvc.spec.volume_name).toMatch(
      /^\$\{kubernetes_persistent_volume_v1\.store-models_volume_[0-9A-F]+\.metadata\[0\]\.name\}$/,
    );
    const job = Object.values<Json>(edge.resource.kubernetes_job_v1)[0];
    const toleration = [
      { effect: 'NoSchedule', key: 'sovereign-stack.io/edge', operator: 'Equal', value: 'inference' },
    ];
    expect(job.spec.template.spec.toleration).toEqual(toleration);
    const pod = deployment(edge).spec.template.spec;
    expect([pod.node_selector, pod.toleration, pod.affinity]).toEqual([
      { 'sovereign-stack.io/cpu-pool': 'edge' },
      toleration,
      undefined,
    ]);
    expect(pod.container[0].args).toContain('--no-ui');
  });

  test('an existing claim is mounted, never created', async () => {
    const text = minimal
      .replace(
        'models: { storageClass: standard, sizeGiB: 40 }',
        'models: { existingClaim: seeded-weights, sizeGiB: 40 }',
      )
      .replace(/source: \{ type: https, url: [^}]+\}/, 'source: { type: volume }');
    await bothAccept(text);
    const lab = synthSpec('spec.yaml', text).stacks.lab;
    expect(lab.resource.kubernetes_persistent_volume_claim_v1).toBeUndefined();
    const job = Object.values<Json>(lab.resource.kubernetes_job_v1)[0];
    expect(job.spec.template.spec.volume[0].persistent_volume_claim.claim_name).toBe('seeded-weights');
  });

  test('fails when weights "already on the volume" are on a claim the stack creates empty', async () => {
    await bothRefuse(
      minimal.replace(/source: \{ type: https, url: [^}]+\}/, 'source: { type: volume }'),
      'weights.source  source volume means the weights are already on the store, but store "models" is a claim the stack creates empty',
    );
  });

  test('a CPU pool by node selector; vLLM cannot use one; exactly one of nodes or nodeSelector', async () => {
    const cpu = sovereign.replace(
      '        nodes: [vie-edge-01]\n',
      '        nodeSelector: { topology.kubernetes.io/zone: vie-branch }\n',
    );
    const edge = synthSpec('spec.yaml', cpu).stacks['eu-edge-vie'];
    expect(deployment(edge).spec.template.spec.node_selector).toEqual({
      'topology.kubernetes.io/zone': 'vie-branch',
    });
    // No Node labels (the gateway's label on its tenant key Secret is not one).
    expect(
      Object.values<Json>(edge.resource.kubernetes_labels ?? {}).filter((l) => l.kind === 'Node'),
    ).toEqual([]);
    await bothRefuse(
      sovereign.replace('        nodes: [vie-edge-01]\n', ''),
      'jurisdictions.eu-edge-vie.cpuPools.edge  give exactly one of nodes',
    );
    await bothRefuse(
      sovereign.replace(
        '        engine: llama-cpp\n        pool: edge',
        '        engine: vllm\n        pool: edge',
      ),
      'models.qwen-7b.pool  vLLM needs a GPU pool (pools)',
    );
  });
});

describe('cluster access', () => {
  const api = (extra: string) =>
    minimal.replace(
      'kubeconfig: { path: ~/.kube/config, context: lab }',
      `api: { host: 'https://api.lab.example:6443'${extra} }`,
    );

  test('cluster.api.caCertificateFile is optional: without it the system CAs verify the API server', async () => {
    await bothAccept(api(''));
    const p = synthSpec('spec.yaml', api('')).stacks.lab.provider.kubernetes[0];
    expect(p.host).toBe('https://api.lab.example:6443');
    expect(p.cluster_ca_certificate).toBeUndefined();
  });

  test('the kubernetes state backend with cluster.api gets the CA certificates as data', async () => {
    const pem = `-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGVGb3JUZXN0czAKBggqhkjOPQQDAjAA\n-----END CERTIFICATE-----\n`;
    const ca = path.join(tmp, 'ca.pem');
    fs.writeFileSync(ca, pem);
    const text = api(`, caCertificateFile: '${ca}'`).replace(
      'backend: { type: local }',
      'backend: { type: kubernetes }',
    );
    await bothAccept(text);
    expect(synthSpec('spec.yaml', text).stacks.lab.terraform.backend.kubernetes.cluster_ca_certificate).toBe(
      pem,
    );
    await bothRefuse(
      text.replace(ca, path.join(tmp, 'missing.pem')),
      'cluster.api.caCertificateFile  cannot be read (no such file)',
    );
  });
});

describe('messages', () => {
  test('one tab gives one message', () => {
    let got: string[] = [];
    try {
      parseSpec(minimal.replace('        maxModelLenTokens: 8192', '\tmaxModelLenTokens: 8192'), 'spec.yaml');
    } catch (e) {
      got = (e as { problems: { line: number; message: string }[] }).problems.map((p) => p.message);
    }
    expect(got).toEqual(['a tab is used for indentation; YAML indents with spaces only']);
  });

  test("a long name gets a sentence, not the validator's words", async () => {
    const [p] = await bothRefuse(minimal.replace('  lab:', `  ${'lab-'.repeat(20)}x:`));
    expect(p).toContain('is 81 characters long; a name is at most 63 characters');
    expect(p).not.toMatch(/Too big|expected string/);
    const [m] = await bothRefuse(minimal.replace('    llama-8b:', `    ${'m'.repeat(60)}:`));
    expect(m).toContain("names the server's Service: at most 56 characters");
  });

  test('a misspelled key gets "did you mean", transpositions included', async () => {
    await bothRefuse(
      minimal.replace('{ type: https, url:', '{ type: https, ulr:'),
      'unknown key "ulr". Did you mean "url"?',
    );
  });
});
