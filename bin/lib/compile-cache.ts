/**
 * A V8 code cache for the CLI's own start-up (Node 20 has no `module.enableCompileCache`).
 *
 * `sovereign validate` spends most of its time loading and first running zod, yaml and the spec
 * schema: V8 parses each file, then compiles each function to bytecode the first time it runs.
 * Here each CommonJS file is compiled through `vm.Script` with the bytecode V8 produced for it
 * on an earlier run (`cachedData`), taken after that run, so it holds the functions the run
 * compiled too. V8 checks the data against the source's length and its own version and flags
 * and ignores data that does not fit; the entry is found by a CRC-32 of the source (as Node's
 * own compile cache finds its entries: nodejs/node src/compile_cache.cc, GetHash) with the
 * file's path, Node's version and V8's flags tag, all of which the entry holds and is checked
 * against, so an edited or upgraded file does not meet stale bytecode. A CRC-32 rather than a
 * SHA-256: `synth` reads 16 MB of JavaScript (13 MB of it the provider bindings), which
 * SHA-256 took ~30 ms to hash. V8 does not check the bytecode itself, so each entry also holds
 * a CRC-32 of its bytecode, checked before V8 gets it; a corrupt entry is compiled from source
 * and written again (`entryBytes`).
 *
 * Where: `node_modules/.cache/sovereign-stack/compile/` of the project the toolkit is
 * installed in (the place build tools keep caches; whoever can write there can already change
 * the code that runs). Nothing is written elsewhere; a cache that cannot be written is simply
 * not used. `SOVEREIGN_COMPILE_CACHE=0` turns it off (as does running under jest); removing the directory is always safe.
 * Files that may call `import()` are compiled as Node compiles them (a `vm.Script` would need a
 * module loader of its own for them); one that only names it in a comment or a string is cached
 * (compile-cache-scan.ts). A leading `#!` line is read as the comment it is to Node.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { crc32 } from 'zlib';
import { mayImportDynamically } from './compile-cache-scan';

interface CompilingModule {
  exports: unknown;
  filename: string;
  paths: string[];
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

/** Directory of the cache for the toolkit installed at `root`, or undefined when none applies. */
export function compileCacheDir(root: string): string | undefined {
  // Inside the toolkit's own node_modules when it is installed as a dependency
  // (<project>/node_modules/sovereign-stack), else the package's own node_modules.
  const parts = root.split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  const base = nm >= 0 ? parts.slice(0, nm + 1).join(path.sep) : path.join(root, 'node_modules');
  if (!fs.existsSync(base)) return undefined;
  return path.join(base, '.cache', 'sovereign-stack', 'compile');
}

/**
 * Installs the cache for every CommonJS file loaded from now on; returns whether it did. With
 * `pack`, the entries a run uses are also kept together in one file, `<dir>/pack/<pack>`
 * (see `openPack`).
 */
