import { rule } from '../../../policy/rules/k8s-010-volume-types';
import { expectCompliantInEveryKind, expectFailsInEveryKind } from './helpers';

describe('K8S-010 volume types allow-list', () => {
  test('passes PVC, emptyDir, ConfigMap volumes in every workload kind', () =>
    expectCompliantInEveryKind(rule));
  test('fails on an NFS volume', () =>
    expectFailsInEveryKind(
      rule,
      (p) => p.volume.push({ name: 'nfs', nfs: { path: '/exports', server: 'nfs.de.example' } }),
      { tf: 'volume[3].nfs', k8s: 'volumes[3].nfs' },
      /type nfs, not in the restricted allow-list/,
    ));
  test('fails on a git_repo volume', () =>
    expectFailsInEveryKind(
      rule,
      (p) => p.volume.push({ git_repo: { repository: 'https://git.de.example/x' }, name: 'g' }),
      { tf: 'volume[3].git_repo', k8s: 'volumes[3].gitRepo' },
      /git/,
    ));
});
