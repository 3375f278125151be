import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TOOLKIT_VERSION } from '../../core/version';
import { toolkitVersion } from '../../policy/version';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
};

/** The `version` script without its final `git add` (the part that writes core/version.ts). */
const generator = pkg.scripts.version.replace(/ && git add core\/version\.ts$/, '');

function generate(version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-version-'));
  try {
    fs.mkdirSync(path.join(dir, 'core'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'sovereign-stack', version }));
    execFileSync('sh', ['-c', generator], { cwd: dir, stdio: 'pipe' });
    return fs.readFileSync(path.join(dir, 'core', 'version.ts'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('one version constant', () => {
  test('package.json and TOOLKIT_VERSION agree, and reports use the constant', () => {
    expect(TOOLKIT_VERSION).toBe(pkg.version);
    expect(toolkitVersion()).toBe(TOOLKIT_VERSION);
  });

  test('core/version.ts is exactly what the version script generates from package.json', () => {
    expect(pkg.scripts.version).toMatch(/ && git add core\/version\.ts$/);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'core', 'version.ts'), 'utf8')).toBe(generate(pkg.version));
  });

  test('the version script writes a bumped version into the constant', () => {
    expect(generate('2.3.4-rc.1')).toContain("export const TOOLKIT_VERSION = '2.3.4-rc.1';\n");
  });

  test('no other source file states the toolkit version', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (e.name.endsWith('.ts') && rel !== path.join('core', 'version.ts')) {
          const src = fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');
          if (src.includes(`'${pkg.version}'`) || /\bTOOLKIT_VERSION\s*=/.test(src)) offenders.push(rel);
        }
      }
    };
    for (const top of ['core', 'bin', 'constructs', 'stacks', 'policy']) walk(top);
    expect(offenders).toEqual([]);
  });
});
