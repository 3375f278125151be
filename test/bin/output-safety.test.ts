/**
 * The output directory of `sovereign synth` and of the cdktf app entry: replaced only when it
 * is ours, never losing the previous output when killed at any step of the swap (the kill is
 * injected at each step through SOVEREIGN_TEST_KILL_AT, not timed), leftovers of killed runs
 * recovered, files the tool did not write carried or refused, never deleted; file-system
 * failures exit 2 or 74 naming the path and the errno in words.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';
import { cdktfApp, sovereign, sovereignProcess, STACK_TRACE } from '../support/cli';

const root = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * What is in `dir`, sorted, leaving out the synth cache `.out.cache` (the tool's own, kept
 * beside the output on purpose: docs/fleet.md).
 */
function beside(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n !== '.out.cache')
    .sort();
}

/** Every file under `dir` (symlinks as `-> target`), relative paths, sorted. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p).split(path.sep).join('/');
      if (e.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p);
      else out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function without(t: Record<string, string>, prefixes: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(t).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-output-safety-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(work, 'examples'), { recursive: true });
});
afterEach(() => {
  // A test that made something read-only gives it back first.
  fs.chmodSync(work, 0o755);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('sovereign synth refuses an output directory that is not its own', () => {
  test('--out . in a project with .git: exit 2 naming it, every file untouched', async () => {
    const project = path.join(work, 'project');
    fs.mkdirSync(path.join(project, '.git', 'objects'), { recursive: true });
    fs.writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.mkdirSync(path.join(project, 'src'));
    fs.writeFileSync(path.join(project, 'src', 'main.ts'), 'export {};\n');
    fs.copyFileSync(path.join(work, 'examples', 'minimal.yaml'), path.join(project, 'sovereign.yaml'));
    const before = tree(project);
    for (const out of ['.', 'src', '.git']) {
      const r = await sovereign(['synth', 'sovereign.yaml', '--out', out], project);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${out}: unusable input`);
      expect(r.stderr).toContain('was not written by sovereign synth');
      expect(r.stderr).toContain('choose another --out');
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(tree(project)).toEqual(before);
    }
    // Nothing was left beside the project either (no lock, no staging directory).
    expect(beside(work)).toEqual(['examples', 'project']);
  });

  test('a home-like directory with foreign files, and / itself: exit 2', async () => {
    const home = path.join(work, 'home');
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
    fs.writeFileSync(path.join(home, '.bashrc'), '# mine\n');
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', home], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${home}: unusable input`);
    expect(r.stderr).toContain('it holds .bashrc, .ssh');
    expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe('# mine\n');

    const slash = await sovereign(['synth', 'examples/minimal.yaml', '--out', '/'], work);
    expect(slash.code).toBe(2);
    expect(slash.stderr).toContain('/: unusable input');
    expect(slash.stderr).not.toMatch(STACK_TRACE);
  });

  test('a symlink (to our own output, or dangling) is never replaced, nor what it points to', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'real'], work)).code).toBe(0);
    const real = tree(path.join(work, 'real'));
    fs.symlinkSync('real', path.join(work, 'link'));
    fs.symlinkSync('nowhere', path.join(work, 'dangling'));
    for (const out of ['link', 'dangling']) {
      const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', out], work);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${out}: unusable input`);
      expect(r.stderr).toContain('is a symbolic link');
    }
    expect(fs.readlinkSync(path.join(work, 'link'))).toBe('real');
    expect(fs.readlinkSync(path.join(work, 'dangling'))).toBe('nowhere');
    expect(tree(path.join(work, 'real'))).toEqual(real);
  });

  test('absent and empty directories are written, with the marker listing every file', async () => {
    fs.mkdirSync(path.join(work, 'empty'));
    for (const out of ['absent/deeper', 'empty']) {
      const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', out], work);
      expect(r.code).toBe(0);
      expect(fs.readFileSync(path.join(work, out, '.sovereign-synth'), 'utf8')).toBe(
        'sovereign-synth output 1\nmanifest.json\nstacks/lab/cdk.tf.json\n',
      );
    }
  });

  test('a cdktf output written before the marker existed (manifest.json + stacks/) is replaced', async () => {
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work)).code).toBe(0);
    fs.rmSync(path.join(work, 'out', '.sovereign-synth'));
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(work, 'out', 'stacks'))).toEqual(['lab']);
  });
});

describe('files in our output that the tool did not write', () => {
  test('are carried into the new output (tofu init, a plan), byte for byte', async () => {
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work)).code).toBe(0);
    const stack = path.join(work, 'out', 'stacks', 'de-fra');
    fs.mkdirSync(path.join(stack, '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(stack, '.terraform', 'providers', 'p'), 'provider');
    fs.writeFileSync(path.join(stack, '.terraform.lock.hcl'), 'lock');
    fs.writeFileSync(path.join(stack, 'plan.out'), 'plan');
    fs.writeFileSync(path.join(work, 'out', 'NOTES.md'), 'mine');
    const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work);
    expect(r.code).toBe(0);
    const t = tree(path.join(work, 'out'));
    expect(t['stacks/de-fra/.terraform/providers/p']).toBe('provider');
    expect(t['stacks/de-fra/.terraform.lock.hcl']).toBe('lock');
    expect(t['stacks/de-fra/plan.out']).toBe('plan');
    expect(t['NOTES.md']).toBe('mine');
    // The marker lists only what the tool wrote.
    expect(t['.sovereign-synth']).not.toContain('plan.out');
    expect(beside(work)).toEqual(['examples', 'out']);
  });

  test('refuse the run when they have nowhere to go (their jurisdiction is gone): exit 2, nothing lost', async () => {
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work)).code).toBe(0);
    const stack = path.join(work, 'out', 'stacks', 'fr-par');
    fs.writeFileSync(path.join(stack, 'terraform.tfstate'), '{"state":1}');
    const before = tree(path.join(work, 'out'));
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stacks/fr-par/terraform.tfstate (the new output has no stacks/fr-par/');
    expect(r.stderr).toContain('Move them out of out');
    expect(tree(path.join(work, 'out'))).toEqual(before);
    expect(beside(work)).toEqual(['examples', 'out']);
  });
});

describe('leftovers of killed runs and concurrent runs', () => {
  test('staging and old directories of killed runs and a stale lock are cleaned by the next run', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    fs.mkdirSync(path.join(work, '.out.partial-AbC123', 'stacks'), { recursive: true });
    fs.cpSync(path.join(work, 'out'), path.join(work, '.out.old-XyZ789'), { recursive: true });
    // A pid that is not running: the lock of a killed run.
    fs.writeFileSync(path.join(work, '.out.lock'), '999999999\n');
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(beside(work)).toEqual(['examples', 'out']);
  });

  test('a lock held by a live process refuses the run: exit 2, the output untouched', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    const before = tree(path.join(work, 'out'));
    // A live process that is not this one (the run is in-process): the test runner's.
    fs.writeFileSync(path.join(work, '.out.lock'), `${process.ppid}\n`);
    const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`another sovereign synth (pid ${process.ppid}) is writing this directory`);
    expect(tree(path.join(work, 'out'))).toEqual(before);
  });
});

describe('a kill at every step of the swap loses nothing, and the next run completes it', () => {
  /** The previous output comes from the example without fr-par: de-fra is in both. */
  function writeOldSpec(dir: string): void {
    const lines = fs.readFileSync(path.join(dir, 'examples', 'sovereign.yaml'), 'utf8').split('\n');
    const from = lines.indexOf('  fr-par:');
    const to = lines.findIndex((l, i) => i > from && /^ {2}[a-z][\w-]*:$/.test(l));
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    lines.splice(from, to - from);
    fs.writeFileSync(path.join(dir, 'examples', 'old.yaml'), lines.join('\n'));
  }

  let refOld: Record<string, string>;
  let refNew: Record<string, string>;
  /**
   * The previous output of every test below: what `synth examples/old.yaml --out out` wrote in
   * a project like `work` (the output and the synth cache beside it), copied into `work` by
   * each test instead of synthesized again.
   */
  let ref: string;
  beforeAll(async () => {
    ref = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-swap-ref-'));
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(ref, 'examples'), { recursive: true });
    writeOldSpec(ref);
    expect((await sovereign(['synth', 'examples/old.yaml', '--out', 'out'], ref)).code).toBe(0);
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'new'], ref)).code).toBe(0);
    refOld = tree(path.join(ref, 'out'));
    refNew = tree(path.join(ref, 'new'));
  });
  afterAll(() => fs.rmSync(ref, { recursive: true, force: true }));

  const FOREIGN = {
    'stacks/de-fra/.terraform/providers/p': 'provider',
    'stacks/de-fra/plan.out': 'plan',
  };

  test('the two reference outputs differ, and both hold de-fra', async () => {
    expect(refOld).not.toEqual(refNew);
    expect(Object.keys(refOld)).toContain('stacks/de-fra/cdk.tf.json');
    expect(Object.keys(refOld)).not.toContain('stacks/fr-par/cdk.tf.json');
    expect(Object.keys(refNew)).toContain('stacks/fr-par/cdk.tf.json');
  });

  test.each(['staged', 'journal', 'moved-aside', 'swapped', 'carried', 'before-old-removed', 'old-removed'])(
    'killed at %s',
    async (step) => {
      writeOldSpec(work);
      for (const name of ['out', '.out.cache'])
        fs.cpSync(path.join(ref, name), path.join(work, name), { recursive: true });
      expect(tree(path.join(work, 'out'))).toEqual(refOld);
      for (const [rel, text] of Object.entries(FOREIGN)) {
        fs.mkdirSync(path.dirname(path.join(work, 'out', rel)), { recursive: true });
        fs.writeFileSync(path.join(work, 'out', rel), text);
      }
      const killed = sovereignProcess(['synth', 'examples/sovereign.yaml', '--out', 'out'], work, {
        SOVEREIGN_TEST_KILL_AT: step,
      });
      expect(killed.signal).toBe('SIGKILL');

      // Right after the kill: a complete output, old or new, is on disk, and every foreign
      // file exists exactly once, in it or in the directory moved aside.
      const out = path.join(work, 'out');
      const aside = fs.readdirSync(work).filter((n) => n.startsWith('.out.old-'));
      const staged = fs.readdirSync(work).filter((n) => n.startsWith('.out.partial-'));
      if (fs.existsSync(out)) {
        const t = without(tree(out), Object.keys(FOREIGN));
        expect([refOld, refNew]).toContainEqual(t);
      } else {
        // Only between the two renames: the journal names the complete new output.
        expect(step).toBe('moved-aside');
        const journal = JSON.parse(fs.readFileSync(path.join(work, '.out.swap'), 'utf8'));
        expect(staged).toEqual([journal.staged]);
        expect(tree(path.join(work, journal.staged))).toEqual(refNew);
        expect(without(tree(path.join(work, journal.old)), Object.keys(FOREIGN))).toEqual(refOld);
      }
      for (const [rel, text] of Object.entries(FOREIGN)) {
        const places = [out, ...aside.map((a) => path.join(work, a))].filter((d) =>
          fs.existsSync(path.join(d, rel)),
        );
        expect(places).toHaveLength(1);
        expect(fs.readFileSync(path.join(places[0], rel), 'utf8')).toBe(text);
      }

      // The next run recovers (or rolls back) first, then writes the new output.
      const next = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      const t = tree(out);
      expect(without(t, Object.keys(FOREIGN))).toEqual(refNew);
      for (const [rel, text] of Object.entries(FOREIGN)) expect(t[rel]).toBe(text);
      expect(beside(work)).toEqual(['examples', 'out']);
    },
  );
});

