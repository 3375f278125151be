/**
 * A spec split over a directory of files: read as the one-file spec, every problem located in
 * the file it is in, duplicates across files refused, the per-file cap kept.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, type SovereignError } from '../../../core/errors';
import { loadSpec, MAX_SPEC_BYTES } from '../../../stacks/spec/load';

const EXAMPLE = path.resolve(__dirname, '../../../../examples/sovereign.yaml');
const lines = fs.readFileSync(EXAMPLE, 'utf8').split('\n');
const start = (name: string) => lines.indexOf(`  ${name}:`);
const HEADER = 'version: 1\njurisdictions:\n';

/** The example as files: version + defaults, then one file per jurisdiction. */
function split(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const j = lines.indexOf('jurisdictions:');
  fs.writeFileSync(path.join(dir, '00-base.yaml'), lines.slice(0, j).join('\n') + '\n');
  const names = ['de-fra', 'fr-par', 'eu-edge-vie'];
  names.forEach((n, i) => {
    const end = i + 1 < names.length ? start(names[i + 1]) : lines.length;
    fs.writeFileSync(path.join(dir, `${n}.yaml`), HEADER + lines.slice(start(n), end).join('\n') + '\n');
  });
}

function problems(dir: string): string[] {
  try {
    loadSpec(dir);
  } catch (e) {
    return (e as SovereignError).problems.map(formatProblem);
  }
  return [];
}

describe('a spec in several files', () => {
  let tmp: string;
  let cwd: string;
  beforeEach(() => {
    cwd = process.cwd();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-spec-dir-'));
    // The example's CA file is read relative to the project.
    process.chdir(path.dirname(path.dirname(EXAMPLE)));
  });
  afterEach(() => {
    process.chdir(cwd);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('reads as the one-file spec; positions name the file', () => {
    const dir = path.join(tmp, 'sites');
    split(dir);
    const one = loadSpec(EXAMPLE);
    const many = loadSpec(dir);
    expect(many.spec).toEqual(one.spec);
    expect(many.locate(['jurisdictions', 'fr-par', 'profile'])).toEqual({
      file: `${dir}/fr-par.yaml`,
      line: 4,
      col: 14,
    });
    expect(many.locate(['defaults'])?.file).toBe(`${dir}/00-base.yaml`);
  });

  test('problems are located in the file they are in, every file reported', () => {
    const dir = path.join(tmp, 'sites');
    split(dir);
    const fr = path.join(dir, 'fr-par.yaml');
    fs.writeFileSync(
      fr,
      fs.readFileSync(fr, 'utf8').replace('profile: fr-secnumcloud', 'profile: fr-secnumclod'),
    );
    expect(problems(dir)).toEqual([
      `${dir}/fr-par.yaml:4:14  jurisdictions.fr-par.profile  "fr-secnumclod" is not allowed. Did you mean "fr-secnumcloud"? Allowed: eu-gdpr, de-bsi-c5, fr-secnumcloud, none`,
    ]);
    // YAML errors in two files: both reported, each in its own file.
    fs.appendFileSync(path.join(dir, 'de-fra.yaml'), '  de-fra: {}\n');
    fs.appendFileSync(fr, '\tbad: tab\n');
    const ps = problems(dir);
    expect(ps.some((p) => p.startsWith(`${dir}/de-fra.yaml:`) && p.includes('appears more than once'))).toBe(
      true,
    );
    expect(ps.some((p) => p.startsWith(`${dir}/fr-par.yaml:`) && p.includes('tab'))).toBe(true);
  });

  test('a jurisdiction or a shared key written twice is refused, naming both places', () => {
    const dir = path.join(tmp, 'sites');
    split(dir);
    fs.copyFileSync(path.join(dir, 'fr-par.yaml'), path.join(dir, 'zz-copy.yaml'));
    fs.copyFileSync(path.join(dir, '00-base.yaml'), path.join(dir, '01-base.yaml'));
    expect(problems(dir)).toEqual([
      `${dir}/01-base.yaml:9:1  defaults  "defaults" is also written in ${dir}/00-base.yaml:9:1; only jurisdictions may be spread over several files`,
      `${dir}/zz-copy.yaml:3:3  jurisdictions.fr-par  jurisdiction "fr-par" is also written in ${dir}/fr-par.yaml:3:3; write each jurisdiction in one file`,
    ]);
  });

  test('versions must agree; each file is capped; an empty directory is refused', () => {
    const dir = path.join(tmp, 'sites');
    split(dir);
    const eu = path.join(dir, 'eu-edge-vie.yaml');
    fs.writeFileSync(eu, fs.readFileSync(eu, 'utf8').replace('version: 1', 'version: 2'));
    expect(problems(dir)[0]).toBe(
      `${dir}/eu-edge-vie.yaml:1:1  version  version 2 differs from version 1 in ${dir}/00-base.yaml:7:1; every file of a spec has the same version`,
    );
    fs.writeFileSync(eu, HEADER + '#'.repeat(MAX_SPEC_BYTES) + '\n');
    expect(problems(dir)).toEqual([
      `${dir}/eu-edge-vie.yaml  is ${MAX_SPEC_BYTES + HEADER.length + 1} bytes; a spec file may be at most ${MAX_SPEC_BYTES} bytes (1 MiB)`,
    ]);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'notes.txt'), 'not a spec');
    expect(problems(empty)).toEqual([
      `${empty}  is a directory with no spec files; name the YAML file, or put *.yaml files (each with \`version: 1\`) in it`,
    ]);
  });

  test('fails when spec files would be left out unseen: a subdirectory of them, an upper-case extension', () => {
    const dir = path.join(tmp, 'fleet');
    split(dir);
    // A region's sites moved into a folder: they would vanish from the synth without a word.
    fs.mkdirSync(path.join(dir, 'east'));
    fs.renameSync(path.join(dir, 'eu-edge-vie.yaml'), path.join(dir, 'east', 'eu-edge-vie.yaml'));
    fs.writeFileSync(path.join(dir, 'FR-LYO.YAML'), HEADER);
    // Hidden entries and folders without YAML stay out of the judgement.
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'x.yaml'), 'x');
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'readme.md'), 'notes');
    expect(problems(dir)).toEqual([
      `${dir}/FR-LYO.YAML  has its extension in upper case; spec files end in .yaml or .yml: rename it, or it would be left out`,
      `${dir}/east  is a directory holding 1 YAML file(s) (eu-edge-vie.yaml); only files directly in ${dir} are read: move them up, or synthesize that directory as its own spec`,
    ]);
    // Deeper down, and behind a link to a directory: refused the same way.
    fs.rmSync(path.join(dir, 'FR-LYO.YAML'));
    fs.mkdirSync(path.join(dir, 'east', 'vienna'));
    fs.renameSync(path.join(dir, 'east', 'eu-edge-vie.yaml'), path.join(dir, 'east', 'vienna', 'site.yaml'));
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.writeFileSync(path.join(tmp, 'elsewhere', 'x.yml'), HEADER);
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(dir, 'linked'));
    expect(problems(dir)).toEqual([
      `${dir}/east  is a directory holding 1 YAML file(s) (vienna/site.yaml); only files directly in ${dir} are read: move them up, or synthesize that directory as its own spec`,
      `${dir}/linked  is a directory holding 1 YAML file(s) (x.yml); only files directly in ${dir} are read: move them up, or synthesize that directory as its own spec`,
    ]);
  });
});
