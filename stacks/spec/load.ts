/**
 * Reads sovereign.yaml: YAML with source positions → defaults merged → zod schema →
 * semantic checks → a fully resolved SovereignSpec. Every problem is collected with its
 * `file:line:col`, field path, what is wrong and what is allowed, and thrown at once as one
 * SovereignError (exit 2). Nothing here writes a file or loads cdktf.
 *
 * The entry points; reading (load/read.ts), a directory of files (load/directory.ts),
 * positions (load/positions.ts), defaults (load/defaults.ts), zod issues (load/issues.ts) and
 * validation (load/validate.ts) live beside it.
 */
import * as fs from 'fs';
import { specUnreadable } from '../../core/errors';
import { loadSpecDir } from './load/directory';
import { decodeUtf8, MAX_SPEC_BYTES, readFull } from './load/read';
import { type SpecPath, type SpecPosition } from './load/positions';
import { validateRead } from './load/validate';
import type { SovereignSpec } from './schema';

export { MAX_ALIAS_COUNT, MAX_SPEC_BYTES, MAX_SPEC_DIR_BYTES } from './load/read';
export type { SpecPath, SpecPosition } from './load/positions';

export interface LoadedSpec {
  /** The file (or directory of files) as the user named it. */
  readonly file: string;
  readonly spec: SovereignSpec;
  /** Line and column of a field, for errors found after loading (construct validation). */
  locate(path: SpecPath): SpecPosition | undefined;
}

/** Loads and validates a spec file; throws SovereignError with every problem. */
export function loadSpec(file: string): LoadedSpec {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw specUnreadable(
      file,
      code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'unknown error'})`,
    );
  }
  if (stat.isDirectory()) return loadSpecDir(file);
  if (!stat.isFile()) throw specUnreadable(file, 'is not a regular file');
  if (stat.size > MAX_SPEC_BYTES) {
    throw specUnreadable(
      file,
      `is ${stat.size} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes (1 MiB)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw specUnreadable(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  return parseSpec(bytes, file);
}

/** Validates spec content; `file` is used in messages only. */
export function parseSpec(content: Buffer | string, file: string): LoadedSpec {
  const text = typeof content === 'string' ? content : decodeUtf8(content, file);
  if (text.length > MAX_SPEC_BYTES)
    throw specUnreadable(file, `is larger than ${MAX_SPEC_BYTES} bytes (1 MiB)`);

  // One reader for every spec: `yaml`, with node positions (a second, faster reader without
  // them would be a second opinion on what a document says, in a tool that judges documents).
  return validateRead(readFull(text, file), text, file, () => readFull(text, file));
}
