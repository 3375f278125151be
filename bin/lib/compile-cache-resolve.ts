/**
 * Where each `require` of a CLI run led, kept for the next run of the same command: resolving
 * the ~360 requires of `sovereign validate` took ~18 ms of its CPU (a `stat` per candidate
 * file, real paths, package.json files), the same answers every run.
 *
 * A kept answer is used only while nothing it depends on has changed. With each answer the
 * record keeps its witnesses: every directory whose listing Node's search consulted (the
 * directory of the requested path and each directory down to the file found; for a package,
 * each directory on the `node_modules` search path up to the one that held it, that
 * `node_modules` directory, the package's directory and its package.json), each with its
 * modification and change times, inode and size, and for a package.json a CRC-32 of its
 * content (`stamp`). A file added, removed or renamed changes its directory's times; an
 * edited package.json changes its own, and its change time even when the modification time
 * is set back (`touch -r`, `cp -p`). On start every witness is checked (one `stat` each,
 * ~50 for `validate`); one that differs or is gone discards the whole record, and Node resolves
 * everything itself. The record is also keyed by Node's version, its command-line flags,
 * NODE_OPTIONS, NODE_PATH and the file extensions registered, all of which change how Node
 * resolves.
 * Requests Node answers from elsewhere (`#imports`, a package naming itself, a package reached
 * through a symbolic link, `require.resolve` with paths) are never kept.
 *
 * Kept where the code cache is (compile-cache.ts), written when the run ends, replaced whole
 * (write and rename); a record that cannot be read or written is simply not used.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import { crc32 } from 'zlib';
import { tmpName } from './compile-cache';

type Resolve = (
  request: string,
  parent: NodeJS.Module | undefined,
  isMain: boolean,
  options?: unknown,
) => string;

interface Record {
  key: string;
  /** path → its `stamp`, or '' for a path that did not exist. */
  witnesses: { [path: string]: string };
  answers: { [parentDirAndRequest: string]: string };
}

const M = Module as unknown as {
  _resolveFilename: Resolve;
  _resolveLookupPaths(request: string, parent: NodeJS.Module | undefined): string[] | null;
  _extensions: { [ext: string]: unknown };
  isBuiltin(request: string): boolean;
};

/**
 * `mtimeMs:ctimeMs:ino:size` of `p`, and for a package.json the CRC-32 of its content, or ''
 * when it does not exist (or cannot be read). The modification time alone can be set back
 * (`touch -r`, `cp -p`, a tarball's fixed times) after an edit in place; the change time
 * cannot (the kernel sets it on every change, utime included), and the size and content catch
 * what a copy over the file with both times kept would hide. With `settled`, a time less than
 * two seconds old gives '?', which no later stamp equals: the kernel keeps file times in ticks
 * of a few milliseconds, so a directory changed again within the tick it was stamped in would
 * keep its times (git calls this a racy entry); such a record is kept for nothing and made
 * again on a later run.
 */
export function stamp(p: string, settled = false): string {
  try {
    // Times in ms as a double keep ~0.2 µs at today's dates, finer than the kernel's tick.
    const s = fs.statSync(p, { throwIfNoEntry: false });
    if (s === undefined) return '';
    // Racy is judged by the modification time: a change after the stamp sets it to the time
    // of the change, which differs from an older one (a recent change time alone, as after
    // `touch -r`, needs a change that also sets the time back within the same tick).
    if (settled && Date.now() - s.mtimeMs < 2000) return '?';
    const meta = `${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.size}`;
    // Cheap: the 39 package.json files `synth` consults hold 76 KB, read and hashed in 0.3–0.8 ms
    // of CPU (`validate`: 5, ~0.1 ms).
    return s.isFile() && path.basename(p) === 'package.json' ? `${meta}:${crc32(fs.readFileSync(p))}` : meta;
  } catch {
    return ''; // not a directory on the way, no permission: as absent
  }
}

/** The record's key: what, besides the files, decides how Node resolves. */
function recordKey(): string {
  return JSON.stringify([
    process.version,
    process.execArgv,
    process.env.NODE_OPTIONS ?? '',
    process.env.NODE_PATH ?? '',
    Object.keys(M._extensions),
  ]);
}

