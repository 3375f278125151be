import { ALL_PACK_IDS } from '../packs/ids';
import type { Outcome, StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-014',
  title: 'The stack declares its jurisdiction, allow-lists and packs',
  severity: 'critical',
  fix: 'Synthesize the stack with a JurisdictionStack (it writes `"//".sovereign`); a hand-written stack must add that block.',
  anchors: ['sovereign-stack artifact contract (policy/metadata.ts)'],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    for (const p of ctx.problems)
      out.push({ status: 'non-compliant', address: 'stack', path: '"//".sovereign', message: p });
    ctx.metadata.packs.forEach((p, i) => {
      if (!ALL_PACK_IDS.includes(p.id))
        out.push({
          status: 'non-compliant',
          address: 'stack',
          path: `"//".sovereign.packs[${i}]`,
          message: `unknown pack ${p.id} (known: ${ALL_PACK_IDS.join(', ')})`,
        });
    });
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};
