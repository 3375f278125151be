import { type StackRule } from '../types';
import { licenceOutcomes } from './private/licence';

export const rule: StackRule = {
  id: 'LIC-006',
  title: "Model licences do not exclude the jurisdiction's territory",
  severity: 'critical',
  fix: "Serve another model: a licence whose grant excludes the jurisdiction's territory cannot be accepted by a suppression. Declare the jurisdiction's territories (ISO 3166 codes or EU) so the exclusion can be judged.",
  anchors: [
    'docs/licences.md: territorial',
    'Llama 3.2 / Llama 4 Acceptable Use Policy (EU exclusion of multimodal models)',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => licenceOutcomes('LIC-006', ctx),
};
