import { isRef, stringList } from '../json';
import { SECRET_NAME, secretArgPairs, secretsIn } from '../secrets';
import { ok, type Outcome, type StackRule } from '../types';

const CREDENTIAL_KEYS =
  /(^|\.)(token|password|client_key|client_secret|secret_key|access_key|conn_str|private_key|repository_password|repository_key_file_content)$/;

export const rule: StackRule = {
  id: 'K8S-026',
  title: 'No credential in the stack: not under a credential key, not in any value',
  severity: 'critical',
  fix: 'Authenticate with a kubeconfig path and context, an `exec` plugin, or variables/environment (KUBE_TOKEN, AWS_*), never a literal in the stack; keep tokens in Kubernetes Secrets the stack references by name.',
  anchors: [
    'Checkov CKV_SECRET_* (secrets in code)',
    'gitleaks default rules (credential formats)',
    'Terraform: Sensitive data in state and configuration',
    'OWASP Kubernetes Top 10 K08',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const bad = (address: string, path: string, message: string) =>
      out.push({ status: 'non-compliant', address, path, message });
    const scan = (address: string, body: unknown, keys: boolean) => {
      const before = out.length;
      for (const s of stringList(body, '')) {
        if (keys && s.value !== '' && !isRef(s.value)) {
          const bare = s.path.replace(/\[\d+\]/g, '');
          if (CREDENTIAL_KEYS.test(bare)) bad(address, s.path, `${s.path} is a literal credential`);
          else if (/(^|\.)exec\.env\.[^.]+$/.test(bare) && SECRET_NAME.test(bare.split('.').pop() ?? ''))
            bad(address, s.path, `${s.path} sets a credential as a literal exec environment variable`);
        }
        for (const h of secretsIn(s.value))
          bad(address, s.path, `${s.path} holds a credential: ${h.kind} (value not shown)`);
      }
      // `["--client-secret", "value"]` pairs in any list of arguments.
      const lists = (v: unknown, path: string) => {
        if (Array.isArray(v)) {
          for (const p of secretArgPairs(v))
            bad(
              address,
              `${path}[${p.index}]`,
              `${path}[${p.index}] is a literal value for ${p.flag} (value not shown)`,
            );
          v.forEach((x, i) => lists(x, `${path}[${i}]`));
        } else if (typeof v === 'object' && v !== null)
          for (const [k, x] of Object.entries(v)) if (k !== '//') lists(x, path === '' ? k : `${path}.${k}`);
      };
      lists(body, '');
      if (out.length === before) out.push({ ...ok(), address });
    };
    for (const p of ctx.stack.providers) scan(p.address, p.body, true);
    for (const b of ctx.stack.backends) scan(`terraform.backend.${b.type}`, b.body, true);
    for (const r of [...ctx.stack.resources, ...ctx.stack.data])
      scan(r.address, r.body, r.type === 'helm_release');
    for (const name of Object.keys(ctx.stack.outputs)) scan(`output.${name}`, ctx.stack.outputs[name], false);
    return out;
  },
};
