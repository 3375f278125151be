/**
 * `audit --spec` takes the approved spec as a directory of files too (docs/fleet.md): it
 * re-synthesizes it, and the report records the directory's digest, which an auditor can
 * recompute from the files with sha256sum.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { specDigest } from '../../bin/lib/spec-digest';
import { sovereign } from '../support/cli';

const MINIMAL = path.resolve(__dirname, '../../../examples/minimal.yaml');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('audit --spec with a spec directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-audit-spec-dir-'));
    fs.mkdirSync(path.join(dir, 'sites'));
    fs.copyFileSync(MINIMAL, path.join(dir, 'sites', 'lab.yaml'));
    fs.writeFileSync(path.join(dir, 'sites', 'notes.txt'), 'not read');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the digest of a directory is the sha256sum listing of its spec files, in name order', () => {
    const sites = path.join(dir, 'sites');
    const listing = `${sha(fs.readFileSync(path.join(sites, 'lab.yaml')))}  lab.yaml\n`;
    expect(specDigest(sites)).toBe(sha(listing));
    expect(specDigest(path.join(sites, 'lab.yaml'))).toBe(sha(fs.readFileSync(MINIMAL)));
  });

  test('passes on the directory synthesized from it, and names a change made afterwards', async () => {
    const synth = await sovereign(['synth', 'sites', '--out', 'out', '--no-cache'], dir);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const ok = await sovereign(['audit', 'out', '--spec', 'sites', '--format', 'json'], dir);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { spec?: { path: string; sha256: string } };
    expect(report.spec).toEqual({ path: 'sites', sha256: specDigest(path.join(dir, 'sites')) });

    const file = path.join(dir, 'out', 'stacks', 'lab', 'cdk.tf.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"replicas": 1', '"replicas": 2'));
    const changed = await sovereign(['audit', 'out', '--spec', 'sites'], dir);
    expect(changed.code).toBe(1);
    expect(changed.stdout + changed.stderr).toMatch(/stacks\/lab\/cdk\.tf\.json/);
  });
});