describe('file-system failures say whose fault it is', () => {
  test('--out below a file (ENOTDIR): exit 2 naming it, errno in words', async () => {
    fs.writeFileSync(path.join(work, 'file'), 'x');
    const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'file/out'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error file\/out: cannot .+: a part of the path is not a directory \(ENOTDIR\)$/m,
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  (root ? test.skip : test)('--out in a directory the user cannot write (EACCES): exit 2', async () => {
    fs.mkdirSync(path.join(work, 'ro'));
    fs.chmodSync(path.join(work, 'ro'), 0o555);
    try {
      const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'ro/out'], work);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('permission denied (EACCES)');
      expect(r.stderr).not.toContain('internal error');
    } finally {
      fs.chmodSync(path.join(work, 'ro'), 0o755);
    }
  });

  test.each([
    ['ENOSPC', 74, 'no space left on the device (ENOSPC)'],
    ['EACCES', 2, 'permission denied (EACCES)'],
    ['EROFS', 2, 'read-only file system (EROFS)'],
  ])(
    'the marker write fails with %s (injected): exit %i, the previous output untouched, no leftovers',
    async (errno, code, words) => {
      expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
      const before = tree(path.join(work, 'out'));
      const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work, {
        SOVEREIGN_TEST_FAULT: `marker:${errno}`,
      });
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`out: cannot write the output directory: ${words}`);
      expect(r.stderr).not.toContain('internal error');
      expect(tree(path.join(work, 'out'))).toEqual(before);
      expect(beside(work)).toEqual(['examples', 'out']);
    },
  );

  test('the swap fails with EBUSY (a mount point; injected): exit 2, nothing lost, next run fine', async () => {
    expect((await sovereign(['synth', 'examples/minimal.yaml', '--out', 'out'], work)).code).toBe(0);
    const before = tree(path.join(work, 'out'));
    const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work, {
      SOVEREIGN_TEST_FAULT: 'rename:EBUSY',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'out: cannot replace the output directory: busy (a mount point, or in use) (EBUSY)',
    );
    expect(tree(path.join(work, 'out'))).toEqual(before);
    expect((await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'out'], work)).code).toBe(0);
    expect(beside(work)).toEqual(['examples', 'out']);
  });

  test('--report on a full disk (injected ENOSPC): exit 74, no report file, no partial one', async () => {
    const r = await sovereign(
      ['synth', 'examples/minimal.yaml', '--out', 'out', '--report', 'report.md'],
      work,
      {
        SOVEREIGN_TEST_FAULT: 'write:ENOSPC',
      },
    );
    expect(r.code).toBe(74);
    expect(r.stderr).toContain('report.md: cannot write the file: no space left on the device (ENOSPC)');
    expect(beside(work)).toEqual(['examples']);
  });
});

