/**
 * The record of where each require led (bin/lib/compile-cache-resolve.ts): a later run gets
 * the same modules from it, and any change that would make Node resolve otherwise (a file that
 * now takes precedence, a package added nearer, a package.json edited, a file removed) is seen,
 * and Node resolves again. A record that cannot be read or written changes nothing.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RECORDED_COMMANDS, resolveRecordName } from '../../../bin/lib/compile-cache-install';
import { stamp } from '../../../bin/lib/compile-cache-resolve';
import { COMMANDS } from '../../../bin/sovereign';

const LIB = path.resolve(__dirname, '../../../bin/lib/compile-cache-resolve.js');

describe('resolve record', () => {
  let dir: string;
  let records: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-resolve-'));
    records = path.join(dir, 'cache', 'resolve');
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write(
      'app/src/main.js',
      'module.exports = [require("./dep"), require("pkg"), require("pkg/sub"), require("@s/p")].join(",");',
    );
    write('app/src/dep.js', 'module.exports = "dep.js";');
    write('app/node_modules/pkg/package.json', '{"name":"pkg","main":"a.js"}');
    write('app/node_modules/pkg/a.js', 'module.exports = "pkg/a.js";');
    write('app/node_modules/pkg/sub.js', 'module.exports = "pkg/sub.js";');
    write('app/node_modules/@s/p/package.json', '{"name":"@s/p","exports":{".":"./lib/x.js"}}');
    write('app/node_modules/@s/p/lib/x.js', 'module.exports = "@s/p";');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Every file and directory of the app an hour old: what a run stamps now is settled. */
  const settle = () => {
    const old = new Date(Date.now() - 3_600_000);
    const walk = (p: string) => {
      if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      fs.utimesSync(p, old, old);
    };
    walk(path.join(dir, 'app'));
  };

  const run = (at = records): string =>
    execFileSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(LIB)}).enableResolveCache(${JSON.stringify(at)}, 'validate');
        process.stdout.write(require(${JSON.stringify(path.join(dir, 'app/src/main.js'))}));`,
      ],
      { env: { ...process.env, NODE_OPTIONS: '' } },
    ).toString();
  /** The one record file the runs keep (named by the command and a hash of Node's settings). */
  const record = (): string => {
    const [file, ...more] = fs.readdirSync(records).filter((f) => f.endsWith('.json'));
    expect(more).toEqual([]);
    expect(file).toMatch(/^validate-[0-9a-f]{8}\.json$/);
    return path.join(records, file!);
  };
  const answers = (): Record<string, string> =>
    (JSON.parse(fs.readFileSync(record(), 'utf8')) as { answers: Record<string, string> }).answers;

  test('a second run is answered from the record, with the same modules', () => {
    settle();
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    const kept = answers();
    // The four requires of main.js, and main.js itself (required by its absolute path).
    expect(Object.values(kept).sort()).toEqual(
      [
        'app/node_modules/@s/p/lib/x.js',
        'app/node_modules/pkg/a.js',
        'app/node_modules/pkg/sub.js',
        'app/src/dep.js',
        'app/src/main.js',
      ]
        .map((f) => fs.realpathSync(path.join(dir, f)))
        .sort(),
    );
    // A kept answer is used: pointed at another file (the witnesses unchanged), the run follows it.
    const other = path.join(dir, 'app/src/other.js');
    fs.writeFileSync(other, 'module.exports = "other";');
    const r = JSON.parse(fs.readFileSync(record(), 'utf8')) as {
      answers: Record<string, string>;
      witnesses: Record<string, string>;
    };
    const [id] = Object.entries(r.answers).find(([, f]) => f.endsWith('dep.js'))!;
    r.answers[id] = fs.realpathSync(other);
    // Adding other.js changed its directory: restamp the record as if it had been seen then.
    for (const w of Object.keys(r.witnesses)) r.witnesses[w] = stamp(w);
    fs.writeFileSync(record(), JSON.stringify(r));
    expect(run()).toBe('other,pkg/a.js,pkg/sub.js,@s/p');
  });

  test('a file that now takes precedence is found', () => {
    settle();
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    expect(JSON.stringify(JSON.parse(fs.readFileSync(record(), 'utf8')))).not.toContain('"?"');
    // `./dep` is the file `dep` before `dep.js`.
    fs.writeFileSync(path.join(dir, 'app/src/dep'), 'module.exports = "dep";');
    expect(run()).toBe('dep,pkg/a.js,pkg/sub.js,@s/p');
  });

  test('a package added nearer is found', () => {
    settle();
    run();
    fs.mkdirSync(path.join(dir, 'app/src/node_modules/pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app/src/node_modules/pkg/index.js'), 'module.exports = "near";');
    fs.writeFileSync(path.join(dir, 'app/src/node_modules/pkg/sub.js'), 'module.exports = "near/sub";');
    expect(run()).toBe('dep.js,near,near/sub,@s/p');
  });

  test('an edited package.json is read again (main, exports)', () => {
    fs.writeFileSync(path.join(dir, 'app/node_modules/pkg/b.js'), 'module.exports = "pkg/b.js";');
    fs.writeFileSync(path.join(dir, 'app/node_modules/@s/p/lib/y.js'), 'module.exports = "@s/p y";');
    settle();
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    // The directories' listings stay as they are: the edit itself must be seen.
    fs.writeFileSync(path.join(dir, 'app/node_modules/pkg/package.json'), '{"name":"pkg","main":"b.js"}');
    expect(run()).toBe('dep.js,pkg/b.js,pkg/sub.js,@s/p');
    settle();
    run();
    fs.writeFileSync(
      path.join(dir, 'app/node_modules/@s/p/package.json'),
      '{"name":"@s/p","exports":{".":"./lib/y.js"}}',
    );
    expect(run()).toBe('dep.js,pkg/b.js,pkg/sub.js,@s/p y');
  });

  test('a package.json edited in place with its modification time set back is read again', () => {
    // As `cp -p` over a tree or a tarball with fixed times leaves it: the same inode, the same
    // mtime, only the content (and the change time, which utime cannot set) differs.
    fs.writeFileSync(path.join(dir, 'app/node_modules/pkg/b.js'), 'module.exports = "pkg/b.js";');
    settle();
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    const pj = path.join(dir, 'app/node_modules/pkg/package.json');
    const before = fs.statSync(pj);
    // Same length: the size alone would not tell.
    fs.writeFileSync(pj, '{"name":"pkg","main":"b.js"}');
    fs.utimesSync(pj, before.atime, before.mtime);
    const after = fs.statSync(pj);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
    expect(run()).toBe('dep.js,pkg/b.js,pkg/sub.js,@s/p');
  });

  test('the same in the toolkit: tldts pointed at its other build is loaded from there', () => {
    // The scenario above with a real package, in a copy of it: `main` changed to
    // dist/index.cjs.min.js, the file's mtime restored.
    const real = path.dirname(require.resolve('tldts/package.json'));
    const pkg = path.join(dir, 'app/node_modules/tldts');
    fs.cpSync(real, pkg, { recursive: true, dereference: true });
    fs.writeFileSync(
      path.join(dir, 'app/src/main.js'),
      'require("tldts"); module.exports = Object.keys(require.cache).filter((f) => f.includes("tldts")).map((f) => f.slice(f.indexOf("tldts"))).join(",");',
    );
    settle();
    expect(run()).toBe(path.join('tldts', 'dist', 'cjs', 'index.js'));
    expect(run()).toBe(path.join('tldts', 'dist', 'cjs', 'index.js'));
    const pj = path.join(pkg, 'package.json');
    const before = fs.statSync(pj);
    const manifest = JSON.parse(fs.readFileSync(pj, 'utf8')) as { main: string };
    expect(manifest.main).toBe('dist/cjs/index.js');
    manifest.main = 'dist/index.cjs.min.js';
    fs.writeFileSync(pj, JSON.stringify(manifest, null, 2));
    fs.utimesSync(pj, before.atime, before.mtime);
    expect(fs.statSync(pj).ino).toBe(before.ino);
    expect(fs.statSync(pj).mtimeMs).toBe(before.mtimeMs);
    expect(run()).toBe(path.join('tldts', 'dist', 'index.cjs.min.js'));
  });

  test('a file removed is not asked for', () => {
    settle();
    run();
    fs.rmSync(path.join(dir, 'app/src/dep.js'));
    fs.mkdirSync(path.join(dir, 'app/src/dep'));
    fs.writeFileSync(path.join(dir, 'app/src/dep/index.js'), 'module.exports = "dep/index.js";');
    expect(run()).toBe('dep/index.js,pkg/a.js,pkg/sub.js,@s/p');
  });

  test('a directory changed moments before it was stamped does not keep the record', () => {
    // Not settled: the app was written just now, within a tick a later change may share.
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    expect(Object.values(JSON.parse(fs.readFileSync(record(), 'utf8')).witnesses as object)).toContain('?');
    fs.writeFileSync(path.join(dir, 'app/src/dep'), 'module.exports = "dep";');
    expect(run()).toBe('dep,pkg/a.js,pkg/sub.js,@s/p');
  });

  test('a corrupt record, or one that cannot be written, changes nothing', () => {
    run();
    fs.writeFileSync(record(), '{"key": 1, "answers": ');
    expect(run()).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    expect(Object.keys(answers()).length).toBe(5);
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'a file');
    expect(run(path.join(blocked, 'resolve'))).toBe('dep.js,pkg/a.js,pkg/sub.js,@s/p');
    expect(fs.readFileSync(blocked, 'utf8')).toBe('a file');
  });
});

describe('resolveRecordName', () => {
  test('one record per command, by the first word; anything else shares one', () => {
    expect([...RECORDED_COMMANDS].sort()).toEqual([...new Set(COMMANDS.map((c) => c[0]!))].sort());
    expect(resolveRecordName(['validate', 'x.yaml'])).toBe('validate');
    expect(resolveRecordName(['weights', 'manifest'])).toBe('weights');
    expect(resolveRecordName(['--help'])).toBe('other');
    expect(resolveRecordName(['../../etc/passwd'])).toBe('other');
    expect(resolveRecordName([])).toBe('other');
  });
});
