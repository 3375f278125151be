import type { Pack } from './pack';

/**
 * The legal off-switches of model licences: what lets a vendor change the rules or stop the
 * use from outside, and what limits where, by whom and for what a model may run. Profiles
 * select it at warning; LIC-001 and LIC-006 also sit in the sovereignty pack (error
 * everywhere), and the BSI C5 and SecNumCloud packs raise LIC-002 and LIC-003 to error.
 */
export const LICENCE: Pack = {
  id: 'licence',
  title: 'Model licences',
  framework: 'sovereign-stack licence catalogue (docs/licences.md)',
  rules: [
    { rule: 'LIC-001', clause: 'licence identified from the catalogue or explicitly accepted' },
    { rule: 'LIC-002', clause: 'no unilateral change of terms' },
    { rule: 'LIC-003', clause: 'no remote restriction or termination' },
    { rule: 'LIC-004', clause: 'no user or revenue cap' },
    { rule: 'LIC-005', clause: 'no field-of-use or non-production limit' },
    { rule: 'LIC-006', clause: 'no territorial exclusion of the jurisdiction' },
    { rule: 'LIC-007', clause: 'attribution and flow-down duties known' },
  ],
};
