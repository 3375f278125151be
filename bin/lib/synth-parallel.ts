/**
 * Synthesizes a set of jurisdictions, in this process or split over worker threads.
 *
 * Jurisdictions never reference each other (the gate refuses a reference to an address a
 * stack does not define, SOV-013), so each worker builds a cdktf App of its own with a
 * contiguous slice of the jurisdictions in name order and synthesizes it into a directory of
 * its own (`<staged>/.part-N`). bin/lib/synthesize.ts then moves every stack folder into place
 * and writes one manifest.json from the parts' entries with cdktf's own serializer, so the
 * output is byte for byte that of one App (test/bin/synth-parallel.test.ts compares them).
 * A worker gets the validated spec as data and does not parse it again; a construct that
 * refuses its props is located by the main thread, which holds the parsed document.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { isSovereignError, SovereignError, specInvalid, type Problem } from '../../core/errors';
import type { loadSpec } from '../../stacks/spec/load';
import type { SovereignSpec } from '../../stacks/spec/schema';
import { TOOLKIT_VERSION } from '../../core/version';
import { compileCacheInUse, enableCompileCache } from './compile-cache';
import { judgeWritten, type JudgeOptions, type JudgedStack } from './synth-judge';

export interface PartSummary {
  readonly name: string;
  readonly profile: string;
  readonly models: number;
  readonly gpus: number;
  /** Stacks of the jurisdiction in apply order. */
  readonly order: string[];
}

export interface Part {
  readonly dir: string;
  readonly jurisdictions: readonly PartSummary[];
  /** manifest.json of the part, as cdktf wrote it (parsed). */
  readonly manifest: { stacks: Record<string, unknown> } & Record<string, unknown>;
  /** The gate's verdict on each stack of the part as written, when it was asked to judge. */
  readonly verdicts?: readonly JudgedStack[];
}

interface PartRequest {
  readonly kind: 'sovereign-synth-part';
  /** The spec file (for messages) and its validated content: a worker does not read it again. */
  readonly file: string;
  readonly spec: SovereignSpec;
  readonly only: readonly string[];
  readonly dir: string;
  readonly finalOutdir: string;
  readonly debug: boolean;
  /** Judge the stacks written, with these options (bin/lib/synth-judge.ts). */
  readonly judge?: JudgeOptions;
  /** The code cache the main thread compiles through, for the worker's own loader (`workerCache`). */
  readonly compileCache?: string;
}

type PartReply =
  | { ok: true; part: Part }
  | {
      ok: false;
      sovereign?: { code: string; summary: string; problems: Problem[] };
      /** Spec paths the problems were found at, by their dotted form (located by the main thread). */
      paths?: Record<string, (string | number)[]>;
      fatal?: string;
    };

/**
 * Synthesizes `only` into `dir` in this thread (cdktf is loaded here); with `judge`, then runs
 * the policy gate over each stack as written, after the construct tree and cdktf's token map
 * are released.
 */
