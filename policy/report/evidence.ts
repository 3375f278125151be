/**
 * Writes the evidence bundle of one audit: the audited directory's files (as hashed in the
 * report), every report format, the plan JSON when given, the manifest and its signature.
 * The archive is written to a temporary file beside the target and renamed into place, so a
 * failure never leaves a half-written bundle; an existing file is replaced only if it is a
 * bundle itself.
 */
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { inputInvalid, usageError } from '../../core/errors';
import { buildBundle, ed25519Key, MANIFEST, untar, type Entry } from './bundle';
import type { AuditReport } from './model';

/** The file name of each report format inside the bundle. */
export const REPORT_NAMES: Readonly<Record<string, string>> = {
  text: 'reports/audit.txt',
  markdown: 'reports/audit.md',
  json: 'reports/audit.json',
  cyclonedx: 'reports/audit.cdx.json',
  html: 'reports/audit.html',
};

export interface EvidenceOptions {
  /** The audited directory, as the user named it. */
  readonly dir: string;
  readonly report: AuditReport;
  /** Rendered reports by format. */
  readonly reports: Readonly<Record<string, string>>;
  /** The plan JSON file, when one was audited. */
  readonly plan?: string;
  /** An Ed25519 private key (PEM) to sign the manifest with. */
  readonly signKey?: string;
}

function readKey(file: string) {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (e) {
    throw inputInvalid(file, `cannot read the signing key (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return ed25519Key(pem, 'private');
  } catch (e) {
    throw inputInvalid(
      file,
      `not a usable signing key: ${(e as Error).message.split('\n')[0]}; give an Ed25519 private key in PEM (openssl genpkey -algorithm ed25519)`,
    );
  }
}

/** Checks the options before any work: a signing key needs a bundle, and must be Ed25519. */
export function checkEvidenceOptions(bundle: string | undefined, signKey: string | undefined): void {
  if (signKey !== undefined && bundle === undefined)
    throw usageError('--sign-key signs the evidence bundle: give --bundle <file.tar> too');
  if (signKey !== undefined) readKey(signKey);
}

export function writeEvidenceBundle(target: string, o: EvidenceOptions): void {
  const key = o.signKey !== undefined ? readKey(o.signKey) : undefined;
  const entries: Entry[] = [];
  for (const f of o.report.files) {
    const data = readFileSync(join(o.dir, f.path));
    if (createHash('sha256').update(data).digest('hex') !== f.sha256)
      throw inputInvalid(join(o.dir, f.path), 'changed while it was audited: audit again');
    entries.push({ name: `synthesized/${f.path}`, data });
  }
  for (const [format, text] of Object.entries(o.reports))
    entries.push({ name: REPORT_NAMES[format] ?? `reports/audit.${format}`, data: Buffer.from(text) });
  if (o.plan !== undefined) entries.push({ name: `plan/${basename(o.plan)}`, data: readFileSync(o.plan) });
  const mtime = Math.floor(Date.parse(o.report.generatedAt) / 1000);
  let tarball: Buffer;
  try {
    tarball = buildBundle(entries, { mtime: Number.isFinite(mtime) ? mtime : 0, signKey: key });
  } catch (e) {
    throw inputInvalid(o.dir, `cannot be bundled: ${(e as Error).message}`);
  }
  if (existsSync(target)) {
    let ours = false;
    try {
      ours = statSync(target).isFile() && untar(readFileSync(target)).some((e) => e.name === MANIFEST);
    } catch {
      ours = false;
    }
    if (!ours) throw inputInvalid(target, 'exists and is not an evidence bundle: refusing to overwrite it');
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, tarball);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw inputInvalid(target, `cannot write the bundle (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