/** A tiny tmpfs at `dir`, when this process may mount one (root in most containers). */
function mountTmpfs(dir: string, size: string): boolean {
  if (!root) return false;
  fs.mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}
const umount = (dir: string) => spawnSync('umount', [dir]);

describe('real file systems: a full tmpfs and a mount point (root only, skipped when mount is refused)', () => {
  test('--out on a full disk (ENOSPC): exit 74 naming it, nothing left there', async () => {
    const disk = path.join(work, 'disk');
    if (!mountTmpfs(disk, '16k')) return;
    try {
      const r = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'disk/out'], work);
      expect(r.code).toBe(74);
      expect(r.stderr).toMatch(/^error disk\/out: cannot .+: no space left on the device \(ENOSPC\)$/m);
      expect(r.stderr).not.toContain('internal error');
      expect(fs.readdirSync(disk)).toEqual([]);
      const a = await sovereign(['synth', 'examples/sovereign.yaml', '--out', 'full-ok'], work);
      expect(a.code).toBe(0);
      const audit = await sovereign(
        ['audit', 'full-ok', '--format', 'json', '--output', 'disk/report.json'],
        work,
      );
      expect(audit.code).toBe(74);
      expect(audit.stderr).toContain(
        'disk/report.json: cannot write the file: no space left on the device (ENOSPC)',
      );
      expect(fs.readdirSync(disk)).toEqual([]);
    } finally {
      umount(disk);
    }
  });

  test('--out on a mount point (EBUSY): exit 2 naming it, the mount untouched', async () => {
    const mnt = path.join(work, 'mnt');
    if (!mountTmpfs(mnt, '4m')) return;
    try {
      const r = await sovereign(['synth', 'examples/minimal.yaml', '--out', 'mnt'], work);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'mnt: cannot replace the output directory: busy (a mount point, or in use) (EBUSY)',
      );
      expect(spawnSync('mountpoint', ['-q', mnt]).status).toBe(0);
      expect(beside(work)).toEqual(['examples', 'mnt']);
    } finally {
      umount(mnt);
    }
  });
});

