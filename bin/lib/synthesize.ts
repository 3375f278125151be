/**
 * Spec → stacks → policy gate, shared by `sovereign synth` and the cdktf app entry.
 *
 * Both synthesize into a fresh sibling directory and swap it in (bin/lib/output-dir.ts) only
 * when synthesis and the gate succeed, so a failed or refused run never leaves a half-written
 * or a violating output behind: the previous output stays as it was, and a refused stack is
 * never written under the output directory, where `tofu` could apply it. The output
 * directory is replaced only when it is ours (docs/output-safety.md).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadSpec } from '../../stacks/spec/load';
import { availableParallelism } from 'os';
import { inputInvalid } from '../../core/errors';
import { installSynthPatches, manifestText, releaseCdktfTokens } from '../../stacks/cdktf-seam';
import { cacheDir, jurisdictionKey, SynthCache, type CacheEntry } from './synth-cache';
import { slices, synthesizeInWorkers, synthesizePart, type Part, type PartSummary } from './synth-parallel';
import { didYouMean } from '../../core/suggest';
import { TOOLKIT_VERSION } from '../../core/version';
import { writeFileAtomic } from './atomic-write';
import { stageOutput } from './output-dir';
import { ioFailure, isErrnoError } from './io-error';
import type { Finding, StackInput, Totals } from '../../policy/engine';

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

export async function synthesize(opts: SynthesizeOptions): Promise<SynthesizeResult> {
  let loaded: ReturnType<typeof loadSpec> | undefined = loadSpec(opts.spec);
  // cdktf and the bindings are loaded only now, so a bad spec never pays for them. What synth
  // changes in cdktf (its zip library deferred, token stack traces off) is undone in `finally`.
  const out = path.resolve(opts.outdir);
  const staged = stageOutput(opts.outdir, opts.outdir);
  const target = staged.dir;
  try {
    const { outputInsideProject, projectFromStack } = await import('../../stacks/project-paths');
    const { enforce, enforceEach, formatTerminalFindings, loadDir, buildReport, renderMarkdown } =
      await import('../../policy');

    const notices = outputInsideProject(opts.outdir) ? [] : relocatedFiles(loaded.spec, opts.outdir);
    const names = Object.keys(loaded.spec.jurisdictions).sort();
    const debug = opts.debug === true || process.env.SOVEREIGN_CDKTF_STACK_TRACES === '1';
    const plan = planRun(loaded, names, opts, (stack) => projectFromStack(opts.outdir, stack), debug);

    // The jurisdictions to synthesize now: in this thread when few, else in worker threads.
    const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), plan.todo.length));
    let parts: Part[];
    try {
      if (plan.todo.length === 0) parts = [];
      else if (jobs === 1 || (opts.jobs === undefined && plan.todo.length < MIN_PARALLEL)) {
        const spec = loaded;
        parts = [await synthesizePart(spec, plan.todo, path.join(target, '.part-0'), opts.outdir, debug)];
      } else {
        parts = await synthesizeInWorkers(loaded, slices(plan.todo, jobs), target, opts.outdir, debug);
      }
    } catch (e) {
      // cdktf writes by descriptor: its errno errors name no path; the output directory it is.
      if (isErrnoError(e) && e.path === undefined) ioFailure(e, opts.outdir, 'write the output directory');
      throw e;
    }
    loaded = undefined;
    const { summaries: stacks, toCache } = assemble(target, names, parts, plan.cached, plan.cache, plan.keys);

    // The gate judges the files as written. With a report, every stack is read at once (the
    // report needs them all, and the files' digests); without, one stack at a time.
    let gate: { totals: (name: string) => Totals | undefined; findings: readonly Finding[] };
    const resources = new Map<string, number>();
    const count = (name: string, json: unknown) =>
      resources.set(
        name,
        Object.values((json as { resource?: Record<string, object> }).resource ?? {}).reduce(
          (n, byId) => n + Object.keys(byId).length,
          0,
        ),
      );
    let report: string | undefined;
    if (opts.report !== undefined) {
      const dir = loadDir(target, opts.outdir, { hashes: true });
      for (const st of dir.stacks) count(st.name, st.json);
      const ev = enforce(dir.stacks, { strict: opts.strict, today: opts.today });
      const rel = path.relative(out, path.resolve(opts.report));
      const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
      const text = renderMarkdown(buildReport(ev, { files: dir.files, spec: specIdentity(opts.spec) }));
      if (inside) writeFileAtomic(path.join(target, rel), text, opts.report);
      else writeFileAtomic(path.resolve(opts.report), text, opts.report);
      report = opts.report;
      gate = { totals: (n) => ev.stacks.find((r) => r.stack.name === n)?.totals, findings: ev.findings };
    } else {
      // A jurisdiction taken from the cache keeps its verdict when the gate's inputs are the
      // same: its files (the cache key covers them and the policy code), --strict and the day.
      const { todayUtc } = await import('../../policy/suppressions');
      const today = opts.today ?? todayUtc();
      const judged = new Map<string, NonNullable<CacheEntry['gate']>>();
      for (const [name, e] of plan.cached) {
        if (e.gate && e.gate.today === today && e.gate.strict === (opts.strict === true))
          judged.set(name, e.gate);
      }
      const fresh = stacks.filter((s) => !judged.has(s.name));
      const ev = enforceEach(
        readStacks(
          target,
          fresh.flatMap((s) => s.order),
          count,
        ),
        { strict: opts.strict, today },
      );
      const byStack = new Map<string, { totals: Totals; findings: Finding[]; resources: number }>();
      for (const r of ev.stacks)
        byStack.set(r.name, { totals: r.totals, findings: [], resources: resources.get(r.name) ?? 0 });
      for (const f of ev.findings) byStack.get(f.stack)?.findings.push(f);
      for (const g of judged.values()) {
        for (const st of g.stacks) {
          byStack.set(st.name, {
            totals: st.totals as Totals,
            findings: st.findings as Finding[],
            resources: st.resources,
          });
          resources.set(st.name, st.resources);
        }
      }
      for (const e of toCache) {
        e.gate = {
          today,
          strict: opts.strict === true,
          stacks: e.summary.order.map((name) => ({ name, ...byStack.get(name)! })),
        };
      }
      // In stack-name order, as the gate over every stack gives them.
      const names = [...byStack.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      gate = {
        totals: (n) => byStack.get(n)?.totals,
        findings: names.flatMap((n) => byStack.get(n)!.findings),
      };
    }
    staged.commit();
    // Cached only once the output is committed: a failed or refused run leaves nothing new.
    for (const e of toCache) plan.cache?.put(e);
    return {
      exitCode: 0,
      outdir: opts.outdir,
      report,
      jurisdictions: stacks.map((s) => {
        // The provisioning stack's findings count with its jurisdiction's.
        const ts = s.order.map((n) => gate.totals(n));
        const sum = (k: keyof Totals) => ts.reduce((n, t) => n + ((t?.[k] as number | undefined) ?? 0), 0);
        return {
          ...s,
          resources: s.order.reduce((n, name) => n + (resources.get(name) ?? 0), 0),
          errors: sum('errors'),
          warnings: sum('warnings'),
          suppressed: sum('suppressed'),
          unknown: sum('unknown'),
        };
      }),
      findings: formatTerminalFindings(gate.findings),
      notices,
    };
  } finally {
    staged.release();
  }
}

/**
 * Re-synthesizes a spec for `sovereign audit --spec`: the same code path as `sovereign synth`
 * (buildApp, App.synth()) with no policy gate, written as if into `finalOutdir` (paths relative
 * to the project come out the same). cdktf's App writes to a directory, so it writes into a
 * private temporary directory, which is read back into memory and removed before returning;
 * nothing is written where the user looks. Returns every file by path relative to the output.
 */
