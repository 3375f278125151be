import { rule } from '../../../policy/rules/sov-004-chart-repository';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-004 charts from the jurisdiction mirror', () => {
  test('passes the mirror (trailing slash ignored)', () => {
    expectExampleCompliant(rule);
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.repository = 'https://charts.de.example/nvidia/';
    expect(failuresOn(rule, j)).toEqual([]);
  });
  test('fails on the upstream NVIDIA repository', () => {
    const j = exampleStack();
    j.resource.helm_release.gpu_operator.repository = 'https://helm.ngc.nvidia.com/nvidia';
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator repository: repository https://helm.ngc.nvidia.com/nvidia is not an allowed chart repository (https://charts.de.example/nvidia)',
    ]);
  });
  test('judges an OCI chart URL and a missing repository', () => {
    const j = exampleStack();
    delete j.resource.helm_release.gpu_operator.repository;
    j.resource.helm_release.gpu_operator.chart = 'oci://ghcr.io/nvidia/gpu-operator';
    expect(failuresOn(rule, j)).toEqual([
      'helm_release.gpu_operator chart: chart oci://ghcr.io/nvidia/gpu-operator is not in an allowed chart repository',
    ]);
    j.resource.helm_release.gpu_operator.chart = './charts/gpu-operator';
    expect(failuresOn(rule, j)[0]).toMatch(/names no repository/);
  });
});
