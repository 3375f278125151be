import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from '../../../bin/commands/audit';
import { isSovereignError } from '../../../core/errors';
import { exampleStack, type Any } from '../../policy/fixtures';
import { PLAN_FIXTURE } from '../../policy/report/helpers';

let dir: string;
const out: string[] = [];
const write = (s: string) => void out.push(s);

function synth(stacks: Record<string, Any>, manifest = true): string {
  const d = join(dir, 'cdktf.out');
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(d, 'stacks', name), { recursive: true });
    writeFileSync(join(d, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  }
  if (manifest) {
    const m = {
      version: '0.21.0',
      stacks: Object.fromEntries(
        Object.keys(stacks).map((n) => [
          n,
          {
            name: n,
            constructPath: n,
            workingDirectory: `stacks/${n}`,
            synthesizedStackPath: `stacks/${n}/cdk.tf.json`,
            annotations: [],
            dependencies: [],
          },
        ]),
      ),
    };
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2));
  }
  return d;
}

async function expectInputError(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(isSovereignError(e)).toBe(true);
    if (isSovereignError(e)) expect(e.exitCode).toBe(2);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected an error');
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sovereign-audit-'));
  out.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const broken = () => {
  const j = exampleStack();
  const c = j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0];
  c.image = 'docker.io/vllm/vllm-openai:latest';
  c.args[1] = 'meta-llama/Llama-3.1-8B-Instruct';
  j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress.push({
    to: [{ ip_block: { cidr: '0.0.0.0/0' } }],
  });
  return j;
};

describe('sovereign audit', () => {
  test('exits 0 on a compliant cdktf.out and reports file hashes relative to the directory', async () => {
    const d = synth({ de: exampleStack() });
    expect(await run(d, { format: 'json', write, today: '2026-06-01' })).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([
      'manifest.json',
      'stacks/de/cdk.tf.json',
    ]);
    expect(report.files[1].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('exits 1 on a broken example and names the rules', async () => {
    const d = synth({ de: exampleStack(), fr: broken() });
    expect(await run(d, { write, today: '2026-06-01', color: false })).toBe(1);
    const text = out.join('');
    for (const id of ['SOV-001', 'SOV-002', 'SOV-009', 'SOV-011', 'K8S-019'])
      expect(text).toContain(`error    ${id}  fr:`);
    expect(text).toMatch(/FAIL: /);
  });

  test('falls back to stacks/*/cdk.tf.json without a manifest', async () => {
    const d = synth({ de: exampleStack() }, false);
    expect(await run(d, { format: 'markdown', write, today: '2026-06-01' })).toBe(0);
    expect(out.join('')).toContain('## de: stack `de` — PASS');
  });

  test('writes the report to --output, with the plan summary, in every format', async () => {
    const d = synth({ de: exampleStack() });
    for (const format of ['text', 'markdown', 'json', 'cyclonedx']) {
      const file = join(dir, 'reports', `audit.${format}`);
      // The fixture plan's partial planned values are judged with every rule too: it fails.
      expect(await run(d, { format, output: file, plan: PLAN_FIXTURE, today: '2026-06-01' })).toBe(1);
      const body = readFileSync(file, 'utf8');
      expect(body.length).toBeGreaterThan(100);
      if (format !== 'cyclonedx') expect(body).toMatch(/gpu-driver-upgrade/);
      if (format === 'json') expect(body).toContain('"name": "de (plan ');
    }
    expect(out).toEqual([]);
  });

  test('unknown sovereignty values fail unless accepted with a reason; strict mode fails them anyway', async () => {
    const j = exampleStack();
    j['//'].sovereign.profile = 'eu-gdpr';
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image = '${var.image}';
    const d = synth({ de: j });
    expect(await run(d, { write, today: '2026-06-01' })).toBe(1);
    out.length = 0;
    const allowUnknown = 'image pinned at deploy time by the release pipeline';
    expect(await run(d, { write, today: '2026-06-01', allowUnknown })).toBe(0);
    expect(out.join('')).toContain(`unknowns accepted (--allow-unknown): ${allowUnknown}`);
    expect(await run(d, { write, today: '2026-06-01', allowUnknown, strict: true })).toBe(1);
  });

  test('fails with a located error (exit 2) for a missing directory', async () => {
    await expectInputError(
      run(join(dir, 'nope'), { write }),
      /nope: unusable input\n.*nope {2}directory does not exist/,
    );
  });

  test('fails with file:line:col for broken JSON', async () => {
    const d = synth({ de: exampleStack() });
    writeFileSync(join(d, 'stacks', 'de', 'cdk.tf.json'), '{\n  "resource": {\n    "x": [1,,]\n  }\n}\n');
    await expectInputError(
      run(d, { write }),
      /stacks\/de\/cdk\.tf\.json:3:\d+ {2}resource\.x\[1\] {2}not valid JSON/,
    );
  });

  test('fails for an empty directory, a bad plan and an unknown format', async () => {
    mkdirSync(join(dir, 'empty'));
    await expectInputError(run(join(dir, 'empty'), { write }), /holds no synthesized stack/);
    const d = synth({ de: exampleStack() });
    await expectInputError(
      run(d, { write, plan: join(dir, 'missing-plan.json') }),
      /missing-plan.json {2}file does not exist/,
    );
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ format_version: '2.0' }));
    await expectInputError(
      run(d, { write, plan: join(dir, 'plan.json') }),
      /format_version 2.0 is not supported/,
    );
    await expectInputError(
      run(d, { write, format: 'pdf' }),
      /--format pdf is not one of text, markdown, json, cyclonedx, html/,
    );
  });

  test('does not load cdktf', () => {
    expect(Object.keys(require.cache).filter((k) => /node_modules[\\/](cdktf|@cdktf)[\\/]/.test(k))).toEqual(
      [],
    );
  });
});
