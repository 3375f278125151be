/** Each model's licence as the report shows it: the catalogue's facts and the risks its clauses carry. */
import type { StackResult } from '../engine';
import { cmp } from '../json';
import { spdxExpression } from '../licences/catalogue';
import { catalogueEntry, modelAddress } from '../licences/judge';
import type { ModelLicenceEntry } from './model';

export function licences(r: StackResult): ModelLicenceEntry[] {
  const t = (r.metadata as { territories?: unknown }).territories;
  const territories = Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  return [...r.metadata.models]
    .filter((m) => typeof m?.name === 'string')
    .sort((a, b) => cmp(a.name, b.name))
    .map((m) => {
      const e = catalogueEntry(m.license);
      const clauses = e ? e.clauses : [];
      const a = m.licenseAcceptance as { reason?: unknown; url?: unknown } | undefined;
      const address = modelAddress(m.name);
      return {
        model: m.name,
        ...(typeof m.license === 'string' ? { id: m.license } : {}),
        listed: e !== undefined,
        ...(e
          ? {
              name: e.name,
              ...(e.spdx ? { spdx: e.spdx } : {}),
              expression: spdxExpression(e),
              url: e.url,
              version: e.version,
              read: e.read,
            }
          : {}),
        classes: [...new Set(clauses.filter((c) => c.notice !== true).map((c) => c.class))],
        clauses,
        territories,
        ...(a && typeof a.reason === 'string' && typeof a.url === 'string'
          ? { acceptance: { reason: a.reason, url: a.url } }
          : {}),
        accepted: r.rows
          .filter((row) => row.status === 'suppressed' && row.address === address && row.suppression)
          .map((row) => ({
            rule: row.rule,
            reason: row.suppression!.reason,
            ...(row.suppression!.expires ? { expires: row.suppression!.expires } : {}),
          })),
      };
    });
}
