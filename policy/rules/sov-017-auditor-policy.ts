import { widerThanPolicy } from '../auditor-policy';
import type { Outcome, StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-017',
  title: "The declared boundary lies within the auditor's policy",
  severity: 'critical',
  fix: 'Synthesize from the approved spec; if the boundary really changed, the auditor updates the policy file, not the artifact.',
  anchors: ['sovereign-stack trust model (docs/trust-model.md)', 'GDPR Art. 44', 'SecNumCloud 3.2 §19'],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    if (ctx.policy === undefined) return [{ status: 'not-applicable', address: 'stack' }];
    if (ctx.policy === null)
      return [
        {
          status: 'non-compliant',
          address: 'stack',
          path: '"//".sovereign',
          message: `the auditor's policy names no jurisdiction ${ctx.stack.name}: nothing approves this stack's boundary`,
        },
      ];
    const out: Outcome[] = widerThanPolicy(ctx.metadata, ctx.policy).map((w) => ({
      status: 'non-compliant',
      address: 'stack',
      path: w.path,
      message: w.message,
    }));
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};
