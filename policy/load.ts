/**
 * Reading a cdktf output directory: `manifest.json` (cdktf's) names each stack's
 * `cdk.tf.json`; without one, `stacks/*\/cdk.tf.json`. Every file is hashed for the report.
 * Unusable input is a located SovereignError (INPUT_INVALID, exit 2).
 *
 * The directory may come from anywhere, so only regular files inside it are read: a path with
 * `..` or an absolute one, a symbolic link, a device, a pipe or a file over MAX_INPUT_BYTES is
 * refused before a byte is read, and no error message quotes a file's bytes.
 */
import { createHash } from 'crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import { inputInvalid, isSovereignError } from '../core/errors';
import type { StackInput } from './engine';
import { JsonReadError, parseJsonStrict } from './json-read';

export interface FileHash {
  /** Path relative to the audited directory, with `/` separators. */
  readonly path: string;
  readonly sha256: string;
}

export interface LoadedDir {
  readonly stacks: StackInput[];
  /** Every file's digest, for the report; empty when loaded with `hashes: false`. */
  readonly files: FileHash[];
}

export interface LoadDirOptions {
  /** Hash every file of the directory (the report lists them). @default true */
  readonly hashes?: boolean;
}

/**
 * Largest file read: 256 MiB (a 100-jurisdiction stack set is ~34 MB in all), or
 * SOVEREIGN_MAX_INPUT_BYTES.
 */
export function maxInputBytes(): number {
  const env = Number(process.env.SOVEREIGN_MAX_INPUT_BYTES);
  return Number.isInteger(env) && env > 0 ? env : 256 * 1024 * 1024;
}

/**
 * Parses JSON as Terraform reads it, turning a syntax error or a duplicate key into a located
 * INPUT_INVALID error (`file:line:col`) that quotes none of the input's bytes.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return parseJsonStrict(text);
  } catch (e) {
    if (!(e instanceof JsonReadError)) throw e;
    throw inputInvalid(`${file}:${e.line}:${e.column}`, `not valid JSON: ${e.message}`, e.path || undefined);
  }
}

export function readJsonFile(path: string, shown: string = path): unknown {
  return parseJson(readFileBytes(path, shown).toString('utf8'), shown);
}

/**
 * A file the user named (a plan): a regular file or a pipe (`--plan <(tofu show -json p)`),
 * never a device; read up to the size limit.
 */
function readFileBytes(path: string, shown: string): Buffer {
  let fd: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (!st.isFile() && !st.isFIFO()) throw inputInvalid(shown, 'is not a regular file (a device or socket)');
    fd = openSync(path, 'r');
  } catch (e) {
    throw unreadable(e, shown);
  }
  return readCapped(fd, shown);
}

function unreadable(e: unknown, shown: string): Error {
  // Duck-typed: errors from Node's fs may come from another realm (a test sandbox).
  if (isSovereignError(e) || typeof (e as NodeJS.ErrnoException)?.code !== 'string') return e as Error;
  const code = (e as NodeJS.ErrnoException).code;
  return inputInvalid(
    shown,
    code === 'ENOENT'
      ? 'file does not exist'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? `cannot be read: permission denied (${code})`
          : `cannot be read (${code ?? 'error'})`,
  );
}

/** Reads an open file to its end, refusing it past the size limit; closes it. */
function readCapped(fd: number, shown: string): Buffer {
  const cap = maxInputBytes();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(cap + 1 - total, 1024 * 1024));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > cap) throw inputInvalid(shown, `is larger than the ${cap}-byte limit of what audit reads`);
    }
  } catch (e) {
    throw unreadable(e, shown);
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A file inside `dir` at `rel` (as written in manifest.json): refused when `rel` leaves the
 * directory, passes through a symbolic link, or is not a regular file within the size limit.
 */
export function readInside(dir: string, rel: string, shown: string): Buffer {
  const parts = rel.split(/[\\/]/);
  if (rel === '' || rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || parts.includes('..')) {
    throw inputInvalid(shown, 'lies outside the audited directory; audit reads only files inside it');
  }
  let fd: number;
  try {
    let p = dir;
    for (const [i, part] of parts.entries()) {
      if (part === '' || part === '.') continue;
      p = join(p, part);
      const st = lstatSync(p);
      if (st.isSymbolicLink())
        throw inputInvalid(
          shown,
          'is or passes through a symbolic link; audit reads only regular files inside the directory',
        );
      if (i < parts.length - 1 ? !st.isDirectory() : !st.isFile())
        throw inputInvalid(
          shown,
          st.isDirectory()
            ? 'is a directory, not a file'
            : 'is not a regular file (a device, socket or pipe)',
        );
      if (i === parts.length - 1 && st.size > maxInputBytes())
        throw inputInvalid(
          shown,
          `is ${st.size} bytes, over the ${maxInputBytes()}-byte limit of what audit reads`,
        );
    }
    fd = openSync(p, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw inputInvalid(shown, 'is not a regular file (a device, socket or pipe)');
    }
  } catch (e) {
    throw unreadable(e, shown);
  }
  return readCapped(fd, shown);
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function walk(dir: string, root: string, out: string[], shown: string): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === '.terraform' || name.endsWith('.tfstate') || name.endsWith('.tfstate.backup')) continue;
    // The list of files `sovereign synth` wrote (bin/lib/output-dir.ts): bookkeeping, not config.
    if (dir === root && name === '.sovereign-synth') continue;
    const p = join(dir, name);
    const rel = relative(root, p).split(sep).join('/');
    const st = lstatSync(p);
    if (st.isDirectory()) walk(p, root, out, shown);
    else if (st.isFile()) out.push(rel);
    else
      throw inputInvalid(
        `${shown}/${rel}`,
        st.isSymbolicLink()
          ? 'is a symbolic link; audit reads and lists only regular files inside the directory'
          : 'is not a regular file (a device, socket or pipe)',
      );
  }
}

