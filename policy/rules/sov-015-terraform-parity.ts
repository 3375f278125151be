import { isObj, many, str, type Obj } from '../json';
import type { Outcome, StackRule } from '../types';

/** Providers the toolkit's stacks use; an auditor's policy may admit more (`providers`). */
export const BASE_PROVIDERS = ['kubernetes', 'helm'];

/** Top-level keys of Terraform's JSON syntax the audit reads; anything else is refused. */
const TOP_LEVEL = new Set([
  '//',
  'terraform',
  'provider',
  'resource',
  'data',
  'output',
  'variable',
  'locals',
]);
const TERRAFORM_KEYS = new Set(['//', 'backend', 'required_providers', 'required_version', 'cloud']);

/**
 * Nested blocks the provider schemas allow once (max_items 1), which the rules read as one
 * object. Given as an array of several, Terraform refuses the configuration; the audit refuses
 * it too rather than judging the first element only.
 */
const SINGLE_BLOCKS = new Set([
  'metadata',
  'spec',
  'template',
  'job_template',
  'security_context',
  'selector',
  'strategy',
  'rolling_update',
  'update_strategy',
  'resources',
  'liveness_probe',
  'readiness_probe',
  'startup_probe',
  'http_get',
  'tcp_socket',
  'exec',
  'grpc',
  'lifecycle',
  'post_start',
  'pre_stop',
  'seccomp_profile',
  'capabilities',
  'se_linux_options',
  'value_from',
  'secret_key_ref',
  'config_map_key_ref',
  'field_ref',
  'resource_field_ref',
  'config_map',
  'secret',
  'persistent_volume_claim',
  'host_path',
  'nfs',
  'empty_dir',
  'csi',
  'projected',
  'ephemeral',
  'affinity',
  'node_affinity',
  'pod_affinity',
  'pod_anti_affinity',
  'dns_config',
  'ip_block',
  'namespace_selector',
  'pod_selector',
  'role_ref',
  'os',
  'kubernetes',
]);

/** Keys that make Terraform run or fetch something the audit never sees. */
// A Map: a key read from the judged JSON (`constructor`, `toString`) must find nothing, not Object's own.
const META_REFUSED: ReadonlyMap<string, string> = new Map([
  ['dynamic', 'a dynamic block: Terraform generates its blocks from an expression the audit cannot read'],
  ['provisioner', 'a provisioner runs commands (local-exec, remote-exec, file) outside any provider'],
  ['connection', 'a connection block is for provisioners'],
]);

const SOURCE_RE = /^(?:([a-z0-9.-]+(?::\d+)?)\/)?([a-z0-9-]+)\/([a-z0-9-]+)$/i;

export const rule: StackRule = {
  id: 'SOV-015',
  title: 'The audit reads what Terraform applies: no module, dynamic block, provisioner or foreign provider',
  severity: 'critical',
  fix: 'Synthesize the stack with sovereign-stack; never add modules, dynamic blocks, provisioners or other providers to a synthesized stack by hand. An auditor may admit a provider in the policy file (`providers`).',
  anchors: [
    'Terraform JSON configuration syntax',
    'Checkov CKV_TF_1 (module sources pinned)',
    'GDPR Art. 44',
    'SecNumCloud 3.2 §19',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const bad = (address: string, path: string, message: string) =>
      out.push({ status: 'non-compliant', address, path, message });
    const allowed = [...BASE_PROVIDERS, ...(ctx.policy?.providers ?? [])];
    const raw = ctx.stack.raw;

    for (const k of Object.keys(raw)) {
      if (TOP_LEVEL.has(k)) continue;
      bad(
        k === 'module' ? 'module' : k,
        k,
        k === 'module'
          ? 'module blocks fetch and apply configuration (registry, git, http sources) the audit never reads'
          : `top-level "${k}" is not part of what sovereign-stack synthesizes; the audit does not judge it`,
      );
    }
    for (const t of many(raw.terraform))
      for (const k of Object.keys(t))
        if (!TERRAFORM_KEYS.has(k))
          bad('terraform', `terraform.${k}`, `terraform.${k} is not read by the audit`);
    if (ctx.stack.backends.length > 1)
      bad(
        'terraform.backend',
        'terraform.backend',
        `${ctx.stack.backends.length} backend blocks; Terraform accepts one`,
      );

    for (const rp of ctx.stack.requiredProviders) {
      const where = `terraform.required_providers.${rp.name}`;
      if (!allowed.includes(rp.name)) {
        bad(where, where, `provider ${rp.name} is not admitted (admitted: ${allowed.join(', ')})`);
        continue;
      }
      const m = rp.source === undefined ? undefined : SOURCE_RE.exec(rp.source);
      if (
        m &&
        (m[2].toLowerCase() !== 'hashicorp' || m[3].toLowerCase() !== rp.name) &&
        BASE_PROVIDERS.includes(rp.name)
      )
        bad(
          where,
          `${where}.source`,
          `${rp.name} is installed from ${m[2]}/${m[3]}, not hashicorp/${rp.name}`,
        );
    }
    for (const p of ctx.stack.providers)
      if (!allowed.includes(p.name))
        bad(p.address, p.address, `provider ${p.name} is not admitted (admitted: ${allowed.join(', ')})`);

    for (const r of [...ctx.stack.resources, ...ctx.stack.data]) {
      const before = out.length;
      const prov = r.type.split('_')[0];
      if (!allowed.includes(prov))
        bad(
          r.address,
          '',
          `${r.type} belongs to provider ${prov}, which is not admitted (admitted: ${allowed.join(', ')})`,
        );
      const meta = str(r.body.provider);
      if (meta !== undefined && !allowed.includes(meta.replace(/^\$\{|\}$/g, '').split('.')[0]))
        bad(r.address, 'provider', `provider = ${meta} is not an admitted provider`);
      // The path of a node is spelled out only for a finding: `at` holds the keys and indexes
      // down to it (`a.b[0].c`, as `path === '' ? k : path + '.' + k` builds it).
      const at: (string | number)[] = [];
      const pathOf = (k: string) => {
        let p = '';
        for (const x of at) p = typeof x === 'number' ? `${p}[${x}]` : p === '' ? x : `${p}.${x}`;
        return p === '' ? k : `${p}.${k}`;
      };
      const walk = (v: unknown, typed: boolean) => {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            at.push(i);
            walk(v[i], typed);
            at.pop();
          }
          return;
        }
        if (!isObj(v)) return;
        for (const [k, x] of Object.entries(v as Obj)) {
          if (k === '//') continue;
          const refused = typed ? META_REFUSED.get(k) : undefined;
          if (refused !== undefined) bad(r.address, pathOf(k), refused);
          if (typed && SINGLE_BLOCKS.has(k) && Array.isArray(x) && x.filter(isObj).length > 1)
            bad(
              r.address,
              pathOf(k),
              `${k} given ${x.length} times; the provider allows one block, and the audit will not pick one`,
            );
          // kubernetes_manifest's manifest and helm values are data, not blocks.
          at.push(k);
          walk(x, typed && !(k === 'manifest' && r.type === 'kubernetes_manifest') && k !== 'values');
          at.pop();
        }
      };
      walk(r.body, true);
      if (out.length === before) out.push({ status: 'compliant', address: r.address });
    }
    return out;
  },
};
