/**
 * `sovereign synth` as a user runs it (in-process, test/support/cli.ts), and the cdktf CLI path through
 * cdktf.json giving the same files (`npx cdktf synth` and the app entry's exit code as processes).
 */
import { createHash } from 'crypto';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../support/paths';
import { cdktfApp, sovereign, STACK_TRACE } from '../../support/cli';

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

let work: string;

/** A valid spec whose only problem is an expired suppression: it passes validate, fails the gate. */
function writeExpiredSuppressionSpec(): void {
  const spec = fs
    .readFileSync(path.join(work, 'examples/minimal.yaml'), 'utf8')
    .replace(
      '    pools:\n',
      '    suppressions:\n      - { rule: K8S-014, resource: "*", reason: accepted for the pilot phase, expires: 2020-01-31 }\n    pools:\n',
    );
  fs.writeFileSync(path.join(work, 'expired.yaml'), spec);
}
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-synth-cli-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(work, 'examples'), { recursive: true });
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe('sovereign synth', () => {
  test('writes cdktf layout and prints a per-jurisdiction summary', async () => {
    const r = await sovereign(
      ['synth', 'examples/sovereign.yaml', '--report', 'cdktf.out/audit-report.md'],
      work,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Object.keys(tree(path.join(work, 'cdktf.out'))).sort()).toEqual([
      '.sovereign-synth',
      'audit-report.md',
      'manifest.json',
      'stacks/de-fra/cdk.tf.json',
      'stacks/eu-edge-vie/cdk.tf.json',
      'stacks/fr-par/cdk.tf.json',
    ]);
    expect(r.stdout).toMatch(/^synthesized examples\/sovereign\.yaml → cdktf\.out\/$/m);
    expect(r.stdout).toMatch(
      /^ {2}de-fra +de-bsi-c5 +\d+ resources {2}2 model\(s\) {2}10 GPU\(s\) {2}policy: pass/m,
    );
    expect(r.stdout).toMatch(/^ {2}eu-edge-vie +eu-gdpr +\d+ resources {2}1 model\(s\) {2}0 GPU\(s\)/m);
    expect(r.stdout).toContain('audit report: cdktf.out/audit-report.md');
    const md = fs.readFileSync(path.join(work, 'cdktf.out/audit-report.md'), 'utf8');
    expect(md).toContain('K8S-023');
    // The spec the stacks came from, by the name the user gave and the SHA-256 of its bytes.
    const sha = createHash('sha256')
      .update(fs.readFileSync(path.join(work, 'examples/sovereign.yaml')))
      .digest('hex');
    expect(md).toContain(`- Spec: \`examples/sovereign.yaml\`, SHA-256 \`${sha}\``);
    expect(md).toMatch(/^- Audited: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z; /m);
    expect(md).not.toContain(work);
  });

  test('--json gives the summary as data', async () => {
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out', '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      jurisdictions: { name: string; gpus: number; errors: number }[];
    };
    expect(j.ok).toBe(true);
    expect(j.jurisdictions).toEqual([expect.objectContaining({ name: 'lab', gpus: 1, errors: 0 })]);
  });

  test('replaces a previous output whole: no stale stack survives', async () => {
    // A previous run that wrote a jurisdiction the spec no longer has.
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    fs.mkdirSync(path.join(work, 'out/stacks/gone'), { recursive: true });
    fs.writeFileSync(path.join(work, 'out/stacks/gone/cdk.tf.json'), '{}');
    fs.appendFileSync(path.join(work, 'out/.sovereign-synth'), 'stacks/gone/cdk.tf.json\n');
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    expect(fs.readdirSync(path.join(work, 'out/stacks'))).toEqual(['lab']);
    expect(fs.readdirSync(work).filter((f) => f.includes('partial'))).toEqual([]);
  });

  test('fails when the spec is invalid: exit 2, located message, the previous output untouched', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    const before = tree(path.join(work, 'out'));
    fs.writeFileSync(
      path.join(work, 'bad.yaml'),
      fs.readFileSync(path.join(work, 'examples/minimal.yaml'), 'utf8').replace('replicas', 'replicaz'),
    );
    fs.appendFileSync(path.join(work, 'bad.yaml'), '');
    const spec = fs.readFileSync(path.join(work, 'bad.yaml'), 'utf8').replace('pool: gpu', 'pool: gpus');
    fs.writeFileSync(path.join(work, 'bad.yaml'), spec);
    const r = await sovereign(['synth', 'bad.yaml', '--out', 'out'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ {2}bad\.yaml:\d+:\d+ {2}jurisdictions\.lab\.models\.llama-8b\.pool {2}pool "gpus" is not declared/m,
    );
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(tree(path.join(work, 'out'))).toEqual(before);
    expect(fs.readdirSync(work).filter((f) => f.includes('partial'))).toEqual([]);
  });

  test('fails when a model does not fit: exit 2 with the numbers, nothing written', async () => {
    const spec = fs
      .readFileSync(path.join(work, 'examples/minimal.yaml'), 'utf8')
      .replace('architecture: llama-3.1-8b', 'architecture: llama-3.1-70b');
    fs.writeFileSync(path.join(work, 'big.yaml'), spec);
    const r = await sovereign(['synth', 'big.yaml', '--out', 'out'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GiB of weights');
    expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
    expect(fs.readdirSync(work).filter((f) => f.includes('partial'))).toEqual([]);
  });

  test('fails when the policy gate fails: exit 1, every finding printed, nothing written', async () => {
    writeExpiredSuppressionSpec();
    const r = await sovereign(['synth', 'expired.yaml', '--out', 'out'], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('policy violation');
    expect(r.stderr).toContain('SUP-001');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
  });

  test('credentials in the environment never reach the output, the report or the log', async () => {
    const sentinel = 'SENTINEL-c0ffee-do-not-leak';
    const env = {
      KUBE_TOKEN: sentinel,
      AWS_ACCESS_KEY_ID: sentinel,
      AWS_SECRET_ACCESS_KEY: sentinel,
      PG_CONN_STR: `postgres://admin:${sentinel}@db.example/tf`,
      VLLM_API_KEY: sentinel,
    };
    const r = await sovereign(
      ['synth', 'examples/sovereign.yaml', '--report', 'cdktf.out/audit-report.md'],
      work,
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(sentinel);
    for (const [file, text] of Object.entries(tree(path.join(work, 'cdktf.out')))) {
      expect([file, text.includes(sentinel)]).toEqual([file, false]);
    }
    // API keys and S3 credentials are Secret references only.
    const de = fs.readFileSync(path.join(work, 'cdktf.out/stacks/de-fra/cdk.tf.json'), 'utf8');
    expect(de).toContain('"secret_key_ref"');
    expect(de).not.toMatch(/"name": "(VLLM_API_KEY|AWS_SECRET_ACCESS_KEY)",\s*"value"/);
  });

  test('a provisioned jurisdiction: prints the apply order; no credential of either cluster or the cloud leaks', async () => {
    const sentinel = 'SENTINEL-c0ffee-do-not-leak';
    // The new cluster's kubeconfig as written from its Secret: the stacks name the file, never read it.
    fs.mkdirSync(path.join(work, 'kubeconfigs'));
    fs.writeFileSync(
      path.join(work, 'kubeconfigs/de-ber.kubeconfig'),
      `apiVersion: v1\nkind: Config\nusers: [{ name: admin, user: { token: ${sentinel} } }]\n`,
    );
    const env = {
      OS_PASSWORD: sentinel,
      OS_APPLICATION_CREDENTIAL_SECRET: sentinel,
      AWS_SECRET_ACCESS_KEY: sentinel,
      KUBE_TOKEN: sentinel,
    };
    const r = await sovereign(
      ['synth', 'examples/provisioned.yaml', '--report', 'cdktf.out/audit-report.md'],
      work,
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cdktf.out/stacks/de-ber-provision/cdk.tf.json\n');
    expect(r.stdout).toContain(
      'apply in order: de-ber-provision → de-ber (provision → platform + serving); destroy in reverse\n',
    );
    expect(r.stdout + r.stderr).not.toContain(sentinel);
    const files = tree(path.join(work, 'cdktf.out'));
    expect(Object.keys(files)).toContain(path.join('stacks', 'de-ber-provision', 'cdk.tf.json'));
    for (const [file, text] of Object.entries(files)) {
      expect([file, text.includes(sentinel)]).toEqual([file, false]);
    }
    const json = JSON.parse(
      (await sovereign(['synth', 'examples/provisioned.yaml', '--json'], work, env)).stdout,
    ) as { jurisdictions: { name: string; order: string[] }[] };
    expect(json.jurisdictions.map((j) => [j.name, j.order])).toEqual([
      ['de-ber', ['de-ber-provision', 'de-ber']],
    ]);
  });

  test('an output outside the project holds no machine path: files are written as from cdktf.out', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-elsewhere-'));
    try {
      const r = await sovereign(
        ['synth', 'examples/sovereign.yaml', '--out', path.join(elsewhere, 'out')],
        work,
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('is outside the project');
      expect(r.stderr).toContain('de-fra cluster.api.caCertificateFile secrets/de-fra-ca.pem');
      expect((await sovereign(['synth', 'examples/sovereign.yaml'], work)).code).toBe(0);
      const outside = tree(path.join(elsewhere, 'out'));
      expect(outside).toEqual(tree(path.join(work, 'cdktf.out')));
      for (const text of Object.values(outside)) {
        expect(text).not.toContain(work);
        expect(text).not.toContain(elsewhere);
      }
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('fails when --out is a file: exit 2', async () => {
    fs.writeFileSync(path.join(work, 'afile'), 'x');
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'afile'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('afile');
    expect(fs.readFileSync(path.join(work, 'afile'), 'utf8')).toBe('x');
  });

  test('a local backend keeps state outside the output, relative to the project', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'build/tf'], work)).code).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(work, 'build/tf/stacks/lab/cdk.tf.json'), 'utf8'));
    expect(stack.terraform.backend).toEqual({ local: { path: '../../../../terraform.lab.tfstate' } });
    // Resolved from the stack directory, that is the project directory.
    expect(path.resolve(work, 'build/tf/stacks/lab', stack.terraform.backend.local.path)).toBe(
      path.join(work, 'terraform.lab.tfstate'),
    );
  });
});

