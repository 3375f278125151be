/**
 * The CI pipeline examples (the ones `sovereign init --ci` writes, for the example spec): valid
 * against the published schemas (kept as fixtures, test/fixtures/ci-schemas/README.md), current
 * with their generator, shellcheck-clean, and deploying the way the docs promise — plan and
 * apply apart, approvals, no credentials for pull requests, nothing on the vendor's storage.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { generatedFiles } from '../../bin/lib/generated';
import { buildProgram } from '../../bin/sovereign';
import { EXAMPLES, FIXTURES, REPO_ROOT } from '../support/paths';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = parse(fs.readFileSync(path.join(EXAMPLES, 'sovereign.yaml'), 'utf8')) as Any;
const jurisdictions = Object.keys(spec.jurisdictions).sort();
const githubText = fs.readFileSync(path.join(EXAMPLES, 'ci', 'github-actions.yml'), 'utf8');
const gitlabText = fs.readFileSync(path.join(EXAMPLES, 'ci', 'gitlab-ci.yml'), 'utf8');
const wf = parse(githubText) as Any;
const gl = parse(gitlabText) as Any;

function validator(schema: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(
    JSON.parse(fs.readFileSync(path.join(FIXTURES, 'ci-schemas', `${schema}.json`), 'utf8')),
  );
}
const githubSchema = validator('github-workflow');
const gitlabSchema = validator('gitlab-ci');

/** Every `npx sovereign …` call in a text, as words. */
function sovereignCalls(text: string): string[][] {
  return [...text.matchAll(/npx sovereign ([^\n]*)/g)].map((m) => m[1].trim().split(/\s+/));
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

function shellcheck(shell: 'sh' | 'bash', script: string): { status: number | null; out: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-ci-sc-'));
  try {
    const file = path.join(tmp, 'step');
    fs.writeFileSync(file, `#!/usr/bin/env ${shell}\n${script}\n`);
    const r = spawnSync('shellcheck', [`--shell=${shell}`, file], { encoding: 'utf8' });
    if (r.error) throw new Error('shellcheck is not installed (Debian: apt-get install shellcheck)');
    return { status: r.status, out: r.stdout };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

describe('examples/ci are generated', () => {
  test('the committed pipelines and docs/spec.md are current (npm run docs refreshes them)', () => {
    for (const [rel, text] of Object.entries(generatedFiles(REPO_ROOT))) {
      expect({ rel, same: fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8') === text }).toEqual({
        rel,
        same: true,
      });
    }
  });
});

describe('examples/ci/github-actions.yml', () => {
  const jobs = wf.jobs as Record<string, Any>;

  test("is valid against SchemaStore's github-workflow schema", () => {
    expect(githubSchema(wf) ? [] : githubSchema.errors).toEqual([]);
  });

  test('fails the schema when a job is misspelt (the schema is live)', () => {
    const bad = structuredClone(wf);
    bad.jobs.check['runs_on'] = bad.jobs.check['runs-on'];
    delete bad.jobs.check['runs-on'];
    expect(githubSchema(bad)).toBe(false);
  });

  test('per jurisdiction: plan, a risky-plan approval, then an approved apply of the plan digest', () => {
    for (const j of jurisdictions) {
      const plan = jobs[`plan-${j}`];
      const risky = jobs[`approve-risky-${j}`];
      const apply = jobs[`apply-${j}`];
      expect(plan.needs).toBe('check');
      expect(plan.outputs.digest).toBe('${{ steps.plan.outputs.PLAN_SHA256 }}');
      expect(plan.environment).toBeUndefined();
      expect(risky.environment).toBe(`${j}-risky`);
      expect(risky.if).toBe(`needs.plan-${j}.outputs.risks != '0'`);
      expect(apply.environment).toBe(j);
      expect(apply.needs).toEqual([`plan-${j}`, `approve-risky-${j}`]);
      expect(apply.env.PLAN_SHA256).toBe(`\${{ needs.plan-${j}.outputs.digest }}`);
      const applyRun = (apply.steps as Any[]).map((s) => s.run ?? '').join('\n');
      expect(applyRun).toContain('sha256sum -c -');
      expect(applyRun).toContain('tofu -chdir="$dir" apply -input=false plan.out');
      expect(applyRun).not.toContain('tofu -chdir="$dir" plan');
      const planRun = (plan.steps as Any[]).map((s) => s.run ?? '').join('\n');
      expect(planRun).toContain('.terraform.lock.hcl plan.out');
      expect(planRun).toContain('store put plan-bundle.tgz');
    }
  });

  test('pull requests, forks included, never reach a runner of a jurisdiction', () => {
    expect(wf.on.pull_request_target).toBeUndefined();
    expect(jobs.check['runs-on']).toEqual(['self-hosted', 'sovereign-check']);
    for (const j of jurisdictions) {
      expect(jobs[`plan-${j}`].if).toBe(
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'",
      );
      // The approval and the apply need the plan, so they are skipped with it.
      expect(jobs[`approve-risky-${j}`].needs).toBe(`plan-${j}`);
      expect(jobs[`apply-${j}`].if).toContain(`needs.plan-${j}.result == 'success'`);
    }
  });

  test('third-party actions pinned by commit SHA; nothing on the vendor artifact or cache storage', () => {
    const uses = Object.values(jobs).flatMap((j) => (j.steps as Any[]).map((s) => s.uses).filter(Boolean));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^actions\/(checkout|setup-node)@[0-9a-f]{40}$/);
    expect(githubText).not.toMatch(/upload-artifact|download-artifact|actions\/cache/);
    for (const j of Object.values(jobs))
      for (const s of j.steps as Any[])
        if (String(s.uses ?? '').startsWith('actions/setup-node'))
          expect(s.with['package-manager-cache']).toBe(false);
    expect(wf.permissions).toEqual({ contents: 'read' });
    // Reports reach the job summary (the vendor's storage) only when PUBLISH_SUMMARY says so.
    expect(wf.env.PUBLISH_SUMMARY).toBe("${{ vars.PUBLISH_SUMMARY || 'false' }}");
    for (const line of githubText.split('\n').filter((l) => l.includes('GITHUB_STEP_SUMMARY')))
      expect(line).toMatch(/^\s*if \[ "\$PUBLISH_SUMMARY" = true \]; then cat /);
  });

  test('uses only commands and flags the CLI has', () => {
    expect(new Set(checkCalls(githubText))).toEqual(new Set(['validate', 'synth', 'audit']));
  });

  test('every run step is shellcheck-clean (bash)', () => {
    for (const [id, job] of Object.entries(jobs))
      for (const s of job.steps as Any[])
        if (s.run) expect({ id, ...shellcheck('bash', s.run) }).toEqual({ id, status: 0, out: '' });
  });

  test('no CI expression is spliced into a script', () => {
    for (const job of Object.values(jobs))
      for (const s of job.steps as Any[]) if (s.run) expect(s.run).not.toContain('${{');
  });
});

describe('examples/ci/gitlab-ci.yml', () => {
  test("is valid against SchemaStore's gitlab-ci schema", () => {
    expect(gitlabSchema(gl) ? [] : gitlabSchema.errors).toEqual([]);
  });

  test('fails the schema with a job that says when: sometimes (the schema is live)', () => {
    const bad = structuredClone(gl);
    bad.check.when = 'sometimes';
    expect(gitlabSchema(bad)).toBe(false);
  });

  test('per jurisdiction: plan, an optional risky approval, a manual apply in a protected environment', () => {
    expect(gl.stages).toEqual(['check', 'plan', 'approve', 'apply']);
    expect(gl['.apply'].rules[0].when).toBe('manual');
    expect(gl['.apply'].rules[0].allow_failure).toBe(false);
    expect(gl['.approve-risky'].rules[0].when).toBe('manual');
    expect(gl['.plan'].artifacts).toEqual({ reports: { dotenv: 'plan.env' } });
    for (const j of jurisdictions) {
      expect(gl[`plan:${j}`]).toMatchObject({
        extends: '.plan',
        environment: { name: j, action: 'prepare' },
      });
      expect(gl[`approve-risky:${j}`]).toMatchObject({
        needs: [`plan:${j}`],
        environment: { name: `${j}-risky` },
      });
      expect(gl[`apply:${j}`]).toMatchObject({ needs: [`plan:${j}`], environment: { name: j } });
      for (const job of [`plan:${j}`, `approve-risky:${j}`, `apply:${j}`])
        expect(gl[job]).toMatchObject({ tags: [`sovereign-${j}`], variables: { JURISDICTION: j } });
    }
    expect(gl['.apply'].script.join('\n')).toContain('the second approval must come from someone other than');
  });

  test('merge requests stop at check; the deploy jobs run on the default branch only', () => {
    const rule = '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "merge_request_event"';
    for (const t of ['.deploy', '.approve-risky', '.apply']) expect(gl[t].rules[0].if).toBe(rule);
    expect(gl.check.tags).toEqual(['sovereign-check']);
  });

  test('plans and evidence are not kept on GitLab artifact storage; the image is pinned by digest', () => {
    for (const [name, job] of Object.entries(gl as Record<string, Any>)) {
      if (job && typeof job === 'object' && job.artifacts && name !== '.plan')
        throw new Error(`${name} keeps artifacts`);
    }
    expect(gl.variables.SOVEREIGN_IMAGE).toMatch(/@sha256:[a-f0-9]{64}$/);
  });

  test('uses only commands and flags the CLI has', () => {
    expect(new Set(checkCalls(gitlabText))).toEqual(new Set(['validate', 'synth', 'audit']));
  });

  test('every job script is shellcheck-clean (sh)', () => {
    for (const [id, job] of Object.entries(gl as Record<string, Any>)) {
      if (!job || !Array.isArray(job.script)) continue;
      expect({ id, ...shellcheck('sh', job.script.join('\n')) }).toEqual({ id, status: 0, out: '' });
    }
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