/** Loads every synthesized stack of a cdktf output directory. `shown` is the directory as the user named it. */
export function loadDir(dir: string, shown: string = dir, options: LoadDirOptions = {}): LoadedDir {
  let top;
  try {
    top = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw inputInvalid(
        shown,
        'directory does not exist; run `sovereign synth` first or name the cdktf output directory',
      );
    throw unreadable(e, shown);
  }
  if (!top.isDirectory()) throw inputInvalid(shown, 'is not a directory');
  const exists = (p: string) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  const stacks: StackInput[] = [];
  // Stack files are read once: the same bytes are parsed and hashed.
  const read = new Map<string, Buffer>();
  const readStack = (file: string) => {
    const bytes = readInside(dir, file, `${shown}/${file}`);
    read.set(file, bytes);
    return parseJson(bytes.toString('utf8'), `${shown}/${file}`);
  };
  const manifestPath = join(dir, 'manifest.json');
  if (exists(manifestPath)) {
    const m = parseJson(
      readInside(dir, 'manifest.json', `${shown}/manifest.json`).toString('utf8'),
      `${shown}/manifest.json`,
    ) as {
      stacks?: Record<string, { synthesizedStackPath?: string }>;
    };
    if (typeof m !== 'object' || m === null || typeof m.stacks !== 'object' || m.stacks === null) {
      throw inputInvalid(`${shown}/manifest.json`, 'has no "stacks" object: not a cdktf manifest', 'stacks');
    }
    for (const name of Object.keys(m.stacks).sort()) {
      const rel = m.stacks[name]?.synthesizedStackPath;
      if (typeof rel !== 'string')
        throw inputInvalid(
          `${shown}/manifest.json`,
          `stack ${name} has no synthesizedStackPath`,
          `stacks.${name}.synthesizedStackPath`,
        );
      const file = rel.split(/[\\/]/).join('/');
      if (file.startsWith('/') || /^[A-Za-z]:/.test(file) || file.split('/').includes('..'))
        throw inputInvalid(
          `${shown}/manifest.json`,
          `stack ${name} points outside the directory (${file}); the audit judges only files inside it`,
          `stacks.${name}.synthesizedStackPath`,
        );
      stacks.push({ name, file, json: readStack(file) });
    }
  } else {
    const root = join(dir, 'stacks');
    const names = exists(root)
      ? readdirSync(root)
          .filter((n) => exists(join(root, n, 'cdk.tf.json')))
          .sort()
      : [];
    for (const name of names) {
      const file = `stacks/${name}/cdk.tf.json`;
      stacks.push({ name, file, json: readStack(file) });
    }
  }
  if (stacks.length === 0)
    throw inputInvalid(shown, 'holds no synthesized stack (no manifest.json and no stacks/*/cdk.tf.json)');
  const paths: string[] = [];
  walk(dir, dir, paths, shown);
  // Terraform reads every *.tf / *.tf.json (and OpenTofu's *.tofu) file of a working directory,
  // and *.tfvars files set variables: any such file the audit does not judge is refused.
  const judged = new Set(stacks.map((s) => s.file));
  for (const p of paths) {
    const base = p.split('/').pop() ?? p;
    if (judged.has(p)) continue;
    if (
      /\.(tf|tf\.json|tofu|tofu\.json|tfvars|tfvars\.json)$/i.test(base) ||
      /^(\.terraformrc|terraform\.rc)$/.test(base)
    )
      throw inputInvalid(
        `${shown}/${p}`,
        'Terraform reads this file but the audit does not judge it (only the cdk.tf.json files the manifest names); remove it or synthesize again',
      );
  }
  if (options.hashes === false) return { stacks, files: [] };
  const files = paths.map((p) => ({
    path: p,
    sha256: sha256(read.get(p) ?? readInside(dir, p, `${shown}/${p}`)),
  }));
  return { stacks, files };
}

export { sha256 };
