/**
 * Every byte reaches the reader of a pipe, however slow, for every command and format; a
 * reader that closes early ends the command quietly (its own exit code, nothing on stderr).
 * The reference for "every byte" is what the same command means to write: run in-process
 * (test/support/cli.ts), its output captured whole. The piped runs are separate processes.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI, REPO_ROOT } from '../support/paths';
import { sovereign } from '../support/cli';

// A fixed audit time (SOURCE_DATE_EPOCH) so the piped run and the reference give the same bytes.
const ENV = { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1780000000' };

let work: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-pipes-'));
  fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(work, 'examples'), { recursive: true });
  expect((await sovereign(['synth', 'examples/sovereign.yaml'], work, ENV)).code).toBe(0);
  // A model directory of 3 000 small files: its YAML manifest is ~300 KB, far past a pipe's 64 KiB.
  for (let d = 0; d < 30; d++) {
    const dir = path.join(work, 'model', `part-${String(d).padStart(2, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++)
      fs.writeFileSync(path.join(dir, `shard-${String(f).padStart(3, '0')}.bin`), `${d}/${f}`);
  }
  startPiped();
});
afterAll(async () => {
  // Every piped run has ended (each test awaited its own) before the directory goes.
  await Promise.allSettled(pipedRuns);
  fs.rmSync(work, { recursive: true, force: true });
});

/**
 * The bytes the command means to write (all of them, captured in-process), and its exit code.
 * Run once per command line: the tests below compare several things with the same reference.
 */
const references = new Map<string, Promise<{ code: number | null; bytes: Buffer }>>();
function reference(args: string[]): Promise<{ code: number | null; bytes: Buffer }> {
  const key = JSON.stringify(args);
  let r = references.get(key);
  if (r === undefined) {
    r = sovereign(args, work, ENV).then((x) => ({ code: x.code, bytes: Buffer.from(x.stdout, 'utf8') }));
    references.set(key, r);
  }
  return r;
}

/**
 * The command with stdout to a real pipe (a FIFO: 64 KiB of buffer, as in a shell pipeline;
 * spawn's own 'pipe' is a socket pair with a larger buffer) that nobody reads for a second,
 * then read 4 KiB at a time, a few milliseconds apart.
 */
let fifos = 0;
function slowReader(args: string[]): Promise<{ code: number | null; bytes: Buffer; stderr: string }> {
  const fifo = path.join(work, `stdout-${fifos++}.fifo`);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // The read end first, non-blocking, so opening the write end does not wait for a reader.
  const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(fifo, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: work,
      env: ENV,
      stdio: ['ignore', wfd, 'pipe'],
    });
    fs.closeSync(wfd);
    const chunks: Buffer[] = [];
    let stderr = '';
    let code: number | null | undefined;
    let eof = false;
    const done = () => {
      if (eof && code !== undefined) {
        fs.closeSync(rfd);
        fs.rmSync(fifo);
        resolve({ code, bytes: Buffer.concat(chunks), stderr });
      }
    };
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (c) => {
      code = c;
      done();
    });
    const buf = Buffer.alloc(4096);
    const readSome = () => {
      try {
        const n = fs.readSync(rfd, buf, 0, buf.length, null);
        if (n === 0) {
          eof = true; // every writer closed
          return done();
        }
        chunks.push(Buffer.from(buf.subarray(0, n)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return reject(e);
      }
      setTimeout(readSome, 2);
    };
    setTimeout(readSome, 1000);
  });
}

const PIPED: string[][] = [
  ['schema'],
  ['audit', 'cdktf.out', '--format', 'json'],
  ['audit', 'cdktf.out', '--format', 'markdown'],
  ['audit', 'cdktf.out', '--format', 'text'],
  ['audit', 'cdktf.out', '--format', 'cyclonedx'],
  ['weights', 'manifest', 'model', '--no-progress'],
  ['weights', 'manifest', 'model', '--no-progress', '--json'],
  ['models'],
  ['models', '--json'],
  ['validate', 'examples/sovereign.yaml', '--json'],
  ['validate', 'examples/sovereign.yaml'],
  ['synth', 'examples/sovereign.yaml', '--out', 'piped.out', '--json'],
  ['--help'],
];

/**
 * The piped runs of PIPED, by index: started once the work directory is ready, three at a time
 * (each starts when the third before it has ended), so that their seconds of not reading
 * overlap one another and the in-process references. Each test awaits its own run. The synth
 * run writes the directory its reference writes: it starts in its test, after the reference.
 */
const pipedRuns: (Promise<{ code: number | null; bytes: Buffer; stderr: string }> | undefined)[] = [];
function startPiped(): void {
  const started: Promise<unknown>[] = [];
  PIPED.forEach((args, i) => {
    if (args[0] === 'synth') return;
    const before = started.length >= 3 ? started[started.length - 3] : Promise.resolve();
    const run = before.then(() => slowReader(args));
    // Awaited (and its failure reported) by its test; not an unhandled rejection meanwhile.
    const settled = run.catch(() => undefined);
    pipedRuns[i] = run;
    started.push(settled);
  });
}

describe('a slow reader gets every byte, and the exit code', () => {
  // The reference in a hook of its own and the piped run awaited in the test: each within the
  // time limit.
  describe.each(PIPED.map((args, i) => [args, i] as const))('%j', (args, i) => {
    let ref: { code: number | null; bytes: Buffer };
    beforeAll(async () => {
      ref = await reference(args);
    });
    test('piped to a slow reader: the same bytes and exit 0', async () => {
      expect(ref.code).toBe(0);
      const piped = await (pipedRuns[i] ?? slowReader(args));
      expect(piped.stderr).toBe('');
      expect(piped.code).toBe(0);
      expect(piped.bytes.length).toBe(ref.bytes.length);
      expect(piped.bytes.equals(ref.bytes)).toBe(true);
    });
  });

  test('the large outputs are larger than a pipe holds (so the test above can fail)', async () => {
    for (const args of [
      ['schema'],
      ['audit', 'cdktf.out', '--format', 'json'],
      ['weights', 'manifest', 'model'],
    ]) {
      expect((await reference(args)).bytes.length).toBeGreaterThan(64 * 1024);
    }
    const yaml = (await reference(['weights', 'manifest', 'model'])).bytes.toString('utf8');
    expect(yaml.trimEnd().split('\n')).toHaveLength(3002);
  });
});

describe('a reader that closes early', () => {
  test.each([[['schema']], [['audit', 'cdktf.out', '--format', 'json']], [['weights', 'manifest', 'model']]])(
    '%j ends quietly with its own exit code (0), no EPIPE message, no 141',
    (args) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          cwd: work,
          env: ENV,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.once('data', () => child.stdout.destroy());
        child.on('exit', (code, signal) => {
          try {
            expect(signal).toBeNull();
            expect(code).toBe(0);
            expect(stderr).toBe('');
            resolve();
          } catch (e) {
            reject(e);
          }
        });
      }),
  );
});
