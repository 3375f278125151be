/**
 * The CI pipelines that deploy a spec: one source for examples/ci/ (generated from
 * examples/sovereign.yaml, checked by a test) and for what `sovereign init --ci` writes.
 *
 * Per jurisdiction: plan → (second approval when the plan carries risk labels) → approved
 * apply of exactly the planned bundle. The bundle (plan file, synthesized files, provider lock
 * file, plan audit, evidence) goes to PLAN_STORE, inside the jurisdiction: an S3-compatible
 * bucket of the jurisdiction or a directory on the runner's own storage, never the CI vendor's
 * artifact storage. The apply verifies the bundle's SHA-256 against the digest the plan job
 * reported, then applies the plan file it holds. Pull and merge requests only validate,
 * synthesize and audit, on a runner that holds no credentials.
 *
 * The shell is written once here and linted with shellcheck by a test; it reads everything
 * from environment variables, never from CI expressions spliced into the script.
 */

/** actions/checkout v7.0.1 (github.com/actions/checkout, tag v7.0.1). */
export const CHECKOUT_ACTION = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
/** actions/setup-node v7.0.0 (github.com/actions/setup-node, tag v7.0.0). */
export const SETUP_NODE_ACTION = 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0';

/** Default PLAN_STORE: the runner's own storage. */
export const DEFAULT_PLAN_STORE = '/var/lib/sovereign-stack/plans';

export type CiKind = 'github' | 'gitlab';

/** Reads and writes the plan store (s3://bucket/prefix through `aws s3`, or a directory). */
const STORE_FUNCTION = `# store put|get FILE KEY: plans and evidence stay inside the jurisdiction.
store() {
  case "\${PLAN_STORE:?set PLAN_STORE to s3://bucket/prefix or an absolute directory}" in
    s3://*)
      if [ "$1" = put ]; then src="$2" dst="$PLAN_STORE/$3"; else src="$PLAN_STORE/$3" dst="$2"; fi
      aws s3 cp --only-show-errors --endpoint-url "\${PLAN_STORE_ENDPOINT:?set PLAN_STORE_ENDPOINT}" "$src" "$dst"
      ;;
    /*)
      if [ "$1" = put ]; then
        mkdir -p "$(dirname "$PLAN_STORE/$3")"
        cp "$2" "$PLAN_STORE/$3"
      else
        cp "$PLAN_STORE/$3" "$2"
      fi
      ;;
    *)
      echo "PLAN_STORE must be s3://bucket/prefix or an absolute directory, not $PLAN_STORE" >&2
      exit 2
      ;;
  esac
}`;

/** validate → synth with the policy gate → audit; runs for every change, credentials-free. */
export const CHECK_SCRIPT = `npx sovereign validate sovereign.yaml
npx sovereign synth sovereign.yaml --out cdktf.out --report cdktf.out/audit-report.md
npx sovereign audit cdktf.out --format markdown --output audit.md`;

/**
 * Plan one jurisdiction and keep the bundle. Reads JURISDICTION, RUN_ID, FIRST_DEPLOY and the
 * store settings; writes the bundle digest (PLAN_SHA256) and the number of risk labels (RISKS)
 * to the file OUT names, as KEY=value lines.
 */
const PLAN_SCRIPT = `set -eu
${STORE_FUNCTION}
dir="cdktf.out/stacks/$JURISDICTION"
npx sovereign synth sovereign.yaml --out cdktf.out --report cdktf.out/audit-report.md
set --
if [ "\${FIRST_DEPLOY:-false}" = true ]; then
  # First deploy, step 1: the namespaces alone. Then create the Secrets and ConfigMaps the
  # audit report lists, and run again without FIRST_DEPLOY.
  for ns in $(jq -r '.resource.kubernetes_namespace_v1 // {} | keys[]' "$dir/cdk.tf.json"); do
    set -- "$@" "-target=kubernetes_namespace_v1.$ns"
  done
fi
tofu -chdir="$dir" init -input=false
tofu -chdir="$dir" plan -input=false -out=plan.out "$@"
tofu -chdir="$dir" show -json plan.out > "$dir/plan.json"
npx sovereign audit cdktf.out --plan "$dir/plan.json" --format markdown --output "$dir/audit-plan.md"
npx sovereign audit cdktf.out --plan "$dir/plan.json" --format json --output "$dir/audit-plan.json"
npx sovereign audit cdktf.out --format cyclonedx --output "$dir/sbom.cdx.json"
cp cdktf.out/audit-report.md "$dir/audit-report.md"
risks=$(jq '[.plan.changes[].risks[]] | length' "$dir/audit-plan.json")
tar -C "$dir" -czf plan-bundle.tgz cdk.tf.json .terraform.lock.hcl plan.out plan.json \\
  audit-plan.md audit-plan.json audit-report.md sbom.cdx.json
digest=$(sha256sum plan-bundle.tgz | cut -d ' ' -f 1)
store put plan-bundle.tgz "$RUN_ID/$JURISDICTION/plan-bundle.tgz"
echo "plan bundle $RUN_ID/$JURISDICTION/plan-bundle.tgz sha256 $digest, $risks risk label(s)"
printf 'PLAN_SHA256=%s\\nRISKS=%s\\n' "$digest" "$risks" >> "$OUT"`;

