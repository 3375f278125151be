import type { Outcome, StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-018',
  title: 'Every planned resource is one the synthesized stack declares',
  severity: 'critical',
  fix: 'Plan the audited cdk.tf.json only; a resource in the plan that the artifact does not hold comes from another configuration, a module or an edit after synthesis.',
  anchors: [
    'sovereign-stack trust model (docs/trust-model.md)',
    'Terraform JSON output format (resource_changes)',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const declared = ctx.synthesizedAddresses;
    if (declared === undefined) return [{ status: 'not-applicable', address: 'stack' }];
    const out: Outcome[] = [];
    for (const r of [...ctx.stack.resources, ...ctx.stack.data]) {
      const base = r.name.startsWith('module.') ? r.name : r.address.replace(/\[[^\]]*\]$/, '');
      out.push(
        declared.has(base)
          ? { status: 'compliant', address: r.address }
          : {
              status: 'non-compliant',
              address: r.address,
              path: '',
              message: `${r.name.startsWith('module.') ? r.name : r.address} is planned but the synthesized stack does not declare it`,
            },
      );
    }
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};