describe('the cdktf app entry (npx cdktf synth) obeys the gate and the output rules', () => {
  /** The app entry in-process (test/support/cli.ts); test/bin/commands/synth.test.ts runs it as a process. */
  function app(spec: string, outdir = 'cdktf.out') {
    return cdktfApp(work, { SOVEREIGN_SPEC: spec, CDKTF_OUTDIR: path.join(work, outdir) });
  }

  /** A valid spec the gate refuses (an expired suppression). */
  function refusedSpec(): string {
    const spec = fs
      .readFileSync(path.join(work, 'examples/minimal.yaml'), 'utf8')
      .replace(
        '    pools:\n',
        '    suppressions:\n      - { rule: K8S-014, resource: "*", reason: accepted for the pilot phase, expires: 2020-01-31 }\n    pools:\n',
      );
    fs.writeFileSync(path.join(work, 'refused.yaml'), spec);
    return 'refused.yaml';
  }

  test('a refused stack is never written under cdktf.out; the previous output stays as it was', async () => {
    expect((await app('examples/sovereign.yaml')).code).toBe(0);
    const before = tree(path.join(work, 'cdktf.out'));
    const r = await app(refusedSpec());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SUP-001');
    expect(fs.existsSync(path.join(work, 'cdktf.out', 'stacks', 'lab'))).toBe(false);
    expect(tree(path.join(work, 'cdktf.out'))).toEqual(before);
    expect(
      fs.readdirSync(work).filter((n) => n.startsWith('.cdktf.out') && n !== '.cdktf.out.cache'),
    ).toEqual([]);
    // And from nothing: nothing at all.
    const fresh = await app(refusedSpec(), 'fresh.out');
    expect(fresh.code).toBe(1);
    expect(fs.existsSync(path.join(work, 'fresh.out'))).toBe(false);
  });

  test('stack folders the manifest no longer lists do not stay behind', async () => {
    expect((await app('examples/sovereign.yaml')).code).toBe(0);
    expect((await app('examples/minimal.yaml')).code).toBe(0);
    const out = path.join(work, 'cdktf.out');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['lab']);
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['lab']);
  });

  test('refuses a cdktf.out that is not its own, like sovereign synth', async () => {
    fs.mkdirSync(path.join(work, 'cdktf.out'));
    fs.writeFileSync(path.join(work, 'cdktf.out', 'keep.txt'), 'mine');
    const r = await app('examples/minimal.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('was not written by sovereign synth');
    expect(fs.readFileSync(path.join(work, 'cdktf.out', 'keep.txt'), 'utf8')).toBe('mine');
  });
});
