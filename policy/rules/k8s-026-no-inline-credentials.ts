import { isRef, strings } from '../json';
import { ok, type Outcome, type StackRule } from '../types';

const CREDENTIAL_KEYS =
  /(^|\.)(token|password|client_key|client_secret|secret_key|access_key|conn_str|private_key)$/;

export const rule: StackRule = {
  id: 'K8S-026',
  title: 'No inline credentials in provider or backend blocks',
  severity: 'critical',
  fix: 'Authenticate with a kubeconfig path and context, an `exec` plugin, or variables/environment (KUBE_TOKEN, AWS_*), never a literal in the stack.',
  anchors: [
    'Checkov CKV_SECRET_* (secrets in code)',
    'Terraform: Sensitive data in state and configuration',
    'OWASP Kubernetes Top 10 K08',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const scan = (address: string, body: unknown, prefix: string) => {
      let found = false;
      for (const s of strings(body, prefix)) {
        if (!CREDENTIAL_KEYS.test(s.path.replace(/\[\d+\]/g, ''))) continue;
        if (s.value === '' || isRef(s.value)) continue;
        found = true;
        out.push({
          status: 'non-compliant',
          address,
          path: s.path,
          message: `${s.path} is a literal credential`,
        });
      }
      if (!found) out.push({ ...ok(), address });
    };
    for (const p of ctx.stack.providers) scan(p.address, p.body, '');
    if (ctx.stack.backend) scan(`terraform.backend.${ctx.stack.backend.type}`, ctx.stack.backend.body, '');
    return out;
  },
};
