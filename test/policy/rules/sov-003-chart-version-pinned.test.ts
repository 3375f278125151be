import { rule } from '../../../policy/rules/sov-003-chart-version-pinned';
import { exampleStack, runOn, unknowns } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-003 charts pinned to an exact version', () => {
  test('passes v25.3.0', () => expectExampleCompliant(rule));
  test('fails without a version and on a range', () => {
    const j = exampleStack();
    delete j.resource.helm_release.gpu_operator.version;
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator version: chart gpu-operator has no version: the newest is installed',
    ]);
    j.resource.helm_release.gpu_operator.version = '~25.3';
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator version: chart version ~25.3 is a range, not an exact version',
    ]);
  });
  test('is unknown for a referenced version', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.version = '${var.v}';
    expect(unknowns(runOn(rule, j))).toHaveLength(1);
  });
});
