/**
 * Spec → stacks → policy gate, shared by `sovereign synth` and the cdktf app entry.
 *
 * Both synthesize into a fresh sibling directory and swap it in (bin/lib/output-dir.ts) only
 * when synthesis and the gate succeed, so a failed or refused run never leaves a half-written
 * or a violating output behind: the previous output stays as it was, and a refused stack is
 * never written under the output directory, where `tofu` could apply it. The output
 * directory is replaced only when it is ours (docs/output-safety.md).
 */
import * as path from 'path';
import { loadSpec } from '../../stacks/spec/load';
import { availableParallelism } from 'os';
import * as fs from 'fs';
import {
  slices,
  startWorkers,
  synthesizeInWorkers,
  synthesizePart,
  type Part,
  type StartedWorkers,
} from './synth-parallel';
import { stageOutput } from './output-dir';
import { ioFailure, isErrnoError } from './io-error';
import { runGate, summarize } from './synth-gate';
import { assemble, relocatedFiles } from './synth-output';
import { planRun } from './synth-plan';
import { todayUtc } from '../../policy/suppressions';
import { cacheDir, type CacheEntry, type CachedVerdict } from './synth-cache';
import { verdictKey, type JudgeOptions, type JudgedStack } from './synth-judge';

export { synthesizeToMemory } from './synth-in-process';

export interface SynthesizeOptions {
  readonly spec: string;
  /** Output directory as the user named it. */
  readonly outdir: string;
  /** Unknown policy results fail for every stack. @default per profile */
  readonly strict?: boolean;
  /** Also write the Markdown audit report here. */
  readonly report?: string;
  /** `YYYY-MM-DD` suppression expiry is judged against. @default today (UTC) */
  readonly today?: string;
  /**
   * Keep cdktf's per-token stack traces, which only explain a token error and cost about a
   * third of synth time (stacks/cdktf-seam.ts). @default false, unless
   * SOVEREIGN_CDKTF_STACK_TRACES=1
   */
  readonly debug?: boolean;
  /**
   * Jurisdictions synthesized at once, each slice in a worker thread.
   * @default the available cores, capped by the jurisdictions to synthesize
   */
  readonly jobs?: number;
  /**
   * Re-synthesize these jurisdictions only; every other one is taken from the cache and must
   * be up to date there (else exit 2, naming them). @default every jurisdiction not cached
   */
  readonly only?: readonly string[];
  /** Use and fill the synth cache (bin/lib/synth-cache.ts). @default true */
  readonly cache?: boolean;
  /**
   * Start the worker threads before reading the spec. @default when the spec is a directory or
   * at least PRESTART_BYTES, several jobs may run, and neither `--only` nor a filled cache
   * suggests few jurisdictions to synthesize
   */
  readonly prestart?: boolean;
}

/** Below this many jurisdictions to synthesize, one worker's start-up (loading cdktf) outweighs the split. */
export const MIN_PARALLEL = 4;

export interface JurisdictionSummary {
  readonly name: string;
  readonly profile: string;
  readonly resources: number;
  readonly models: number;
  readonly gpus: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
  readonly unknown: number;
  /**
   * The stacks of the jurisdiction in apply order (`<name>-provision` first when Cluster API
   * builds its cluster); destroy runs in reverse. @default [name]
   */
  readonly order?: readonly string[];
}

export interface SynthesizeResult {
  readonly exitCode: number;
  readonly outdir: string;
  readonly report?: string;
  readonly jurisdictions: readonly JurisdictionSummary[];
  /** Findings as terminal lines (errors, warnings, unknowns; suppressed ones are in the report). */
  readonly findings: string;
  /** Things the user should know that are not findings (stderr). */
  readonly notices: readonly string[];
}

/** A cache entry carrying the verdict on each of its stacks, keyed to the bytes judged. */
function withVerdicts(
  e: CacheEntry,
  verdicts: ReadonlyMap<string, JudgedStack>,
  judge: JudgeOptions,
): CacheEntry {
  const out: Record<string, CachedVerdict> = {};
  for (const stack of e.summary.order) {
    const v = verdicts.get(stack);
    if (v === undefined) return { ...e, verdicts: undefined };
    const { name: _name, ...rest } = v;
    out[stack] = { ...rest, key: verdictKey(v.sha256, judge) };
  }
  return { ...e, verdicts: out };
}

/** Specs from this size on (or a directory) start their workers before they are read. */
export const PRESTART_BYTES = 64 * 1024;

/**
 * How many workers to start before reading the spec: a run that will likely split a large
 * spec over worker threads (several cores, no `--only`, no filled cache beside the output)
 * starts them at once, so they load cdktf while this thread reads the spec; else none.
 */
