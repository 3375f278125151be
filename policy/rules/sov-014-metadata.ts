import { boundaryProblems } from '../boundary';
import { ALL_PACK_IDS } from '../packs/ids';
import { PROFILE_PACKS } from '../packs';
import type { Outcome, StackRule } from '../types';

export const rule: StackRule = {
  id: 'SOV-014',
  title: 'The stack declares its jurisdiction, packs and a boundary one jurisdiction can own',
  severity: 'critical',
  fix: 'Synthesize the stack with a JurisdictionStack (it writes `"//".sovereign`); a hand-written stack must add that block.',
  anchors: ['sovereign-stack artifact contract (core/stack-record.ts)'],
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
    const m = ctx.metadata;
    if (ctx.problems.length === 0 && !(m.profile in PROFILE_PACKS))
      out.push({
        status: 'non-compliant',
        address: 'stack',
        path: '"//".sovereign.profile',
        message: `unknown profile ${JSON.stringify(m.profile)} (known: ${Object.keys(PROFILE_PACKS).join(', ')})`,
      });
    const FIELD: Record<string, string> = {
      registries: 'registries',
      chartRepositories: 'chartRepositories',
      providerHosts: 'providerHosts',
      hosts: 'hosts',
      cidrs: 'cidrs',
      declaredPublic: 'declaredPublic',
    };
    for (const p of boundaryProblems({ ...m.allowed, declaredPublic: m.allowed.declaredPublic ?? [] }))
      out.push({
        status: 'non-compliant',
        address: 'stack',
        path: `"//".sovereign.allowed.${FIELD[p.field]}${p.index !== undefined ? `[${p.index}]` : ''}`,
        message: p.message,
      });
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};
