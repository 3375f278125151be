/**
 * `sovereign audit` on a directory from anywhere: it reads only regular files inside it, within
 * a size limit, never quotes their bytes in an error, and writes its report whole or not at all.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleStack } from '../policy/fixtures';
import { sovereign, STACK_TRACE, type CliResult } from '../support/cli';
import { CLI } from '../support/paths';

/** A file outside the audited directory holding bytes that must never reach a message. */
const SECRET = 'TOPSECRET-do-not-print-4f1c';

let dir: string;
let outside: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-audit-inputs-'));
  fs.mkdirSync(path.join(dir, 'out', 'stacks', 'de'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json'),
    JSON.stringify(exampleStack(), null, 2),
  );
  outside = path.join(dir, 'outside.txt');
  fs.writeFileSync(outside, `${SECRET}\n`);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `sovereign audit …` in the test's directory (in-process, test/support/cli.ts). */
function audit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return sovereign(['audit', ...args], dir, env);
}

/**
 * The same as a separate process with a deadline, for inputs that would block a reader for
 * ever (a FIFO without a writer, /dev/zero): a regression fails the test instead of hanging it.
 */
function auditProcess(args: string[]): CliResult & { signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [CLI, 'audit', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 8000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

function manifest(stackPath: string): void {
  fs.writeFileSync(
    path.join(dir, 'out', 'manifest.json'),
    JSON.stringify({ version: '0.21.0', stacks: { de: { synthesizedStackPath: stackPath } } }),
  );
}

function expectRefused(r: CliResult & { signal?: NodeJS.Signals | null }, message: string | RegExp): void {
  expect(r.signal ?? null).toBeNull();
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toContain(SECRET);
  expect(r.stderr).not.toMatch(STACK_TRACE);
}

describe('audit reads only regular files inside the directory', () => {
  test('the directory as synthesized audits (exit 0)', async () => {
    manifest('stacks/de/cdk.tf.json');
    expect((await audit(['out', '--format', 'json'])).code).toBe(0);
  });

  test.each([
    ['a path with ..', '../outside.txt'],
    ['a deep path with ..', 'stacks/../../../../../../etc/passwd'],
    ['an absolute path', '/etc/passwd'],
  ])('fails when manifest.json names %s, before reading it', async (_what, p) => {
    manifest(p);
    expectRefused(await audit(['out']), /points outside the directory|lies outside the audited directory/);
  });

  test('fails when a stack file is a symlink out of the directory (to a file, to /dev/zero)', async () => {
    manifest('stacks/de/cdk.tf.json');
    const stack = path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json');
    for (const target of [outside, '/dev/zero']) {
      fs.rmSync(stack);
      fs.symlinkSync(target, stack);
      expectRefused(auditProcess(['out']), 'out/stacks/de/cdk.tf.json  is or passes through a symbolic link');
    }
  });

  test('fails when a directory on the way is a symlink', async () => {
    fs.renameSync(path.join(dir, 'out', 'stacks'), path.join(dir, 'real-stacks'));
    fs.symlinkSync(path.join(dir, 'real-stacks'), path.join(dir, 'out', 'stacks'));
    manifest('stacks/de/cdk.tf.json');
    expectRefused(await audit(['out']), 'is or passes through a symbolic link');
  });

  test('fails when a stack file is a named pipe, without waiting for a writer', async () => {
    manifest('stacks/de/pipe');
    expect(spawnSync('mkfifo', [path.join(dir, 'out', 'stacks', 'de', 'pipe')]).status).toBe(0);
    expectRefused(
      auditProcess(['out']),
      'out/stacks/de/pipe  is not a regular file (a device, socket or pipe)',
    );
  });

  test('fails when any file listed for the report is a symlink (it would be hashed)', async () => {
    manifest('stacks/de/cdk.tf.json');
    fs.symlinkSync(outside, path.join(dir, 'out', 'stacks', 'de', 'notes.txt'));
    expectRefused(
      await audit(['out', '--format', 'markdown']),
      'out/stacks/de/notes.txt  is a symbolic link',
    );
  });

  test('fails when a file is larger than the limit (SOVEREIGN_MAX_INPUT_BYTES), naming both', async () => {
    manifest('stacks/de/cdk.tf.json');
    const size = fs.statSync(path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json')).size;
    expectRefused(
      await audit(['out'], { SOVEREIGN_MAX_INPUT_BYTES: '1000' }),
      `out/stacks/de/cdk.tf.json  is ${size} bytes, over the 1000-byte limit of what audit reads`,
    );
  });

  test('a file that is not JSON is located, its bytes never quoted', async () => {
    manifest('stacks/de/cdk.tf.json');
    fs.writeFileSync(path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json'), `${SECRET}:x:0:0:root\n`);
    expectRefused(
      await audit(['out']),
      'out/stacks/de/cdk.tf.json:1:1  not valid JSON: unexpected character',
    );
    fs.writeFileSync(path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json'), `{"a": "${SECRET}`);
    expectRefused(await audit(['out']), /not valid JSON: (unterminated string|unexpected end of input)/);
  });

  test('--plan that is a device is refused before reading (no endless /dev/zero)', async () => {
    manifest('stacks/de/cdk.tf.json');
    expectRefused(
      auditProcess(['out', '--plan', '/dev/zero']),
      '/dev/zero  is not a regular file (a device or socket)',
    );
  });
});

describe('audit --output', () => {
  test('on a full disk (injected ENOSPC): exit 74 naming the file, the previous report kept, no temporary file', async () => {
    manifest('stacks/de/cdk.tf.json');
    fs.writeFileSync(path.join(dir, 'report.md'), 'previous report\n');
    const r = await audit(['out', '--format', 'markdown', '--output', 'report.md'], {
      SOVEREIGN_TEST_FAULT: 'write:ENOSPC',
    });
    expect(r.code).toBe(74);
    expect(r.stderr).toContain('report.md: cannot write the file: no space left on the device (ENOSPC)');
    expect(r.stderr).not.toContain('internal error');
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toBe('previous report\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['out', 'outside.txt', 'report.md']);
  });

  test('into a path below a file (ENOTDIR): exit 2 naming it', async () => {
    manifest('stacks/de/cdk.tf.json');
    const r = await audit(['out', '--output', 'outside.txt/report.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a part of the path is not a directory (ENOTDIR)');
    expect(r.stderr).not.toContain('internal error');
  });

  test('writes the whole report, replacing the previous one', async () => {
    manifest('stacks/de/cdk.tf.json');
    fs.writeFileSync(path.join(dir, 'report.json'), 'old');
    expect((await audit(['out', '--format', 'json', '--output', 'report.json'])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).gate).toBe('pass');
    expect(fs.readdirSync(dir).sort()).toEqual(['out', 'outside.txt', 'report.json']);
  });
});
