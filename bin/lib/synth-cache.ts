/**
 * The synth cache: each jurisdiction's synthesized stacks, kept beside the output so that a
 * run after one jurisdiction changed re-synthesizes that one only (docs/performance.md).
 *
 * Where: `.<out>.cache/` beside the output directory, next to the lock and journal of the
 * swap (bin/lib/output-dir.ts), never inside the output, which the swap replaces. It is the
 * tool's own: it holds `CACHEDIR.TAG` (the cache-directory signature backup tools skip, with
 * our name) and one `<jurisdiction>.json` per jurisdiction. A directory of that name without
 * our tag is not ours: it is neither read nor written (the run synthesizes everything).
 * Deleting it is always safe. Entries are written to a temporary file and renamed.
 *
 * An entry is used only when its key matches. The key is a SHA-256 over: the cache format,
 * the toolkit version, a digest of the toolkit's own compiled code (the construct, stack, core
 * and policy code and the engine flag tables in it), the versions of cdktf and the provider bindings,
 * the jurisdiction's resolved spec (its own fields with `defaults` merged in, after
 * validation), the content of every file it reads (the API server's CA), where the output
 * lies relative to the project (paths in the stacks depend on it) and the debug switch.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { homedir } from 'os';
import * as path from 'path';
import type { SovereignSpec } from '../../stacks/spec/schema';
import { TOOLKIT_VERSION } from '../../core/version';
import type { PartSummary } from './synth-parallel';
import type { JudgedStack } from './synth-judge';

const FORMAT = 'sovereign-synth cache 1';
const TAG =
  'Signature: 8a477f597d28d172789f06886806bc55\n# sovereign-synth cache: synthesized stacks, safe to delete (docs/performance.md)\n';

export interface CacheEntry {
  readonly key: string;
  readonly summary: PartSummary;
  /** manifest.json entries of the jurisdiction's stacks. */
  readonly manifest: Record<string, unknown>;
  /** Files of its stacks by path relative to the output (`stacks/<stack>/…`), as text. */
  readonly files: Record<string, string>;
  /**
   * The gate's verdict on each of its stacks, by stack name: used only while the stack's bytes
   * have the digest it names and its key matches (bin/lib/synth-judge.ts verdictKey).
   */
  readonly verdicts?: Record<string, CachedVerdict>;
}

export interface CachedVerdict extends Omit<JudgedStack, 'name'> {
  readonly key: string;
}

export function cacheDir(outdir: string): string {
  const out = path.resolve(outdir);
  return path.join(path.dirname(out), `.${path.basename(out)}.cache`);
}

/** Whether the cache directory is ours (absent counts: it will be created with our tag). */
function usable(dir: string): boolean {
  try {
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
  } catch {
    return true;
  }
  try {
    return fs.readFileSync(path.join(dir, 'CACHEDIR.TAG'), 'utf8') === TAG;
  } catch {
    return false;
  }
}

let codeDigestMemo: string | undefined;

/** SHA-256 over the toolkit's compiled construct, stack, shared (core) and policy code and its dependencies' versions. */
export function codeDigest(): string {
  if (codeDigestMemo !== undefined) return codeDigestMemo;
  const h = createHash('sha256').update(`${FORMAT}\0${TOOLKIT_VERSION}\0`);
  const root = path.join(__dirname, '..', '..');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') || e.name.endsWith('.json'))
        h.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p));
    }
  };
  for (const d of [
    'constructs',
    'core',
    'stacks',
    'policy',
    path.join('bin', 'lib', 'synth-parallel.js'),
    path.join('bin', 'lib', 'synth-judge.js'),
  ]) {
    const p = path.join(root, d);
    if (fs.existsSync(p)) {
      if (fs.statSync(p).isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  }
  for (const pkg of ['cdktf', '@cdktf/provider-kubernetes', '@cdktf/provider-helm', 'constructs']) {
    try {
      const v = (
        JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }
      ).version;
      h.update(`${pkg}@${v}\0`);
    } catch {
      h.update(`${pkg}@?\0`);
    }
  }
  return (codeDigestMemo = h.digest('hex'));
}

/** The key of one jurisdiction (see the file comment). */
export function jurisdictionKey(
  name: string,
  j: SovereignSpec['jurisdictions'][string],
  where: { projectFromStack: (stack: string) => string; debug: boolean },
): string {
  const h = createHash('sha256').update(`${codeDigest()}\0${name}\0${JSON.stringify(j)}\0`);
  h.update(
    `${where.projectFromStack(name)}\0${where.projectFromStack(`${name}-provision`)}\0${where.debug}\0`,
  );
  const ca = j.cluster.api?.caCertificateFile;
  if (ca !== undefined) {
    const file = ca === '~' || ca.startsWith('~/') ? path.join(homedir(), ca.slice(1)) : ca;
    try {
      h.update(fs.readFileSync(file));
    } catch {
      h.update('\0unreadable');
    }
  }
  return h.digest('hex');
}

/**
 * Whether an entry only writes its own stacks' folders: each file under `stacks/<stack>/` of a
 * stack the summary names, no `.`/`..` or empty segment, a `cdk.tf.json` for every stack, the
 * manifest naming exactly those stacks. Anything else (a damaged or hand-made entry) is not
 * used: the jurisdiction is synthesized again.
 */
function wellFormed(e: CacheEntry): boolean {
  const order = e.summary?.order;
  if (!Array.isArray(order) || order.length === 0 || !order.includes(e.summary.name)) return false;
  if (
    typeof e.files !== 'object' ||
    e.files === null ||
    typeof e.manifest !== 'object' ||
    e.manifest === null
  )
    return false;
  const stacks = new Set(order);
  if (order.some((s) => typeof s !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(s))) return false;
  for (const [rel, text] of Object.entries(e.files)) {
    const seg = rel.split('/');
    if (typeof text !== 'string' || seg.length < 3 || seg[0] !== 'stacks' || !stacks.has(seg[1]))
      return false;
    if (seg.some((x) => x === '' || x === '.' || x === '..' || x.includes('\\'))) return false;
  }
  if (order.some((s) => typeof e.files[`stacks/${s}/cdk.tf.json`] !== 'string')) return false;
  const listed = Object.keys(e.manifest).sort();
  return listed.length === order.length && [...order].sort().every((s, i) => listed[i] === s);
}

export class SynthCache {
  private readonly ok: boolean;
  constructor(private readonly dir: string) {
    this.ok = usable(dir);
  }

  /** Whether the cache can be used; when not, `why` says so. */
  get usable(): boolean {
    return this.ok;
  }

  get(name: string, key: string): CacheEntry | undefined {
    if (!this.ok) return undefined;
    try {
      const e = JSON.parse(fs.readFileSync(path.join(this.dir, `${name}.json`), 'utf8')) as CacheEntry & {
        format?: string;
      };
      return e.format === FORMAT && e.key === key && e.summary?.name === name && wellFormed(e)
        ? e
        : undefined;
    } catch {
      return undefined;
    }
  }

  put(entry: CacheEntry): void {
    if (!this.ok) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const tag = path.join(this.dir, 'CACHEDIR.TAG');
      if (!fs.existsSync(tag)) fs.writeFileSync(tag, TAG);
      const file = path.join(this.dir, `${entry.summary.name}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, ...entry }));
      fs.renameSync(tmp, file);
    } catch {
      // A cache that cannot be written costs the next run time, never correctness.
    }
  }
}
