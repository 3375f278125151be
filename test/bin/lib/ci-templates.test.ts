/**
 * The shell the CI templates run: shellcheck-clean, and it behaves — the apply takes exactly
 * the bundle the plan job reported, and on GitLab a risky plan needs a second approval by
 * someone else. Runs the real scripts under `sh` with `tofu` replaced by a recorder.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CHECKOUT_ACTION,
  ciTemplate,
  githubWorkflow,
  gitlabPipeline,
  SETUP_NODE_ACTION,
  templateScripts,
} from '../../../bin/lib/ci-templates';

const scripts = templateScripts();

function shellcheckPath(): string {
  const r = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'shellcheck is not installed: the CI templates cannot be linted. Install it (Debian: apt-get install shellcheck; .ci/run does so when run as root).',
    );
  }
  return 'shellcheck';
}

describe('template shell scripts', () => {
  test.each(Object.keys(scripts))('%s is shellcheck-clean as POSIX sh', (name) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-sc-'));
    try {
      const file = path.join(tmp, 'script.sh');
      fs.writeFileSync(file, `#!/bin/sh\n${scripts[name]}\n`);
      const r = spawnSync(shellcheckPath(), ['--shell=sh', '--severity=style', file], { encoding: 'utf8' });
      expect(r.stdout).toBe('');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('shellcheck finds what it should (the lint is live)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-sc-'));
    try {
      const file = path.join(tmp, 'bad.sh');
      fs.writeFileSync(file, '#!/bin/sh\nrm -rf $DIR/plans\n');
      const r = spawnSync(shellcheckPath(), ['--shell=sh', file], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain('SC2086');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('the apply takes exactly the reviewed plan', () => {
  let tmp: string;
  let store: string;
  let work: string;
  let stubs: string;
  let log: string;
  let digest: string;
  const J = 'de-fra';
  const RUN = '4711';

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-apply-'));
    store = path.join(tmp, 'store');
    work = path.join(tmp, 'work');
    stubs = path.join(tmp, 'bin');
    log = path.join(tmp, 'tofu.log');
    fs.mkdirSync(work);
    fs.mkdirSync(stubs);
    // tofu records how it was called and nothing else.
    fs.writeFileSync(path.join(stubs, 'tofu'), `#!/bin/sh\necho "tofu $*" >> "${log}"\n`, { mode: 0o755 });
    const bundleSrc = path.join(tmp, 'bundle');
    fs.mkdirSync(bundleSrc);
    fs.writeFileSync(path.join(bundleSrc, 'cdk.tf.json'), '{}\n');
    fs.writeFileSync(path.join(bundleSrc, '.terraform.lock.hcl'), '# lock\n');
    fs.writeFileSync(path.join(bundleSrc, 'plan.out'), 'the reviewed plan\n');
    fs.mkdirSync(path.join(store, RUN, J), { recursive: true });
    const bundle = path.join(store, RUN, J, 'plan-bundle.tgz');
    const tar = spawnSync('tar', [
      '-C',
      bundleSrc,
      '-czf',
      bundle,
      'cdk.tf.json',
      '.terraform.lock.hcl',
      'plan.out',
    ]);
    expect(tar.status).toBe(0);
    digest = crypto.createHash('sha256').update(fs.readFileSync(bundle)).digest('hex');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function run(script: string, env: Record<string, string>) {
    return spawnSync('sh', ['-c', script], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${stubs}:${process.env.PATH ?? ''}`,
        PLAN_STORE: store,
        JURISDICTION: J,
        RUN_ID: RUN,
        ...env,
      },
    });
  }
  const tofuCalls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);

  test('applies the bundle whose digest the plan job reported, with the lock file read-only', () => {
    const r = run(scripts['apply (github)'], { PLAN_SHA256: digest });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(tofuCalls()).toEqual([
      `tofu -chdir=cdktf.out/stacks/${J} init -input=false -lockfile=readonly`,
      `tofu -chdir=cdktf.out/stacks/${J} apply -input=false plan.out`,
    ]);
    expect(fs.readFileSync(path.join(work, 'cdktf.out/stacks', J, 'plan.out'), 'utf8')).toBe(
      'the reviewed plan\n',
    );
  });

  test('fails when the stored bundle is not the one reviewed, before tofu runs', () => {
    fs.appendFileSync(path.join(store, RUN, J, 'plan-bundle.tgz'), 'tampered');
    const r = run(scripts['apply (github)'], { PLAN_SHA256: digest });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/FAILED/);
    expect(tofuCalls()).toEqual([]);
  });

  test('fails when the plan job reported no digest', () => {
    const r = run(scripts['apply (github)'], {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the plan job reported no digest');
    expect(tofuCalls()).toEqual([]);
  });

  test('fails when PLAN_STORE is neither s3:// nor an absolute directory', () => {
    const r = run(scripts['apply (github)'], { PLAN_SHA256: digest, PLAN_STORE: 'plans' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PLAN_STORE must be s3://bucket/prefix or an absolute directory, not plans');
  });

  test('GitLab: a plan without risk labels applies on the one approval', () => {
    const r = run(scripts['apply (gitlab)'], { PLAN_SHA256: digest, RISKS: '0', GITLAB_USER_LOGIN: 'alice' });
    expect(r.status).toBe(0);
    expect(tofuCalls()).toHaveLength(2);
  });

  test('GitLab: fails when a risky plan has no second approval', () => {
    const r = run(scripts['apply (gitlab)'], { PLAN_SHA256: digest, RISKS: '2', GITLAB_USER_LOGIN: 'alice' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the plan carries 2 risk label(s): run approve-risky:${J} first`);
    expect(tofuCalls()).toEqual([]);
  });

  test('GitLab: fails when the second approval is by the one who applies, or for another plan', () => {
    const approve = run(scripts['approve-risky (gitlab)'], {
      PLAN_SHA256: digest,
      RISKS: '2',
      GITLAB_USER_LOGIN: 'alice',
    });
    expect(approve.status).toBe(0);
    const self = run(scripts['apply (gitlab)'], {
      PLAN_SHA256: digest,
      RISKS: '2',
      GITLAB_USER_LOGIN: 'alice',
    });
    expect(self.status).toBe(1);
    expect(self.stderr).toContain('the second approval must come from someone other than alice');
    const other = '0'.repeat(64);
    fs.writeFileSync(path.join(store, RUN, J, 'risk-approval'), `${other} carol\n`);
    const stale = run(scripts['apply (gitlab)'], {
      PLAN_SHA256: digest,
      RISKS: '2',
      GITLAB_USER_LOGIN: 'bob',
    });
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain(`the risk approval is for another plan (${other})`);
    expect(tofuCalls()).toEqual([]);
  });

  test('GitLab: a risky plan approved by someone else applies', () => {
    run(scripts['approve-risky (gitlab)'], { PLAN_SHA256: digest, RISKS: '1', GITLAB_USER_LOGIN: 'alice' });
    const r = run(scripts['apply (gitlab)'], { PLAN_SHA256: digest, RISKS: '1', GITLAB_USER_LOGIN: 'bob' });
    expect(r.status).toBe(0);
    expect(tofuCalls()).toHaveLength(2);
  });
});

describe('ciTemplate', () => {
  test('one plan, risky approval and apply per jurisdiction, named after it', () => {
    const gh = githubWorkflow(['a', 'b']);
    for (const j of ['a', 'b'])
      for (const job of [`plan-${j}:`, `approve-risky-${j}:`, `apply-${j}:`])
        expect(gh).toContain(`\n  ${job}\n`);
    const gl = gitlabPipeline(['a', 'b']);
    for (const j of ['a', 'b'])
      for (const job of [`plan:${j}:`, `approve-risky:${j}:`, `apply:${j}:`])
        expect(gl).toContain(`\n${job}\n`);
    expect(ciTemplate('github', ['a'])).toBe(githubWorkflow(['a']));
    expect(ciTemplate('gitlab', ['a'])).toBe(gitlabPipeline(['a']));
  });

  test('actions are pinned by full commit SHA', () => {
    for (const a of [CHECKOUT_ACTION, SETUP_NODE_ACTION])
      expect(a).toMatch(/^actions\/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });
});
