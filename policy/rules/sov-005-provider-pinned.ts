import { ok, type Outcome, type StackRule } from '../types';

const EXACT = /^(=\s*)?v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export const rule: StackRule = {
  id: 'SOV-005',
  title: 'Providers are declared with a full source address and an exact version',
  severity: 'high',
  fix: 'Declare every provider in `required_providers` as `<host>/<namespace>/<type>` with an exact version (`2.38.0`, no `~>` or `>=`).',
  anchors: [
    'Terraform: Provider requirements (source addresses, version constraints)',
    'SLSA: pinned dependencies',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const declared = new Set(ctx.stack.requiredProviders.map((p) => p.name));
    for (const p of ctx.stack.requiredProviders) {
      const address = `terraform.required_providers.${p.name}`;
      if (!p.source || p.source.split('/').length !== 3) {
        out.push({
          status: 'non-compliant',
          address,
          path: 'source',
          message: `source ${p.source ?? '(unset)'} is not a full <host>/<namespace>/<type> address`,
        });
      } else if (!p.version || !EXACT.test(p.version.trim())) {
        out.push({
          status: 'non-compliant',
          address,
          path: 'version',
          message: `version ${p.version ?? '(unset)'} is not one exact version`,
        });
      } else out.push({ ...ok('version'), address });
    }
    const used = new Set<string>([
      ...ctx.stack.providers.map((p) => p.name),
      ...[...ctx.stack.resources, ...ctx.stack.data]
        .map((r) => r.type.split('_')[0])
        .filter((n) => n !== 'terraform'),
    ]);
    for (const n of [...used].sort()) {
      if (!declared.has(n)) {
        out.push({
          status: 'non-compliant',
          address: `terraform.required_providers.${n}`,
          path: '',
          message: `provider ${n} is used but not declared in required_providers`,
        });
      }
    }
    return out;
  },
};