function workersToStart(opts: SynthesizeOptions): number {
  const jobs = opts.jobs ?? availableParallelism();
  if (opts.prestart !== undefined) return opts.prestart && jobs >= 2 ? jobs : 0;
  if (jobs < 2 || opts.only !== undefined) return 0;
  try {
    const st = fs.statSync(opts.spec);
    if (!st.isDirectory() && st.size < PRESTART_BYTES) return 0;
    if (opts.cache !== false && fs.readdirSync(cacheDir(opts.outdir)).some((f) => f.endsWith('.json')))
      return 0;
  } catch (e) {
    // No cache directory yet: a full run. A spec that cannot be read is reported by loadSpec.
    if (!(isErrnoError(e) && e.code === 'ENOENT' && e.path === cacheDir(opts.outdir))) return 0;
  }
  return jobs;
}

export async function synthesize(opts: SynthesizeOptions): Promise<SynthesizeResult> {
  const debug = opts.debug === true || process.env.SOVEREIGN_CDKTF_STACK_TRACES === '1';
  const n = workersToStart(opts);
  const started = n > 0 ? startWorkers(n, debug) : undefined;
  try {
    return await synthesizeWith(opts, debug, started);
  } finally {
    started?.close();
  }
}

async function synthesizeWith(
  opts: SynthesizeOptions,
  debug: boolean,
  started: StartedWorkers | undefined,
): Promise<SynthesizeResult> {
  let loaded: ReturnType<typeof loadSpec> | undefined = loadSpec(opts.spec);
  // cdktf and the bindings are loaded only now in this thread (workers started early load
  // them in theirs), so a bad spec never pays for them here. What synth changes in cdktf (its
  // zip library deferred, token stack traces off) is undone in `finally`.
  const out = path.resolve(opts.outdir);
  const staged = stageOutput(opts.outdir, opts.outdir);
  const target = staged.dir;
  try {
    const { outputInsideProject, projectFromStack } = await import('../../stacks/project-paths');
    // What judging needs only; the report's renderers load when a report is asked for (runGate).
    const policy = await import('../../policy/judge');
    const { formatTerminalFindings } = policy;

    const notices = outputInsideProject(opts.outdir) ? [] : relocatedFiles(loaded.spec, opts.outdir);
    const names = Object.keys(loaded.spec.jurisdictions).sort();
    const plan = planRun(loaded, names, opts, (stack) => projectFromStack(opts.outdir, stack), debug);

    // Each stack is judged where it was written, unless a report is asked for (the report
    // judges every stack at once). Every stack of a run is judged against the same day.
    const judge: JudgeOptions | undefined =
      opts.report === undefined ? { strict: opts.strict, today: opts.today ?? todayUtc() } : undefined;
    // The jurisdictions to synthesize now: in this thread when few, else in worker threads.
    const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), plan.todo.length));
    let parts: Part[];
    try {
      if (plan.todo.length === 0) parts = [];
      else if (jobs === 1 || (opts.jobs === undefined && plan.todo.length < MIN_PARALLEL)) {
        // Workers started early are not needed: ended now rather than left loading cdktf.
        started?.close();
        const spec = loaded;
        parts = [
          await synthesizePart(spec, plan.todo, path.join(target, '.part-0'), opts.outdir, debug, judge),
        ];
      } else {
        parts = await synthesizeInWorkers(
          loaded,
          slices(plan.todo, jobs),
          target,
          opts.outdir,
          debug,
          judge,
          started,
        );
      }
      started?.close();
    } catch (e) {
      // cdktf writes by descriptor: its errno errors name no path; the output directory it is.
      if (isErrnoError(e) && e.path === undefined) ioFailure(e, opts.outdir, 'write the output directory');
      throw e;
    }
    loaded = undefined;
    const assembled = assemble(target, names, parts, plan.cached, plan.cache, plan.keys, judge);
    const stacks = assembled.summaries;

    const { gate, report, resources, verdicts } = await runGate(
      target,
      out,
      opts,
      stacks,
      policy,
      assembled.verdicts,
      judge,
    );
    staged.commit();
    // Cached only once the output is committed: a failed or refused run leaves nothing new.
    // Each entry with its stacks' verdicts, under a key over their bytes (bin/lib/synth-judge.ts).
    for (const e of [...assembled.toCache, ...assembled.rejudged])
      plan.cache?.put(judge === undefined ? e : withVerdicts(e, verdicts, judge));
    return {
      exitCode: 0,
      outdir: opts.outdir,
      report,
      jurisdictions: summarize(stacks, gate, resources),
      findings: formatTerminalFindings(gate.findings),
      notices,
    };
  } finally {
    staged.release();
  }
}
