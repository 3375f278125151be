/**
 * Reading a cdktf output directory: `manifest.json` (cdktf's) names each stack's
 * `cdk.tf.json`; without one, `stacks/*\/cdk.tf.json`. Every file is hashed for the report.
 * Unusable input is a located SovereignError (INPUT_INVALID, exit 2).
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import { inputInvalid } from '../constructs/errors';
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
 * Parses JSON as Terraform reads it, turning a syntax error or a duplicate key into a located
 * INPUT_INVALID error (`file:line:col`).
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return parseJsonStrict(text);
  } catch (e) {
    if (!(e instanceof JsonReadError)) throw e;
    throw inputInvalid(`${file}:${e.line}:${e.column}`, `not valid JSON: ${e.message}`, e.path || undefined);
  }
}

/**
 * Offset of the first syntax error in a JSON text (Node's messages do not always carry a
 * position). A small recursive-descent scan; only called once JSON.parse has failed.
 */
export function jsonErrorOffset(t: string): number {
  let i = 0;
  const ws = () => {
    while (i < t.length && ' \t\n\r'.includes(t[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (w: string) => {
    if (t.startsWith(w, i)) i += w.length;
    else fail();
  };
  const str = () => {
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t[i] === '\\') i++;
      else if (t.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= t.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{') {
      i++;
      ws();
      if (t[i] === '}') return void i++;
      for (;;) {
        ws();
        if (t[i] !== '"') fail();
        str();
        ws();
        if (t[i] !== ':') fail();
        i++;
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (t[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(t.slice(i));
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < t.length) fail();
  } catch (e) {
    if (typeof e === 'number') return e;
    throw e;
  }
  return i;
}

export function readJsonFile(path: string, shown: string = path): unknown {
  return parseJson(readFileBytes(path, shown).toString('utf8'), shown);
}

function readFileBytes(path: string, shown: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputInvalid(
      shown,
      code === 'ENOENT'
        ? 'file does not exist'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot be read (${code ?? 'error'})`,
    );
  }
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function walk(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name === '.terraform' || name.endsWith('.tfstate') || name.endsWith('.tfstate.backup')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, root, out);
    else if (st.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
}

/** Loads every synthesized stack of a cdktf output directory. `shown` is the directory as the user named it. */
export function loadDir(dir: string, shown: string = dir, options: LoadDirOptions = {}): LoadedDir {
  if (!existsSync(dir))
    throw inputInvalid(
      shown,
      'directory does not exist; run `sovereign synth` first or name the cdktf output directory',
    );
  if (!statSync(dir).isDirectory()) throw inputInvalid(shown, 'is not a directory');
  const stacks: StackInput[] = [];
  // Stack files are read once: the same bytes are parsed and hashed.
  const read = new Map<string, Buffer>();
  const readStack = (file: string) => {
    const bytes = readFileBytes(join(dir, file), `${shown}/${file}`);
    read.set(file, bytes);
    return parseJson(bytes.toString('utf8'), `${shown}/${file}`);
  };
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const m = readJsonFile(manifestPath, `${shown}/manifest.json`) as {
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
    const names = existsSync(root)
      ? readdirSync(root)
          .filter((n) => existsSync(join(root, n, 'cdk.tf.json')))
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
  walk(dir, dir, paths);
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
  const files = paths.map((p) => ({ path: p, sha256: sha256(read.get(p) ?? readFileSync(join(dir, p))) }));
  return { stacks, files };
}

export { sha256 };
