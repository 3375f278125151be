import { isRef, stringList } from '../json';
import { SECRET_NAME, secretArgPairs, secretsIn } from '../secrets';
import { ok, type Outcome, type StackRule } from '../types';

const CREDENTIAL_KEYS =
  /(^|\.)(token|password|client_key|client_secret|secret_key|access_key|conn_str|private_key|repository_password|repository_key_file_content)$/;

/** `spec`, `[0]`, `container` → `spec[0].container`, as the walk names a path. */
function pathOf(segs: readonly (string | number)[]): string {
  let path = '';
  for (const s of segs) path = typeof s === 'number' ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`;
  return path;
}

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
    // The same strings recur across a stack's resources (scripts, images, labels): each is read once.
    const hitsIn = new Map<string, ReturnType<typeof secretsIn>>();
    const secretsOf = (v: string) => {
      let h = hitsIn.get(v);
      if (h === undefined) hitsIn.set(v, (h = secretsIn(v)));
      return h;
    };
    const scan = (address: string, body: unknown, keys: boolean) => {
      const before = out.length;
      for (const s of stringList(body, '')) {
        if (keys && s.value !== '' && !isRef(s.value)) {
          const bare = s.path.replace(/\[\d+\]/g, '');
          if (CREDENTIAL_KEYS.test(bare)) bad(address, s.path, `${s.path} is a literal credential`);
          else if (/(^|\.)exec\.env\.[^.]+$/.test(bare) && SECRET_NAME.test(bare.split('.').pop() ?? ''))
            bad(address, s.path, `${s.path} sets a credential as a literal exec environment variable`);
        }
        // secretsIn finds nothing under 8 characters; those are not looked up in the table.
        if (s.value.length >= 8)
          for (const h of secretsOf(s.value))
            bad(address, s.path, `${s.path} holds a credential: ${h.kind} (value not shown)`);
      }
      // `["--client-secret", "value"]` pairs in any list of arguments. The path (`a.b[2]`) is
      // spelled out only where a pair is found.
      const segs: (string | number)[] = [];
      const lists = (v: unknown) => {
        if (Array.isArray(v)) {
          const pairs = secretArgPairs(v);
          if (pairs.length > 0) {
            const path = pathOf(segs);
            for (const p of pairs)
              bad(
                address,
                `${path}[${p.index}]`,
                `${path}[${p.index}] is a literal value for ${p.flag} (value not shown)`,
              );
          }
          for (let i = 0; i < v.length; i++) {
            segs.push(i);
            lists(v[i]);
            segs.pop();
          }
        } else if (typeof v === 'object' && v !== null)
          for (const k of Object.keys(v)) {
            if (k === '//') continue;
            segs.push(k);
            lists((v as Record<string, unknown>)[k]);
            segs.pop();
          }
      };
      lists(body);
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