export async function synthesizePart(
  spec: ReturnType<typeof loadSpec>,
  only: readonly string[],
  dir: string,
  finalOutdir: string,
  debug: boolean,
  judge?: JudgeOptions,
): Promise<Part> {
  const { installSynthPatches, releaseCdktfTokens } = await import('../../stacks/cdktf-seam');
  const patches = installSynthPatches(debug);
  let jurisdictions: PartSummary[];
  try {
    jurisdictions = await synthesizeApp(spec, only, dir, finalOutdir, patches.tracesOff);
    releaseCdktfTokens(patches.tracesOff);
  } finally {
    patches.restore();
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Part['manifest'];
  if (judge === undefined) return { dir, jurisdictions, manifest };
  const policy = await import('../../policy/judge');
  const verdicts = judgeWritten(
    dir,
    jurisdictions.flatMap((j) => j.order),
    judge,
    policy,
  );
  return { dir, jurisdictions, manifest, verdicts };
}

/**
 * Builds the App of `only` (every jurisdiction when absent) and synthesizes it into `dir`; in a
 * function of its own, so once it returns nothing holds the construct tree. The one place a
 * worker, one job and `audit --spec` synthesize through.
 */
export async function synthesizeApp(
  loaded: ReturnType<typeof loadSpec>,
  only: readonly string[] | undefined,
  dir: string,
  finalOutdir: string,
  fast: boolean,
): Promise<PartSummary[]> {
  const { buildApp } = await import('../../stacks/app');
  const { JurisdictionStack } = await import('../../stacks/jurisdiction-stack');
  const { app, stacks, provisionStacks } = buildApp(loaded, {
    outdir: dir,
    finalOutdir,
    toolkitVersion: TOOLKIT_VERSION,
    only,
  });
  // The gate checks references between stacks in the files (SOV-013); cdktf's own pass for
  // them runs only when debugging.
  JurisdictionStack.findCrossStackReferences = !fast;
  try {
    app.synth();
  } finally {
    JurisdictionStack.findCrossStackReferences = true;
  }
  return summariesOf(stacks, provisionStacks);
}

type Built = ReturnType<(typeof import('../../stacks/app'))['buildApp']>;

/**
 * What the summary line of each jurisdiction says: its models (single-node servers and
 * multi-node groups) and the GPUs they request, and its stacks in apply order.
 */
export function summariesOf(
  stacks: Built['stacks'],
  provisionStacks: Built['provisionStacks'],
): PartSummary[] {
  return stacks.map((s) => {
    const served = [...Object.values(s.servers), ...Object.values(s.groups)];
    return {
      name: s.jurisdiction,
      profile: s.profile.id,
      models: served.length,
      gpus: served.reduce((n, srv) => n + srv.gpusPerReplica * srv.replicas, 0),
      order: [
        ...provisionStacks.filter((p) => p.jurisdiction === s.jurisdiction).map((p) => p.node.id),
        s.jurisdiction,
      ],
    };
  });
}

/** Splits names (in order) into `n` contiguous slices of nearly equal size. */
export function slices<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  const k = Math.max(1, Math.min(n, items.length));
  for (let i = 0; i < k; i++) {
    const a = Math.floor((i * items.length) / k);
    const b = Math.floor(((i + 1) * items.length) / k);
    if (b > a) out.push(items.slice(a, b));
  }
  return out;
}

/**
 * Synthesizes the slices in parallel, one worker thread each, into `<parent>/.part-N`. A bad
 * construct prop found by several workers is reported as one error with every problem, in the
 * order one App would report them.
 */
export async function synthesizeInWorkers(
  loaded: ReturnType<typeof loadSpec>,
  groups: readonly (readonly string[])[],
  parent: string,
  finalOutdir: string,
  debug: boolean,
  judge?: JudgeOptions,
  started?: StartedWorkers,
): Promise<Part[]> {
  const pending = groups.map(
    (only, i) =>
      new Promise<PartReply>((resolve) => {
        const request: PartRequest = {
          kind: 'sovereign-synth-part',
          file: loaded.file,
          // Only the worker's own jurisdictions cross the thread boundary.
          spec: {
            ...loaded.spec,
            jurisdictions: Object.fromEntries(only.map((n) => [n, loaded.spec.jurisdictions[n]])),
          },
          only,
          dir: path.join(parent, `.part-${i}`),
          finalOutdir,
          debug,
          judge,
          compileCache: compileCacheInUse(),
        };
        const warm = started?.take();
        const w = warm ?? new Worker(__filename, { workerData: request });
        let reply: PartReply | undefined;
        w.once('message', (m: PartReply) => (reply = m));
        w.once('error', (e) => (reply ??= { ok: false, fatal: e.stack ?? String(e) }));
        w.once('exit', (code) =>
          resolve(reply ?? { ok: false, fatal: `synthesis worker exited with code ${code} and no result` }),
        );
        warm?.postMessage(request);
      }),
  );
  // Workers started early beyond the slices are not needed.
  started?.close();
  const replies = await Promise.all(pending);
  const problems: Problem[] = [];
  for (const r of replies) {
    if (r.ok) continue;
    if (r.sovereign?.code === 'SPEC_INVALID') {
      for (const p of r.sovereign.problems) {
        const at = r.paths?.[p.path];
        const pos = at === undefined ? undefined : loaded.locate(at);
        // A spec split across files: the position names the file the field is in.
        problems.push(
          pos === undefined ? p : { ...p, file: pos.file ?? p.file, line: pos.line, col: pos.col },
        );
      }
    } else if (r.sovereign)
      throw SovereignError.create(r.sovereign.code as never, r.sovereign.summary, r.sovereign.problems);
    else throw new Error(r.fatal);
  }
  if (problems.length > 0) throw specInvalid(loaded.file, problems);
  return replies.map((r) => (r as { part: Part }).part);
}

