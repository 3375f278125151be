/**
 * The SHA-256 a report records for the approved spec. A spec file: the SHA-256 of its bytes. A
 * spec directory: the SHA-256 of the `sha256sum` listing of the spec files it reads (`*.yaml`,
 * `*.yml` directly in it, not hidden, in byte order of their names), so an auditor can recompute
 * it with `cd dir && sha256sum $(ls | grep -E '\.ya?ml$' | grep -v '^\.' | LC_ALL=C sort) | sha256sum`.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function specDigest(spec: string): string {
  if (!fs.statSync(spec).isDirectory()) return sha256(fs.readFileSync(spec));
  const names = fs
    .readdirSync(spec)
    .filter((n) => !n.startsWith('.') && /\.ya?ml$/.test(n))
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0));
  return sha256(names.map((n) => `${sha256(fs.readFileSync(path.join(spec, n)))}  ${n}\n`).join(''));
}
