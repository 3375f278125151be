/**
 * A corpus of tampered artifacts, built from the real synthesis of examples/sovereign.yaml:
 * every edit an attacker could make to cdk.tf.json (or to the directory) must be caught, with
 * exit 1 naming the rule, or exit 2 naming the refusal. Plus what anchors the boundary:
 * --spec, --policy and --allow-unknown.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from '../../../bin/commands/audit';
import { synthesize } from '../../../bin/lib/synthesize';
import { isSovereignError } from '../../../core/errors';
import type { AuditReport } from '../../../policy/report/model';
import { EXAMPLES } from '../../support/paths';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let tmp: string;
let pristine: string;
let n = 0;
const SPEC = join(EXAMPLES, 'sovereign.yaml');
const DEPLOY = 'model-llama-3-1-70b_deployment_8215E3C1';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sovereign-tampered-'));
  pristine = join(tmp, 'base', 'cdktf.out');
  const r = await synthesize({ spec: SPEC, outdir: pristine });
  expect(r.exitCode).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh copy of the synthesized example at the same depth as the original. */
function copy(): string {
  const d = join(tmp, `case${String(++n).padStart(3, '0')}`, 'cdktf.out');
  mkdirSync(join(d, '..'), { recursive: true });
  cpSync(pristine, d, { recursive: true });
  return d;
}
const stackFile = (dir: string, stack = 'de-fra') => join(dir, 'stacks', stack, 'cdk.tf.json');
const read = (dir: string, stack = 'de-fra'): Json => JSON.parse(readFileSync(stackFile(dir, stack), 'utf8'));
const write = (dir: string, j: Json, stack = 'de-fra') =>
  writeFileSync(stackFile(dir, stack), JSON.stringify(j, null, 2));
const deployment = (j: Json) => j.resource.kubernetes_deployment_v1[DEPLOY];
const container = (j: Json) => deployment(j).spec.template.spec.container[0];

interface Outcome {
  readonly code: number;
  readonly report: AuditReport;
  /** Rules with failing findings (unsuppressed, any level). */
  readonly failed: string[];
  readonly messages: string;
}

async function audit(dir: string, opts: Parameters<typeof run>[1] = {}): Promise<Outcome> {
  const out: string[] = [];
  const code = await run(dir, {
    format: 'json',
    today: '2026-12-07',
    ...opts,
    write: (s) => void out.push(s),
  });
  const report = JSON.parse(out.join('')) as AuditReport;
  const findings = report.stacks.flatMap((s) => s.findings).filter((f) => f.status === 'failed');
  return {
    code,
    report,
    failed: [...new Set(findings.map((f) => f.rule))].sort(),
    messages: findings.map((f) => `${f.rule} ${f.address} ${f.path} ${f.message}`).join('\n'),
  };
}

/** Applies `edit` to a copy of de-fra's stack and audits it. */
async function tampered(edit: (j: Json) => void, opts: Parameters<typeof run>[1] = {}, stack = 'de-fra') {
  const d = copy();
  const j = read(d, stack);
  edit(j);
  write(d, j, stack);
  return audit(d, opts);
}

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isSovereignError(e)).toBe(true);
    if (isSovereignError(e)) {
      expect(e.exitCode).toBe(2);
      expect(
        `${e.message}\n${e.problems.map((x) => `${x.file}:${x.path}: ${x.message}`).join('\n')}`,
      ).toMatch(message);
    }
    return;
  }
  throw new Error('expected a refusal (exit 2)');
}

const DOCKER_IMAGE = 'docker.io/vllm/vllm-openai:latest';

describe('the example as synthesized', () => {
  test('passes with zero unsuppressed errors, self-declared without an anchor', async () => {
    const r = await audit(copy());
    expect({ code: r.code, failed: r.failed }).toEqual({ code: 0, failed: [] });
    expect(r.report.trust.anchor).toBe('self-declared');
    expect(r.report.trust.statement).toMatch(/boundary is self-declared/);
  });
  test('is identical to what the approved spec synthesizes (--spec)', async () => {
    const r = await audit(copy(), { spec: SPEC });
    expect(r.code).toBe(0);
    expect(r.report.trust.anchor).toBe('spec');
    expect(r.report.trust.spec?.differences).toEqual([]);
  });
});

