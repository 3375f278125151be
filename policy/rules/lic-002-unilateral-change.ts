import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-002',
  title: 'Model licences do not let the vendor change the terms unilaterally',
  severity: 'high',
  fix: 'Serve a model under a licence without externally updatable terms (Apache-2.0, MIT), or accept the clause with a suppression whose reason says why it is tolerable here.',
  anchors: ['docs/licences.md: unilateral-change', 'C5:2020 SSO-01 (supplier risk)', 'SecNumCloud 3.2 §19.6'],
  suppressible: true,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-002', ctx),
};