export function enableCompileCache(dir: string | undefined, pack?: string): boolean {
  if (enabledIn !== undefined) return false;
  // Off under the test runner (its CLI runs inherit JEST_WORKER_ID): tests write only in temp dirs.
  if (
    dir === undefined ||
    process.env.SOVEREIGN_COMPILE_CACHE === '0' ||
    (process.env.JEST_WORKER_ID ?? '') !== ''
  )
    return false;
  enabledIn = dir;
  const proto = (Module as unknown as { prototype: CompilingModule }).prototype;
  const original = proto._compile;
  const pending: { file: string; header: Buffer; script: vm.Script }[] = [];
  // V8 refuses bytecode taken under other flags (its tag hashes version, flags and CPU
  // features): keyed by it, runs with other flags (`node --max-semi-space-size …`) keep
  // their own entries instead of overwriting each other's on every run.
  const tag = `${process.version}-${process.arch}-${v8.cachedDataVersionTag()}`;
  const packFile = pack === undefined ? undefined : path.join(dir, 'pack', `${hex(crc32(tag))}-${pack}`);
  const packed = packFile === undefined ? undefined : openPack(packFile);
  // The entries this run used, by name, and whether each came from the pack.
  const used = new Map<string, boolean>();
  proto._compile = function (this: CompilingModule, content: string, filename: string) {
    // Node reads a leading `#!` line as a comment; inside the module wrapper it must be one.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    // Once per file: the CRC of a string encodes it to UTF-8 first (synth: 16 MB of source, ~25 ms).
    const sum = hex(crc32(source));
    const id = `${tag}\0${filename}\0${sum}\0${source.length}`;
    const name = `${hex(crc32(`${tag}\0${filename}`))}${sum}${source.length.toString(16)}`;
    const file = entryFile(dir, name);
    const header = Buffer.from(`${id}\n`);
    let cachedData: Buffer | undefined;
    let fromPack = false;
    try {
      let entry = packed?.read(name);
      if (entry === undefined) entry = fs.readFileSync(file);
      else fromPack = true;
      cachedData = payload(entry, header);
    } catch {
      cachedData = undefined;
    }
    // An entry exists only for a source scanned before and found free of `import()`: the scan
    // (a few ms on a large file, on code that has not warmed up) runs only when none is found.
    if (cachedData === undefined && mayImportDynamically(source))
      return original.call(this, content, filename);
    const script = new vm.Script((Module as unknown as { wrap(s: string): string }).wrap(source), {
      filename,
      cachedData,
    });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      pending.push({ file, header, script });
      fromPack = false;
    }
    used.set(name, fromPack && cachedData !== undefined);
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = makeRequire(this);
    return fn.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  // Written when the process ends, so the bytecode of every function the run compiled is in it.
  process.once('exit', () => {
    try {
      for (const { file, header, script } of pending) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = tmpName(file);
        fs.writeFileSync(tmp, entryBytes(header, script.createCachedData()));
        fs.renameSync(tmp, file);
      }
      // The pack is made again when an entry this run used was not in it.
      if (packFile !== undefined && [...used.values()].some((p) => !p))
        writePack(packFile, dir, [...used.keys()], packed);
    } catch {
      // a read-only or full disk: run without the cache
    } finally {
      packed?.close();
    }
  });
  return true;
}

/** The directory of the cache this thread compiles through, if it does. */
let enabledIn: string | undefined;

/**
 * The directory of the cache this thread compiles through, if it does: a worker thread has a
 * module loader of its own, and turns the cache on in it with this directory (synth-parallel.ts).
 */
export function compileCacheInUse(): string | undefined {
  return enabledIn;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

/**
 * A name of this thread's own to write `file` under before renaming it into place: worker
 * threads of one process (synth's jobs) share its pid, and write the same entries and pack
 * when they end. `worker_threads` is read only here, at exit, not at start-up.
 */
export function tmpName(file: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { threadId } = require('worker_threads') as typeof import('worker_threads');
  return `${file}.${process.pid}-${threadId}.tmp`;
}

/**
 * An entry: the header (the id line), the CRC-32 of the bytecode (4 bytes), the bytecode. V8
 * checks only that cached data fits its version, flags and the source's length, not the
 * bytecode itself (Node 20 runs it without `--verify-snapshot-checksum`): a flipped byte in it
 * was run, and crashed the CLI (SIGSEGV, SIGTRAP, "undefined is not a function") on every run
 * until the cache was removed. The CRC is against corruption (a torn write, a bad disk, a
 * copy cut short), which it detects: every burst of up to 32 flipped bits, and any other
 * change but for one chance in 2^32. Not against an attacker: whoever can write the cache can
 * write the code it is the cache of.
 */
function entryBytes(header: Buffer, data: Buffer): Buffer {
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32(data), 0);
  return Buffer.concat([header, sum, data]);
}

/**
 * The bytecode of `entry` if its header is `header` (an entry of another file, Node, V8 flags
 * or source that happens to share the name is not used) and its CRC holds; else undefined.
 */