/**
 * GitLab's second approval of a risky plan: someone allowed to deploy to the J-risky
 * environment runs this job; it records their approval of this exact bundle in the store.
 */
const APPROVE_RISKY_SCRIPT = `set -eu
${STORE_FUNCTION}
if [ "$RISKS" = 0 ]; then
  echo "the plan of $JURISDICTION carries no risk label: nothing to approve"
  exit 0
fi
echo "approving the $RISKS risk label(s) of the plan of $JURISDICTION (sha256 $PLAN_SHA256); see audit-plan.md in its bundle"
printf '%s %s\\n' "$PLAN_SHA256" "$GITLAB_USER_LOGIN" > risk-approval
store put risk-approval "$RUN_ID/$JURISDICTION/risk-approval"`;

/** GitLab's apply refuses a risky plan without a second approval, by someone else, of this bundle. */
const RISK_APPROVAL_CHECK = `if [ "$RISKS" != 0 ]; then
  if ! store get risk-approval "$RUN_ID/$JURISDICTION/risk-approval"; then
    echo "the plan carries $RISKS risk label(s): run approve-risky:$JURISDICTION first" >&2
    exit 1
  fi
  read -r approved approver < risk-approval
  if [ "$approved" != "$PLAN_SHA256" ]; then
    echo "the risk approval is for another plan ($approved)" >&2
    exit 1
  fi
  if [ "$approver" = "$GITLAB_USER_LOGIN" ]; then
    echo "the second approval must come from someone other than $approver" >&2
    exit 1
  fi
fi`;

/** Apply exactly the reviewed bundle: its digest must be the one the plan job reported. */
function applyScript(kind: CiKind): string {
  return `set -eu
${STORE_FUNCTION}
dir="cdktf.out/stacks/$JURISDICTION"
mkdir -p "$dir"
store get plan-bundle.tgz "$RUN_ID/$JURISDICTION/plan-bundle.tgz"
echo "\${PLAN_SHA256:?the plan job reported no digest}  plan-bundle.tgz" | sha256sum -c -
${kind === 'gitlab' ? RISK_APPROVAL_CHECK + '\n' : ''}tar -C "$dir" -xzf plan-bundle.tgz
tofu -chdir="$dir" init -input=false -lockfile=readonly
tofu -chdir="$dir" apply -input=false plan.out`;
}

/** Every shell script the templates run, by name, for linting (POSIX sh: GitLab images may lack bash). */
export function templateScripts(): Record<string, string> {
  return {
    check: `set -eu\n${CHECK_SCRIPT}`,
    plan: `OUT=plan.env\n${PLAN_SCRIPT}`,
    'apply (github)': applyScript('github'),
    'apply (gitlab)': applyScript('gitlab'),
    'approve-risky (github)': RISKY_SCRIPT,
    'approve-risky (gitlab)': APPROVE_RISKY_SCRIPT,
  };
}

const RISKY_SCRIPT = `echo "The plan of $JURISDICTION carries $RISKS risk label(s) (GPU driver upgrade, model swap, data loss): read audit-plan.md in its bundle in PLAN_STORE before approving."`;

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : pad + l))
    .join('\n');
}

