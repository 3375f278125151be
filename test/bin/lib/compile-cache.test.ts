/**
 * The CLI's code cache (bin/lib/compile-cache.ts): a module loaded through it behaves as
 * without it, its bytecode is written under the cache directory only, and a stale or corrupt
 * cache entry is ignored, never run.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { crc32 } from 'zlib';
import { EXAMPLES } from '../../support/paths';

const LIB = path.resolve(__dirname, '../../../bin/lib/compile-cache.js');

function run(
  dir: string,
  cache: string,
  env: NodeJS.ProcessEnv = {},
  flags: string[] = [],
  pack?: string,
): string {
  const script = `require(${JSON.stringify(LIB)}).enableCompileCache(${JSON.stringify(cache)}, ${JSON.stringify(pack)});
    const m = require(${JSON.stringify(path.join(dir, 'm.js'))});
    process.stdout.write(JSON.stringify([m.f(20), m.name, typeof require('path').join]));`;
  return execFileSync(process.execPath, [...flags, '-e', script], {
    env: { ...process.env, JEST_WORKER_ID: '', ...env },
  }).toString();
}

describe('compile cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-compile-cache-'));
    fs.writeFileSync(
      path.join(dir, 'm.js'),
      'const p = require("path"); exports.f = (n) => (n < 2 ? n : exports.f(n - 1) + exports.f(n - 2)); exports.name = p.basename(__filename) + ":" + (module.filename === __filename);',
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = (cache: string): string[] =>
    fs.existsSync(cache)
      ? fs
          .readdirSync(cache, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => e.name)
      : [];

  test('same results with an empty, a warm and a corrupt cache; entries only under the cache', () => {
    const cache = path.join(dir, 'cache');
    const expected = JSON.stringify([6765, 'm.js:true', 'function']);
    expect(run(dir, cache)).toBe(expected);
    const written = files(cache);
    expect(written.length).toBe(1);
    expect(run(dir, cache)).toBe(expected);
    // Corrupt every entry: V8 rejects the data and compiles from source.
    for (const e of fs.readdirSync(cache, { recursive: true, withFileTypes: true }))
      if (e.isFile()) fs.writeFileSync(path.join(e.parentPath, e.name), Buffer.alloc(64, 7));
    expect(run(dir, cache)).toBe(expected);
    expect(fs.readdirSync(dir).sort()).toEqual(['cache', 'm.js']);
  });

  test('an edited file gets a new entry, never the old bytecode', () => {
    const cache = path.join(dir, 'cache');
    run(dir, cache);
    fs.writeFileSync(path.join(dir, 'm.js'), 'exports.f = () => 1; exports.name = "edited";');
    expect(run(dir, cache)).toBe(JSON.stringify([1, 'edited', 'function']));
    expect(files(cache).length).toBe(2);
  });

  test("another source's entry is not run, even when V8 would take its bytecode", () => {
    // Two sources of the same length: V8 checks only the length (and its version and flags).
    const cache = path.join(dir, 'cache');
    const one = path.join(dir, 'one');
    const two = path.join(dir, 'two');
    for (const [d, v] of [
      [one, 'exports.f = () => 1; exports.name = "one";'],
      [two, 'exports.f = () => 2; exports.name = "two";'],
    ]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'm.js'), v);
    }
    expect(run(one, cache)).toBe(JSON.stringify([1, 'one', 'function']));
    expect(run(two, cache)).toBe(JSON.stringify([2, 'two', 'function']));
    const entries = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect(entries.length).toBe(2);
    // Each source's entry put where the other's is looked for: the header names the other file
    // and source, so neither is used (and each is written again).
    const [a, b] = entries.map((e) => fs.readFileSync(e));
    fs.writeFileSync(entries[0], b);
    fs.writeFileSync(entries[1], a);
    expect(run(one, cache)).toBe(JSON.stringify([1, 'one', 'function']));
    expect(run(two, cache)).toBe(JSON.stringify([2, 'two', 'function']));
  });

  test('runs under other V8 flags keep entries of their own, and reuse them', () => {
    const cache = path.join(dir, 'cache');
    const expected = JSON.stringify([6765, 'm.js:true', 'function']);
    expect(run(dir, cache)).toBe(expected);
    const plain = files(cache);
    expect(run(dir, cache, {}, ['--max-semi-space-size=32'])).toBe(expected);
    const both = files(cache);
    expect(both.length).toBe(2);
    expect(both).toEqual(expect.arrayContaining(plain));
    // Neither run overwrote the other's entry: a third and fourth run write nothing new.
    const stamp = (f: string[]) =>
      fs
        .readdirSync(cache, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && f.includes(e.name))
        .map((e) => fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    const before = stamp(both);
    expect(run(dir, cache)).toBe(expected);
    expect(run(dir, cache, {}, ['--max-semi-space-size=32'])).toBe(expected);
    expect(files(cache).sort()).toEqual([...both].sort());
    expect(stamp(both)).toEqual(before);
  });

  test('a file that names import() in a comment is cached; one that calls it runs as Node runs it', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'esm.mjs'), 'export const v = 42;\n');
    const typed = path.join(dir, 'typed.js');
    const calls = path.join(dir, 'calls.js');
    fs.writeFileSync(
      typed,
      ['#!/usr/bin/env node', '/** @type {import("./sub/esm.mjs")} */', 'exports.f = () => "typed";'].join(
        '\n',
      ),
    );
    fs.writeFileSync(calls, 'exports.later = () => import("./sub/esm.mjs").then((m) => m.v);\n');
    const script = `require(${JSON.stringify(LIB)}).enableCompileCache(${JSON.stringify(cache)});
      const t = require(${JSON.stringify(typed)});
      require(${JSON.stringify(calls)}).later().then((v) => process.stdout.write(JSON.stringify([t.f(), v])));`;
    const once = () =>
      execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, JEST_WORKER_ID: '' },
      }).toString();
    expect(once()).toBe(JSON.stringify(['typed', 42]));
    // One entry: typed.js's (the import() call leaves calls.js to Node).
    const entries = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect(entries.length).toBe(1);
    expect(fs.readFileSync(entries[0], 'latin1')).toContain(typed);
    const stamp = fs.statSync(entries[0]).mtimeMs;
    // From the cache: the same result, and V8 took the entry (it is not written again).
    expect(once()).toBe(JSON.stringify(['typed', 42]));
    expect(fs.statSync(entries[0]).mtimeMs).toBe(stamp);
    expect(files(cache).length).toBe(1);
  });

  test('a cache that cannot be written is not used, and the run is the same', () => {
    // A file where the directory would be: no entry can be made there, whoever runs (root too).
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, 'not a directory');
    const expected = JSON.stringify([6765, 'm.js:true', 'function']);
    expect(run(dir, path.join(blocked, 'cache'))).toBe(expected);
    expect(run(dir, path.join(blocked, 'cache'))).toBe(expected);
    expect(fs.readFileSync(blocked, 'utf8')).toBe('not a directory');
  });

  test('a pack serves the entries of a run; a corrupt or stale pack is not used', () => {
    const cache = path.join(dir, 'cache');
    const expected = JSON.stringify([6765, 'm.js:true', 'function']);
    expect(run(dir, cache, {}, [], 'validate')).toBe(expected);
    // The entry on its own, and again in the pack (written in the same run).
    const packs = fs.readdirSync(path.join(cache, 'pack'));
    expect(packs).toEqual([expect.stringMatching(/^[0-9a-f]{8}-validate$/)]);
    const pack = path.join(cache, 'pack', packs[0]!);
    const own = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.parentPath.endsWith('pack'))
      .map((e) => path.join(e.parentPath, e.name));
    expect(own.length).toBe(1);
    expect(fs.readFileSync(pack).includes(fs.readFileSync(own[0]!))).toBe(true);
    // Served from the pack: with the entry's own file gone, nothing is compiled or written anew.
    fs.rmSync(own[0]!);
    const stamp = fs.statSync(pack).mtimeMs;
    expect(run(dir, cache, {}, [], 'validate')).toBe(expected);
    expect(fs.existsSync(own[0]!)).toBe(false);
    expect(fs.statSync(pack).mtimeMs).toBe(stamp);
    // A corrupt pack: the same result, the entry made again, the pack written again.
    fs.writeFileSync(pack, Buffer.alloc(64, 7));
    expect(run(dir, cache, {}, [], 'validate')).toBe(expected);
    expect(fs.existsSync(own[0]!)).toBe(true);
    expect(fs.readFileSync(pack).includes(fs.readFileSync(own[0]!))).toBe(true);
    // An edited file: its new entry replaces the old one in the pack, never its bytecode.
    fs.writeFileSync(path.join(dir, 'm.js'), 'exports.f = () => 1; exports.name = "edited";');
    expect(run(dir, cache, {}, [], 'validate')).toBe(JSON.stringify([1, 'edited', 'function']));
    const bytes = fs.readFileSync(pack);
    const index = JSON.parse(bytes.subarray(4, 4 + bytes.readUInt32LE(0)).toString()) as unknown[];
    expect(index.length).toBe(1);
    expect(
      fs
        .readdirSync(cache, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.parentPath.endsWith('pack'))
        .some((e) => bytes.includes(fs.readFileSync(path.join(e.parentPath, e.name)))),
    ).toBe(true);
  });

  test('bytecode V8 would take but the CRC does not match is not run', () => {
    // Two sources of the same length under one cache: V8 takes either's bytecode for the other.
    // `one`'s entry given `two`'s bytecode, its header and CRC kept: only the CRC can tell.
    const cache = path.join(dir, 'cache');
    const one = path.join(dir, 'one');
    const two = path.join(dir, 'two');
    for (const [d, v] of [
      [one, 'exports.f = () => 1; exports.name = "one";'],
      [two, 'exports.f = () => 2; exports.name = "two";'],
    ]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'm.js'), v);
    }
    expect(run(one, cache)).toBe(JSON.stringify([1, 'one', 'function']));
    const [entryOne] = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    expect(run(two, cache)).toBe(JSON.stringify([2, 'two', 'function']));
    const entryTwo = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .find((f) => f !== entryOne)!;
    const a = fs.readFileSync(entryOne!);
    const b = fs.readFileSync(entryTwo);
    const codeOf = (e: Buffer) => e.subarray(e.indexOf(10) + 5);
    expect(codeOf(a).length).toBe(codeOf(b).length);
    const forged = Buffer.concat([a.subarray(0, a.indexOf(10) + 5), codeOf(b)]);
    fs.writeFileSync(entryOne!, forged);
    expect(run(one, cache)).toBe(JSON.stringify([1, 'one', 'function']));
    // Compiled from source and written again.
    expect(fs.readFileSync(entryOne!).equals(forged)).toBe(false);
  });

  test('worker threads of one process each enable the cache; their entries and pack are whole and used', () => {
    const cache = path.join(dir, 'cache');
    // Four threads in one process (one pid), each with the cache and the same pack, as synth's jobs.
    const script = `const { Worker } = require('worker_threads');
      const body = ${JSON.stringify(
        `require(${JSON.stringify(LIB)}).enableCompileCache(${JSON.stringify(cache)}, 'synth-worker');
        require('worker_threads').parentPort.postMessage(require(${JSON.stringify(path.join(dir, 'm.js'))}).f(20));`,
      )};
      const runs = Array.from({ length: 4 }, () => new Promise((ok, no) => {
        const w = new Worker(body, { eval: true });
        w.once('message', ok);
        w.once('error', no);
      }));
      Promise.all(runs).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const once = () =>
      execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, JEST_WORKER_ID: '' },
      }).toString();
    expect(once()).toBe('[6765,6765,6765,6765]');
    const written = fs
      .readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    // One entry and one pack, no file left half-written, the entry's CRC holding.
    expect(written.map((f) => path.relative(cache, f).startsWith('pack')).sort()).toEqual([false, true]);
    const entry = fs.readFileSync(written.find((f) => !path.relative(cache, f).startsWith('pack'))!);
    const at = entry.indexOf(10) + 1;
    expect(entry.readUInt32LE(at)).toBe(crc32(entry.subarray(at + 4)));
    // A second process: served from the pack, nothing written again.
    const pack = written.find((f) => path.relative(cache, f).startsWith('pack'))!;
    const stamp = fs.statSync(pack).mtimeMs;
    expect(fs.readFileSync(pack).includes(entry)).toBe(true);
    expect(once()).toBe('[6765,6765,6765,6765]');
    expect(fs.statSync(pack).mtimeMs).toBe(stamp);
  });

  describe('a flipped byte in the bytecode of an entry', () => {
    // V8 does not check the bytecode it is given (Node 20 runs without
    // --verify-snapshot-checksum): without the entry's CRC such an entry was run, and crashed.
    const CLI = path.resolve(__dirname, '../../../bin/sovereign.js');
    const SPEC = path.join(EXAMPLES, 'sovereign.yaml');
    /** `sovereign validate` of the example, in a process of its own with the cache in `cache`. */
    const validate = (cache: string, pack?: string, env: NodeJS.ProcessEnv = {}): string =>
      execFileSync(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(LIB)}).enableCompileCache(${JSON.stringify(cache)}, ${JSON.stringify(pack)});
          require(${JSON.stringify(CLI)}).run(['validate', ${JSON.stringify(SPEC)}]).then((c) => { process.exitCode = c; });`,
        ],
        { env: { ...process.env, JEST_WORKER_ID: '', ...env } },
      ).toString();
    /** The header's end (the id line), the CRC after it, the bytecode after that. */
    const crcAt = (entry: Buffer): number => entry.indexOf(10) + 1;
    const flip = (entry: Buffer, at: number): Buffer => {
      const out = Buffer.from(entry);
      out[at] = out[at]! ^ 0x5a;
      return out;
    };
    const ownEntries = (cache: string): string[] =>
      fs
        .readdirSync(cache, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.parentPath.endsWith('pack'))
        .map((e) => path.join(e.parentPath, e.name));
    const largest = (files: string[]): string =>
      files.reduce((a, b) => (fs.statSync(a).size >= fs.statSync(b).size ? a : b));
    let expected: string;
    beforeAll(() => {
      expected = validate(path.join(os.tmpdir(), 'unused'), undefined, { SOVEREIGN_COMPILE_CACHE: '0' });
      expect(expected).toContain('sovereign.yaml');
    });

    test("an entry's own file: compiled from source, the same output, the entry written again", () => {
      const cache = path.join(dir, 'cache');
      expect(validate(cache)).toBe(expected);
      const file = largest(ownEntries(cache));
      const good = fs.readFileSync(file);
      expect(good.length).toBeGreaterThan(10_000);
      // The stored CRC is that of the bytecode after it.
      const at = crcAt(good);
      expect(good.readUInt32LE(at)).toBe(crc32(good.subarray(at + 4)));
      const bad = flip(good, at + 4 + Math.floor((good.length - at - 4) / 2));
      fs.writeFileSync(file, bad);
      expect(validate(cache)).toBe(expected);
      const again = fs.readFileSync(file);
      expect(again.equals(bad)).toBe(false);
      expect(again.readUInt32LE(at)).toBe(crc32(again.subarray(at + 4)));
    });

    test('an entry in a pack: compiled from source, the same output, the pack written again', () => {
      const cache = path.join(dir, 'cache');
      expect(validate(cache, 'validate')).toBe(expected);
      const pack = path.join(cache, 'pack', fs.readdirSync(path.join(cache, 'pack'))[0]!);
      const own = largest(ownEntries(cache));
      const good = fs.readFileSync(own);
      const bytes = fs.readFileSync(pack);
      const start = bytes.indexOf(good);
      expect(start).toBeGreaterThan(0);
      // The entry's own file gone: only the pack's copy can serve it.
      fs.rmSync(own);
      const at = start + crcAt(good) + 4 + Math.floor((good.length - crcAt(good) - 4) / 2);
      const bad = flip(bytes, at);
      fs.writeFileSync(pack, bad);
      expect(validate(cache, 'validate')).toBe(expected);
      // Compiled from source: the entry made again, and the pack made again with it.
      const made = fs.readFileSync(own);
      expect(made.readUInt32LE(crcAt(made))).toBe(crc32(made.subarray(crcAt(made) + 4)));
      const rewritten = fs.readFileSync(pack);
      expect(rewritten.equals(bad)).toBe(false);
      expect(rewritten.includes(made)).toBe(true);
    });
  });

  test('SOVEREIGN_COMPILE_CACHE=0 writes nothing', () => {
    const cache = path.join(dir, 'cache');
    run(dir, cache, { SOVEREIGN_COMPILE_CACHE: '0' });
    expect(fs.existsSync(cache)).toBe(false);
  });
});
