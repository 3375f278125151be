/**
 * `sovereign init [dir] [--ci github|gitlab|none]`: scaffolds a project that uses the installed
 * toolkit — sovereign.yaml (with the schema comment editors read), cdktf.json, package.json,
 * .gitignore, main.ts and tsconfig.json for those who compose constructs in TypeScript, and a
 * CI pipeline. Everything comes from the toolkit's own files (examples/minimal.yaml,
 * examples/private-gpu-platform.ts, the CI templates), so what init writes is what is tested.
 *
 * It never writes over a file: when any target exists it writes nothing and exits 2 naming
 * them. An existing package.json is the one exception that is not an error — `npm install` of
 * the toolkit creates one: the scripts and dependencies it lacks are added, nothing in it changed.
 */
import { Option, type Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { inputInvalid, inputProblems } from '../../core/errors';
import { TOOLKIT_VERSION } from '../../core/version';
import type { CiKind } from '../lib/ci-templates';
import type { Register } from '../lib/command';
import { stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('init')
    .description(
      'scaffold a project: sovereign.yaml, cdktf.json, package.json, .gitignore, main.ts, a CI pipeline',
    )
    .argument('[dir]', 'project directory (created when missing)', '.')
    .addOption(
      new Option('--ci <kind>', 'CI pipeline to write').choices(['github', 'gitlab', 'none']).default('none'),
    )
    .action((dir: string, _o, cmd: Command) => act(cmd, () => run(dir, cmd.optsWithGlobals<InitOptions>())));
};

export interface InitOptions {
  readonly ci?: CiKind | 'none';
}

// Required when init runs: `--help` loads every command file (bin/lib/command.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ciTemplates = () => require('../lib/ci-templates') as typeof import('../lib/ci-templates');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const atomicWrite = () => require('../lib/atomic-write') as typeof import('../lib/atomic-write');

/** The installed toolkit: dist/bin/commands → the package root. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE_NAME = 'sovereign-stack';

interface ToolkitPackage {
  readonly dependencies: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

function toolkitFile(rel: string): string {
  return fs.readFileSync(path.join(PACKAGE_ROOT, rel), 'utf8');
}

/** The files init writes, by path relative to the project, in writing order. */
export function scaffold(
  projectName: string,
  ci: CiKind | 'none',
  schemaPath: string,
): { files: [string, string][]; jurisdictions: string[] } {
  const pkg = JSON.parse(toolkitFile('package.json')) as ToolkitPackage;
  const dev = pkg.devDependencies ?? {};

  const spec = toolkitFile('examples/minimal.yaml').replace(
    /^# yaml-language-server: \$schema=.*$/m,
    `# yaml-language-server: $schema=${schemaPath}`,
  );
  const jurisdictions = [...spec.matchAll(/^ {2}([a-z0-9-]+):\s*$/gm)].map((m) => m[1]);

  const cdktfJson = {
    language: 'typescript',
    // The toolkit's app entry: `npx cdktf synth|diff|deploy <jurisdiction>` on sovereign.yaml.
    app: `node node_modules/${PACKAGE_NAME}/dist/bin/app.js`,
    output: 'cdktf.out',
    codeMakerOutput: '.gen',
    terraformProviders: [],
    terraformModules: [],
    sendCrashReports: 'false',
    context: { sovereignSpec: 'sovereign.yaml' },
  };

  const packageJson = {
    name: projectName,
    version: '0.0.0',
    private: true,
    scripts: {
      validate: 'sovereign validate sovereign.yaml',
      synth: 'sovereign synth sovereign.yaml --report audit-report.md',
      audit: 'sovereign audit cdktf.out',
      'synth:ts': 'tsc -p . && node main.js',
    },
    dependencies: {
      [PACKAGE_NAME]: TOOLKIT_VERSION,
      cdktf: pkg.dependencies.cdktf,
      constructs: pkg.dependencies.constructs,
    },
    devDependencies: {
      '@types/node': dev['@types/node'],
      typescript: dev.typescript,
    },
  };

  const mainTs = toolkitFile('examples/private-gpu-platform.ts')
    .replace(/from '\.\.\/constructs'/g, `from '${PACKAGE_NAME}/constructs'`)
    .replace(/from '\.\.\/stacks'/g, `from '${PACKAGE_NAME}/stacks'`)
    .replace(/npx tsc -p \. && node dist\/examples\/private-gpu-platform\.js/, 'npm run synth:ts');

  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      // node16 resolution reads the toolkit's `exports` (sovereign-stack/constructs, /stacks, /policy).
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
    },
    files: ['main.ts'],
  };

  const gitignore = [
    'node_modules/',
    'cdktf.out/',
    '.gen/',
    '.terraform/',
    '*.tfstate',
    '*.tfstate.*',
    'main.js',
    'main.d.ts',
    'audit-report.md',
    '',
  ].join('\n');

  const files: [string, string][] = [
    ['sovereign.yaml', spec],
    ['cdktf.json', json(cdktfJson)],
    ['package.json', json(packageJson)],
    ['.gitignore', gitignore],
    ['main.ts', mainTs],
    ['tsconfig.json', json(tsconfig)],
  ];
  if (ci !== 'none') {
    const { CI_PATHS, ciTemplate } = ciTemplates();
    files.push([CI_PATHS[ci], ciTemplate(ci, jurisdictions)]);
  }
  return { files, jurisdictions };
}