const HEADER = `# sovereign-stack deploy pipeline, as \`sovereign init --ci\` writes it. Per jurisdiction: plan →
# a second approval when the plan carries risk labels → the approved apply of exactly the
# planned bundle.
#
# The runners live inside each jurisdiction and need Node.js 20, OpenTofu (tofu), jq, tar,
# sha256sum, and the aws CLI when PLAN_STORE is an S3 bucket. Credentials (KUBE_TOKEN or a
# kubeconfig, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, PG_CONN_STR) come from the runner or
# the protected environment, never from the spec. State must live in an s3, pg or kubernetes
# backend: a local state file does not outlive a job.
#
# PLAN_STORE keeps plan bundles and evidence inside the jurisdiction: s3://bucket/prefix of a
# bucket of the jurisdiction (with PLAN_STORE_ENDPOINT), or a directory on the runner's own
# storage (the default; plan and apply then need the same runner). Nothing is uploaded to the
# CI vendor's artifact storage.
#
# First deploy of a jurisdiction: run once with first-deploy (namespaces only), create the
# Secrets and ConfigMaps the audit report lists, then run again without it. A gateway or an
# autoscaler also needs its CRDs in the cluster before the whole stack can be planned: run
# steps 1-2 of docs/deploy-order.md once.`;

/** The GitHub Actions workflow (.github/workflows/sovereign.yml). */
export function githubWorkflow(jurisdictions: readonly string[]): string {
  const out: string[] = [];
  out.push(`${HEADER}
#
# Set up per jurisdiction J: self-hosted runners labelled sovereign-J inside it; environments
# J (required reviewers; deployment branch main) and J-risky (required reviewers for risky
# plans). A runner labelled sovereign-check with no credentials runs pull requests; in a public
# repository, also require approval before workflows from forks run.
name: sovereign-stack

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:
    inputs:
      first-deploy:
        description: First deploy, step 1 (namespaces only)
        type: boolean
        default: false

permissions:
  contents: read

concurrency:
  group: sovereign-stack-\${{ github.ref }}
  cancel-in-progress: false

env:
  CHECKPOINT_DISABLE: '1' # no version-check calls from OpenTofu or cdktf
  TF_IN_AUTOMATION: '1'
  NO_COLOR: '1'
  PLAN_STORE: \${{ vars.PLAN_STORE || '${DEFAULT_PLAN_STORE}' }}
  PLAN_STORE_ENDPOINT: \${{ vars.PLAN_STORE_ENDPOINT }}
  # Audit reports go to the job summary (GitHub's storage) only when this variable says so.
  PUBLISH_SUMMARY: \${{ vars.PUBLISH_SUMMARY || 'false' }}

defaults:
  run:
    shell: bash

jobs:
  check:
    # Pull requests, forks included, run only here: a runner without cluster or state credentials.
    runs-on: [self-hosted, sovereign-check]
    steps:
${steps()}
      - name: Validate, synthesize with the policy gate, audit
        run: |
${indent(CHECK_SCRIPT, 10)}
          if [ "$PUBLISH_SUMMARY" = true ]; then cat audit.md >> "$GITHUB_STEP_SUMMARY"; fi`);
  for (const j of jurisdictions) {
    out.push(`
  plan-${j}:
    needs: check
    # Never for pull requests: only main reaches the runners that hold credentials.
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    runs-on: [self-hosted, sovereign-${j}]
    outputs:
      digest: \${{ steps.plan.outputs.PLAN_SHA256 }}
      risks: \${{ steps.plan.outputs.RISKS }}
    env:
      JURISDICTION: ${j}
      RUN_ID: \${{ github.run_id }}
      FIRST_DEPLOY: \${{ inputs.first-deploy || false }}
    steps:
${steps()}
      - id: plan
        name: Plan, audit the plan, keep the bundle in the jurisdiction
        run: |
          OUT="$GITHUB_OUTPUT"
${indent(PLAN_SCRIPT, 10)}
          if [ "$PUBLISH_SUMMARY" = true ]; then cat "$dir/audit-plan.md" >> "$GITHUB_STEP_SUMMARY"; fi

  approve-risky-${j}:
    needs: plan-${j}
    if: needs.plan-${j}.outputs.risks != '0'
    runs-on: [self-hosted, sovereign-${j}]
    environment: ${j}-risky
    env:
      JURISDICTION: ${j}
      RISKS: \${{ needs.plan-${j}.outputs.risks }}
    steps:
      - run: |
${indent(RISKY_SCRIPT, 10)}

  apply-${j}:
    needs: [plan-${j}, approve-risky-${j}]
    if: \${{ !cancelled() && !failure() && needs.plan-${j}.result == 'success' }}
    runs-on: [self-hosted, sovereign-${j}]
    environment: ${j}
    env:
      JURISDICTION: ${j}
      RUN_ID: \${{ github.run_id }}
      PLAN_SHA256: \${{ needs.plan-${j}.outputs.digest }}
    steps:
      - uses: ${CHECKOUT_ACTION}
        with:
          persist-credentials: false
      - name: Apply exactly the reviewed plan
        run: |
${indent(applyScript('github'), 10)}`);
  }
  return out.join('\n') + '\n';
}

