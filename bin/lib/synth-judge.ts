/**
 * The policy gate one stack at a time, where the stack was written: a synthesis worker judges
 * the stacks it wrote, read back from its part directory byte for byte as they are moved into
 * the output (a rename), and returns plain verdicts; the main thread merges them
 * (policy mergeVerdicts) into exactly the decision, findings and exit code the gate over every
 * stack gives. No rule of the gate looks across stacks, so judging apart changes nothing.
 *
 * A verdict names the SHA-256 of the bytes it judged. The synth cache keeps each stack's
 * verdict beside its files under a key over those bytes, the toolkit's code (policy and rule
 * tables included, bin/lib/synth-cache.ts codeDigest), `--strict` and the day suppressions
 * are judged against; a stack taken from the cache is judged again unless the bytes written
 * now have exactly that digest and the key matches (docs/fleet.md says what that trusts).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding, Totals } from '../../policy/engine';
import { codeDigest } from './synth-cache';

const VERDICT_FORMAT = 'sovereign-synth verdict 1';

/** What a stack is judged with, the same for every stack of a run. */
export interface JudgeOptions {
  readonly strict?: boolean;
  /** `YYYY-MM-DD` suppression expiry is judged against. */
  readonly today: string;
}

/** One stack's verdict, with what the summary and the cache need. */
export interface JudgedStack {
  readonly name: string;
  readonly totals: Totals;
  readonly findings: readonly Finding[];
  /** Resources in the stack (the summary line counts them). */
  readonly resources: number;
  /** SHA-256 (hex) of the exact bytes of `stacks/<name>/cdk.tf.json` that were judged. */
  readonly sha256: string;
}

export const stackFile = (name: string): string => `stacks/${name}/cdk.tf.json`;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Resources in a stack's JSON. */
export function resourceCount(json: unknown): number {
  return Object.values((json as { resource?: Record<string, object> }).resource ?? {}).reduce(
    (n, byId) => n + Object.keys(byId).length,
    0,
  );
}

/** Judges each named stack as written under `dir`, one at a time. */
export function judgeWritten(
  dir: string,
  names: readonly string[],
  opts: JudgeOptions,
  policy: Pick<typeof import('../../policy/judge'), 'judgeStack'>,
): JudgedStack[] {
  return names.map((name) => {
    const file = stackFile(name);
    const bytes = fs.readFileSync(path.join(dir, ...file.split('/')));
    const json: unknown = JSON.parse(bytes.toString('utf8'));
    const v = policy.judgeStack({ name, json, file }, { strict: opts.strict, today: opts.today });
    return { ...v, resources: resourceCount(json), sha256: sha256Hex(bytes) };
  });
}

/** The key a cached verdict must carry to stand for the stack bytes with this digest. */
export function verdictKey(sha256: string, opts: JudgeOptions): string {
  return sha256Hex(`${VERDICT_FORMAT}\0${codeDigest()}\0${opts.strict === true}\0${opts.today}\0${sha256}`);
}

const TOTALS = ['passed', 'failed', 'suppressed', 'unknown', 'notApplicable', 'errors', 'warnings'] as const;
const FINDING = [
  'stack',
  'rule',
  'title',
  'severity',
  'level',
  'address',
  'path',
  'message',
  'fix',
  'status',
];

/** Whether a cached verdict has the shape the gate merges (a damaged entry is judged again). */
export function verdictShaped(v: unknown, stack: string): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const t = r.totals as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null || !TOTALS.every((k) => Number.isInteger(t[k]))) return false;
  if (!Number.isInteger(r.resources) || typeof r.sha256 !== 'string' || typeof r.key !== 'string')
    return false;
  return (
    Array.isArray(r.findings) &&
    r.findings.every(
      (f: unknown) =>
        typeof f === 'object' &&
        f !== null &&
        FINDING.every((k) => typeof (f as Record<string, unknown>)[k] === 'string') &&
        (f as { stack: string }).stack === stack,
    )
  );
}
