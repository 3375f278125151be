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
import { installSynthPatches, releaseCdktfTokens } from '../../stacks/cdktf-seam';
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
}

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
  let patches: ReturnType<typeof installSynthPatches> | undefined;
  try {
    patches = installSynthPatches(opts.debug === true);
    const tracesOff = patches.tracesOff;
    const { buildApp, outputInsideProject } = await import('../../stacks/app');
    const { JurisdictionStack } = await import('../../stacks/jurisdiction-stack');
    const { enforce, enforceEach, formatTerminalFindings, loadDir, buildReport, renderMarkdown } =
      await import('../../policy');

    const notices = outputInsideProject(opts.outdir) ? [] : relocatedFiles(loaded.spec, opts.outdir);
    // Built and synthesized in a function of its own: once it returns, nothing holds the
    // construct tree or the parsed spec, and the gate runs in the memory they used.
    let stacks: ReturnType<typeof synthesizeStacks>;
    try {
      stacks = synthesizeStacks(loaded, buildApp, target, opts.outdir, JurisdictionStack, tracesOff);
    } catch (e) {
      // cdktf writes by descriptor: its errno errors name no path; the output directory it is.
      if (isErrnoError(e) && e.path === undefined) ioFailure(e, opts.outdir, 'write the output directory');
      throw e;
    }
    loaded = undefined;
    releaseCdktfTokens(tracesOff);

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
      const ev = enforceEach(
        readStacks(
          target,
          stacks.flatMap((s) => s.order),
          count,
        ),
        {
          strict: opts.strict,
          today: opts.today,
        },
      );
      gate = { totals: (n) => ev.stacks.find((r) => r.name === n)?.totals, findings: ev.findings };
    }
    staged.commit();
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
    patches?.restore();
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