export async function synthesizeToMemory(spec: string, finalOutdir: string): Promise<Map<string, Buffer>> {
  const loaded = loadSpec(spec);
  const os = await import('os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-audit-spec-'));
  // Installed before the stacks load cdktf (the archiver is deferred at require time).
  const patches = installSynthPatches(false);
  try {
    const { buildApp } = await import('../../stacks/app');
    const { JurisdictionStack } = await import('../../stacks/jurisdiction-stack');
    synthesizeStacks(loaded, buildApp, tmp, finalOutdir, JurisdictionStack, patches.tracesOff);
    releaseCdktfTokens(patches.tracesOff);
    const files = new Map<string, Buffer>();
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (fs.statSync(p).isDirectory()) walk(p);
        else files.set(path.relative(tmp, p).split(path.sep).join('/'), fs.readFileSync(p));
      }
    };
    walk(tmp);
    return files;
  } finally {
    patches.restore();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

type BuildApp = (typeof import('../../stacks/app'))['buildApp'];
type JurisdictionStackClass = (typeof import('../../stacks/jurisdiction-stack'))['JurisdictionStack'];

/** Synthesizes every stack; returns what the summary needs and no reference to the tree. */
function synthesizeStacks(
  loaded: ReturnType<typeof loadSpec>,
  buildApp: BuildApp,
  target: string,
  finalOutdir: string,
  JurisdictionStack: JurisdictionStackClass,
  fast: boolean,
): { name: string; profile: string; models: number; gpus: number; order: string[] }[] {
  const { app, stacks, provisionStacks } = buildApp(loaded, {
    outdir: target,
    finalOutdir,
    toolkitVersion: TOOLKIT_VERSION,
  });
  // The gate checks references between stacks in the files (SOV-013); cdktf's own pass for
  // them runs only when debugging.
  JurisdictionStack.findCrossStackReferences = !fast;
  try {
    app.synth();
  } finally {
    JurisdictionStack.findCrossStackReferences = true;
  }
  return stacks.map((s) => ({
    name: s.jurisdiction,
    profile: s.profile.id,
    models: Object.keys(s.servers).length + Object.keys(s.groups).length,
    gpus: [...Object.values(s.servers), ...Object.values(s.groups)].reduce(
      (n, srv) => n + srv.gpusPerReplica * srv.replicas,
      0,
    ),
    order: [
      ...provisionStacks.filter((p) => p.jurisdiction === s.jurisdiction).map((p) => p.node.id),
      s.jurisdiction,
    ],
  }));
}

/** The synthesized stacks in cdktf's layout, read one at a time. */
function* readStacks(
  dir: string,
  names: readonly string[],
  seen: (name: string, json: unknown) => void,
): Generator<StackInput> {
  for (const name of names) {
    const file = `stacks/${name}/cdk.tf.json`;
    const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    seen(name, json);
    yield { name, json, file };
  }
}

/**
 * Files the spec names relative to the project, when the output lies outside it: they are
 * written for `cdktf.out/stacks/<name>` (an artifact holds no absolute path of this machine).
 */
function relocatedFiles(spec: ReturnType<typeof loadSpec>['spec'], outdir: string): string[] {
  const relative = (f: string | undefined) => f !== undefined && !f.startsWith('/') && !f.startsWith('~');
  const files: string[] = [];
  for (const [name, j] of Object.entries(spec.jurisdictions)) {
    if (j.backend.type === 'local') files.push(`${name} backend.path ${j.backend.path}`);
    if (relative(j.cluster.kubeconfig?.path))
      files.push(`${name} cluster.kubeconfig.path ${j.cluster.kubeconfig?.path}`);
    const mgmt = j.cluster.provision?.management.kubeconfig.path;
    if (relative(mgmt)) files.push(`${name} cluster.provision.management.kubeconfig.path ${mgmt}`);
    if (relative(j.cluster.api?.caCertificateFile)) {
      files.push(`${name} cluster.api.caCertificateFile ${j.cluster.api?.caCertificateFile}`);
    }
  }
  return files.length === 0
    ? []
    : [
        `${outdir} is outside the project: the files the spec names relative to the project (${files.join('; ')}) are written as seen from cdktf.out/stacks/<jurisdiction>. Run Terraform from there, synthesize inside the project, or give those paths as absolute or ~ paths.`,
      ];
}

/** The spec as the report names it (as given, or its base name when absolute) and its SHA-256. */
function specIdentity(spec: string): { path: string; sha256: string } | undefined {
  try {
    const sha256 = createHash('sha256').update(fs.readFileSync(spec)).digest('hex');
    return { path: path.isAbsolute(spec) ? path.basename(spec) : spec.split(path.sep).join('/'), sha256 };
  } catch {
    return undefined;
  }
}

interface RunPlan {
  /** Jurisdictions to synthesize now, in name order. */
  readonly todo: string[];
  /** Up-to-date cache entries of the others. */
  readonly cached: Map<string, CacheEntry>;
  readonly keys: Map<string, string>;
  readonly cache: SynthCache | undefined;
}

/** Which jurisdictions the cache already holds, and which to synthesize. */
function planRun(
  loaded: ReturnType<typeof loadSpec>,
  names: readonly string[],
  opts: SynthesizeOptions,
  projectFromStack: (stack: string) => string,
  debug: boolean,
): RunPlan {
  if (opts.only !== undefined) {
    const unknown = opts.only.filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      throw inputInvalid(
        opts.spec,
        unknown
          .map(
            (n) =>
              `--only ${n}: no such jurisdiction in ${opts.spec}.${didYouMean(n, names)} Jurisdictions: ${names.join(', ')}`,
          )
          .join('\n'),
      );
    }
  }
  const cache = opts.cache === false ? undefined : new SynthCache(cacheDir(opts.outdir));
  const keys = new Map<string, string>();
  const cached = new Map<string, CacheEntry>();
  if (cache?.usable) {
    for (const n of names) {
      const key = jurisdictionKey(n, loaded.spec.jurisdictions[n], { projectFromStack, debug });
      keys.set(n, key);
      if (opts.only?.includes(n)) continue;
      const e = cache.get(n, key);
      if (e) cached.set(n, e);
    }
  }
  if (opts.only !== undefined) {
    const only = new Set(opts.only);
    const stale = names.filter((n) => !only.has(n) && !cached.has(n));
    if (stale.length > 0) {
      throw inputInvalid(
        opts.spec,
        `--only: ${stale.length} other jurisdiction(s) changed or were never synthesized into ${opts.outdir} (${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}); the output would not match the spec. Run without --only, or name them too.`,
        '--only',
      );
    }
  }
  return {
    todo: names.filter((n) => !cached.has(n)),
    cached,
    keys,
    cache: cache?.usable ? cache : undefined,
  };
}

