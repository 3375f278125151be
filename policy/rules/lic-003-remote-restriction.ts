import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-003',
  title: 'Model licences do not let the vendor restrict or terminate the use remotely',
  severity: 'high',
  fix: 'Serve a model whose licence gives the vendor no right to restrict or terminate the use, or accept the clause with a suppression whose reason says why it is tolerable here.',
  anchors: [
    'docs/licences.md: remote-restriction',
    'C5:2020 SSO-01 (supplier risk)',
    'SecNumCloud 3.2 §19.6',
  ],
  suppressible: true,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-003', ctx),
};
