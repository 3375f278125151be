/** What the LIC-* rules share: the licence judgement applied to every recorded model. */
import { judgeLicence, modelAddress, type Verdict } from '../../licences/judge';
import type { Outcome, RuleContext } from '../../types';

/** The territories the record declares, when it declares them as a list of strings. */
export function recordedTerritories(ctx: RuleContext): string[] {
  const t = (ctx.metadata as { territories?: unknown }).territories;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

const fieldPath = (i: number, v: Verdict): string =>
  v.field === 'territories'
    ? '"//".sovereign.territories'
    : `"//".sovereign.models[${i}].${v.field === 'acceptance' ? 'licenseAcceptance' : 'license'}`;

/** One rule's outcomes over every model the stack records, at address `model.<name>`. */
export function licenceOutcomes(rule: string, ctx: RuleContext): Outcome[] {
  const territories = recordedTerritories(ctx);
  const out: Outcome[] = [];
  ctx.metadata.models.forEach((m, i) => {
    const name = typeof m?.name === 'string' && m.name !== '' ? m.name : `#${i}`;
    const verdicts = judgeLicence({
      license: m?.license,
      acceptance: m?.licenseAcceptance,
      territories,
    }).filter((v) => v.rule === rule);
    for (const v of verdicts) {
      out.push({ status: v.status, path: fieldPath(i, v), message: v.message, address: modelAddress(name) });
    }
  });
  return out;
}
