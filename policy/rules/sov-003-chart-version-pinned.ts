import { str } from '../json';
import { fail, ok, unknown, type ResourceRule } from '../types';
import { unresolved } from './private/helpers';

const EXACT = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const rule: ResourceRule = {
  id: 'SOV-003',
  title: 'Helm charts are pinned to an exact version',
  severity: 'high',
  fix: 'Set `version` on the helm_release to the exact chart version mirrored in the jurisdiction (e.g. `v25.3.0`).',
  anchors: [
    'Helm: pinned chart versions',
    'SLSA: pinned dependencies',
    'BSI C5:2020 DEV (change management)',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: ['helm_release'],
  check: (r) => {
    const v = r.body.version;
    if (unresolved(v)) return unknown('version', 'chart version is not resolved at synth time');
    const s = str(v);
    if (s === undefined || s === '')
      return fail('version', `chart ${str(r.body.chart) ?? ''} has no version: the newest is installed`);
    if (!EXACT.test(s)) return fail('version', `chart version ${s} is a range, not an exact version`);
    return ok('version');
  },
};
