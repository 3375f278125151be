/**
 * The CLI as a user runs it (in-process through run(), test/support/cli.ts; the executable
 * bit and what --help loads in a separate process): exit codes, output streams, no stack
 * traces, nothing written on failure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sovereign, STACK_TRACE } from '../support/cli';
import { CLI, REPO_ROOT } from '../support/paths';
import { TOOLKIT_VERSION } from '../../core/version';
import { exampleStack } from '../policy/fixtures';

describe('run(): the CLI without the process around it', () => {
  test('resolves to the exit code without exiting, and gives back the directory and the environment', async () => {
    const cwd = process.cwd();
    const env = process.env;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-run-'));
    try {
      const r = await sovereign(['validate'], dir, { SOVEREIGN_RUN_PROBE: '1' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('sovereign.yaml  no such file');
      expect(process.cwd()).toBe(cwd);
      expect(process.env).toBe(env);
      expect(process.env.SOVEREIGN_RUN_PROBE).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('runs in one process take turns: a second one while the first is in progress is refused', async () => {
    const first = sovereign(['schema']);
    await expect(sovereign(['models'])).rejects.toThrow('another run is in progress in this process');
    const r = await first;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).$schema).toMatch(/json-schema\.org/);
  });
});

describe('sovereign CLI', () => {
  test('--help lists the commands and exits 0', async () => {
    const r = await sovereign(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'synth', 'audit', 'models', 'schema', 'weights'])
      expect(r.stdout).toContain(`  ${c}`);
  });

  test('models lists the catalogue, with the source of every number in --json', async () => {
    const r = await sovereign(['models']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^llama-3\.1-70b +70\.55 +70\.55 +bf16 +GQA +80 +64 +8 +128 +131072 +320 +llama3\.1$/m,
    );
    // MoE + MLA: every expert counted, the active share derived, the latent cache per token
    expect(r.stdout).toMatch(
      /^deepseek-v3 +671\.03 +37\.55 +fp8 +MLA +61 +128 +128 +192 +131072 +68\.625 +deepseek$/m,
    );
    // the current families: multimodal (text decoder's numbers), and MoE + MLA at 1T parameters
    expect(r.stdout).toMatch(
      /^gemma-3-27b +27\.43 +27\.43 +bf16 +GQA\+SWA +62 +32 +16 +128 +131072 +496 +gemma$/m,
    );
    expect(r.stdout).toMatch(
      /^mistral-small-3\.1-24b +24\.01 +24\.01 +bf16 +GQA +40 +32 +8 +128 +131072 +160 +Apache-2\.0$/m,
    );
    expect(r.stdout).toMatch(
      /^kimi-k2 +1026\.41 +32\.86 +fp8 +MLA +61 +64 +64 +192 +131072 +68\.625 +kimi-k2-modified-mit$/m,
    );
    const rows = JSON.parse((await sovereign(['models', '--json'])).stdout) as {
      name: string;
      source: string;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(row.source).toMatch(/^https:\/\//);
  });

  test('the built CLI is executable, so npx sovereign runs it', async () => {
    expect(fs.statSync(CLI).mode & 0o111).toBe(0o111);
    const r = spawnSync(CLI, ['--version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
  });

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(TOOLKIT_VERSION).toBe(pkg.version);
    expect((await sovereign(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  test('validate accepts the bundled examples with exit 0', async () => {
    const r = await sovereign(['validate', 'examples/sovereign.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid examples/sovereign.yaml: 3 jurisdictions, 4 models');
  });

  test('validate --json describes each jurisdiction', async () => {
    const r = await sovereign(['validate', 'examples/minimal.yaml', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      file: 'examples/minimal.yaml',
      jurisdictions: [{ name: 'lab', profile: 'eu-gdpr', pools: 1, gpus: 1, models: 1 }],
    });
  });

  test('validate reads ./sovereign.yaml by default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-cli-'));
    try {
      const r = await sovereign(['validate'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('sovereign.yaml  no such file');
      fs.copyFileSync(path.join(REPO_ROOT, 'examples/minimal.yaml'), path.join(dir, 'sovereign.yaml'));
      expect((await sovereign(['validate'], dir)).code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  const broken = fs
    .readdirSync(path.join(REPO_ROOT, 'test/fixtures/spec'))
    .filter((f) => f.endsWith('.yaml'));

  test.each(broken)(
    'fails when validating %s: exit 2, located message, no stack trace, nothing written',
    async (name) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-cli-'));
      const spec = path.join(dir, name);
      fs.copyFileSync(path.join(REPO_ROOT, 'test/fixtures/spec', name), spec);
      try {
        const r = await sovereign(['validate', name], dir);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(new RegExp(`^error ${name.replace('.', '\\.')}: `));
        expect(r.stderr).toMatch(new RegExp(`^  ${name.replace('.', '\\.')}(:\\d+:\\d+)?  `, 'm'));
        expect(r.stderr).not.toMatch(STACK_TRACE);
        expect(fs.readdirSync(dir)).toEqual([name]);
      } finally {
        fs.rmSync(dir, { recursive: true });
      }
    },
  );

  test('--json reports problems as data', async () => {
    const r = await sovereign(['validate', 'test/fixtures/spec/unknown-keys.yaml', '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      code: string;
      problems: { path: string; line: number }[];
    };
    expect(out.ok).toBe(false);
    expect(out.code).toBe('SPEC_INVALID');
    expect(out.problems.map((p) => [p.path, p.line])).toEqual([
      ['jurisdictions', 1],
      ['jurisdictons', 2],
    ]);
  });

  test('fails when an option is unknown: exit 2 and a usage hint', async () => {
    const r = await sovereign(['validate', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
    expect(r.stderr).toContain('(run with --help for usage)');
  });

  test('fails when the command is unknown: exit 2', async () => {
    const r = await sovereign(['synthesise']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'synthesise'");
  });

  test('validate and --help do not load cdktf or the provider bindings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-probe-'));
    const probe = path.join(dir, 'probe.js');
    fs.writeFileSync(
      probe,
      `const Module = require('module');
       const seen = new Set();
       const orig = Module._load;
       Module._load = function (req, ...rest) { seen.add(req); return orig.call(this, req, ...rest); };
       process.on('exit', () => {
         const heavy = [...seen].filter((m) => /^(cdktf|@cdktf\\/|constructs$)/.test(m));
         require('fs').writeSync(2, 'HEAVY:' + JSON.stringify(heavy) + '\\n');
       });`,
    );
    try {
      for (const args of [['--help'], ['validate', 'examples/sovereign.yaml']]) {
        const r = spawnSync(process.execPath, ['--require', probe, CLI, ...args], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        });
        expect(r.status).toBe(0);
        expect(r.stderr).toContain('HEAVY:[]');
      }
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('sovereign audit on unusable input', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-audit-cli-'));
    fs.mkdirSync(path.join(dir, 'cdktf.out', 'stacks', 'de'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'cdktf.out', 'stacks', 'de', 'cdk.tf.json'),
      JSON.stringify(exampleStack(), null, 2),
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Exit 2, the summary and one located line on stderr, nothing on stdout, no report written. */
  async function expectUnusable(args: string[], located: string): Promise<void> {
    const r = await sovereign(['audit', ...args, '--output', 'report.md', '--format', 'markdown'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^error .+: unusable input$/), located, '']);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(fs.existsSync(path.join(dir, 'report.md'))).toBe(false);
  }

  test('the fixture directory itself audits cleanly (exit 0)', async () => {
    const r = await sovereign(['audit', 'cdktf.out', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).gate).toBe('pass');
  });

  test('fails when the directory does not exist: exit 2, located, no stack trace', async () => {
    await expectUnusable(
      ['no-such-dir'],
      '  no-such-dir  directory does not exist; run `sovereign synth` first or name the cdktf output directory',
    );
  });

  test('fails when a stack is not valid JSON: file:line:col on one line', async () => {
    fs.writeFileSync(
      path.join(dir, 'cdktf.out', 'stacks', 'de', 'cdk.tf.json'),
      '{\n  "resource": [1,,]\n}\n',
    );
    await expectUnusable(
      ['cdktf.out'],
      '  cdktf.out/stacks/de/cdk.tf.json:2:18  resource[1]  not valid JSON: unexpected character ","',
    );
  });

  test('fails when the manifest is not a cdktf manifest', async () => {
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), '{"version": "0.21.0"}');
    await expectUnusable(
      ['cdktf.out'],
      '  cdktf.out/manifest.json  stacks  has no "stacks" object: not a cdktf manifest',
    );
  });

  test('fails when --plan is not a plan: a synthesized stack, an array, a directory, a missing file', async () => {
    await expectUnusable(
      ['cdktf.out', '--plan', 'cdktf.out/stacks/de/cdk.tf.json'],
      '  cdktf.out/stacks/de/cdk.tf.json  format_version  has no format_version: not `terraform show -json` output',
    );
    fs.writeFileSync(path.join(dir, 'plan.json'), '[]');
    await expectUnusable(
      ['cdktf.out', '--plan', 'plan.json'],
      '  plan.json  is not a JSON object: expected `terraform show -json <planfile>` output',
    );
    await expectUnusable(['cdktf.out', '--plan', 'cdktf.out'], '  cdktf.out  is a directory, not a file');
    await expectUnusable(['cdktf.out', '--plan', 'missing.json'], '  missing.json  file does not exist');
  });
});
