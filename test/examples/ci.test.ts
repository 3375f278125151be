/** The CI pipeline examples parse, run the stages in order, and only use real CLI commands and flags. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildProgram } from '../../bin/sovereign';
import { EXAMPLES } from '../support/paths';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = parse(fs.readFileSync(path.join(EXAMPLES, 'sovereign.yaml'), 'utf8')) as Any;
const jurisdictions = Object.keys(spec.jurisdictions).sort();

/** Every `npx sovereign …` line in a text. */
function sovereignCalls(text: string): string[][] {
  return [...text.matchAll(/npx sovereign ([^\n]*(?:\n {10,}[^\n]*)*)/g)].map((m) =>
    m[1].replace(/\s+/g, ' ').trim().split(' '),
  );
}

function checkCalls(text: string): string[] {
  const program = buildProgram();
  const seen: string[] = [];
  for (const words of sovereignCalls(text)) {
    const cmd = program.commands.find((c) => c.name() === words[0]);
    expect(cmd).toBeDefined();
    const flags = cmd!.options.map((o) => o.long);
    for (const w of words.filter((x) => x.startsWith('--'))) expect(flags).toContain(w.split('=')[0]);
    seen.push(words[0]);
  }
  return seen;
}

describe('examples/ci/github-actions.yml', () => {
  const text = fs.readFileSync(path.join(EXAMPLES, 'ci', 'github-actions.yml'), 'utf8');
  const wf = parse(text) as Any;

  test('validate → synth → audit, then plan and apply per jurisdiction', () => {
    expect(Object.keys(wf.jobs)).toEqual(['synth', 'plan']);
    expect(wf.jobs.plan.needs).toBe('synth');
    expect([...wf.jobs.plan.strategy.matrix.jurisdiction].sort()).toEqual(jurisdictions);
    const runs = (wf.jobs.plan.steps as Any[]).map((s) => String(s.run ?? ''));
    expect(runs.some((r) => r.includes('tofu plan'))).toBe(true);
    expect(runs.findIndex((r) => r.includes('tofu plan'))).toBeLessThan(
      runs.findIndex((r) => r.includes('tofu apply')),
    );
  });

  test('uses only commands and flags the CLI has', () => {
    expect(checkCalls(text)).toEqual(['validate', 'synth', 'audit', 'audit']);
  });

  test('keeps the evidence for auditors and turns version checks off', () => {
    expect(wf.env.CHECKPOINT_DISABLE).toBe('1');
    const uploads = Object.values(wf.jobs as Any)
      .flatMap((j: Any) => j.steps as Any[])
      .filter((s) => String(s.uses ?? '').startsWith('actions/upload-artifact'));
    expect(uploads.length).toBe(2);
    for (const u of uploads) expect(u.with['retention-days']).toBeGreaterThanOrEqual(365);
  });
});

describe('examples/ci/gitlab-ci.yml', () => {
  const text = fs.readFileSync(path.join(EXAMPLES, 'ci', 'gitlab-ci.yml'), 'utf8');
  const ci = parse(text) as Any;

  test('stages in order, per-jurisdiction plan and a manual apply on the default branch', () => {
    expect(ci.stages).toEqual(['validate', 'synth', 'plan', 'apply']);
    expect([...ci['.per-jurisdiction'].parallel.matrix[0].JURISDICTION].sort()).toEqual(jurisdictions);
    expect(ci.apply.extends).toBe('.per-jurisdiction');
    expect(ci.apply.rules[0].when).toBe('manual');
    expect(ci.apply.script).toContain('tofu apply -input=false plan.out');
  });

  test('uses only commands and flags the CLI has', () => {
    expect(checkCalls(text)).toEqual(['validate', 'synth', 'audit', 'audit', 'audit']);
  });

  test('images are pinned by digest', () => {
    for (const v of [ci.variables.NODE_IMAGE, ci.variables.TOFU_IMAGE])
      expect(v).toMatch(/@sha256:[a-f0-9]{64}$/);
  });
});

describe('examples/ci/github-actions-provisioned.yml', () => {
  const text = fs.readFileSync(path.join(EXAMPLES, 'ci', 'github-actions-provisioned.yml'), 'utf8');
  const wf = parse(text) as Any;
  const provisioned = parse(fs.readFileSync(path.join(EXAMPLES, 'provisioned.yaml'), 'utf8')) as Any;
  const runsOf = (job: string) => (wf.jobs[job].steps as Any[]).map((s) => String(s.run ?? ''));

  test('synth, then provision, then platform + serving, for every provisioned jurisdiction', () => {
    expect(Object.keys(wf.jobs)).toEqual(['synth', 'provision', 'serving']);
    expect(wf.jobs.provision.needs).toBe('synth');
    expect(wf.jobs.serving.needs).toBe('provision');
    const names = Object.keys(provisioned.jurisdictions).sort();
    expect(wf.jobs.provision.strategy.matrix.jurisdiction).toEqual(names);
    expect(wf.jobs.serving.strategy.matrix.jurisdiction).toEqual(names);
    const dirs = (job: string) =>
      (wf.jobs[job].steps as Any[]).map((s) => String(s['working-directory'] ?? '')).filter((d) => d !== '');
    for (const d of dirs('provision'))
      expect(d).toBe('cdktf.out/stacks/${{ matrix.jurisdiction }}-provision');
    for (const d of dirs('serving')) expect(d).toBe('cdktf.out/stacks/${{ matrix.jurisdiction }}');
  });

  test('the serving job reads the kubeconfig Cluster API wrote before it plans, and never uploads it', () => {
    const runs = runsOf('serving');
    const read = runs.findIndex((r) => r.includes('clusterctl get kubeconfig'));
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(runs.findIndex((r) => r.includes('tofu plan')));
    const uploaded = Object.values(wf.jobs as Any)
      .flatMap((j: Any) => j.steps as Any[])
      .filter((s) => String(s.uses ?? '').startsWith('actions/upload-artifact'))
      .map((s) => String(s.with.path));
    for (const p of uploaded) expect(p).not.toMatch(/kubeconfig/);
  });

  test('uses only commands and flags the CLI has', () => {
    expect(checkCalls(text)).toEqual(['validate', 'synth', 'audit', 'audit']);
  });
});
