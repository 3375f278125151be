/** `sovereign init`: what it writes, that it validates and synthesizes, and that it never overwrites. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { scaffold } from '../../../bin/commands/init';
import { githubWorkflow, gitlabPipeline } from '../../../bin/lib/ci-templates';
import { sovereign, STACK_TRACE } from '../../support/cli';
import { EXAMPLES, REPO_ROOT } from '../../support/paths';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-init-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('sovereign init', () => {
  test('scaffolds a project in a new directory, with the GitHub pipeline for its jurisdictions', async () => {
    const r = await sovereign(['init', 'proj', '--ci', 'github'], tmp);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = path.join(tmp, 'proj');
    expect(listing(dir)).toEqual(
      [
        '.github/workflows/sovereign.yml',
        '.gitignore',
        'cdktf.json',
        'main.ts',
        'package.json',
        'sovereign.yaml',
        'tsconfig.json',
      ].sort(),
    );
    const spec = fs.readFileSync(path.join(dir, 'sovereign.yaml'), 'utf8');
    expect(spec.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=node_modules/sovereign-stack/sovereign.schema.json',
    );
    const jurisdictions = Object.keys((parse(spec) as Any).jurisdictions);
    expect(fs.readFileSync(path.join(dir, '.github/workflows/sovereign.yml'), 'utf8')).toBe(
      githubWorkflow(jurisdictions),
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Any;
    const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Any;
    expect(pkg.name).toBe('proj');
    expect(pkg.dependencies).toEqual({
      'sovereign-stack': own.version,
      cdktf: own.dependencies.cdktf,
      constructs: own.dependencies.constructs,
    });
    const cdktf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')) as Any;
    expect(cdktf.app).toBe('node node_modules/sovereign-stack/dist/bin/app.js');
    const main = fs.readFileSync(path.join(dir, 'main.ts'), 'utf8');
    expect(main).toContain("from 'sovereign-stack/constructs'");
    expect(main).toContain("from 'sovereign-stack/stacks'");
    expect(main).not.toContain("'../");
    expect(r.stdout).toContain('npx sovereign validate');
  });

  test('the spec it writes validates, and is the minimal example with the schema comment moved', async () => {
    expect((await sovereign(['init', tmp], REPO_ROOT)).code).toBe(0);
    const v = await sovereign(['validate', path.join(tmp, 'sovereign.yaml')], tmp);
    expect(v.code).toBe(0);
    // The spec is the toolkit's minimal example (which synth tests cover) with the schema comment changed.
    const spec = fs.readFileSync(path.join(tmp, 'sovereign.yaml'), 'utf8').split('\n').slice(1).join('\n');
    const example = fs
      .readFileSync(path.join(EXAMPLES, 'minimal.yaml'), 'utf8')
      .split('\n')
      .slice(1)
      .join('\n');
    expect(spec).toBe(example);
  });

  test('--ci gitlab writes .gitlab-ci.yml; --ci none (the default) writes no pipeline', async () => {
    expect((await sovereign(['init', 'a', '--ci', 'gitlab'], tmp)).code).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'a', '.gitlab-ci.yml'), 'utf8')).toBe(gitlabPipeline(['lab']));
    expect((await sovereign(['init', 'b'], tmp)).code).toBe(0);
    expect(listing(path.join(tmp, 'b')).some((f) => f.includes('gitlab') || f.includes('.github'))).toBe(
      false,
    );
  });

  test('completes an existing package.json (npm install of the toolkit creates one): adds, never changes', async () => {
    fs.writeFileSync(
      path.join(tmp, 'package.json'),
      '{"name":"mine","dependencies":{"sovereign-stack":"file:x.tgz"},"scripts":{"synth":"my own"}}\n',
    );
    const r = await sovereign(['init'], tmp);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(tmp, 'package.json'), 'utf8')) as Any;
    // What was there stays as it was.
    expect(pkg.name).toBe('mine');
    expect(pkg.dependencies['sovereign-stack']).toBe('file:x.tgz');
    expect(pkg.scripts.synth).toBe('my own');
    // What the README's commands need is added.
    expect(pkg.scripts['synth:ts']).toBe('tsc -p . && node main.js');
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
    expect(r.stdout).toMatch(
      /added to the existing package\.json \(nothing in it changed\): .*scripts\.synth:ts/,
    );
    expect(r.stdout).not.toMatch(/added to .*scripts\.synth[,\s]/);
    expect(r.stdout).toContain('  npm install');
    // A second init (other files removed) has nothing left to add.
    for (const f of fs.readdirSync(tmp))
      if (f !== 'package.json') fs.rmSync(path.join(tmp, f), { recursive: true });
    const again = await sovereign(['init'], tmp);
    expect(again.stdout).toContain('kept the existing package.json');
    expect(again.stdout).not.toContain('npm install');
  });

  test('leaves a package.json that is not a JSON object as it is', async () => {
    fs.writeFileSync(path.join(tmp, 'package.json'), '[1, 2]\n');
    const r = await sovereign(['init'], tmp);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'package.json'), 'utf8')).toBe('[1, 2]\n');
  });

  test('fails when files exist, naming each, and writes nothing at all', async () => {
    fs.writeFileSync(path.join(tmp, 'sovereign.yaml'), 'mine\n');
    fs.writeFileSync(path.join(tmp, '.gitignore'), 'mine\n');
    const r = await sovereign(['init', '--ci', 'gitlab'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'sovereign.yaml  exists; sovereign init writes nothing over a file it did not write',
    );
    expect(r.stderr).toContain('.gitignore  exists;');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(listing(tmp)).toEqual(['.gitignore', 'sovereign.yaml']);
    expect(fs.readFileSync(path.join(tmp, 'sovereign.yaml'), 'utf8')).toBe('mine\n');
  });

  test('fails when the target is a file', async () => {
    fs.writeFileSync(path.join(tmp, 'f'), 'x');
    const r = await sovereign(['init', 'f'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('exists and is not a directory');
  });

  test('fails on an unknown --ci, listing the choices', async () => {
    const r = await sovereign(['init', '--ci', 'jenkins'], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/github, gitlab, none/);
    expect(listing(tmp)).toEqual([]);
  });

  test('fails without a trace when the project cannot be written, leaving nothing behind', async () => {
    fs.writeFileSync(path.join(tmp, 'f'), 'x');
    const r = await sovereign(['init', path.join('f', 'p')], tmp);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write the project (ENOTDIR); nothing was left behind');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(listing(tmp)).toEqual(['f']);
  });
});

describe('scaffold', () => {
  test('the same bytes for the same inputs (no dates, no machine paths)', async () => {
    const a = scaffold('p', 'github', 'node_modules/sovereign-stack/sovereign.schema.json');
    const b = scaffold('p', 'github', 'node_modules/sovereign-stack/sovereign.schema.json');
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).not.toContain(REPO_ROOT);
    expect(a.jurisdictions).toEqual(['lab']);
  });
});