describe('the policy lives in the file it judges: the artifact may only tighten', () => {
  const withDockerImage = (j: Json) => (container(j).image = DOCKER_IMAGE);
  test('dropping the sovereignty pack', async () => {
    const r = await tampered((j) => {
      withDockerImage(j);
      j['//'].sovereign.packs = j['//'].sovereign.packs.filter((p: Json) => p.id !== 'sovereignty');
    });
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(expect.arrayContaining(['SOV-001', 'SOV-002']));
  });
  test('lowering the sovereignty pack to warning', async () => {
    const r = await tampered((j) => {
      withDockerImage(j);
      for (const p of j['//'].sovereign.packs) p.level = 'warning';
    });
    expect(r.code).toBe(1);
    const f = r.report.stacks.flatMap((s) => s.findings).find((x) => x.rule === 'SOV-002');
    expect(f?.level).toBe('error');
  });
  test('profile none, no packs, strict false', async () => {
    const r = await tampered((j) => {
      withDockerImage(j);
      Object.assign(j['//'].sovereign, { profile: 'none', packs: [], strict: false });
    });
    expect(r.code).toBe(1);
    expect(r.failed).toContain('SOV-002');
  });
  test('an unknown profile name is itself a failure', async () => {
    const r = await tampered((j) => (j['//'].sovereign.profile = 'lab'));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-014 .*unknown profile "lab"/);
  });
  test('strict false on a strict profile: unknowns still fail', async () => {
    const r = await tampered((j) => {
      j['//'].sovereign.strict = false;
      container(j).image = '${var.img}';
      j.variable = { img: { default: DOCKER_IMAGE } };
    });
    expect(r.code).toBe(1);
    expect(r.failed).toContain('SOV-002');
  });
  test('suppressions of SOV rules are ignored and reported', async () => {
    const r = await tampered((j) => {
      withDockerImage(j);
      j['//'].sovereign.suppressions.push(
        { rule: 'SOV-002', resource: '*', reason: 'mirror is being set up this quarter' },
        { rule: 'SOV-001', resource: '*', reason: 'mirror is being set up this quarter' },
      );
    });
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(expect.arrayContaining(['SOV-001', 'SOV-002', 'SUP-003']));
  });
  test('adding docker.io to allowed.registries', async () => {
    const r = await tampered((j) => {
      withDockerImage(j);
      j['//'].sovereign.allowed.registries.push('docker.io');
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-014 .*allowed\.registries\[1\] docker\.io is docker\.io, a global public service/,
    );
  });
  test.each([
    ['hosts', '*.co', /public suffix "co"/],
    ['hosts', '*.co.uk', /public suffix "co.uk"/],
    ['hosts', '*.s3.amazonaws.com', /public suffix "s3.amazonaws.com"/],
    ['hosts', 'huggingface.co', /huggingface\.co, a global public service/],
    ['hosts', '*.huggingface.co', /global public service/],
    ['registries', 'ghcr.io', /ghcr\.io, a global public service/],
    ['registries', 'registry-1.docker.io', /docker\.io, a global public service/],
    ['providerHosts', 'app.terraform.io', /global public service/],
    ['chartRepositories', 'https://nvidia.github.io/gpu-operator', /global public service/],
  ])('widening allowed.%s with %s', async (field, value, message) => {
    const r = await tampered((j) => j['//'].sovereign.allowed[field].push(value));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(message);
  });
  test('cidrs whose union is the internet (0.0.0.0/1 + 128.0.0.0/1)', async () => {
    const r = await tampered((j) => j['//'].sovereign.allowed.cidrs.push('0.0.0.0/1', '128.0.0.0/1'));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-014 .*allowed\.cidrs .*more than one operator owns/);
  });
  test('a public range the artifact adds without declaring it its own', async () => {
    const r = await tampered((j) => j['//'].sovereign.allowed.cidrs.push('8.8.8.0/24'));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-014 .*allowed\.cidrs.*8\.8\.8\.0\/24 holds public addresses/);
  });
  test('a declaredPublic exception the artifact grants itself is shown as declared public', async () => {
    const r = await tampered((j) => {
      j['//'].sovereign.allowed.registries.push('quay.io');
      j['//'].sovereign.allowed.declaredPublic = [{ host: 'quay.io', reason: 'trust me, it is fine' }];
    });
    expect(r.report.trust.declaredPublic).toContainEqual({
      stack: 'de-fra',
      host: 'quay.io',
      reason: 'trust me, it is fine',
    });
  });
});