/**
 * From now on, requires of this process are answered from the record `name` in `dir` where it
 * is still valid, and their answers kept there at exit; returns the record's file. Runs under
 * other flags or settings keep records of their own (the key is in the file's name).
 */
export function enableResolveCache(dir: string, name: string): string {
  const key = recordKey();
  const file = path.join(dir, `${name}-${crc32(key).toString(16).padStart(8, '0')}.json`);
  let record: Record = { key, witnesses: {}, answers: {} };
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Record;
    if (
      kept.key === key &&
      typeof kept.answers === 'object' &&
      typeof kept.witnesses === 'object' &&
      Object.entries(kept.witnesses).every(([p, s]) => stamp(p) === s)
    )
      record = kept;
  } catch {
    // no record, or an unreadable one: start empty
  }
  const answers = new Map(Object.entries(record.answers));
  const witnesses = new Map(Object.entries(record.witnesses));
  let changed = false;
  const resolve = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (options !== undefined || parent?.filename == null || request.startsWith('#') || M.isBuiltin(request))
      return resolve.call(this, request, parent, isMain, options);
    const from = path.dirname(parent.filename);
    const id = `${from}\0${request}`;
    const known = answers.get(id);
    if (known !== undefined) return known;
    const found = resolve.call(this, request, parent, isMain, options);
    try {
      const seen = consulted(request, from, parent, found);
      if (seen !== undefined) {
        for (const p of seen) if (!witnesses.has(p)) witnesses.set(p, stamp(p, true));
        answers.set(id, found);
        changed = true;
      }
    } catch {
      // not kept
    }
    return found;
  };
  process.once('exit', () => {
    if (!changed) return;
    try {
      const out: Record = {
        key,
        witnesses: Object.fromEntries(witnesses),
        answers: Object.fromEntries(answers),
      };
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = tmpName(file);
      fs.writeFileSync(tmp, JSON.stringify(out));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only or full disk: the next run resolves again
    }
  });
  return file;
}

/** Each directory from `top` down to `dir` (both included), or undefined when `dir` is not under `top`. */
function chain(top: string, dir: string): string[] | undefined {
  if (dir !== top && !dir.startsWith(top + path.sep)) return undefined;
  const out = [top];
  for (const part of dir.slice(top.length).split(path.sep).filter(Boolean))
    out.push(path.join(out[out.length - 1]!, part));
  return out;
}

/**
 * The paths whose state decided how `request` from `from` resolved to `found` (see the file
 * comment), or undefined for an answer not to keep.
 */
export function consulted(
  request: string,
  from: string,
  parent: NodeJS.Module | undefined,
  found: string,
): string[] | undefined {
  const dir = path.dirname(found);
  if (
    request.startsWith('./') ||
    request.startsWith('../') ||
    request === '.' ||
    request === '..' ||
    path.isAbsolute(request)
  ) {
    // The requested path's directory lists `x`, `x.js`, `x/`…; a directory `x` lists its index
    // and package.json.
    const base = path.resolve(from, request);
    const down = chain(path.dirname(base), dir);
    if (down === undefined) return undefined;
    return found.startsWith(base + path.sep) ? [...down, path.join(base, 'package.json')] : down;
  }
  // A package: each directory of the search path up to the one that holds it.
  const lookup = M._resolveLookupPaths(request, parent) ?? [];
  const out: string[] = [];
  for (const nm of lookup) {
    const pkg = path.join(nm, ...packageName(request));
    const down = chain(pkg, dir);
    if (down !== undefined) return [...out, nm, ...down, path.join(pkg, 'package.json')];
    // Not here: a `node_modules` made here, or the package added to it, would change the answer.
    out.push(path.dirname(nm), nm);
  }
  // Found elsewhere (a symbolic link, the package itself): not kept.
  return undefined;
}

/** `@scope/name/sub` → ['@scope', 'name']; `name/sub` → ['name']. */
function packageName(request: string): string[] {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1);
}
