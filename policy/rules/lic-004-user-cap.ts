import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-004',
  title: 'Model licences set no user or revenue cap',
  severity: 'medium',
  fix: 'Check the deployment stays below the cap the licence sets, then accept it with a suppression whose reason states the expected users or revenue.',
  anchors: ['docs/licences.md: user-cap'],
  suppressible: true,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-004', ctx),
};