describe('the audit parses what Terraform parses', () => {
  const raw = async (edit: (text: string) => string) => {
    const d = copy();
    writeFileSync(stackFile(d), edit(readFileSync(stackFile(d), 'utf8')));
    return d;
  };
  test('a duplicated top-level "resource" key is refused, located', async () => {
    const d = await raw((t) =>
      t.replace(
        '"resource": {',
        '"resource": {"aws_s3_bucket": {"x": {"bucket": "exfil"}}},\n  "resource": {',
      ),
    );
    await refused(audit(d), /cdk\.tf\.json:\d+:\d+.*duplicate key "resource"/s);
  });
  test('a duplicated nested key is refused', async () => {
    const d = await raw((t) =>
      t.replace('"container": [', `"container": [{"image": "${DOCKER_IMAGE}"}],\n"container": [`),
    );
    await refused(audit(d), /duplicate key "container"/);
  });
  test('a duplicate spelled with an escape is refused', async () => {
    const d = await raw((t) => t.replace('"resource": {', '"resourc\\u0065": {},\n  "resource": {'));
    await refused(audit(d), /duplicate key "resource"/);
  });
  test('the array form of "resource" is judged on every element', async () => {
    const r = await tampered((j) => {
      j.resource = [
        j.resource,
        { kubernetes_deployment_v1: { evil: { ...JSON.parse(JSON.stringify(deployment(j))) } } },
      ];
      j.resource[1].kubernetes_deployment_v1.evil.spec.template.spec.container[0].image = DOCKER_IMAGE;
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-002 kubernetes_deployment_v1\.evil/);
  });
  test('the array form of "terraform" is judged on every element', async () => {
    const r = await tampered((j) => {
      j.terraform = [
        j.terraform,
        { backend: { s3: { bucket: 'b', endpoints: { s3: 'https://s3.amazonaws.com' } } } },
      ];
    });
    expect(r.code).toBe(1);
    expect(r.failed).toContain('SOV-015');
  });
  test('a single block given twice as an array is refused', async () => {
    const r = await tampered((j) => {
      const d = deployment(j);
      const evil = JSON.parse(JSON.stringify(d.spec.template));
      evil.spec.container[0].image = DOCKER_IMAGE;
      d.spec.template = [d.spec.template, evil];
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-015 .*spec\.template template given 2 times/);
  });
  test('a Terraform file beside cdk.tf.json is refused', async () => {
    const d = copy();
    writeFileSync(join(d, 'stacks', 'de-fra', 'override.tf.json'), '{"resource": {}}');
    await refused(audit(d), /override\.tf\.json.*Terraform reads this file/s);
  });
  test('a stack directory the manifest does not list is refused', async () => {
    const d = copy();
    mkdirSync(join(d, 'stacks', 'evil'));
    writeFileSync(join(d, 'stacks', 'evil', 'cdk.tf.json'), '{}');
    await refused(audit(d), /stacks\/evil\/cdk\.tf\.json/);
  });
  test('a manifest pointing outside the directory is refused', async () => {
    const d = copy();
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    m.stacks['de-fra'].synthesizedStackPath = '../../elsewhere/cdk.tf.json';
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    await refused(audit(d), /points outside the directory/);
  });
});

describe('what the rules did not look at', () => {
  test('a dynamic block (privileged docker.io container)', async () => {
    const r = await tampered((j) => {
      deployment(j).spec.template.spec.dynamic = {
        container: {
          for_each: ['x'],
          content: { image: DOCKER_IMAGE, security_context: { privileged: true } },
        },
      };
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-015 .*spec\.template\.spec\.dynamic a dynamic block/);
  });
  test('a dynamic egress rule to 0.0.0.0/0', async () => {
    const r = await tampered((j) => {
      const np = Object.values(j.resource.kubernetes_network_policy_v1)[0] as Json;
      np.spec.dynamic = { egress: { for_each: [1], content: { to: { ip_block: { cidr: '0.0.0.0/0' } } } } };
    });
    expect(r.failed).toContain('SOV-015');
  });
  test('a module with a git source', async () => {
    const r = await tampered((j) => (j.module = { m: { source: 'git::https://github.com/evil/mod.git' } }));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-015 module .*module blocks fetch/);
  });
  test.each([
    ['aws', { aws_s3_bucket: { state: { bucket: 'exfil' } } }],
    [
      'null with local-exec',
      { null_resource: { x: { provisioner: { 'local-exec': { command: 'curl evil' } } } } },
    ],
    ['kubectl', { kubectl_manifest: { x: { yaml_body: 'kind: Pod' } } }],
  ])('a foreign provider (%s)', async (_name, resources) => {
    const r = await tampered((j) => Object.assign(j.resource, resources));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-015 .*not admitted/);
  });
  test('an external data source and its provider', async () => {
    const r = await tampered((j) => {
      j.data = { external: { x: { program: ['sh', '-c', 'curl evil'] } } };
      j.terraform.required_providers.external = { source: 'hashicorp/external', version: '2.3.0' };
    });
    expect(r.messages).toMatch(/SOV-015 data\.external\.x/);
    expect(r.messages).toMatch(/SOV-015 terraform\.required_providers\.external/);
  });
  test('a provisioner on an admitted resource', async () => {
    const r = await tampered(
      (j) => (deployment(j).provisioner = [{ 'local-exec': { command: 'curl evil' } }]),
    );
    expect(r.messages).toMatch(/SOV-015 .*provisioner runs commands/);
  });
  test('kubernetes renamed onto another provider source', async () => {
    const r = await tampered((j) => (j.terraform.required_providers.kubernetes.source = 'evil/aws'));
    expect(r.messages).toMatch(/SOV-015 .*installed from evil\/aws/);
  });
  test('an unknown top-level block (import)', async () => {
    const r = await tampered((j) => (j.import = [{ to: 'aws_s3_bucket.x', id: 'b' }]));
    expect(r.failed).toContain('SOV-015');
  });
  const manifest = (body: Json) => (j: Json) => {
    j.resource.kubernetes_manifest = { x: { manifest: body } };
  };
  const pod = { containers: [{ name: 'c', image: DOCKER_IMAGE, securityContext: { privileged: true } }] };
  test('kubernetes_manifest ReplicaSet with a docker.io privileged pod', async () => {
    const r = await tampered(
      manifest({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'rs', namespace: 'llm-serving' },
        spec: { template: { spec: pod } },
      }),
    );
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-016 kubernetes_manifest\.x .*image docker\.io\/vllm.* in a ReplicaSet comes from docker\.io/,
    );
    expect(r.messages).toMatch(/privileged container in a ReplicaSet/);
  });
  test('kubernetes_manifest PodTemplate', async () => {
    const r = await tampered(
      manifest({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'p' }, template: { spec: pod } }),
    );
    expect(r.messages).toMatch(/in a PodTemplate comes from docker\.io/);
  });
  test('a KServe InferenceService with storageUri hf://', async () => {
    const r = await tampered(
      manifest({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'm', namespace: 'llm-serving' },
        spec: { predictor: { model: { storageUri: 'hf://meta-llama/Llama-3.1-8B' } } },
      }),
    );
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-012 kubernetes_manifest\.x .*storageUri hf:\/\/.* names huggingface\.co/);
  });
  test('an Argo CD Application from git@github.com', async () => {
    const r = await tampered(
      manifest({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a', namespace: 'argocd' },
        spec: { source: { repoURL: 'git@github.com:evil/apps.git', path: '.' } },
      }),
    );
    expect(r.messages).toMatch(/SOV-012 kubernetes_manifest\.x .*repoURL .*names github\.com/);
  });
  test('a bare host name in an unmodelled kind', async () => {
    const r = await tampered(
      manifest({
        apiVersion: 'x/v1',
        kind: 'Mirror',
        metadata: { name: 'm' },
        spec: { upstream: 'huggingface.co/meta-llama' },
      }),
    );
    expect(r.messages).toMatch(/SOV-016 .*names huggingface\.co/);
  });
  test('a manifest built by yamldecode(file())', async () => {
    const r = await tampered((j) => {
      j.resource.kubernetes_manifest = { x: { manifest: '${yamldecode(file("evil.yaml"))}' } };
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-016 .*not a literal object/);
    expect(r.messages).toMatch(/SOV-016 .*function call \(yamldecode\(\)\)/);
  });
  test.each([
    ['VLLM_NO_USAGE_STATS', '0'],
    ['LLAMA_ARG_HF_REPO', 'meta-llama/Llama-3.1-8B'],
    ['HF_HUB_OFFLINE', '0'],
  ])('kubernetes_env setting %s', async (name, value) => {
    const r = await tampered((j) => {
      j.resource.kubernetes_env = {
        x: {
          api_version: 'apps/v1',
          kind: 'Deployment',
          container: 'vllm',
          metadata: { name: 'model-llama-3-1-70b', namespace: 'llm-serving' },
          env: [{ name, value }],
        },
      };
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(new RegExp(`SOV-016 kubernetes_env\\.x .*sets ${name}`));
  });
  // The GPU Operator's release (the gateway and the autoscaler bring releases of their own).
  const release = (j: Json) =>
    Object.values<Json>(j.resource.helm_release).find((r) =>
      /(^|\/)gpu-operator$/.test(String(r.chart)),
    ) as Json;
  test.each([
    [
      'set',
      [{ name: 'driver.repository', value: 'docker.io/evil' }],
      /SOV-002 .*set\.driver\.repository .*docker\.io/,
    ],
    [
      'set (from a variable)',
      [{ name: 'driver.repository', value: '${var.repo}' }],
      /SOV-016 .*set\[0\]\.value is a value from var\.repo/,
    ],
    ['set_sensitive', [{ name: 'x', value: 'y' }], /set_sensitive values are hidden/],
    ['postrender', { binary_path: './evil.sh' }, /post-renderer rewrites/],
  ])('helm_release %s', async (key, value, message) => {
    const r = await tampered((j) => (release(j)[key.split(' ')[0]] = value));
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(message);
  });
  test('helm values from file()', async () => {
    const r = await tampered((j) => release(j).values.push('${file("values.yaml")}'));
    expect(r.messages).toMatch(/SOV-016 .*function call \(file\(\)\)/);
  });
  test('helm values with duplicate keys', async () => {
    const r = await tampered((j) =>
      release(j).values.push(
        'driver:\n  repository: docker.io/evil\ndriver:\n  repository: registry.fra.sovereign-cloud.de.example\n',
      ),
    );
    expect(r.messages).toMatch(/SOV-016 .*values\[\d\] values does not parse/);
  });
  test('helm values with several documents', async () => {
    const r = await tampered((j) =>
      release(j).values.push('a: 1\n---\ndriver:\n  repository: docker.io/evil\n'),
    );
    expect(r.messages).toMatch(/SOV-016 .*does not parse/);
  });
  test('GPU Operator v26 values that leave the DRA driver at the chart default (nvcr.io)', async () => {
    const r = await tampered((j) => {
      const v = JSON.parse(release(j).values[0]);
      delete v.draDriver;
      release(j).values[0] = JSON.stringify(v);
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-016 .*draDriver\.repository is not set: the chart pulls its default nvcr\.io\/nvidia/,
    );
  });
  test("a chart version written as a lookalike is judged on every supported version's images", async () => {
    const r = await tampered((j) => {
      release(j).version = 'v26.7.0-rc1';
      const v = JSON.parse(release(j).values[0]);
      delete v.kataSandboxDevicePlugin;
      release(j).values[0] = JSON.stringify(v);
    });
    expect(r.messages).toMatch(/SOV-016 .*kataSandboxDevicePlugin\.repository is not set/);
    expect(r.messages).toMatch(/SOV-016 .*operator\.initContainer\.repository is not set/);
  });
  test('GPU Operator values that leave an image at the chart default (nvcr.io)', async () => {
    const r = await tampered((j) => {
      const v = JSON.parse(release(j).values[0]);
      delete v.dcgmExporter;
      release(j).values[0] = JSON.stringify(v);
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-016 .*dcgmExporter\.repository is not set: the chart pulls its default nvcr\.io/,
    );
  });
  test('kubernetes_labels patching a namespace Pod Security label', async () => {
    const r = await tampered((j) => {
      j.resource.kubernetes_labels.psa = {
        api_version: 'v1',
        kind: 'Namespace',
        metadata: { name: 'llm-serving' },
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
        force: true,
      };
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-016 kubernetes_labels\.psa .*overrides the Pod Security label/);
  });
  test('kubernetes_annotations, a type the rules do not model', async () => {
    const r = await tampered((j) => {
      j.resource.kubernetes_annotations = {
        x: { api_version: 'apps/v1', kind: 'Deployment', metadata: { name: 'm' }, annotations: { a: 'b' } },
      };
    });
    expect(r.code).toBe(1);
    expect(r.failed).toContain('SOV-016');
  });
  test('a literal repository_password', async () => {
    const r = await tampered((j) => (release(j).repository_password = 'hunter2-hunter2'));
    expect(r.messages).toMatch(/K8S-026 helm_release\..* repository_password is a literal credential/);
  });
});

describe('endpoints the host parser missed', () => {
  const env =
    (value: string, name = 'ENDPOINT') =>
    (j: Json) =>
      container(j).env.push({ name, value });
  test.each([
    ['HTTPS_PROXY=evil.example.com:3128/', 'evil.example.com', 'HTTPS_PROXY'],
    ['http://134744072/', '8.8.8.8', 'X'],
    ['https://0x08080808/', '8.8.8.8', 'X'],
    ['https://0010.0.0.1/', '8.0.0.1', 'X'],
    ['https://huggingface。co/meta-llama', 'huggingface.co', 'X'],
    ['https://ＨＵＧＧＩＮＧＦＡＣＥ.co/x', 'huggingface.co', 'X'],
    ['http://evil.example\\@s3.fra.sovereign-cloud.de.example/', 'evil.example', 'X'],
    ['s3://models/llama', 's3.amazonaws.com', 'X'],
  ])('%s', async (value, host, name) => {
    const v = value.startsWith('HTTPS_PROXY=') ? value.slice('HTTPS_PROXY='.length) : value;
    const r = await tampered(env(v, name === 'HTTPS_PROXY' ? 'HTTPS_PROXY' : 'ENDPOINT'));
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`names ${host}`);
  });
  test.each([
    ['HF_ENDPOINT', 'huggingface.co', 'huggingface.co'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector.evil.com', 'collector.evil.com'],
    ['UPSTREAM_HOST', '134744072', '8.8.8.8'],
  ])('an environment variable %s=%s without scheme or port', async (name, value, host) => {
    const r = await tampered(env(value, name));
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`${name} names ${host}`);
  });
  test('an image from a variable whose default is Docker Hub fails (deny by default)', async () => {
    const r = await tampered((j) => {
      j.variable = { img: { default: DOCKER_IMAGE } };
      container(j).image = '${var.img}';
    });
    expect(r.code).toBe(1);
    expect(r.failed).toEqual(expect.arrayContaining(['SOV-002', 'SOV-016']));
  });
  test('an egress rule to 0.0.0.0/1 and 128.0.0.0/1', async () => {
    const r = await tampered((j) => {
      const np =
        j.resource.kubernetes_network_policy_v1['cluster_netpol-llm-serving-weights-egress_A3766F8D'];
      const spec = Array.isArray(np.spec) ? np.spec[0] : np.spec;
      spec.egress = [{ to: [{ ip_block: { cidr: '0.0.0.0/1' } }, { ip_block: { cidr: '128.0.0.0/1' } }] }];
    });
    expect(r.code).toBe(1);
    expect(r.failed).toContain('SOV-011');
  });
});

describe('secrets', () => {
  const SECRETS = {
    password: 'Sup3rS3cretPassw0rd',
    oidc: 'oidc-client-secret-value-123',
    hf: `hf_${'A'.repeat(34)}`,
    aws: 'AKIAIOSFODNN7EXAMPLE',
    ghp: `ghp_${'b'.repeat(36)}`,
  };
  test('credentials in the artifact fail K8S-026, located, and reach no report format', async () => {
    const d = copy();
    const j = read(d);
    j.provider.kubernetes[0].host = `https://admin:${SECRETS.password}@api.k8s.fra.sovereign-cloud.de.example:6443`;
    j.provider.kubernetes[0].exec[0].args.push(`--oidc-client-secret=${SECRETS.oidc}`);
    j.provider.kubernetes[0].exec[0].env = {
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
    };
    j.terraform.backend.s3.endpoints.s3 = `https://user:${SECRETS.password}@s3.fra.sovereign-cloud.de.example`;
    container(j).args.push('--hf-overrides', `{"token": "${SECRETS.hf}"}`);
    container(j).env.push({ name: 'GIT', value: SECRETS.ghp }, { name: 'AWS', value: SECRETS.aws });
    write(d, j);
    const r = await audit(d);
    expect(r.code).toBe(1);
    for (const p of [
      /K8S-026 provider\.kubernetes .*host holds a credential: URL credentials/,
      /K8S-026 provider\.kubernetes .*exec\[0\]\.args\[\d\] holds a credential: secret-shaped argument --oidc-client-secret/,
      /K8S-026 provider\.kubernetes .*exec\[0\]\.env\.AWS_SECRET_ACCESS_KEY sets a credential/,
      /K8S-026 terraform\.backend\.s3 .*endpoints\.s3 holds a credential: URL credentials/,
      /K8S-026 kubernetes_deployment_v1\..* holds a credential: Hugging Face token/,
      /K8S-026 kubernetes_deployment_v1\..* holds a credential: GitHub token/,
      /K8S-026 kubernetes_deployment_v1\..* holds a credential: AWS access key id/,
    ])
      expect(r.messages).toMatch(p);
    for (const format of ['text', 'markdown', 'json', 'cyclonedx']) {
      const out: string[] = [];
      await run(d, { format, write: (s) => void out.push(s) });
      const text = out.join('');
      for (const s of Object.values(SECRETS))
        expect({ format, leaked: text.includes(s) }).toEqual({ format, leaked: false });
      expect(text).not.toContain('wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY');
    }
  });
});

describe('the plan is judged', () => {
  test('a planned privileged docker.io Deployment and an aws_s3_bucket fail', async () => {
    const d = copy();
    const j = read(d);
    const after = JSON.parse(JSON.stringify(deployment(j)));
    delete after['//'];
    after.spec.template.spec.container[0].image = DOCKER_IMAGE;
    after.spec.template.spec.container[0].security_context.privileged = true;
    const plan = {
      format_version: '1.2',
      terraform_version: '1.10.5',
      resource_changes: [
        {
          address: `kubernetes_deployment_v1.${DEPLOY}`,
          mode: 'managed',
          type: 'kubernetes_deployment_v1',
          name: DEPLOY,
          change: { actions: ['create'], before: null, after },
        },
        {
          address: 'aws_s3_bucket.exfil',
          mode: 'managed',
          type: 'aws_s3_bucket',
          name: 'exfil',
          change: { actions: ['create'], before: null, after: { bucket: 'exfil' } },
        },
      ],
    };
    const planFile = join(d, '..', 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const r = await audit(d, { plan: planFile });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-018 aws_s3_bucket\.exfil .*planned but the synthesized stack does not declare it/,
    );
    expect(r.messages).toMatch(/SOV-002 kubernetes_deployment_v1\..* image docker\.io/);
    expect(r.messages).toMatch(/SOV-015 aws_s3_bucket\.exfil/);
    expect(r.failed).toContain('K8S-001');
  });
});

describe('anchors', () => {
  const widen = (j: Json) => {
    j['//'].sovereign.allowed.hosts.push('*.evil.example');
    container(j).env.push({ name: 'EXFIL', value: 'https://drop.evil.example/' });
  };
  test('a consistent edit of "//" and a resource passes self-declared, but not --spec', async () => {
    const self = await tampered(widen);
    expect(self.code).toBe(0);
    expect(self.report.trust.anchor).toBe('self-declared');
  });
  test.each(['de-fra', 'eu-edge-vie', 'fr-par'])(
    '--spec catches a consistent edit of "//" and a resource in %s',
    async (stack) => {
      const d = copy();
      const j = read(d, stack);
      j['//'].sovereign.allowed.hosts.push('*.evil.example');
      const dep = Object.values(j.resource.kubernetes_deployment_v1)[0] as Json;
      dep.spec.template.spec.container[0].env.push({ name: 'EXFIL', value: 'https://drop.evil.example/' });
      write(d, j, stack);
      expect((await audit(d)).code).toBe(0);
      const r = await audit(d, { spec: SPEC });
      expect(r.code).toBe(1);
      expect(r.report.gate).toBe('fail');
      const diff = r.report.trust.spec?.differences ?? [];
      expect(diff.map((x) => x.file)).toEqual([`stacks/${stack}/cdk.tf.json`]);
      expect(diff[0].paths).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^"\/\/"\.sovereign\.allowed\.hosts\[\d\] \(added\)|^"\/\/"\.sovereign\.allowed\.hosts\[\d\]$/,
          ),
          expect.stringMatching(
            /^resource\.kubernetes_deployment_v1\..*\.spec\.template\.spec\.container\[0\]\.env\[\d+\]/,
          ),
        ]),
      );
    },
    60_000,
  );
  test('--spec names extra and missing files', async () => {
    const d = copy();
    writeFileSync(join(d, 'notes.txt'), 'x');
    rmSync(join(d, 'stacks', 'fr-par'), { recursive: true });
    const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
    delete m.stacks['fr-par'];
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2));
    const r = await audit(d, { spec: SPEC });
    expect(r.code).toBe(1);
    const diff = r.report.trust.spec?.differences ?? [];
    expect(diff.map((x) => `${x.kind} ${x.file}`)).toEqual(
      expect.arrayContaining([
        'differs manifest.json',
        'extra notes.txt',
        'missing stacks/fr-par/cdk.tf.json',
      ]),
    );
  });
  const policyFile = (body: string) => {
    const f = join(tmp, `policy${++n}.yaml`);
    writeFileSync(f, body);
    return f;
  };
  const POLICY = `version: 1
jurisdictions:
  de-fra:
    registries: [registry.fra.sovereign-cloud.de.example]
    hosts: ['*.fra.sovereign-cloud.de.example']
    cidrs: [10.40.0.0/16]
    chartRepository: oci://registry.fra.sovereign-cloud.de.example/charts
    providerRegistry: terraform-mirror.fra.sovereign-cloud.de.example
    packs: [eu-gdpr, de-bsi-c5]
  eu-edge-vie:
    registries: [registry.vie.sovereign-cloud.eu.example]
    hosts: ['*.vie.sovereign-cloud.eu.example']
    cidrs: [10.60.0.0/16]
    chartRepository: oci://registry.vie.sovereign-cloud.eu.example/charts
    providerRegistry: registry.terraform.io
  fr-par:
    registries: [registry.par.sovereign-cloud.fr.example]
    hosts: ['*.par.sovereign-cloud.fr.example']
    cidrs: [10.50.0.0/16]
    chartRepository: oci://registry.par.sovereign-cloud.fr.example/charts
    providerRegistry: registry.terraform.io
`;
  test('--policy: a boundary wider than the auditor approved fails SOV-017', async () => {
    const r = await tampered(widen, { policy: policyFile(POLICY) });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(
      /SOV-017 stack "\/\/"\.sovereign\.allowed\.hosts\[1\] \*\.evil\.example is not in the auditor's approved hosts/,
    );
    expect(r.report.trust.anchor).toBe('policy');
  });
  test('--policy: a stack the policy does not name fails', async () => {
    const r = await audit(copy(), { policy: policyFile(POLICY.replace(/ {2}fr-par:[\s\S]*$/, '')) });
    expect(r.messages).toMatch(/SOV-017 .*names no jurisdiction fr-par/);
  });
  test('--policy: minimum packs apply even when the artifact drops them', async () => {
    const r = await tampered(
      (j) => {
        j['//'].sovereign.profile = 'none';
        j['//'].sovereign.packs = [];
      },
      { policy: policyFile(POLICY) },
    );
    const s = r.report.stacks.find((x) => x.name === 'de-fra');
    expect(s?.packs.map((p) => `${p.id}:${p.level}`)).toEqual(
      expect.arrayContaining(['eu-gdpr:error', 'de-bsi-c5:error', 'sovereignty:error']),
    );
  });
  test('--policy with a duplicate key or a public wildcard is refused, located', async () => {
    await refused(
      audit(copy(), { policy: policyFile('version: 1\njurisdictions:\n  a: {}\n  a: {}\n') }),
      /policy\d+\.yaml/,
    );
    await refused(
      audit(copy(), { policy: policyFile("version: 1\njurisdictions:\n  de-fra:\n    hosts: ['*.co']\n") }),
      /public suffix "co"/,
    );
  });
  test('--allow-unknown relaxes what cannot be judged, and the report lists each with the reason', async () => {
    const edit = (j: Json) => {
      j.resource.kubernetes_manifest = { x: { manifest: '${yamldecode(file("evil.yaml"))}' } };
    };
    // eu-edge-vie's profile (eu-gdpr) is not strict: only the deny-by-default makes unknowns fail.
    expect((await tampered(edit, {}, 'eu-edge-vie')).code).toBe(1);
    const r = await tampered(
      edit,
      { allowUnknown: 'reviewed evil.yaml by hand on 2026-12-07' },
      'eu-edge-vie',
    );
    expect({ code: r.code, messages: r.messages }).toEqual({ code: 0, messages: '' });
    expect(r.report.trust.allowUnknown?.reason).toBe('reviewed evil.yaml by hand on 2026-12-07');
    expect(r.report.trust.allowUnknown?.accepted.map((u) => u.address)).toContain('kubernetes_manifest.x');
    await refused(tampered(edit, { allowUnknown: 'ok' }, 'eu-edge-vie'), /reason of at least 10/);
  });
});
