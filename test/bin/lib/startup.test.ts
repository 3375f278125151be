/**
 * What the CLI entry sets up before anything loads (bin/lib/compile-cache-install.ts), seen
 * from a real `sovereign` process: `validate` loads none of zod's translations but English, no
 * child_process and no cdktf, and V8 is tuned only when allowed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../../../..');
const CLI = path.join(REPO, 'dist', 'bin', 'sovereign.js');

describe('CLI start-up', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-startup-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the CLI with a probe that reports, at exit, the modules loaded and V8's flags tag. */
  function probe(args: string[], env: NodeJS.ProcessEnv = {}) {
    const file = path.join(dir, 'probe.js');
    fs.writeFileSync(
      file,
      `const own = Object.getOwnPropertyDescriptor(process, 'stderr');
       let stderrCreated = false;
       Object.defineProperty(process, 'stderr', { configurable: true, enumerable: true, get() { stderrCreated = true; return own.get.call(process); } });
       process.on('exit', () => {
         const files = Object.keys(require.cache);
         require('fs').writeSync(2, 'PROBE:' + JSON.stringify({
           translations: files.filter((f) => /[\\\\/]zod[\\\\/]v4[\\\\/]locales[\\\\/]/.test(f)).map((f) => require('path').basename(f)),
           childProcess: process.moduleLoadList.includes('NativeModule child_process'),
           cdktf: files.filter((f) => /node_modules[\\\\/](cdktf|@cdktf|constructs)[\\\\/]/.test(f)).length,
           policy: files.filter((f) => /[\\\\/]dist[\\\\/]policy[\\\\/]/.test(f)).map((f) => f.split(/[\\\\/]dist[\\\\/]policy[\\\\/]/)[1].replace(/\\\\/g, '/')),
           tag: require('v8').cachedDataVersionTag(),
           stderrCreated,
         }) + '\\n');
       });`,
    );
    const r = spawnSync(process.execPath, ['--require', file, CLI, ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, SOVEREIGN_COMPILE_CACHE: '0', ...env },
    });
    const line = r.stderr.split('\n').find((l) => l.startsWith('PROBE:'));
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr.replace(/^PROBE:.*\n/m, ''),
      seen: JSON.parse(line!.slice('PROBE:'.length)),
    };
  }

  test('validate loads English of zod only, no child_process, no cdktf', () => {
    const r = probe(['validate', 'examples/sovereign.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('valid examples/sovereign.yaml');
    expect(r.seen).toMatchObject({ translations: ['en.cjs'], childProcess: false, cdktf: 0 });
  });

  test('V8 tuning changes the flags (V8 11) unless SOVEREIGN_V8_TUNING=0; output the same', () => {
    const bare = spawnSync(process.execPath, ['-p', "require('v8').cachedDataVersionTag()"], {
      encoding: 'utf8',
    }).stdout.trim();
    const tuned = probe(['validate', '--json', 'examples/frontier.yaml']);
    const plain = probe(['validate', '--json', 'examples/frontier.yaml'], { SOVEREIGN_V8_TUNING: '0' });
    expect(tuned.status).toBe(0);
    expect(tuned.stdout).toBe(plain.stdout);
    expect(String(plain.seen.tag)).toBe(bare);
    if (/^11\./.test(process.versions.v8)) expect(String(tuned.seen.tag)).not.toBe(bare);
    else expect(String(tuned.seen.tag)).toBe(bare);
  });

  // The report's model and renderers, the plan reader and the directory loader (what a report needs).
  const REPORTING = [
    'index.js',
    'load.js',
    'plan.js',
    'report/model.js',
    'report/markdown.js',
    'report/cyclonedx.js',
  ];

  test('synth without --report judges without loading the report renderers; with --report it loads them', () => {
    const out = path.join(dir, 'out');
    const plain = probe(['synth', 'examples/sovereign.yaml', '--out', out, '--no-cache', '--jobs', '1']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('policy: pass');
    expect(plain.seen.policy).toEqual(expect.arrayContaining(['judge.js', 'engine.js', 'report/text.js']));
    for (const f of REPORTING) expect(plain.seen.policy).not.toContain(f);

    const report = path.join(dir, 'audit.md');
    const reported = probe([
      'synth',
      'examples/sovereign.yaml',
      '--out',
      out,
      '--no-cache',
      '--jobs',
      '1',
      '--report',
      report,
    ]);
    expect(reported.status).toBe(0);
    expect(fs.readFileSync(report, 'utf8')).toContain('de-fra');
    expect(reported.seen.policy).toEqual(expect.arrayContaining(REPORTING));
  });

  test('--help and --version never create the stderr stream; an error still reaches it', () => {
    for (const args of [['--help'], ['--version'], ['synth', '--help']]) {
      const r = probe(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+/ : /^Usage: sovereign/);
      expect(r.stderr).toBe('');
      expect(r.seen.stderrCreated).toBe(false);
    }
    const bad = probe(['nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("error: unknown command 'nope'\n(run with --help for usage)\n");
    expect(bad.seen.stderrCreated).toBe(true);
  });

  // A stream created on first use still reports a failed write (Linux: /dev/full refuses every write).
  const full = fs.existsSync('/dev/full') ? test : test.skip;
  full.each([[['schema']], [['--help']], [['validate', 'examples/sovereign.yaml']]])(
    '%j into a full disk ends with 74 and says so',
    (args) => {
      const fd = fs.openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: REPO,
          encoding: 'utf8',
          stdio: ['ignore', fd, 'pipe'],
          env: { ...process.env, SOVEREIGN_COMPILE_CACHE: '0' },
        });
        expect(r.status).toBe(74);
        expect(r.stderr).toBe('error stdout: cannot write: no space left on the device (ENOSPC)\n');
      } finally {
        fs.closeSync(fd);
      }
    },
  );
});
