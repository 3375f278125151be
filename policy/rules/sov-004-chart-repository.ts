import { str } from '../json';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

const norm = (s: string) => s.trim().replace(/\/+$/, '').toLowerCase();

export const rule: ResourceRule = {
  id: 'SOV-004',
  title: 'Helm charts come from the jurisdiction chart mirror',
  severity: 'critical',
  fix: 'Mirror the chart into an allowed chart repository and set `repository` to it (see `allowed.chartRepositories`).',
  anchors: ['GDPR Art. 44', 'BSI C5:2020 PSS-12', 'SecNumCloud 3.2 §19'],
  suppressible: false,
  scope: 'resource',
  appliesTo: ['helm_release'],
  check: (r, ctx) => {
    const allowed = ctx.metadata.allowed.chartRepositories.map(norm);
    const repo = r.body.repository;
    const chart = str(r.body.chart) ?? '';
    if (unresolved(repo) || unresolved(chart))
      return unknown('repository', 'chart repository is not resolved at synth time');
    const s = str(repo);
    if (s === undefined || s === '') {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(chart)) {
        const inside = allowed.some((a) => norm(chart).startsWith(`${a}/`) || norm(chart) === a);
        return inside ? ok('chart') : fail('chart', `chart ${chart} is not in an allowed chart repository`);
      }
      return fail(
        'repository',
        `chart ${chart} names no repository (a local path or repo alias the auditor cannot verify)`,
      );
    }
    if (allowed.includes(norm(s))) return ok('repository');
    return fail(
      'repository',
      `repository ${s} is not an allowed chart repository (${allowed.join(', ') || 'none declared'})`,
    );
  },
};
