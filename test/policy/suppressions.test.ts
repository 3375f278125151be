import { evaluateStack } from '../../policy/engine';
import { isExpired, isIsoDate, suppressionProblems } from '../../policy/suppressions';
import { exampleStack, metadata } from './fixtures';
import type { Suppression } from '../../core/stack-record';

const TODAY = '2026-06-01';
const run = (
  suppressions: Suppression[],
  mutate: (j: ReturnType<typeof exampleStack>) => void = () => undefined,
) => {
  const j = exampleStack(metadata({ suppressions: [...metadata().suppressions, ...suppressions] }));
  mutate(j);
  return evaluateStack('de', j, { today: TODAY });
};
const writable = (j: ReturnType<typeof exampleStack>) => {
  j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].security_context.read_only_root_filesystem = false;
};
const ADDR = 'kubernetes_deployment_v1.vllm_llama';

describe('suppressions', () => {
  test('a valid suppression turns the failure into a suppressed row with its reason', () => {
    const r = run(
      [
        {
          rule: 'K8S-011',
          resource: ADDR,
          reason: 'vLLM writes its compile cache under /root',
          expires: '2026-12-31',
        },
      ],
      writable,
    );
    expect(r.totals.errors).toBe(0);
    const row = r.rows.find((x) => x.rule === 'K8S-011' && x.address === ADDR)!;
    expect(row.status).toBe('suppressed');
    expect(row.suppression).toEqual({
      reason: 'vLLM writes its compile cache under /root',
      expires: '2026-12-31',
      index: 1,
    });
    expect(r.suppressions[1].state).toBe('applied');
  });

  test('the expiry day itself still applies; the day after, the suppression fails SUP-001 and the finding returns', () => {
    expect(isExpired({ expires: TODAY }, TODAY)).toBe(false);
    const r = run(
      [{ rule: 'K8S-011', resource: ADDR, reason: 'temporary exception for cache', expires: '2026-05-31' }],
      writable,
    );
    expect(
      r.findings
        .filter((f) => f.status === 'failed')
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['K8S-011', 'SUP-001']);
    expect(r.suppressions[1]).toMatchObject({
      state: 'expired',
      note: 'expired on 2026-05-31 (today is 2026-06-01)',
    });
  });

  test('`*` suppresses the rule for every address of the stack', () => {
    const r = run([{ rule: 'K8S-011', resource: '*', reason: 'engine images need writable root' }], writable);
    expect(r.totals.errors).toBe(0);
  });

  test('fails SUP-002 when the reason is too short, the rule unknown or the date malformed', () => {
    const r = run(
      [
        { rule: 'K8S-011', resource: ADDR, reason: 'because' },
        { rule: 'XYZ-001', resource: ADDR, reason: 'a good enough reason' },
        { rule: 'K8S-011', resource: ADDR, reason: 'a good enough reason', expires: '2026-02-30' },
      ],
      writable,
    );
    expect(r.suppressions.map((s) => s.state)).toEqual(['applied', 'invalid', 'invalid', 'invalid']);
    expect(r.findings.filter((f) => f.rule === 'SUP-002').map((f) => f.message)).toEqual([
      'suppression of K8S-011 on kubernetes_deployment_v1.vllm_llama: reason must be at least 10 characters, is 7',
      'suppression of XYZ-001 on kubernetes_deployment_v1.vllm_llama: rule "XYZ-001" is not a known rule id',
      'suppression of K8S-011 on kubernetes_deployment_v1.vllm_llama: expires "2026-02-30" is not a YYYY-MM-DD date',
    ]);
    expect(r.findings.some((f) => f.rule === 'K8S-011' && f.status === 'failed')).toBe(true);
  });

  test('non-suppressible rules ignore suppressions and say so (SUP-003)', () => {
    const r = run([{ rule: 'SOV-002', resource: ADDR, reason: 'we trust Docker Hub for now' }], (j) => {
      j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image = `docker.io/vllm/vllm-openai@sha256:${'a'.repeat(64)}`;
    });
    expect(r.findings.filter((f) => f.status === 'failed').map((f) => [f.rule, f.level])).toEqual([
      ['SOV-002', 'error'],
      ['SUP-003', 'warning'],
    ]);
    expect(r.suppressions[1]).toMatchObject({ state: 'ignored', note: 'SOV-002 cannot be suppressed' });
    expect(r.findings.find((f) => f.rule === 'SUP-003')!.message).toMatch(/its finding stands/);
  });

  test('a suppression that matches nothing is reported as unused (SUP-004, warning)', () => {
    const r = run([{ rule: 'K8S-011', resource: ADDR, reason: 'no longer needed, left behind' }]);
    expect(r.suppressions[1].state).toBe('unused');
    expect(r.totals).toMatchObject({ errors: 0, warnings: 1 });
  });

  test('helpers', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-2-28')).toBe(false);
    expect(
      suppressionProblems({ rule: 'K8S-001', resource: '', reason: 'x'.repeat(10) }, ['K8S-001']),
    ).toEqual(['resource must be a Terraform address or *']);
  });
});
