/**
 * The output as written: every jurisdiction's stacks put in place (from the parts or the
 * cache) with one manifest.json, and the notice when the output lies outside the project.
 */
import * as fs from 'fs';
import * as path from 'path';
import { manifestText } from '../../stacks/cdktf-seam';
import type { loadSpec } from '../../stacks/spec/load';
import type { CacheEntry, SynthCache } from './synth-cache';
import type { Part, PartSummary } from './synth-parallel';
import {
  sha256Hex,
  stackFile,
  verdictKey,
  verdictShaped,
  type JudgeOptions,
  type JudgedStack,
} from './synth-judge';

/**
 * Files the spec names relative to the project, when the output lies outside it: they are
 * written for `cdktf.out/stacks/<name>` (an artifact holds no absolute path of this machine).
 */
export function relocatedFiles(spec: ReturnType<typeof loadSpec>['spec'], outdir: string): string[] {
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

/**
 * Puts every jurisdiction's stacks in place under `target` (moved from the parts, written
 * from the cache), writes manifest.json as one App would, and removes the parts'
 * directories. Returns the summaries, the cache entries of what was synthesized now (without
 * verdicts), and the verdicts already given: the parts' on what they wrote, and the cache's on
 * stacks written now with exactly the bytes it judged, under a matching key (`judge`).
 */
export function assemble(
  target: string,
  names: readonly string[],
  parts: readonly Part[],
  cached: ReadonlyMap<string, CacheEntry>,
  cache: SynthCache | undefined,
  keys: ReadonlyMap<string, string>,
  judge?: JudgeOptions,
): {
  summaries: PartSummary[];
  toCache: CacheEntry[];
  verdicts: Map<string, JudgedStack>;
  /** Cached entries that lack a valid verdict for some stack: stored again once judged. */
  rejudged: CacheEntry[];
} {
  const verdicts = new Map<string, JudgedStack>();
  const rejudged: CacheEntry[] = [];
  for (const part of parts) for (const v of part.verdicts ?? []) verdicts.set(v.name, v);
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
      let complete = judge !== undefined;
      for (const stack of e.summary.order) {
        const v = judge === undefined ? undefined : e.verdicts?.[stack];
        const text = e.files[stackFile(stack)];
        if (v === undefined || typeof text !== 'string' || !verdictShaped(v, stack)) {
          complete = false;
          continue;
        }
        // The digest of the bytes just written, not of what the entry says it judged.
        const sha256 = sha256Hex(Buffer.from(text, 'utf8'));
        if (v.sha256 === sha256 && v.key === verdictKey(sha256, judge!))
          verdicts.set(stack, {
            name: stack,
            totals: v.totals,
            findings: v.findings,
            resources: v.resources,
            sha256,
          });
        else complete = false;
      }
      if (judge !== undefined && !complete && cache !== undefined) rejudged.push(e);
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
  return { summaries, toCache, verdicts, rejudged };
}

export function cdktfVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('cdktf/package.json'), 'utf8')) as { version: string })
    .version;
}

export function listFiles(dir: string, base = ''): string[] {
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