function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

/** A package name npm accepts, from a directory name. */
function packageName(dir: string): string {
  const base = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return base === '' ? 'sovereign-project' : base.slice(0, 214);
}

/** The schema path the spec's comment names, relative to the project. */
function schemaPathFrom(dir: string): string {
  const installed = path.join(PACKAGE_ROOT, 'sovereign.schema.json');
  const rel = path.relative(path.resolve(dir), installed);
  return !rel.startsWith('..') && !path.isAbsolute(rel)
    ? rel.split(path.sep).join('/')
    : `node_modules/${PACKAGE_NAME}/sovereign.schema.json`;
}

export async function run(dir: string, opts: InitOptions): Promise<number> {
  const ci = opts.ci ?? 'none';
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw inputInvalid(dir, 'exists and is not a directory; give a directory to create the project in');
  }
  const { files } = scaffold(packageName(dir), ci, schemaPathFrom(dir));
  const keptPackageJson = fs.existsSync(path.join(dir, 'package.json'));
  const targets = files.filter(([rel]) => !(rel === 'package.json' && keptPackageJson));

  const existing = targets.map(([rel]) => rel).filter((rel) => fs.existsSync(path.join(dir, rel)));
  if (existing.length > 0) {
    throw inputProblems(
      dir,
      existing.map((rel) => ({
        file: path.join(dir, rel),
        path: '',
        message:
          'exists; sovereign init writes nothing over a file it did not write (move it aside, or init another directory)',
      })),
    );
  }

  const written: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const [rel, text] of targets) {
      const file = path.join(dir, rel);
      const made = fs.mkdirSync(path.dirname(file), { recursive: true });
      if (made !== undefined) createdDirs.push(made);
      fs.writeFileSync(file, text, { flag: 'wx' }); // never over a file that appeared meanwhile
      written.push(file);
    }
  } catch (e) {
    // Take back only what this run wrote, newest first; nothing else is touched.
    for (const f of written.reverse()) fs.rmSync(f, { force: true });
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    throw inputInvalid(
      err.path ?? dir,
      `cannot write the project (${err.code ?? 'error'}); nothing was left behind`,
    );
  }

  // An existing package.json (as `npm install` of the toolkit leaves one) gets the scripts and
  // dependencies the project needs that it lacks: added, never changed or removed.
  const added = keptPackageJson ? completePackageJson(path.join(dir, 'package.json'), files) : [];

  const out = stdout();
  out.write(`created ${written.length} file(s) in ${dir}:\n`);
  for (const f of written) out.write(`  ${f}\n`);
  if (keptPackageJson) {
    out.write(
      added.length > 0
        ? `added to the existing ${path.join(dir, 'package.json')} (nothing in it changed): ${added.join(', ')}\n`
        : `kept the existing ${path.join(dir, 'package.json')}\n`,
    );
  }
  out.write(
    [
      'next:',
      ...(dir === '.' ? [] : [`  cd ${dir}`]),
      ...(keptPackageJson && !added.some((a) => a.includes('ependencies.')) ? [] : ['  npm install']),
      '  npx sovereign validate        # check sovereign.yaml (its values are placeholders: make them yours)',
      '  npx sovereign synth           # one Terraform stack per jurisdiction, policy gate included',
      '  npx sovereign audit           # the evidence report of cdktf.out',
      '',
    ].join('\n'),
  );
  return 0;
}

/**
 * Adds to an existing package.json the `scripts`, `dependencies` and `devDependencies` entries of
 * the scaffold it lacks (never one it has, whatever its value), written atomically with its own
 * indentation kept at two spaces. Returns what was added (`scripts.synth:ts`, …); a file that is
 * not a JSON object is left alone.
 */
function completePackageJson(file: string, files: readonly [string, string][]): string[] {
  const wanted = JSON.parse(files.find(([rel]) => rel === 'package.json')![1]) as Record<string, unknown>;
  let have: Record<string, unknown>;
  try {
    have = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return [];
  }
  if (have === null || typeof have !== 'object' || Array.isArray(have)) return [];
  const added: string[] = [];
  for (const section of ['scripts', 'dependencies', 'devDependencies']) {
    const want = (wanted[section] ?? {}) as Record<string, string>;
    const cur = have[section];
    if (cur !== undefined && (cur === null || typeof cur !== 'object' || Array.isArray(cur))) continue;
    const into = { ...((cur as Record<string, unknown> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(want)) {
      if (Object.prototype.hasOwnProperty.call(into, k)) continue;
      into[k] = v;
      added.push(`${section}.${k}`);
    }
    if (Object.keys(into).length > 0) have[section] = into;
  }
  if (added.length > 0) atomicWrite().writeFileAtomic(file, `${JSON.stringify(have, null, 2)}\n`, file);
  return added;
}