describe('the cdktf CLI path (cdktf.json → dist/bin/app.js)', () => {
  test('npx cdktf synth gives the same files as sovereign synth', async () => {
    fs.cpSync(path.join(REPO_ROOT, 'cdktf.json'), path.join(work, 'cdktf.json'));
    // cdktf.json runs `node dist/bin/app.js` relative to the project: link the build in.
    fs.symlinkSync(path.join(REPO_ROOT, 'dist'), path.join(work, 'dist'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(work, 'node_modules'));
    const cdktf = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/cdktf'), ['synth'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, SOVEREIGN_SPEC: 'examples/sovereign.yaml', CHECKPOINT_DISABLE: '1', CI: '1' },
    });
    expect(cdktf.status).toBe(0);
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'ours'], work)).code).toBe(0);
    expect(tree(path.join(work, 'cdktf.out'))).toEqual(tree(path.join(work, 'ours')));
  });

  test('the app entry exits 1 on a policy violation, so cdktf deploy stops', async () => {
    writeExpiredSuppressionSpec();
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/bin/app.js')], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, SOVEREIGN_SPEC: 'expired.yaml', CDKTF_OUTDIR: path.join(work, 'cdktf.out') },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SUP-001');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  test('the app entry reads the spec path from the cdktf context', async () => {
    // In-process (the test above runs the entry as a process): the same runApp, its environment.
    const r = await cdktfApp(work, {
      SOVEREIGN_SPEC: '',
      CDKTF_CONTEXT_JSON: JSON.stringify({ sovereignSpec: 'examples/minimal.yaml' }),
      CDKTF_OUTDIR: path.join(work, 'ctx.out'),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(work, 'ctx.out/stacks'))).toEqual(['lab']);
  });
});