function steps(): string {
  return `      - uses: ${CHECKOUT_ACTION}
        with:
          persist-credentials: false
      # Node.js from the runner's tool cache; no package cache on the vendor's storage.
      - uses: ${SETUP_NODE_ACTION}
        with:
          node-version: 20
          package-manager-cache: false
      - run: npm ci --no-audit --no-fund`;
}

const DEPLOY_RULE = '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "merge_request_event"';

/** The GitLab CI pipeline (.gitlab-ci.yml) for a self-managed GitLab. */
export function gitlabPipeline(jurisdictions: readonly string[]): string {
  const out: string[] = [];
  out.push(`${HEADER}
#
# Set up per jurisdiction J: runners tagged sovereign-J inside it; protected environments J
# and J-risky with approvers (and the credentials as protected variables of J); a runner
# tagged sovereign-check with no credentials runs merge requests. SOVEREIGN_IMAGE is your
# mirrored, digest-pinned image with Node.js 20, OpenTofu, jq and the aws CLI.
stages: [check, plan, approve, apply]

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

variables:
  CHECKPOINT_DISABLE: '1' # no version-check calls from OpenTofu or cdktf
  TF_IN_AUTOMATION: '1'
  NO_COLOR: '1'
  SOVEREIGN_IMAGE: registry.example.internal/mirror/sovereign-runner:1@sha256:0000000000000000000000000000000000000000000000000000000000000000
  PLAN_STORE: ${DEFAULT_PLAN_STORE}
  FIRST_DEPLOY: 'false'

default:
  image: $SOVEREIGN_IMAGE
  before_script:
    - npm ci --no-audit --no-fund

check:
  stage: check
  tags: [sovereign-check]
  script:
${CHECK_SCRIPT.split('\n')
  .map((l) => `    - ${l}`)
  .join('\n')}

# Only the default branch reaches the runners that hold credentials; merge requests, from
# forks or not, stop at check.
.deploy:
  rules:
    - if: ${DEPLOY_RULE}
  variables:
    RUN_ID: $CI_PIPELINE_ID

.plan:
  extends: .deploy
  stage: plan
  script:
    - |
      OUT=plan.env
${indent(PLAN_SCRIPT, 6)}
  artifacts:
    # Two lines (the digest and the count of risk labels); the bundle itself stays in PLAN_STORE.
    reports:
      dotenv: plan.env

.approve-risky:
  extends: .deploy
  stage: approve
  rules:
    - if: ${DEPLOY_RULE}
      when: manual
      allow_failure: true
  before_script: []
  script:
    - |
${indent(APPROVE_RISKY_SCRIPT, 6)}

.apply:
  extends: .deploy
  stage: apply
  rules:
    - if: ${DEPLOY_RULE}
      when: manual
      allow_failure: false
  before_script: []
  script:
    - |
${indent(applyScript('gitlab'), 6)}`);
  for (const j of jurisdictions) {
    out.push(`
plan:${j}:
  extends: .plan
  tags: [sovereign-${j}]
  environment:
    name: ${j}
    action: prepare
  variables:
    JURISDICTION: ${j}

# Run only when the plan carries risk labels; apply:${j} then requires it.
approve-risky:${j}:
  extends: .approve-risky
  tags: [sovereign-${j}]
  needs: ['plan:${j}']
  environment:
    name: ${j}-risky
    action: prepare
  variables:
    JURISDICTION: ${j}

apply:${j}:
  extends: .apply
  tags: [sovereign-${j}]
  needs: ['plan:${j}']
  environment:
    name: ${j}
  variables:
    JURISDICTION: ${j}
  when: manual
  allow_failure: false`);
  }
  return out.join('\n') + '\n';
}

export function ciTemplate(kind: CiKind, jurisdictions: readonly string[]): string {
  return kind === 'github' ? githubWorkflow(jurisdictions) : gitlabPipeline(jurisdictions);
}

/** Where each pipeline goes in a project. */
export const CI_PATHS: Readonly<Record<CiKind, string>> = {
  github: '.github/workflows/sovereign.yml',
  gitlab: '.gitlab-ci.yml',
};
