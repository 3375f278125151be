/**
 * Renders policy/RULES.md from the rule, pack and profile metadata, so the document cannot
 * drift from the code (a test compares the file with this output). Regenerate with
 * `node -e "require('./dist/policy/docs').writeRulesMd()"` after `npm run build`.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { ALL_PACKS, PROFILE_PACKS, PROFILE_STRICT } from './packs';
import { ALL_RULES } from './rules';
import { SUPPRESSION_RULES } from './suppressions';
import type { Rule } from './types';

const esc = (s: string) => s.replace(/\|/g, '\\|');

function inspects(r: Rule): string {
  if (r.scope === 'stack') return 'the stack';
  const t = r.appliesTo;
  if (t.some((x) => x.includes('deployment'))) {
    const extra = [
      t.includes('helm_release') ? 'helm_release' : '',
      t.some((x) => x.includes('secret')) ? 'Secret' : '',
      t.some((x) => x.includes('config_map')) ? 'ConfigMap' : '',
      t.some((x) => x.includes('service_v1')) ? 'Service, NetworkPolicy, RBAC …' : '',
    ].filter(Boolean);
    return ['workloads', ...extra].join(', ');
  }
  return [
    ...t.filter((x) => x !== 'kubernetes_manifest').map((x) => `\`${x}\``),
    ...(t.includes('kubernetes_manifest') ? ['kubernetes_manifest'] : []),
  ].join(', ');
}

export function renderRulesMd(): string {
  const o: string[] = [];
  o.push('# Policy rules', '');
  o.push(
    'Every rule sovereign-stack applies to synthesized Terraform JSON (`cdk.tf.json`) and the public control it mirrors. Ids are stable and never reused. This file is generated from the rule metadata (`policy/docs.ts`) and a test compares the two: when a rule changes, regenerate it in the same commit.',
    '',
  );
  o.push(
    'Each rule answers, per resource (or once per stack): **compliant**, **non-compliant** (naming the field path), **not applicable**, or **unknown** — a value holding an unresolved `${...}` reference is unknown, never a pass; `--strict` turns unknown into failure in every stack, and a stack whose profile is strict (`de-bsi-c5`, `fr-secnumcloud`; recorded as `"//".sovereign.strict`) fails its own unknowns whatever the flag says. A pack applies a rule at level `error` (gates `sovereign synth`, the cdktf app and `sovereign audit`) or `warning` (reported only). Rules marked **no** under *suppressible* guard residency and foreign control: suppressions naming them are ignored and reported (SUP-003).',
    '',
  );
  o.push(
    'Workloads are read in every form the kubernetes provider and cdktf produce: `kubernetes_deployment(_v1)`, `kubernetes_stateful_set(_v1)`, `kubernetes_daemon_set_v1` / `kubernetes_daemonset`, `kubernetes_job(_v1)`, `kubernetes_cron_job(_v1)` (job_template), `kubernetes_pod(_v1)` and `kubernetes_manifest` (Kubernetes API camelCase); nested blocks as objects or one-element arrays. `helm_release` values (`values` YAML/JSON documents and `set` entries) are scanned for images, service types and endpoints.',
  );
  for (const [title, prefix] of [
    ['Kubernetes hardening', 'K8S'],
    ['Sovereignty and supply chain', 'SOV'],
    ['Model licences', 'LIC'],
  ]) {
    o.push('', `## ${title}`, '');
    o.push(
      '| id | title | severity | suppressible | inspects | anchors | fix |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of ALL_RULES.filter((x) => x.id.startsWith(prefix))) {
      o.push(
        `| ${r.id} | ${esc(r.title)} | ${r.severity} | ${r.suppressible ? 'yes' : '**no**'} | ${inspects(r)} | ${esc(r.anchors.join('; '))} | ${esc(r.fix)} |`,
      );
    }
  }
  o.push('', '## Suppressions', '');
  o.push(
    'Suppressions are declared in the spec and carried in the artifact (`"//".sovereign.suppressions`): `rule`, `resource` (a Terraform address or `*`), `reason` (at least 10 characters) and optional `expires` (`YYYY-MM-DD`, the last day it applies). These checks always run, whatever packs a stack selects.',
    '',
  );
  o.push('| id | title | level | fix |', '| --- | --- | --- | --- |');
  for (const r of SUPPRESSION_RULES) o.push(`| ${r.id} | ${esc(r.title)} | ${r.level} | ${esc(r.fix)} |`);
  o.push('', '## Packs', '');
  o.push(
    'Framework mappings are indicative evidence for an assessor, not a certification; C5 and SecNumCloud are mapped at domain or chapter level.',
  );
  for (const p of ALL_PACKS) {
    o.push(
      '',
      `### \`${p.id}\` — ${p.title}`,
      '',
      `${p.framework}.`,
      '',
      '| rule | clause |',
      '| --- | --- |',
    );
    for (const r of p.rules) o.push(`| ${r.rule} | ${esc(r.clause)} |`);
  }
  o.push('', '## Profiles', '');
  o.push(
    'The one table of which packs each profile selects (`PROFILE_PACKS` in policy/packs/index.ts; stacks/profiles.ts derives from it). Stacks write the selection into `"//".sovereign.packs`; the audit treats the declared profile\'s row as a floor. A stack whose profile is unknown or that declares no packs is judged against `k8s-restricted` and `sovereignty` at error.',
    '',
  );
  o.push('| profile | packs | unknown fails |', '| --- | --- | --- |');
  for (const [k, v] of Object.entries(PROFILE_PACKS))
    o.push(
      `| ${k} | ${v.map((x) => `\`${x.id}\` (${x.level})`).join(', ')} | ${PROFILE_STRICT[k] ? 'yes' : 'sovereignty rules only'} |`,
    );
  o.push('', '## Trust model', '');
  o.push(
    'What an audit proves, and what it rests on (details: docs/trust-model.md).',
    '',
    '- **The artifact may only tighten.** `"//".sovereign` says which packs, levels, strictness and suppressions apply; the audit raises them to the declared profile\'s row above and to the sovereignty pack at error. Sovereignty (SOV-*) rules are at error whatever a pack says, are never suppressed, and what they cannot judge (unknown) fails unless the auditor passes `--allow-unknown <reason>`, which every report lists.',
    "- **The boundary is self-declared unless anchored.** The allow-lists (registries, hosts, ranges, chart mirror, provider registry) come from the artifact. `sovereign audit --spec sovereign.yaml` re-synthesizes the approved spec and compares the directory byte for byte, naming every differing file and JSON path (exit 1). `--policy file` checks each declared boundary against the auditor's own (SOV-017). Without either, every report says the boundary is self-declared.",
    '- **A boundary one jurisdiction can own.** No wildcard at or above a public suffix (Public Suffix List), no global public service (Docker Hub, Hugging Face, public object stores…) without a reasoned `declaredPublic` exception shown in every report, no range set covering more than a /8 of public IPv4 (SOV-014, and the same check in `sovereign validate`).',
    '- **The audit reads what Terraform reads.** Duplicate JSON keys are refused (exit 2, located); every element of array-form blocks is judged; any other Terraform-readable file in the directory is refused; modules, dynamic blocks, provisioners and providers other than kubernetes and helm (plus what the auditor admits) fail SOV-015; values Terraform computes from functions, variables or files, post-renderers and kinds the rules do not model are unknown and fail SOV-016.',
    '- **The plan is judged too.** `--plan` runs every rule on the planned values and fails planned resources the synthesized stack lacks (SOV-018).',
    '- **No secret in any output.** Credentials (known formats, URL user information, secret-shaped arguments) are refused in the spec and fail K8S-026 in artifacts, located, never echoed; reports are redacted.',
  );
  return `${o.join('\n')}\n`;
}

/** Writes RULES.md next to the policy sources (run from the repository root). */
export function writeRulesMd(root = process.cwd()): void {
  writeFileSync(join(root, 'policy', 'RULES.md'), renderRulesMd());
}
