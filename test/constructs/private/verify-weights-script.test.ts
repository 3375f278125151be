/**
 * Runs the verification script exactly as synthesized: the script is taken from the Job's
 * container command in the Terraform JSON (Terraform's `$${` escapes undone, as Terraform does),
 * the manifest from the ConfigMap, the environment from the Job; only the mount paths are
 * redirected to a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { ModelWeightStore } from '../../../constructs/model-weight-store';
import { ModelWeights } from '../../../constructs/model-weights';
import type { WeightsSource } from '../../../constructs/weights-source';
import {
  unescapeTerraformTemplate,
  VERIFY_WEIGHTS_SCRIPT,
} from '../../../constructs/private/verify-weights-script';

const IMAGE = `registry.de.example/tools/rclone:1.68.2@sha256:${'c'.repeat(64)}`;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

interface Synthesized {
  /** The command string as synthesized (Terraform-escaped). */
  raw: string;
  script: string;
  manifest: string;
  env: Record<string, string>;
  weights: ModelWeights;
}

function synthesize(files: Record<string, string>, source: WeightsSource = { kind: 'volume' }): Synthesized {
  const stack = new TerraformStack(Testing.app(), 'de');
  const store = new ModelWeightStore(stack, 'store', {
    namespace: 'llm',
    jurisdiction: 'de',
    storageClassName: 'nfs-de',
    sizeGiB: 100,
  });
  const weights = new ModelWeights(stack, 'm', {
    store,
    modelName: 'tiny',
    revision: 'r1',
    files,
    source,
    allowedEndpoints: ['*.de.example'],
    image: IMAGE,
  });
  const parsed = JSON.parse(Testing.synth(stack));
  const job = Object.values(parsed.resource.kubernetes_job_v1)[0] as {
    spec: {
      template: { spec: { container: { command: string[]; env: { name: string; value?: string }[] }[] } };
    };
  };
  const cm = Object.values(parsed.resource.kubernetes_config_map_v1)[0] as { data: { SHA256SUMS: string } };
  const container = job.spec.template.spec.container[0];
  const env: Record<string, string> = {};
  for (const e of container.env) if (e.value !== undefined) env[e.name] = e.value;
  return {
    raw: container.command[2],
    script: unescapeTerraformTemplate(container.command[2]),
    manifest: cm.data.SHA256SUMS,
    env,
    weights,
  };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-weights-'));
  for (const d of ['vol', 'manifest', 'tmp', 'bin', 'remote']) fs.mkdirSync(path.join(tmp, d));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes the ConfigMap's manifest and runs the script with the Job's environment. */
function run(s: Synthesized, extraEnv: Record<string, string> = {}) {
  fs.writeFileSync(path.join(tmp, 'manifest', 'SHA256SUMS'), s.manifest);
  const remap = (v: string) =>
    v
      .replace(/^\/weights(?=\/|$)/, path.join(tmp, 'vol'))
      .replace(/^\/etc\/sovereign\/manifest(?=\/|$)/, path.join(tmp, 'manifest'))
      .replace(/^\/tmp$/, path.join(tmp, 'tmp'));
  const env: Record<string, string> = { PATH: `${path.join(tmp, 'bin')}:${process.env.PATH}` };
  for (const [k, v] of Object.entries(s.env)) env[k] = remap(v);
  const r = spawnSync('sh', ['-c', s.script, 'verify-weights'], {
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

/** Writes `contents` under the model directory and returns their manifest. */
function writeModel(dir: string, contents: Record<string, string | Buffer>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [rel, data] of Object.entries(contents)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, data);
    files[rel] = sha(data);
  }
  return files;
}

const MODEL = {
  'config.json': '{"architectures":["LlamaForCausalLM"]}\n',
  'model-00001-of-00002.safetensors': Buffer.alloc(70000, 1),
  'model-00002-of-00002.safetensors': Buffer.alloc(50000, 2),
  'tokenizer/tokenizer.json': '{"version":"1.0"}\n',
};

const modelDir = () => path.join(tmp, 'vol', 'models', 'tiny', 'r1');
const marker = () => path.join(tmp, 'vol', 'models', 'tiny', 'r1.verified');

describe('verify-weights script (as synthesized)', () => {
  test('is the constant, unchanged by Terraform escaping', () => {
    const s = synthesize({ 'a.gguf': 'a'.repeat(64) });
    expect(s.script).toBe(VERIFY_WEIGHTS_SCRIPT);
    expect(spawnSync('sh', ['-n', '-c', s.script]).status).toBe(0);
  });

  test('passes on good files and writes the marker holding the manifest digest', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    const r = run(s);
    expect(r.stderr).toContain(
      `verified 4 files in ${modelDir()} against manifest ${s.weights.manifestSha256}`,
    );
    expect(r.status).toBe(0);
    expect(fs.readFileSync(marker(), 'utf8')).toBe(`${s.weights.manifestSha256}\n`);
    // The marker is beside the directory, so servers (mounting the directory) never see it.
    expect(fs.readdirSync(modelDir()).sort()).toEqual([
      'config.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
      'tokenizer',
    ]);
  });

  test('fails naming the file when one byte changed, and writes no marker', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    const shard = path.join(modelDir(), 'model-00002-of-00002.safetensors');
    const b = fs.readFileSync(shard);
    b[12345] ^= 0x01;
    fs.writeFileSync(shard, b);
    const r = run(s);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      `FAILED sha256 mismatch: model-00002-of-00002.safetensors is ${sha(b)}, the manifest pins ${sha(MODEL['model-00002-of-00002.safetensors'])}`,
    );
    expect(r.stderr).toContain('1 problem(s)');
    expect(fs.existsSync(marker())).toBe(false);
  });

  test('fails naming a missing file', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    fs.rmSync(path.join(modelDir(), 'tokenizer', 'tokenizer.json'));
    const r = run(s);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('FAILED missing: tokenizer/tokenizer.json');
  });

  test('fails naming an extra file, and a symlink that is not a regular file', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    fs.writeFileSync(path.join(modelDir(), 'tokenizer', 'notes.txt'), 'not pinned');
    fs.symlinkSync('/etc/hostname', path.join(modelDir(), 'link'));
    const r = run(s);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('FAILED extra file, not in the manifest: tokenizer/notes.txt');
    expect(r.stderr).toContain('FAILED not a regular file: link');
  });

  test('reports every problem at once', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    fs.rmSync(path.join(modelDir(), 'config.json'));
    fs.appendFileSync(path.join(modelDir(), 'model-00001-of-00002.safetensors'), 'x');
    fs.writeFileSync(path.join(modelDir(), 'extra.bin'), 'x');
    const r = run(s);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('3 problem(s)');
    expect(r.stderr).toMatch(
      /missing: config\.json[\s\S]*extra file, not in the manifest: extra\.bin|extra file, not in the manifest: extra\.bin[\s\S]*missing: config\.json/,
    );
    expect(r.stderr).toContain('sha256 mismatch: model-00001-of-00002.safetensors');
  });

  test('a second run with the same manifest skips the work; alwaysVerify forces it', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    expect(run(s).status).toBe(0);
    // Corrupt a file behind the marker's back: the marker short-cut does not look at the files.
    fs.appendFileSync(path.join(modelDir(), 'config.json'), ' ');
    const again = run(s);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('already verified');
    expect(again.stderr).not.toContain('hashing');
    const forced = run(s, { ALWAYS_VERIFY: 'true' });
    expect(forced.status).toBe(3);
    expect(forced.stderr).toContain('sha256 mismatch: config.json');
    expect(fs.existsSync(marker())).toBe(false);
  });

  test('a changed manifest verifies again and moves the marker to the new digest', () => {
    const first = synthesize(writeModel(modelDir(), MODEL));
    expect(run(first).status).toBe(0);
    const files = writeModel(modelDir(), { ...MODEL, 'config.json': '{"architectures":["X"]}\n' });
    const second = synthesize(files);
    expect(second.weights.manifestSha256).not.toBe(first.weights.manifestSha256);
    const r = run(second);
    expect(r.stderr).toContain(
      `marker ${marker()} records manifest ${first.weights.manifestSha256}; verifying again`,
    );
    expect(r.status).toBe(0);
    expect(fs.readFileSync(marker(), 'utf8')).toBe(`${second.weights.manifestSha256}\n`);
  });

  test('refuses a manifest that differs from the one the Job pins', () => {
    const s = synthesize(writeModel(modelDir(), MODEL));
    const r = run({ ...s, manifest: s.manifest.replace(/^./, '0') });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`but this Job pins ${s.weights.manifestSha256}`);
  });

  test('single GGUF file layout', () => {
    const s = synthesize(writeModel(modelDir(), { 'tiny-q4_k_m.gguf': Buffer.alloc(9000, 7) }));
    expect(s.weights.fileName).toBe('tiny-q4_k_m.gguf');
    expect(run(s).status).toBe(0);
  });

  describe('with an s3 source (a stand-in rclone on PATH copying from a local "bucket")', () => {
    // Mimics `rclone copy SRC:<path> <dst> --files-from-raw <list>` for the flags the script uses.
    const FAKE_RCLONE = [
      '#!/bin/sh',
      'printf "%s\\n" "$@" > "$FAKE_ARGS"',
      '[ -z "${FAKE_FAIL:-}" ] || exit 7',
      'list=; src=; dst=',
      'while [ $# -gt 0 ]; do',
      '  case $1 in',
      '    --files-from-raw) list=$2; shift 2 ;;',
      '    --config|--transfers|--retries|--low-level-retries|--stats|--stats-log-level|--ca-cert) shift 2 ;;',
      '    copy) src=$2; dst=$3; shift 3 ;;',
      '    *) shift ;;',
      '  esac',
      'done',
      'from="$FAKE_REMOTE/${src#SRC:}"',
      'while IFS= read -r f; do',
      '  [ -f "$from/$f" ] || continue',
      '  mkdir -p "$dst/$(dirname "$f")" && cp "$from/$f" "$dst/$f"',
      'done < "$list"',
      '',
    ].join('\n');
    const S3: WeightsSource = {
      kind: 's3',
      endpoint: 'https://s3.de.example',
      bucket: 'models',
      prefix: 'tiny/r1',
      credentials: { secretName: 's3' },
    };
    const fakeEnv = () => ({
      FAKE_REMOTE: path.join(tmp, 'remote'),
      FAKE_ARGS: path.join(tmp, 'args'),
    });
    beforeEach(() => fs.writeFileSync(path.join(tmp, 'bin', 'rclone'), FAKE_RCLONE, { mode: 0o755 }));

    test('copies only the listed files, then verifies them', () => {
      const bucket = path.join(tmp, 'remote', 'models', 'tiny', 'r1');
      const files = writeModel(bucket, MODEL);
      fs.writeFileSync(path.join(bucket, 'README.md'), 'not part of the manifest');
      const s = synthesize(files, S3);
      const r = run(s, fakeEnv());
      expect(r.stderr).toContain('copying 4 files from https://s3.de.example/models/tiny/r1');
      expect(r.status).toBe(0);
      const args = fs.readFileSync(path.join(tmp, 'args'), 'utf8').split('\n');
      expect(args.slice(0, 5)).toEqual(['--config', '/dev/null', 'copy', 'SRC:models/tiny/r1', modelDir()]);
      expect(args).toContain('--no-traverse');
      expect(fs.existsSync(path.join(modelDir(), 'README.md'))).toBe(false);
      expect(fs.readFileSync(marker(), 'utf8').trim()).toBe(s.weights.manifestSha256);
    });

    test('a corrupted object in the bucket fails verification naming the file', () => {
      const bucket = path.join(tmp, 'remote', 'models', 'tiny', 'r1');
      const files = writeModel(bucket, MODEL);
      fs.appendFileSync(path.join(bucket, 'config.json'), 'tampered');
      const r = run(synthesize(files, S3), fakeEnv());
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('sha256 mismatch: config.json');
    });

    test('a failed copy exits 4 so the Job retries it', () => {
      const files = writeModel(path.join(tmp, 'remote', 'models', 'tiny', 'r1'), MODEL);
      const r = run(synthesize(files, S3), { ...fakeEnv(), FAKE_FAIL: '1' });
      expect(r.status).toBe(4);
      expect(r.stderr).toContain('copy from https://s3.de.example/models/tiny/r1 failed (rclone exit 7)');
    });
  });

  // CHECKPOINT_DISABLE: Terraform would otherwise call HashiCorp's checkpoint service and
  // leave ~/.terraform.d/checkpoint_* behind.
  const terraform =
    spawnSync('terraform', ['version'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
    }).status === 0;
  (terraform ? test : test.skip)('terraform itself turns the synthesized string back into the script', () => {
    const s = synthesize({ 'a.gguf': 'a'.repeat(64) });
    const dir = path.join(tmp, 'tf');
    fs.mkdirSync(dir);
    // The command string exactly as it sits in cdk.tf.json, evaluated by Terraform as an output.
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ output: { s: { value: s.raw } } }));
    // Terraform writes under HOME (a plugin cache, per the machine's CLI config): a HOME and an
    // empty CLI config inside the temporary directory keep the user's own untouched.
    fs.writeFileSync(path.join(tmp, 'empty.tfrc'), '');
    const opts = {
      cwd: dir,
      encoding: 'utf8' as const,
      env: {
        ...process.env,
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
        HOME: tmp,
        TF_CLI_CONFIG_FILE: path.join(tmp, 'empty.tfrc'),
      },
    };
    const state = `-state=${path.join(dir, 's.tfstate')}`;
    expect(spawnSync('terraform', ['init', '-input=false', '-backend=false'], opts).status).toBe(0);
    expect(spawnSync('terraform', ['apply', '-auto-approve', '-input=false', state], opts).status).toBe(0);
    expect(spawnSync('terraform', ['output', state, '-raw', 's'], opts).stdout).toBe(VERIFY_WEIGHTS_SCRIPT);
  });
});
