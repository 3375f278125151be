import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-007',
  title: 'Model licences impose no attribution or flow-down duties',
  severity: 'low',
  fix: 'Meet the duties (ship the licence and notices, show the attribution, pass the use restrictions on) and accept them with a suppression saying how.',
  anchors: ['docs/licences.md: attribution', 'CycloneDX 1.6 licenses'],
  suppressible: true,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-007', ctx),
};
