/**
 * The examples end to end, as a CI pipeline runs them: `sovereign synth` then `sovereign audit`
 * in every format, through the real CLI. Then broken copies that must fail: at the spec
 * (`validate` / `synth`, exit 2, located) and — for what slips past the spec, such as an edited
 * cdk.tf.json or TypeScript written against the constructs — at the policy (`audit`, exit 1,
 * exactly the rules that guard each break).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GPU_OPERATOR_PSA_EXCEPTION } from '../../constructs/private-cluster';
import type { AuditReport, StackReport } from '../../policy/report/model';
import { sovereign, STACK_TRACE } from '../support/cli';
import { EXAMPLES } from '../support/paths';
import { validateCycloneDx } from './report/helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FORMATS = { text: 'txt', markdown: 'md', json: 'json', cyclonedx: 'cdx.json' } as const;
type Format = keyof typeof FORMATS;

interface Audited {
  readonly out: string;
  readonly reports: Record<Format, string>;
  readonly json: AuditReport;
  readonly stack: (name: string) => StackReport;
}

let tmp: string;
const audited: Record<string, Audited> = {};

/** Synthesizes an example with the CLI, then audits it in every format into files. */
async function synthAndAudit(example: string): Promise<Audited> {
  const out = path.join(tmp, example.replace(/\.yaml$/, ''), 'cdktf.out');
  const synth = await sovereign(['synth', `examples/${example}`, '--out', out]);
  // The output is outside the project: synth notes how project-relative files are written.
  const stderr = synth.stderr.replace(/^note .* is outside the project: .*\n/gm, '');
  expect({ code: synth.code, stderr }).toEqual({ code: 0, stderr: '' });
  const reports = {} as Record<Format, string>;
  for (const [format, ext] of Object.entries(FORMATS) as [Format, string][]) {
    const file = path.join(tmp, example.replace(/\.yaml$/, ''), `audit.${ext}`);
    const r = await sovereign(['audit', out, '--format', format, '--output', file]);
    expect({ format, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      format,
      code: 0,
      stdout: '',
      stderr: '',
    });
    reports[format] = fs.readFileSync(file, 'utf8');
  }
  const json = JSON.parse(reports.json) as AuditReport;
  const stack = (name: string) => {
    const s = json.stacks.find((x) => x.name === name);
    if (!s) throw new Error(`no stack ${name}`);
    return s;
  };
  return { out, reports, json, stack };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-examples-'));
  for (const example of ['sovereign.yaml', 'minimal.yaml', 'mig.yaml', 'frontier.yaml'])
    audited[example] = await synthAndAudit(example);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of a synthesized directory whose one stack is edited in place. */
function editedCopy(from: string, stack: string, edit: (j: Json) => void): string {
  const to = fs.mkdtempSync(path.join(tmp, 'edited-'));
  fs.cpSync(from, to, { recursive: true });
  const file = path.join(to, 'stacks', stack, 'cdk.tf.json');
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  edit(j);
  fs.writeFileSync(file, JSON.stringify(j, null, 2));
  return to;
}

/** The one resource of `type` whose logical id contains `part`. */
function resource(j: Json, type: string, part: string): Json {
  const ids = Object.keys(j.resource[type] ?? {}).filter((k) => k.includes(part));
  if (ids.length !== 1) throw new Error(`${ids.length} ${type} match ${part}`);
  return j.resource[type][ids[0]];
}

/** `rule address` of every unsuppressed failing finding, per stack. */
function failures(report: AuditReport): Record<string, string[]> {
  return Object.fromEntries(
    report.stacks.map((s) => [
      s.name,
      [
        ...new Set(s.findings.filter((f) => f.status === 'failed').map((f) => `${f.rule} ${f.address}`)),
      ].sort(),
    ]),
  );
}

describe.each([
  ['sovereign.yaml', ['de-fra', 'eu-edge-vie', 'fr-par']],
  ['minimal.yaml', ['lab']],
  ['mig.yaml', ['lab-mig']],
  ['frontier.yaml', ['nl-ams-frontier']],
])('examples/%s end to end', (example, stacks) => {
  const a = () => audited[example];

  test('synthesizes, and every audit format exits 0 with zero unsuppressed errors or unknowns', async () => {
    const { json, reports } = a();
    expect(json.gate).toBe('pass');
    expect(json.stacks.map((s) => s.name)).toEqual(stacks);
    expect(json.totals).toMatchObject({ errors: 0, unknown: 0 });
    for (const s of json.stacks) {
      // What is left unsuppressed is the Llama licences' warnings (caps, attribution; and in
      // eu-gdpr also the terms Meta may change or end), each on the page for the auditor.
      const open = s.findings.filter((f) => f.status !== 'suppressed');
      expect(open.filter((f) => !(f.rule.startsWith('LIC-') && f.level === 'warning'))).toEqual([]);
      expect(open.every((f) => /^model\.llama-/.test(f.address))).toBe(true);
      expect(s.totals.passed).toBeGreaterThan(50);
    }
    expect(reports.text.trimEnd().split('\n').pop()).toMatch(
      /^PASS: \d+ passed, \d+ failed, .*; open findings: 0 errors, \d+ warnings?$/,
    );
    expect(reports.markdown).toContain('- Result: **PASS**');
    expect(json.files.map((f) => f.path)).toEqual([
      'manifest.json',
      ...stacks.map((s) => `stacks/${s}/cdk.tf.json`),
    ]);
  });

  test('the suppressions register shows the GPU operator PSA exception, with its reason, in GPU stacks only', async () => {
    const { json, reports } = a();
    for (const s of json.stacks) {
      const gpu = s.inventory.pools.some((p) => p.gpuProduct !== undefined);
      // The spec's own suppressions are the licence acceptances, each applied with its reason,
      // and (frontier.yaml) the IPC_LOCK a multi-node pool declares, on its LeaderWorkerSet.
      for (const x of s.suppressions.filter((y) => y.rule !== 'K8S-023')) {
        if (x.rule === 'K8S-006') {
          expect(x).toMatchObject({
            resource: expect.stringMatching(/^kubernetes_manifest\.model-deepseek-r1_leader-worker-set_/),
            state: 'applied',
          });
          expect(reports.markdown).toContain(x.reason);
          continue;
        }
        expect(x).toMatchObject({ rule: expect.stringMatching(/^LIC-00[2347]$/), state: 'applied' });
        expect(x.reason.length).toBeGreaterThan(100);
      }
      const psa = s.suppressions.filter((y) => y.rule === 'K8S-023');
      expect(psa).toEqual(
        gpu
          ? [
              {
                index: expect.any(Number),
                rule: 'K8S-023',
                resource: expect.stringMatching(/^kubernetes_namespace_v1\.cluster_namespace-gpu-operator_/),
                reason: GPU_OPERATOR_PSA_EXCEPTION,
                matched: [psa[0]?.resource],
                state: 'applied',
              },
            ]
          : [],
      );
      if (!gpu) continue;
      const ns = psa[0].resource;
      expect(reports.markdown).toContain(
        `| K8S-023 | \`${ns}\` | ${GPU_OPERATOR_PSA_EXCEPTION} |  | applied |`,
      );
      expect(reports.text).toContain(`suppression K8S-023 on ${ns}: applied — ${GPU_OPERATOR_PSA_EXCEPTION}`);
    }
  });

  test('the CycloneDX BOM validates against the official 1.6 schema and holds every model and image', async () => {
    const { reports, json } = a();
    expect(await validateCycloneDx(reports.cyclonedx)).toBeNull();
    const bom = JSON.parse(reports.cyclonedx) as { components: Json[] };
    const models = json.stacks.flatMap((s) => s.inventory.models.map((m) => m.name)).sort();
    expect(
      bom.components
        .filter((c) => c.type === 'machine-learning-model')
        .map((c) => c.name as string)
        .sort(),
    ).toEqual(models);
    const images = new Set(json.stacks.flatMap((s) => s.inventory.images));
    const containers = bom.components.filter((c) => c.type === 'container');
    expect(containers).toHaveLength(images.size);
    // Pinned images carry their digest; the GPU Operator's tag-only operands say so.
    for (const c of containers) {
      const pinned = (c as { properties?: { name: string; value: string }[] }).properties?.find(
        (p) => p.name === 'sovereign-stack:pinned',
      )?.value;
      if (pinned === 'digest') expect(c.hashes).toEqual([{ alg: 'SHA-256', content: expect.any(String) }]);
      else expect([c.name, pinned, c.hashes]).toEqual([c.name, 'tag only', undefined]);
    }
  });

  test('no data location is outside the jurisdiction (a kubeconfig context is unknown, not outside)', async () => {
    for (const s of a().json.stacks) {
      for (const d of s.dataLocations) {
        if (d.kind === 'cluster-api' && d.location.startsWith('kubeconfig context')) continue;
        // A public provider registry the spec declares is allowed, and reported as what it is.
        const expected =
          d.kind === 'provider-registry' && d.location === 'registry.terraform.io'
            ? 'declared-public'
            : 'inside';
        expect({ ...d, stack: s.name }).toEqual({ ...d, stack: s.name, jurisdiction: expected });
      }
    }
  });
});

describe('examples/sovereign.yaml: inventory and data locations per jurisdiction', () => {
  const s = (name: string) => audited['sovereign.yaml'].stack(name);

  test.each([
    // jurisdiction, models, GPUs requested, pools (offered), images
    // Serving and weights-sync images, the GPU Operator's operands (de-fra: 10 with the
    // operator-installed driver and its manager; fr-par: 8, the hosts' preinstalled driver),
    // and the gateway's controller, proxy and endpoint picker (+ KEDA's three).
    ['de-fra', ['llama-3-1-70b', 'llama-3-1-8b'], 10, { h100: 16 }, 17], // chart v26: no operator.initContainer
    ['fr-par', ['mistral-7b'], 3, { l40s: 24 }, 12],
    ['eu-edge-vie', ['qwen-7b'], 0, {}, 5],
  ])('%s: models, GPUs, pools, images with digests', async (name, models, gpus, pools, images) => {
    const inv = s(name).inventory;
    expect(inv.models.map((m) => m.name)).toEqual(models);
    expect(inv.gpusRequested).toBe(gpus);
    expect(
      Object.fromEntries(inv.pools.filter((p) => p.gpuProduct).map((p) => [p.name, p.gpusOffered])),
    ).toEqual(pools);
    expect(inv.pools.reduce((n, p) => n + p.gpusRequested, 0)).toBe(gpus);
    expect(inv.images).toHaveLength(images);
    const chain = s(name).supplyChain.images;
    expect(chain.map((i) => i.ref)).toEqual(inv.images);
    // Pinned by digest, except the operator and validator (the chart's appVersion tag) and NFD
    // (the subchart's tag), which the stack does not pin: flagged as tag only.
    for (const i of chain)
      if (!/\/(nvidia\/gpu-operator|nfd\/node-feature-discovery):v[0-9.]+$/.test(i.ref))
        expect([i.ref, i.digest]).toEqual([i.ref, expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
  });

  test('de-fra: tensor-parallel 70B and the 8B share the H100 pool', async () => {
    expect(s('de-fra').inventory.models.map((m) => [m.name, m.gpus, m.replicas, m.pool])).toEqual([
      ['llama-3-1-70b', 4, 2, 'h100'],
      ['llama-3-1-8b', 1, 2, 'h100'],
    ]);
    expect(s('fr-par').inventory.pools).toEqual([
      expect.objectContaining({
        name: 'l40s',
        gpuProduct: 'NVIDIA-L40S',
        nodeCount: 3,
        physicalGpusPerNode: 4,
        gpusPerNode: 8,
        sharing: 'time-slicing',
        models: ['mistral-7b'],
      }),
    ]);
  });

  const where = (name: string) =>
    s(name)
      .dataLocations.filter((d) => d.kind !== 'cluster-api' && d.kind !== 'storage')
      .map((d) => `${d.kind} ${d.location}`);

  test('de-fra: the S3 state endpoint, the S3 weight sources and the OCI chart mirror', async () => {
    expect(where('de-fra')).toEqual(
      expect.arrayContaining([
        'backend https://s3.fra.sovereign-cloud.de.example bucket platform-tfstate key de-fra/terraform.tfstate',
        'weights-source https://s3.fra.sovereign-cloud.de.example/model-mirror/meta-llama/Llama-3.1-70B-Instruct',
        'weights-source https://s3.fra.sovereign-cloud.de.example/model-mirror/meta-llama/Llama-3.1-8B-Instruct',
        'chart-repository oci://registry.fra.sovereign-cloud.de.example/charts',
        'image-registry registry.fra.sovereign-cloud.de.example',
        'provider-registry terraform-mirror.fra.sovereign-cloud.de.example',
      ]),
    );
    const md = audited['sovereign.yaml'].reports.markdown;
    // Literal text in the Markdown: the scheme's colon escaped so that GFM makes no link of it.
    expect(md).toContain('https\\://s3.fra.sovereign-cloud.de.example bucket platform-tfstate');
  });

  test('fr-par: PostgreSQL state, the HTTPS weight mirror and the HTTPS chart mirror', async () => {
    expect(where('fr-par')).toEqual(
      expect.arrayContaining([
        'backend pg',
        'weights-source https://models.par.cloud-souverain.fr.example/mistralai/Mistral-7B-Instruct-v0.3',
        'chart-repository https://charts.par.cloud-souverain.fr.example/nvidia',
      ]),
    );
  });

  test('eu-edge-vie: state in a cluster Secret, weights on a volume, the gateway charts from its mirror', async () => {
    const w = where('eu-edge-vie');
    expect(w).toContain('backend Secret tfstate-*-eu-edge-vie in the cluster');
    // Named twice: by the weights Job's annotation and by the model record.
    expect([...new Set(w.filter((x) => x.startsWith('weights-source')))]).toEqual([
      expect.stringMatching(/^weights-source pvc:\/\/weights-models\/models\/qwen-7b\/[0-9a-f]{40}$/),
    ]);
    expect([...new Set(w.filter((x) => x.startsWith('chart-repository')))]).toEqual([
      'chart-repository oci://registry.vie.edge.eu.example/charts',
    ]);
  });
});

describe('a broken copy of examples/sovereign.yaml is refused by the spec (exit 2, located)', () => {
  const base = () => fs.readFileSync(path.join(EXAMPLES, 'sovereign.yaml'), 'utf8');

  test.each([
    [
      'an image from a foreign registry',
      'vllm: registry.fra.sovereign-cloud.de.example/vllm/',
      'vllm: docker.io/vllm/',
      /^ {2}broken\.yaml:\d+:\d+ {2}jurisdictions\.de-fra\.images\.vllm {2}registry "docker\.io" is not in sovereignty\.registries \(registry\.fra\.sovereign-cloud\.de\.example\)$/m,
    ],
    [
      'a hub URL as weight source',
      'url: https://models.par.cloud-souverain.fr.example/',
      'url: https://huggingface.co/',
      /^ {2}broken\.yaml:\d+:\d+ {2}jurisdictions\.fr-par\.models\.mistral-7b\.weights\.source\.url {2}host "huggingface\.co" is not among the declared in-jurisdiction endpoints/m,
    ],
    [
      'a :latest tag without digest',
      /weightsSync: (registry\.vie\.edge\.eu\.example\/platform\/weights-sync):1\.4\.0@sha256:[0-9a-f]{64}/,
      'weightsSync: $1:latest',
      /^ {2}broken\.yaml:\d+:\d+ {2}jurisdictions\.eu-edge-vie\.images\.weightsSync {2}images\.weightsSync must be pinned by digest/m,
    ],
    [
      'clients from every address',
      'cidrs: [172.20.8.0/24]',
      'cidrs: [0.0.0.0/0]',
      /^ {2}broken\.yaml:\d+:\d+ {2}jurisdictions\.fr-par\.clients\.cidrs\.0 {2}0\.0\.0\.0\/0 would open the endpoints to every address/m,
    ],
    [
      'a state backend outside the jurisdiction',
      'endpoint: https://s3.fra.sovereign-cloud.de.example\n      bucket: platform-tfstate',
      'endpoint: https://s3.eu-central-1.amazonaws.com\n      bucket: platform-tfstate',
      /^ {2}broken\.yaml:\d+:\d+ {2}jurisdictions\.de-fra\.backend\.endpoint {2}the state backend host "s3\.eu-central-1\.amazonaws\.com" is outside the jurisdiction/m,
    ],
  ] as const)('fails with %s', async (_what, from, to, located) => {
    const text = base();
    const broken = text.replace(from, to);
    expect(broken).not.toBe(text);
    const dir = fs.mkdtempSync(path.join(tmp, 'spec-'));
    fs.writeFileSync(path.join(dir, 'broken.yaml'), broken);
    for (const args of [
      ['validate', 'broken.yaml'],
      ['synth', 'broken.yaml', '--out', 'out'],
    ]) {
      const r = await sovereign(args, dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error broken\.yaml: 1 problem in the spec\n/);
      expect(r.stderr).toMatch(located);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
    expect(fs.readdirSync(dir)).toEqual(['broken.yaml']);
  });
});

describe('an edited synthesized stack is refused by the policy (sovereign audit, exit 1)', () => {
  const VLLM_70B = 'model-llama-3-1-70b_deployment';
  const VLLM_8B = 'model-llama-3-1-8b_deployment';
  const WEIGHTS_EGRESS = 'netpol-llm-serving-weights-egress';
  const container = (j: Json, id: string) =>
    resource(j, 'kubernetes_deployment_v1', id).spec.template.spec.container[0];

  const breaks: Record<string, { edit: (j: Json) => void; rules: string[] }> = {
    'an image from docker.io (pinned by digest)': {
      edit: (j) => (container(j, VLLM_70B).image = `docker.io/vllm/vllm-openai@sha256:${'a'.repeat(64)}`),
      rules: [`SOV-002 kubernetes_deployment_v1.${VLLM_70B}`],
    },
    'a :latest tag without digest (from the allowed registry)': {
      edit: (j) =>
        (container(j, VLLM_8B).image = 'registry.fra.sovereign-cloud.de.example/vllm/vllm-openai:latest'),
      rules: [`SOV-001 kubernetes_deployment_v1.${VLLM_8B}`],
    },
    'a NetworkPolicy egress to 0.0.0.0/0': {
      edit: (j) =>
        resource(j, 'kubernetes_network_policy_v1', WEIGHTS_EGRESS).spec.egress.push({
          to: [{ ip_block: { cidr: '0.0.0.0/0' } }],
        }),
      rules: [
        `K8S-019 kubernetes_network_policy_v1.cluster_${WEIGHTS_EGRESS}`,
        `SOV-011 kubernetes_network_policy_v1.cluster_${WEIGHTS_EGRESS}`,
      ],
    },
    'a vLLM model argument that is a hub id': {
      edit: (j) => {
        const args = container(j, VLLM_8B).args as string[];
        expect(args[0]).toBe('/models');
        args[0] = 'meta-llama/Llama-3.1-8B-Instruct';
      },
      rules: [`SOV-009 kubernetes_deployment_v1.${VLLM_8B}`],
    },
    "the GPU Operator's driver mirrored from nvcr.io (a values repository, no image name)": {
      edit: (j) => {
        const release = resource(j, 'helm_release', 'gpu-operator');
        const values = JSON.parse(release.values[0] as string) as Json;
        values.driver.repository = 'nvcr.io/nvidia';
        release.values[0] = JSON.stringify(values);
      },
      rules: ['SOV-002 helm_release.gpu-operator_release'],
    },
    'a remote backend': {
      edit: (j) =>
        (j.terraform.backend = {
          remote: { hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'de-fra' } },
        }),
      rules: ['SOV-007 terraform.backend.remote'],
    },
    'an HCP Terraform cloud block instead of the backend': {
      edit: (j) => {
        delete j.terraform.backend;
        j.terraform.cloud = { organization: 'acme', workspaces: { name: 'de-fra' } };
      },
      rules: ['SOV-007 terraform.cloud'],
    },
  };

  /** Audits an edited copy of de-fra; exit 1, and the failing `rule address` pairs by stack. */
  async function auditEdited(
    edit: (j: Json) => void,
  ): Promise<{ text: string; failed: Record<string, string[]> }> {
    const dir = editedCopy(audited['sovereign.yaml'].out, 'de-fra', edit);
    const json = await sovereign(['audit', dir, '--format', 'json']);
    const text = await sovereign(['audit', dir]);
    for (const r of [json, text]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
    }
    const failed = failures(JSON.parse(json.stdout) as AuditReport);
    // Logical ids end in a hash; compare on the stable prefix.
    for (const k of Object.keys(failed)) failed[k] = failed[k].map((x) => x.replace(/_[0-9A-F]{8}$/, ''));
    return { text: text.stdout, failed };
  }

  test.each(Object.keys(breaks))('fails with exactly the rules that guard %s', async (what) => {
    const { failed } = await auditEdited(breaks[what].edit);
    expect(failed).toEqual({ 'de-fra': breaks[what].rules, 'eu-edge-vie': [], 'fr-par': [] });
  });

  test('all of them at once: every rule id, named with stack, address and field in the text report', async () => {
    const { failed, text } = await auditEdited((j) => {
      for (const b of Object.values(breaks).filter((x) => !x.rules[0].endsWith('terraform.cloud'))) b.edit(j);
    });
    expect([...new Set(failed['de-fra'].map((x) => x.split(' ')[0]))]).toEqual([
      'K8S-019',
      'SOV-001',
      'SOV-002',
      'SOV-007',
      'SOV-009',
      'SOV-011',
    ]);
    expect(text).toMatch(
      /^ {2}error {4}SOV-002 {2}de-fra:kubernetes_deployment_v1\.model-llama-3-1-70b_deployment_[0-9A-F]{8} {2}spec\.template\.spec\.container\[0\]\.image$/m,
    );
    expect(text).toMatch(
      /^ {2}error {4}SOV-009 {2}de-fra:.+ {2}spec\.template\.spec\.container\[0\]\.args\[0\]$/m,
    );
    expect(text).toContain('data location outside: image-registry docker.io → docker.io');
    expect(text).toContain('data location outside: backend remote → app.terraform.io organization acme');
    expect(text.trimEnd().split('\n').pop()).toMatch(
      /^FAIL: \d+ passed, 7 failed, .*; open findings: 7 errors, /,
    );
  });

  test('an unresolved image fails everywhere (deny by default); accepted with a reason, only the strict stack fails it', async () => {
    const dir = editedCopy(audited['sovereign.yaml'].out, 'de-fra', (j) => {
      container(j, VLLM_8B).image = '${var.vllm_image}';
    });
    const edge = path.join(dir, 'stacks', 'eu-edge-vie', 'cdk.tf.json');
    const j = JSON.parse(fs.readFileSync(edge, 'utf8')) as Json;
    resource(j, 'kubernetes_deployment_v1', 'model-qwen-7b').spec.template.spec.container[0].image =
      '${var.llama_image}';
    fs.writeFileSync(edge, JSON.stringify(j, null, 2));

    const denied = JSON.parse((await sovereign(['audit', dir, '--format', 'json'])).stdout) as AuditReport;
    expect(denied.stacks.map((s) => s.totals.errors)).toEqual([3, 3, 0]);
    const r = await sovereign([
      'audit',
      dir,
      '--format',
      'json',
      '--allow-unknown',
      'image set by the release pipeline',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as AuditReport;
    const by = (name: string, status: string) =>
      report.stacks
        .find((s) => s.name === name)!
        .findings.filter((f) => f.status === status)
        .map((f) => f.rule);
    expect(report.stacks.map((s) => [s.name, s.strict])).toEqual([
      ['de-fra', true],
      ['eu-edge-vie', false],
      ['fr-par', true],
    ]);
    expect(by('de-fra', 'failed')).toEqual(['SOV-001', 'SOV-002', 'SOV-016']);
    expect(by('eu-edge-vie', 'failed')).toEqual([]);
    expect(by('eu-edge-vie', 'unknown')).toEqual(['SOV-001', 'SOV-002', 'SOV-016']);
    expect(report.totals.errors).toBe(3);
    expect(report.trust.allowUnknown?.accepted.map((u) => u.rule)).toEqual(['SOV-001', 'SOV-002', 'SOV-016']);

    // --strict makes every stack strict.
    const all = JSON.parse(
      (await sovereign(['audit', dir, '--format', 'json', '--strict'])).stdout,
    ) as AuditReport;
    expect(all.stacks.map((s) => s.totals.errors)).toEqual([3, 3, 0]);
  });
});