/** Workers started before the spec is read (`startWorkers`). */
export interface StartedWorkers {
  /** A worker still alive and waiting for its part, if one is left. */
  take(): Worker | undefined;
  /** Ends every worker not taken. */
  close(): void;
}

interface WarmRequest {
  readonly kind: 'sovereign-synth-warm';
  readonly debug: boolean;
  readonly compileCache?: string;
}

/**
 * Starts `n` workers that load cdktf, the bindings and the policy while the main thread reads
 * and validates the spec (a core is otherwise idle then), and wait for their part. Those not
 * taken are ended by `close`, which the caller runs whatever happens.
 */
export function startWorkers(n: number, debug: boolean): StartedWorkers {
  const pool = Array.from({ length: n }, () => {
    const data: WarmRequest = { kind: 'sovereign-synth-warm', debug, compileCache: compileCacheInUse() };
    const slot = { w: new Worker(__filename, { workerData: data }), dead: false };
    slot.w.on('error', () => (slot.dead = true));
    slot.w.once('exit', () => (slot.dead = true));
    return slot;
  });
  return {
    take: () => {
      while (pool.length > 0) {
        const slot = pool.shift()!;
        if (!slot.dead) return slot.w;
      }
      return undefined;
    },
    close: () => {
      for (const slot of pool.splice(0)) void slot.w.terminate();
    },
  };
}

/** In a worker: synthesize the slice given, reply once; the thread then ends. */
function runPart(req: PartRequest): void {
  // Positions are found by the main thread, which holds the parsed document.
  const paths: Record<string, (string | number)[]> = {};
  const loaded = {
    file: req.file,
    spec: req.spec,
    locate: (p: readonly (string | number)[]) => {
      paths[p.join('.')] = [...p];
      return undefined;
    },
  };
  void (async () => {
    let reply: PartReply;
    try {
      reply = {
        ok: true,
        part: await synthesizePart(loaded, req.only, req.dir, req.finalOutdir, req.debug, req.judge),
      };
    } catch (e) {
      reply = isSovereignError(e)
        ? {
            ok: false,
            sovereign: { code: e.code, summary: e.message.split('\n')[0], problems: [...e.problems] },
            paths,
          }
        : { ok: false, fatal: (e as Error).stack ?? String(e) };
    }
    parentPort?.postMessage(reply);
  })();
}

/**
 * A worker thread has a module loader of its own: without this, each worker compiles cdktf, the
 * provider bindings (13 MB of source) and the policy from source again on every run. Turned on
 * with the main thread's cache directory, before the worker loads anything large, in a pack of
 * its own (`synth-worker`: what a worker loads is not what the main thread loads). Workers that
 * end together write the same pack by write-and-rename: the last one's is kept, whole.
 */
function workerCache(dir: string | undefined): void {
  if (dir !== undefined) enableCompileCache(dir, 'synth-worker');
}

if (!isMainThread && (workerData as PartRequest | undefined)?.kind === 'sovereign-synth-part') {
  workerCache((workerData as PartRequest).compileCache);
  runPart(workerData as PartRequest);
} else if (!isMainThread && (workerData as WarmRequest | undefined)?.kind === 'sovereign-synth-warm') {
  workerCache((workerData as WarmRequest).compileCache);
  // Loaded as synthesizePart loads them (the zip library deferred while cdktf loads); a failure
  // here shows again, as an error of the part, when the part runs.
  const ready = (async () => {
    const { installSynthPatches } = await import('../../stacks/cdktf-seam');
    const patches = installSynthPatches((workerData as WarmRequest).debug);
    try {
      await import('../../stacks/app');
      await import('../../stacks/jurisdiction-stack');
    } finally {
      patches.restore();
    }
    await import('../../policy/judge');
  })().catch(() => undefined);
  parentPort?.once('message', (req: PartRequest) => void ready.then(() => runPart(req)));
}
