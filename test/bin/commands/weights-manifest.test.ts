import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { run, type WeightsManifestJson } from '../../../bin/commands/weights-manifest';
import { isSovereignError, type SovereignError } from '../../../core/errors';
import { manifestSha256 } from '../../../constructs/weights-manifest';
import { sovereign } from '../../support/cli';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'weights-manifest-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function generate(dir: string, sizes: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, size] of Object.entries(sizes)) {
    const data = randomBytes(size);
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
    out[rel] = sha(data);
  }
  return out;
}

/** Runs the command, capturing stdout and stderr. */
async function capture(target: string, opts: Parameters<typeof run>[1]) {
  let stdout = '';
  let stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  const code = await run(target, opts);
  jest.restoreAllMocks();
  return { code, stdout, stderr };
}

async function failure(target: string, opts: Parameters<typeof run>[1] = {}): Promise<SovereignError> {
  try {
    await capture(target, opts);
  } catch (e) {
    jest.restoreAllMocks();
    expect(isSovereignError(e)).toBe(true);
    return e as SovereignError;
  }
  throw new Error('expected a SovereignError');
}

const MODEL = {
  'config.json': 512,
  'generation_config.json': 120,
  'model-00001-of-00003.safetensors': 3_000_000,
  'model-00002-of-00003.safetensors': 2_500_001,
  'model-00003-of-00003.safetensors': 700_000,
  'original/params.json': 200,
  'tokenizer.json': 9_000,
};

describe('sovereign weights manifest', () => {
  test('prints YAML the construct takes: a comment line, then sorted path: sha256 pairs', async () => {
    const expected = generate(tmp, MODEL);
    const { code, stdout, stderr } = await capture(tmp, { jobs: 2 });
    expect(code).toBe(0);
    expect(stderr).toBe(''); // stderr is not a terminal here: no progress bar
    const lines = stdout.split('\n');
    const total = Object.values(MODEL).reduce((a, b) => a + b, 0);
    expect(lines[0]).toBe(`# 7 files, ${total} bytes, manifest sha256 ${manifestSha256(expected)}`);
    expect(lines[1]).toBe('files:');
    expect(lines.slice(2, 9)).toEqual(
      Object.keys(expected)
        .sort()
        .map((p) => `  ${p}: ${expected[p]}`),
    );
    expect(parse(stdout)).toEqual({ files: expected });
  });

  test('--json gives the same files plus count, bytes and digest', async () => {
    const expected = generate(tmp, MODEL);
    const { stdout } = await capture(tmp, { json: true, progress: false });
    const out = JSON.parse(stdout) as WeightsManifestJson;
    expect(out.files).toEqual(expected);
    expect(Object.keys(out.files)).toEqual(Object.keys(expected).sort());
    expect(out.fileCount).toBe(7);
    expect(out.manifestSha256).toBe(manifestSha256(expected));
  });

  test('the output is the same for any number of jobs', async () => {
    generate(tmp, MODEL);
    const one = (await capture(tmp, { jobs: 1 })).stdout;
    expect((await capture(tmp, { jobs: 4 })).stdout).toBe(one);
  });

  test('leaves out download-tool directories at the top (.cache/, .git/) unless --all', async () => {
    const model = generate(tmp, { 'config.json': 300, 'sub/.cache/kept.bin': 10 });
    generate(tmp, { '.cache/huggingface/download/config.json.metadata': 50, '.git/HEAD': 20 });
    const { stdout, stderr } = await capture(tmp, {});
    expect(parse(stdout)).toEqual({ files: model });
    expect(stderr).toContain(
      'left out .cache/ (download-tool bookkeeping, not part of the model; --all keeps it)',
    );
    expect(stderr).toContain('left out .git/');
    const all = parse((await capture(tmp, { all: true })).stdout) as { files: Record<string, string> };
    expect(Object.keys(all.files).sort()).toEqual([
      '.cache/huggingface/download/config.json.metadata',
      '.git/HEAD',
      'config.json',
      'sub/.cache/kept.bin',
    ]);
  });

  test('a single GGUF file gives a one-entry manifest under its base name', async () => {
    const expected = generate(tmp, { 'qwen2.5-0.5b-instruct-q4_k_m.gguf': 100_000 });
    const { stdout } = await capture(path.join(tmp, 'qwen2.5-0.5b-instruct-q4_k_m.gguf'), {});
    expect(parse(stdout)).toEqual({ files: expected });
  });

  test('fails when the path does not exist, without a stack in the message', async () => {
    const e = await failure(path.join(tmp, 'missing'));
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      `${path.join(tmp, 'missing')}: unusable input\n${path.join(tmp, 'missing')}  no such file or directory`,
    );
  });

  test('fails when a symlink leaves the directory, naming it', async () => {
    generate(tmp, { 'config.json': 10 });
    fs.symlinkSync('/etc/hostname', path.join(tmp, 'model.safetensors'));
    const e = await failure(tmp);
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toContain('model.safetensors  symlink to "/etc/hostname" leaves the directory');
  });

  test('fails when a file name is one ModelWeights would refuse', async () => {
    generate(tmp, { 'config.json': 10, 'my notes.txt': 10 });
    const e = await failure(tmp);
    expect(e.message).toContain('my notes.txt  ModelWeights would refuse this name');
  });

  test('fails when --jobs is not a positive whole number', async () => {
    generate(tmp, { 'config.json': 10 });
    const e = await failure(tmp, { jobs: 0 });
    expect(e.code).toBe('USAGE');
    expect(e.message).toContain('--jobs 0 is not allowed');
  });

  test.each(['0', 'abc', '1.5', '-1', '', '257', '0x4'])(
    'fails when the command line says --jobs=%j: exit 2 and a message saying what is allowed',
    async (jobs) => {
      generate(tmp, { 'config.json': 10 });
      const r = await sovereign(['weights', 'manifest', tmp, `--jobs=${jobs}`]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `argument '${jobs}' is invalid. --jobs takes a whole number from 1 to 256, got "${jobs}".`,
      );
    },
  );

  test('loads neither cdktf nor the provider bindings', () => {
    const modulePath = path.resolve(__dirname, '../../../bin/commands/weights-manifest.js');
    const r = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(modulePath)}); console.log(Object.keys(require.cache).join('\\n'))`],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/node_modules[/\\](cdktf|@cdktf|constructs)[/\\]/);
  });
});
