/**
 * The weights manifest: which files make up one pinned model revision and the SHA-256 of each.
 * `sovereign weights manifest <dir>` prints it, the spec pins it, `ModelWeights` verifies it.
 *
 * Canonical form and digest. A manifest is serialised as the lines `sha256sum` prints, one per
 * file, sorted by path in byte order (paths are ASCII, so this is also UTF-16 code-unit order):
 *
 *     <64 lower-case hex>  <relative/posix/path>\n
 *
 * The manifest digest is the SHA-256 of that text (UTF-8, every line ending in `\n`, no header).
 * The same digest is written into the `weights-manifest-sha256` annotations, the ConfigMap, the
 * Job's environment and the verification marker on the volume, and `sha256sum -c` accepts the
 * text as it is, so an auditor can re-check a volume by hand.
 *
 * Import-free except for a type, so the CLI loads it without cdktf; node:crypto (~4 ms of CPU to
 * load) is required by the one function that hashes, which `validate` never calls.
 */
import type { Problem } from '../core/errors';
import { SHA256_HEX } from '../core/images';

/** Relative POSIX path → lower-case 64-hex SHA-256. */
export type WeightsManifestFiles = Readonly<Record<string, string>>;

/** A lower-case hex SHA-256. */
export { SHA256_HEX };

/**
 * Characters allowed in a manifest path segment. Deliberately narrow: every name that model hubs
 * publish fits, and nothing in it needs quoting for the shell, rclone's `--files-from-raw`,
 * `sha256sum` lines, YAML keys in quotes, or Terraform's template syntax (`${`, `%{`).
 */
const SEGMENT = /^[A-Za-z0-9._+=@,~-]+$/;

/** Most bytes of a canonical manifest: it is held by a ConfigMap (1 MiB), with room for metadata. */
export const MAX_MANIFEST_BYTES = 900 * 1024;

/** Longest path accepted (bytes); Linux PATH_MAX is 4096 and the volume adds a prefix. */
export const MAX_MANIFEST_PATH_LENGTH = 1024;
/** Longest segment accepted (NAME_MAX on Linux). */
const MAX_SEGMENT_LENGTH = 255;

/**
 * Why `path` cannot be a manifest entry, or undefined when it can. The path must be relative, in
 * POSIX form, stay inside the model directory and use only the characters above.
 */
export function manifestPathProblem(path: string): string | undefined {
  const allowed =
    "use a relative POSIX path of letters, digits and . _ + = @ , ~ - separated by '/', without '.' or '..' segments";
  if (path.length === 0) return `the path is empty: ${allowed}`;
  if (path.length > MAX_MANIFEST_PATH_LENGTH) {
    return `the path is ${path.length} characters long; at most ${MAX_MANIFEST_PATH_LENGTH} are allowed`;
  }
  if (path.startsWith('/')) return `"${path}" is absolute: ${allowed}`;
  if (path.includes('\\')) return `"${path}" contains a backslash: ${allowed}`;
  const segments = path.split('/');
  for (const s of segments) {
    if (s === '..') return `"${path}" escapes the model directory with '..': ${allowed}`;
    if (s === '.' || s === '') return `"${path}" has an empty or '.' segment: ${allowed}`;
    if (s.length > MAX_SEGMENT_LENGTH) return `"${path}" has a segment longer than ${MAX_SEGMENT_LENGTH}`;
    if (!SEGMENT.test(s))
      return `"${JSON.stringify(path).slice(1, -1)}" has characters not allowed: ${allowed}`;
  }
  return undefined;
}

/**
 * Every problem with a manifest, each naming the prop path (`<propPath>.<file>`): an empty
 * manifest, paths that escape or are not plain, digests that are not lower-case 64-hex, and a path
 * that is both a file and the directory of another file.
 */
export function checkManifest(propPath: string, files: WeightsManifestFiles | undefined): Problem[] {
  const out: Problem[] = [];
  const entries = files === undefined || files === null ? [] : Object.entries(files);
  if (entries.length === 0) {
    out.push({
      path: propPath,
      message:
        'the manifest is empty: list every file of the model with its SHA-256 (run `sovereign weights manifest <dir>`)',
    });
    return out;
  }
  const paths = new Set(entries.map(([p]) => p));
  for (const [path, digest] of entries) {
    const where = `${propPath}.${path}`;
    const pathProblem = manifestPathProblem(path);
    if (pathProblem) out.push({ path: where, message: pathProblem });
    if (typeof digest !== 'string' || !SHA256_HEX.test(digest)) {
      out.push({
        path: where,
        message: `"${String(digest)}" is not a SHA-256: use 64 lower-case hex digits`,
      });
    }
    if (!pathProblem) {
      const segments = path.split('/');
      for (let i = 1; i < segments.length; i++) {
        const dir = segments.slice(0, i).join('/');
        if (paths.has(dir)) {
          out.push({
            path: `${propPath}.${dir}`,
            message: `"${dir}" is listed as a file but is also the directory of "${path}"`,
          });
        }
      }
    }
  }
  return out;
}

/** Paths in canonical order: byte order of their UTF-8 form (the paths are ASCII). */
export function sortedManifestPaths(files: WeightsManifestFiles): string[] {
  return Object.keys(files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The canonical text: `sha256sum` lines sorted by path. See the file comment. */
export function canonicalManifest(files: WeightsManifestFiles): string {
  return sortedManifestPaths(files)
    .map((p) => `${files[p]}  ${p}\n`)
    .join('');
}

/** SHA-256 (hex) of the canonical text: the manifest digest. */
export function manifestSha256(files: WeightsManifestFiles): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(canonicalManifest(files), 'utf8').digest('hex');
}