/**
 * Puts every jurisdiction's stacks in place under `target` (moved from the parts, written
 * from the cache), writes manifest.json as one App would, and removes the parts'
 * directories. Returns the summaries and the cache entries of what was synthesized now.
 */
function assemble(
  target: string,
  names: readonly string[],
  parts: readonly Part[],
  cached: ReadonlyMap<string, CacheEntry>,
  cache: SynthCache | undefined,
  keys: ReadonlyMap<string, string>,
): { summaries: PartSummary[]; toCache: CacheEntry[] } {
  const fresh = new Map<string, { part: Part; summary: PartSummary }>();
  for (const part of parts) for (const s of part.jurisdictions) fresh.set(s.name, { part, summary: s });
  const manifestStacks: Record<string, unknown> = {};
  let manifestRest: Record<string, unknown> | undefined;
  const summaries: PartSummary[] = [];
  const toCache: CacheEntry[] = [];
  fs.mkdirSync(path.join(target, 'stacks'), { recursive: true });
  for (const name of names) {
    const f = fresh.get(name);
    if (f) {
      const files: Record<string, string> = {};
      const manifest: Record<string, unknown> = {};
      for (const stack of f.summary.order) {
        const from = path.join(f.part.dir, 'stacks', stack);
        const to = path.join(target, 'stacks', stack);
        if (cache !== undefined)
          for (const rel of listFiles(from))
            files[`stacks/${stack}/${rel}`] = fs.readFileSync(path.join(from, rel), 'utf8');
        fs.renameSync(from, to);
        manifest[stack] = f.part.manifest.stacks[stack];
      }
      Object.assign(manifestStacks, manifest);
      const key = keys.get(name);
      if (cache !== undefined && key !== undefined)
        toCache.push({ key, summary: f.summary, manifest, files });
      summaries.push(f.summary);
      if (manifestRest === undefined) {
        const { stacks: _stacks, ...rest } = f.part.manifest;
        manifestRest = rest;
      }
    } else {
      const e = cached.get(name);
      if (!e) throw new Error(`internal: jurisdiction ${name} was neither synthesized nor cached`);
      for (const [rel, text] of Object.entries(e.files)) {
        const p = path.join(target, ...rel.split('/'));
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, text);
      }
      Object.assign(manifestStacks, e.manifest);
      summaries.push(e.summary);
    }
  }
  for (const part of parts) fs.rmSync(part.dir, { recursive: true, force: true });
  // cdktf's manifest carries its version besides the stacks; one App writes the same.
  manifestRest ??= { version: cdktfVersion() };
  fs.writeFileSync(
    path.join(target, 'manifest.json'),
    manifestText({ ...manifestRest, stacks: manifestStacks }),
  );
  return { summaries, toCache };
}

function cdktfVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { version: string })
    .version;
}

function listFiles(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const e of fs
    .readdirSync(path.join(dir, base), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = base === '' ? e.name : `${base}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}
