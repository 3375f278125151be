/**
 * Full, parallel and incremental synth give byte-identical trees: one cdktf App in this
 * thread (the path `audit --spec` uses) against `synthesize` with one job, with worker
 * threads, from the cache after one jurisdiction changed, and with `--only`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, synthesizeToMemory } from '../../bin/lib/synthesize';
import { cacheDir } from '../../bin/lib/synth-cache';
import type { SovereignError } from '../../core/errors';
// What synth judges through (the gate's entry without the report renderers).
import * as policy from '../../policy/judge';
import { sha256Hex } from '../../bin/lib/synth-judge';

const EXAMPLE = path.resolve(__dirname, '../../../examples/sovereign.yaml');

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function expectSame(a: Map<string, Buffer>, b: Map<string, Buffer>): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [k, v] of a) expect({ k, same: v.equals(b.get(k)!) }).toEqual({ k, same: true });
}

describe('parallel and incremental synth', () => {
  let dir: string;
  let cwd: string;
  beforeAll(() => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-synth-parallel-'));
    // The example names a CA file relative to the project.
    fs.cpSync(path.dirname(EXAMPLE), path.join(dir, 'examples'), { recursive: true });
    const secrets = path.resolve(path.dirname(EXAMPLE), '..', 'secrets');
    if (fs.existsSync(secrets)) fs.cpSync(secrets, path.join(dir, 'secrets'), { recursive: true });
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const spec = 'examples/sovereign.yaml';
  const changed = 'changed.yaml';

  // One comparison in steps, each a test of its own within the time limit: the steps build on
  // the outputs of the ones before (out-a … out-d), so they run in this order.
  test('one App and one job agree byte for byte', async () => {
    const reference = await synthesizeToMemory(spec, 'out-a');
    await synthesize({ spec, outdir: 'out-a', jobs: 1, cache: false });
    const one = tree('out-a');
    one.delete('.sovereign-synth');
    expectSame(reference, one);
  });

  test('three workers give the bytes of one job', async () => {
    await synthesize({ spec, outdir: 'out-b', jobs: 3, cache: false });
    expectSame(tree('out-a'), tree('out-b'));
    expect(fs.existsSync(cacheDir('out-b'))).toBe(false);
  });

  let early: Awaited<ReturnType<typeof synthesize>>;
  test('workers started before the spec is read give the same bytes', async () => {
    early = await synthesize({ spec, outdir: 'out-p', jobs: 2, cache: false, prestart: true });
    expectSame(tree('out-a'), tree('out-p'));
  });

  test('workers started before the spec is read give the result of workers started after', async () => {
    const late = await synthesize({ spec, outdir: 'out-q', jobs: 2, cache: false, prestart: false });
    expect(early.jurisdictions).toEqual(late.jurisdictions);
    expect(early.findings).toBe(late.findings);
  });

  test('a bad spec with workers started early: exit 2, located, no output', async () => {
    fs.writeFileSync('bad.yaml', 'version: 1\njurisdictions:\n  de-fra: [\n');
    let failure: unknown;
    try {
      await synthesize({ spec: 'bad.yaml', outdir: 'out-bad', jobs: 2, prestart: true });
    } catch (e) {
      failure = e;
    }
    expect((failure as SovereignError).exitCode).toBe(2);
    expect((failure as SovereignError).problems[0]).toMatchObject({ line: expect.any(Number) });
    expect(fs.existsSync('out-bad')).toBe(false);
  });

  let incremental: Awaited<ReturnType<typeof synthesize>>;
  test('from the cache after one jurisdiction changed: only the changed one synthesized and judged', async () => {
    // Fill the cache, change one jurisdiction, synthesize again from the cache.
    await synthesize({ spec, outdir: 'out-c', jobs: 2 });
    expect(fs.readdirSync(cacheDir('out-c')).sort()).toEqual([
      'CACHEDIR.TAG',
      'de-fra.json',
      'eu-edge-vie.json',
      'fr-par.json',
    ]);
    const text = fs.readFileSync(spec, 'utf8');
    const edited = text.replace(
      /(\n {2}fr-par:\n(?:.*\n)*?\s+replicas: )(\d+)/,
      (_m, a: string, n: string) => `${a}${Number(n) + 1}`,
    );
    expect(edited).not.toBe(text);
    fs.writeFileSync(changed, edited);
    const before = fs.statSync(path.join(cacheDir('out-c'), 'de-fra.json')).mtimeMs;
    const judged = jest.spyOn(policy, 'judgeStack');
    try {
      incremental = await synthesize({ spec: changed, outdir: 'out-c' });
      // Only the changed jurisdiction was synthesized, judged and cached again; the others'
      // verdicts stand for the very bytes written.
      expect(judged.mock.calls.map(([s]) => s.name)).toEqual(['fr-par']);
    } finally {
      judged.mockRestore();
    }
    expect(fs.statSync(path.join(cacheDir('out-c'), 'de-fra.json')).mtimeMs).toBe(before);
  });

  test('from the cache after one jurisdiction changed: the bytes, summary and findings of a full synth', async () => {
    const full = await synthesize({ spec: changed, outdir: 'out-d', cache: false, jobs: 1 });
    expectSame(tree('out-d'), tree('out-c'));
    // The summary and the gate's findings (every stack judged again) agree too.
    expect(incremental.jurisdictions).toEqual(full.jurisdictions);
    expect(incremental.findings).toBe(full.findings);
    const again = await synthesize({ spec: changed, outdir: 'out-c' });
    expect(again.jurisdictions).toEqual(full.jurisdictions);
    expect(again.findings).toBe(full.findings);
  });

  test('--only agrees byte for byte: the named one synthesized, the others from the cache', async () => {
    await synthesize({ spec: changed, outdir: 'out-c', only: ['de-fra'] });
    expectSame(tree('out-d'), tree('out-c'));
  });

  test('--only refuses when another jurisdiction is not up to date, and an unknown name', async () => {
    const err = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return (e as SovereignError).problems.map((x) => x.message).join('\n');
      }
      return 'no error';
    };
    expect(await err(synthesize({ spec, outdir: 'out-e', only: ['de-fra'] }))).toMatch(
      /--only: 2 other jurisdiction\(s\) changed or were never synthesized into out-e \(eu-edge-vie, fr-par\)/,
    );
    expect(fs.existsSync('out-e')).toBe(false);
    expect(await err(synthesize({ spec, outdir: 'out-e', only: ['de-fr'] }))).toMatch(
      /--only de-fr: no such jurisdiction in examples\/sovereign.yaml\. Did you mean "de-fra"\?/,
    );
  });

  test('a cache directory without our tag is neither read nor written', async () => {
    fs.mkdirSync(cacheDir('out-f'));
    fs.writeFileSync(path.join(cacheDir('out-f'), 'de-fra.json'), 'not ours');
    await synthesize({ spec, outdir: 'out-f', jobs: 1 });
    expect(fs.readdirSync(cacheDir('out-f'))).toEqual(['de-fra.json']);
    expect(fs.readFileSync(path.join(cacheDir('out-f'), 'de-fra.json'), 'utf8')).toBe('not ours');
  });

  test('fails when a cached stack was edited: its verdict no longer names its bytes, so it is judged again', async () => {
    await synthesize({ spec, outdir: 'out-g', jobs: 1 });
    const entry = path.join(cacheDir('out-g'), 'fr-par.json');
    const text = fs.readFileSync(entry, 'utf8');
    // A foreign, unpinned engine image written into the cached stack (its key left alone).
    const forged = text.replace(
      /harbor\.par\.cloud-souverain\.fr\.example\/vllm\/vllm-openai:[^"\\]+/g,
      'docker.io/vllm/vllm-openai:latest',
    );
    expect(forged).not.toBe(text);
    fs.writeFileSync(entry, forged);
    const before = fs.readFileSync('out-g/stacks/fr-par/cdk.tf.json', 'utf8');
    let failure: unknown;
    try {
      await synthesize({ spec, outdir: 'out-g', jobs: 1 });
    } catch (e) {
      failure = e;
    }
    expect(String((failure as Error | undefined)?.message ?? failure)).toMatch(/SOV-00[12]/);
    // The refused run leaves the previous output as it was.
    expect(fs.readFileSync('out-g/stacks/fr-par/cdk.tf.json', 'utf8')).toBe(before);
    expect(before).not.toContain('docker.io/vllm');
  });
  /** Synthesizes and returns the error message, or 'no error'. */
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return String((e as Error).message);
    }
    return 'no error';
  };
  const FOREIGN = (text: string) =>
    text.replace(
      /harbor\.par\.cloud-souverain\.fr\.example\/vllm\/vllm-openai:[^"\\]+/g,
      'docker.io/vllm/vllm-openai:latest',
    );

  test('fails when a cached verdict was forged to name the edited bytes: its key no longer matches', async () => {
    await synthesize({ spec, outdir: 'out-h', jobs: 1 });
    const entry = path.join(cacheDir('out-h'), 'fr-par.json');
    const e = JSON.parse(fs.readFileSync(entry, 'utf8'));
    const file = 'stacks/fr-par/cdk.tf.json';
    const forged = FOREIGN(e.files[file]);
    expect(forged).not.toBe(e.files[file]);
    // The stack edited, its verdict made to name the edited bytes (the key is over the digest).
    e.files[file] = forged;
    e.verdicts['fr-par'].sha256 = sha256Hex(forged);
    fs.writeFileSync(entry, JSON.stringify(e));
    expect(await failure(synthesize({ spec, outdir: 'out-h', jobs: 1 }))).toMatch(/SOV-00[12]/);
    expect(fs.readFileSync(`out-h/${file}`, 'utf8')).not.toContain('docker.io/vllm');
  });

  test('a cached verdict without findings, or of another shape, on edited bytes is not taken', async () => {
    await synthesize({ spec, outdir: 'out-i', jobs: 1 });
    const entry = path.join(cacheDir('out-i'), 'fr-par.json');
    const e = JSON.parse(fs.readFileSync(entry, 'utf8'));
    const file = 'stacks/fr-par/cdk.tf.json';
    e.files[file] = FOREIGN(e.files[file]);
    e.verdicts['fr-par'] = { totals: {}, findings: 'none', resources: 1, sha256: 'x', key: 'y' };
    fs.writeFileSync(entry, JSON.stringify(e));
    expect(await failure(synthesize({ spec, outdir: 'out-i', jobs: 1 }))).toMatch(/SOV-00[12]/);
  });

  test('verdicts are judged again on another day and with --strict, and stored again', async () => {
    await synthesize({ spec, outdir: 'out-j', jobs: 1, today: '2026-12-07' });
    const key = () =>
      JSON.parse(fs.readFileSync(path.join(cacheDir('out-j'), 'de-fra.json'), 'utf8')).verdicts['de-fra']
        .key as string;
    const first = key();
    const judged = jest.spyOn(policy, 'judgeStack');
    try {
      const same = await synthesize({ spec, outdir: 'out-j', jobs: 1, today: '2026-12-07' });
      expect(judged).not.toHaveBeenCalled();
      const next = await synthesize({ spec, outdir: 'out-j', jobs: 1, today: '2026-12-08' });
      expect(judged.mock.calls.map(([s]) => s.name).sort()).toEqual(['de-fra', 'eu-edge-vie', 'fr-par']);
      expect(next.findings).toBe(same.findings);
      expect(key()).not.toBe(first);
      judged.mockClear();
      await failure(synthesize({ spec, outdir: 'out-j', jobs: 1, today: '2026-12-08', strict: true }));
      expect(judged).toHaveBeenCalledTimes(3);
    } finally {
      judged.mockRestore();
    }
  });
  test('a cache entry that writes outside its own stacks is not used: nothing lands outside the output', async () => {
    await synthesize({ spec, outdir: 'out-k', jobs: 1 });
    const entry = path.join(cacheDir('out-k'), 'fr-par.json');
    const e = JSON.parse(fs.readFileSync(entry, 'utf8'));
    e.files['stacks/fr-par/../../../escaped.txt'] = 'outside';
    e.files['stacks/evil/cdk.tf.json'] = '{}';
    fs.writeFileSync(entry, JSON.stringify(e));
    const judged = jest.spyOn(policy, 'judgeStack');
    try {
      await synthesize({ spec, outdir: 'out-k', jobs: 1 });
      // fr-par synthesized and judged again, its entry replaced by a good one.
      expect(judged.mock.calls.map(([x]) => x.name)).toEqual(['fr-par']);
    } finally {
      judged.mockRestore();
    }
    expect(fs.existsSync('escaped.txt')).toBe(false);
    expect(fs.existsSync('out-k/stacks/evil')).toBe(false);
    expect(Object.keys(JSON.parse(fs.readFileSync(entry, 'utf8')).files)).not.toContain(
      'stacks/evil/cdk.tf.json',
    );
  });
});
