import { rule } from '../../../policy/rules/k8s-016-probes';
import { everyKind, runOnResource } from '../fixtures';
import { expectFailsInEveryKind } from './helpers';

describe('K8S-016 probes', () => {
  test('passes long-running kinds and does not apply to jobs', () => {
    for (const r of everyKind()) {
      const os = runOnResource(rule, r);
      const isJob = /job/i.test(r.type) || /job/.test(r.name);
      expect({ a: r.address, s: [...new Set(os.map((o) => o.status))] }).toEqual({
        a: r.address,
        s: [isJob ? 'not-applicable' : 'compliant'],
      });
    }
  });
  test('fails when a server has no liveness probe', () => {
    const mutate = (p: { container: Record<string, unknown>[] }) => delete p.container[0].liveness_probe;
    const long = everyKind(mutate).filter((r) => !/job/i.test(r.type) && !/job/.test(r.name));
    for (const r of long)
      expect(
        runOnResource(rule, r)
          .filter((o) => o.status === 'non-compliant')
          .map((o) => o.message),
      ).toEqual(['container vllm has no liveness_probe']);
  });
  test('fails when readiness is missing (path names the field)', () => {
    expect(() =>
      expectFailsInEveryKind(
        rule,
        (p) => delete p.container[0].readiness_probe,
        { tf: 'readiness_probe', k8s: 'readinessProbe' },
        /no readiness_probe/,
      ),
    ).toThrow(); // jobs are exempt
  });
});
