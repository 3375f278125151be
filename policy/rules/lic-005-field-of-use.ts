import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-005',
  title: 'Model licences set no field-of-use, research-only or non-production limit',
  severity: 'high',
  fix: 'Serve a model whose licence allows this use, obtain the commercial licence, or accept with a suppression stating the use stays inside the permitted field.',
  anchors: [
    'docs/licences.md: field-of-use',
    'OSI Open Source Definition §6 (no discrimination against fields of endeavour)',
  ],
  suppressible: true,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-005', ctx),
};
