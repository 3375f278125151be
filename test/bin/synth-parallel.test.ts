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

  test('workers agree with one job byte for byte, and --no-cache writes no cache', async () => {
    await synthesize({ spec, outdir: 'out-b', jobs: 3, cache: false });
    expectSame(tree('out-a'), tree('out-b'));
    expect(fs.existsSync(cacheDir('out-b'))).toBe(false);
  });

  test('the cache after one jurisdiction changed agrees with a full synth byte for byte', async () => {
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
    const incremental = await synthesize({ spec: changed, outdir: 'out-c' });
    // Only the changed jurisdiction was synthesized and cached again.
    expect(fs.statSync(path.join(cacheDir('out-c'), 'de-fra.json')).mtimeMs).toBe(before);
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

  test('fails when a cached stack was edited: the gate judges cached stacks like fresh ones', async () => {
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
});
