/**
 * The toolkit as a user gets it: `npm pack`, the tarball installed in an empty directory from
 * the npm cache alone (offline; `npm ci` fills the cache), then `npx sovereign init`, `validate`,
 * `synth`, `audit` — and the TypeScript entry init writes, compiled against the installed
 * package's types and judged by the same gate. Slow by nature (an npm install): one test, in a
 * lane of its own (`npm run test:package`, which sets its time limit), not in `npm test`.
 *
 * `npm ci` caches package tarballs but not the registry's metadata, so npm can resolve the
 * toolkit's dependencies offline only from a lockfile: the project gets one made from the
 * repository's package-lock.json (the same versions and integrity hashes), as a project
 * installing through its own registry mirror would have.
 */
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Any;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** npm and npx never reach the network here, and print no notices. */
const env = {
  ...process.env,
  NO_COLOR: '1',
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** npm's offline failure, turned into what to do about it. */
function installFailure(r: SpawnSyncReturns<string>): Error {
  const missing = /request to \S*\/([^/\s]+(?:%2f[^/\s]+)?) failed: cache mode is 'only-if-cached'/i.exec(
    r.stderr,
  );
  if (r.stderr.includes('ENOTCACHED') || missing) {
    const cache = run(NPM, ['config', 'get', 'cache'], REPO_ROOT).stdout.trim();
    return new Error(
      `the npm cache (${cache}) lacks ${missing ? decodeURIComponent(missing[1]) : 'a package the toolkit depends on'}: ` +
        'run npm ci in the repository as this user first (it fills the cache), then run the test again',
    );
  }
  return new Error(`npm install of the packed toolkit failed (exit ${r.status})\n${r.stderr}`);
}

/**
 * package.json and package-lock.json of a project that depends on the tarball (and on
 * TypeScript, for main.ts), locked to the repository's versions.
 */
function writeProjectLock(proj: string, tgz: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Any;
  const spec = `file:${path.relative(proj, tgz).split(path.sep).join('/')}`;
  const devDependencies = {
    typescript: own.devDependencies.typescript,
    '@types/node': own.devDependencies['@types/node'],
  };
  const manifest = {
    name: 'proj',
    version: '0.0.0',
    private: true,
    dependencies: { [own.name]: spec },
    devDependencies,
  };
  const packages: Record<string, Any> = {
    '': manifest,
    [`node_modules/${own.name}`]: {
      version: own.version,
      resolved: spec,
      integrity: `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tgz)).digest('base64')}`,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  // The toolkit's runtime closure: what the repository's lock does not mark dev-only.
  for (const [key, entry] of Object.entries(lock.packages as Record<string, Any>)) {
    if (key.startsWith('node_modules/') && entry.dev !== true) packages[key] = entry;
  }
  for (const name of ['typescript', '@types/node', 'undici-types'])
    packages[`node_modules/${name}`] = lock.packages[`node_modules/${name}`];
  fs.writeFileSync(path.join(proj, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(proj, 'package-lock.json'),
    `${JSON.stringify({ name: 'proj', version: '0.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}

describe('the packed toolkit, installed offline in another directory', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-pack-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('npm pack → npm install --offline → sovereign init, validate, synth, audit; main.ts compiles and passes', () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'bin', 'sovereign.js')))
      throw new Error('dist/ is missing: npm run build first (npm test does)');
    // The tarball, from the built dist/ (no second build: --ignore-scripts skips prepare).
    const packDir = path.join(tmp, 'pack');
    fs.mkdirSync(packDir);
    const packed = JSON.parse(
      ok(
        run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO_ROOT),
        'npm pack',
      ),
    ) as { filename: string; files: { path: string }[] }[];
    const tgz = path.join(packDir, packed[0].filename);
    const inTarball = packed[0].files.map((f) => f.path);
    expect(inTarball).toEqual(expect.arrayContaining(['dist/bin/sovereign.js', 'sovereign.schema.json']));
    expect(inTarball.some((f) => f.startsWith('dist/test/') || f.startsWith('test/'))).toBe(false);

    const proj = path.join(tmp, 'proj');
    fs.mkdirSync(proj);
    writeProjectLock(proj, tgz);
    const install = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', tgz], proj);
    if (install.status !== 0) throw installFailure(install);

    const init = ok(
      run(NPX, ['--no-install', 'sovereign', 'init', '--ci', 'github'], proj),
      'sovereign init',
    );
    // npm install wrote package.json first: init adds the scripts the README runs, changes nothing.
    expect(init).toMatch(
      /added to the existing package\.json \(nothing in it changed\): .*scripts\.synth:ts/,
    );
    const projPkg = JSON.parse(fs.readFileSync(path.join(proj, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(projPkg.dependencies[own.name]).toMatch(/^file:/);
    expect(projPkg.scripts['synth:ts']).toBe('tsc -p . && node main.js');
    for (const f of [
      'sovereign.yaml',
      'cdktf.json',
      '.gitignore',
      'main.ts',
      'tsconfig.json',
      '.github/workflows/sovereign.yml',
    ])
      expect(fs.existsSync(path.join(proj, f))).toBe(true);
    // The schema comment points at the installed schema.
    const schemaRef = /\$schema=(\S+)/.exec(fs.readFileSync(path.join(proj, 'sovereign.yaml'), 'utf8'))![1];
    expect(fs.existsSync(path.join(proj, schemaRef))).toBe(true);

    ok(run(NPX, ['--no-install', 'sovereign', 'validate'], proj), 'sovereign validate');
    expect(ok(run(NPX, ['--no-install', 'sovereign', 'synth'], proj), 'sovereign synth')).toContain('lab');
    expect(fs.existsSync(path.join(proj, 'cdktf.out', 'stacks', 'lab', 'cdk.tf.json'))).toBe(true);
    ok(run(NPX, ['--no-install', 'sovereign', 'audit'], proj), 'sovereign audit');

    // TypeScript users: main.ts against the package's exported types, then the same gate.
    ok(run(NPX, ['--no-install', 'tsc', '-p', '.'], proj), 'tsc -p . (main.ts)');
    fs.rmSync(path.join(proj, 'cdktf.out'), { recursive: true, force: true });
    ok(run(process.execPath, ['main.js'], proj), 'node main.js');
    expect(
      ok(run(NPX, ['--no-install', 'sovereign', 'audit', 'cdktf.out'], proj), 'sovereign audit (main.ts)'),
    ).toMatch(/0 errors/);

    // The README's TypeScript example, from the installed package, the same way.
    const readme = fs.readFileSync(path.join(proj, 'node_modules', own.name, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    fs.mkdirSync(path.join(proj, 'readme'));
    fs.writeFileSync(path.join(proj, 'readme', 'example.ts'), example);
    fs.writeFileSync(
      path.join(proj, 'readme', 'tsconfig.json'),
      JSON.stringify({ extends: '../tsconfig.json', files: ['example.ts'] }),
    );
    ok(run(NPX, ['--no-install', 'tsc', '-p', 'readme'], proj), 'tsc -p readme (the README example)');
    fs.rmSync(path.join(proj, 'cdktf.out'), { recursive: true, force: true });
    ok(run(process.execPath, [path.join('readme', 'example.js')], proj), 'node readme/example.js');
    expect(
      ok(
        run(NPX, ['--no-install', 'sovereign', 'audit', 'cdktf.out'], proj),
        'sovereign audit (README example)',
      ),
    ).toMatch(/0 errors/);

    // The policy engine is exported; internals are not.
    const probe = ok(
      run(
        process.execPath,
        [
          '-e',
          `console.log(typeof require('sovereign-stack/policy').evaluateStack);
           try { require('sovereign-stack/dist/bin/lib/synthesize'); console.log('reachable'); }
           catch (e) { console.log(e.code); }`,
        ],
        proj,
      ),
      'require exports',
    );
    expect(probe.trim().split('\n')).toEqual(['function', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });
});