function payload(entry: Buffer, header: Buffer): Buffer | undefined {
  const at = header.length + 4;
  if (entry.length <= at || !entry.subarray(0, header.length).equals(header)) return undefined;
  const data = entry.subarray(at);
  return crc32(data) === entry.readUInt32LE(header.length) ? data : undefined;
}

/** Where an entry named `name` is kept on its own. */
const entryFile = (dir: string, name: string) => path.join(dir, name.slice(0, 2), name.slice(2));

interface Pack {
  /** The entry of that name (header and bytecode, as its own file holds it), if the pack has it. */
  read(name: string): Buffer | undefined;
  names(): string[];
  close(): void;
}

/**
 * The entries of one command's runs kept in one file, read with one open instead of one per
 * module (`validate` compiles ~170 modules through the cache, `synth` ~450): a 4-byte length,
 * a JSON index of [name, offset, length], then the entries, each exactly as its own file
 * holds it, header and CRC included, and checked the same way. A pack that cannot be read is no pack.
 */
function openPack(file: string): Pack | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4);
    if (fs.readSync(fd, head, 0, 4, 0) !== 4) throw new Error('short');
    const indexLength = head.readUInt32LE(0);
    const raw = Buffer.alloc(indexLength);
    if (fs.readSync(fd, raw, 0, indexLength, 4) !== indexLength) throw new Error('short');
    const index = new Map<string, [number, number]>();
    for (const [name, offset, length] of JSON.parse(raw.toString('utf8')) as [string, number, number][])
      index.set(name, [4 + indexLength + offset, length]);
    const handle = fd;
    return {
      read(name) {
        const at = index.get(name);
        if (at === undefined) return undefined;
        const out = Buffer.allocUnsafe(at[1]);
        return fs.readSync(handle, out, 0, at[1], at[0]) === at[1] ? out : undefined;
      },
      names: () => [...index.keys()],
      close: () => fs.closeSync(handle),
    };
  } catch {
    if (fd !== undefined) fs.closeSync(fd);
    return undefined;
  }
}

/**
 * Writes the pack of the entries `names` (this run's) and of the old pack's entries of other
 * files (an entry's name begins with its file's hash: an old entry of a file this run compiled
 * anew is dropped); written whole and renamed into place.
 */
function writePack(file: string, dir: string, names: string[], old: Pack | undefined): void {
  const files = new Set(names.map((n) => n.slice(0, 8)));
  const parts: Buffer[] = [];
  const index: [string, number, number][] = [];
  let offset = 0;
  const add = (name: string, entry: Buffer | undefined) => {
    if (entry === undefined) return;
    index.push([name, offset, entry.length]);
    parts.push(entry);
    offset += entry.length;
  };
  for (const name of names) {
    let entry: Buffer | undefined;
    try {
      entry = fs.readFileSync(entryFile(dir, name));
    } catch {
      entry = old?.read(name);
    }
    add(name, entry);
  }
  for (const name of old?.names() ?? []) if (!files.has(name.slice(0, 8))) add(name, old!.read(name));
  const raw = Buffer.from(JSON.stringify(index));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(raw.length, 0);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tmpName(file);
  fs.writeFileSync(tmp, Buffer.concat([head, raw, ...parts]));
  fs.renameSync(tmp, file);
}

function makeRequire(mod: CompilingModule): NodeJS.Require {
  const M = Module as unknown as {
    _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeJS.Module>;
  };
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  require.resolve = ((request: string, options?: { paths?: string[] }) =>
    M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  require.resolve.paths = (request: string) =>
    (
      Module as unknown as { _resolveLookupPaths(r: string, m: unknown): string[] | null }
    )._resolveLookupPaths(request, mod);
  require.main = require.main ?? (process as unknown as { mainModule?: NodeJS.Module }).mainModule;
  require.extensions = M._extensions;
  require.cache = M._cache;
  return require;
}
