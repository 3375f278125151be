import { formatFindings, renderText, formatTotals } from '../../../policy/report/text';
import { exampleReport } from './helpers';

describe('text report', () => {
  test('prints findings with rule, address, field and fix', () => {
    const r = exampleReport({ broken: true });
    const out = formatFindings(r.stacks[1].findings);
    expect(out).toContain(
      'error    SOV-002  fr:kubernetes_deployment_v1.vllm_llama  spec.template.spec.container[0].image',
    );
    expect(out).toContain('         fix: Mirror the image into the jurisdiction registry');
    expect(out).not.toContain('suppressed');
    expect(formatFindings(r.stacks[0].findings, { showSuppressed: true })).toContain(
      'suppressed: GPU operator driver and toolkit daemon sets need privileged pods (until 2099-12-31)',
    );
  });
  test('colours only when asked', () => {
    const r = exampleReport({ broken: true });
    expect(formatFindings(r.stacks[1].findings, { color: true })).toContain('\u001b[31merror');
    expect(renderText(r)).not.toContain('\u001b[');
  });
  test('summarises stacks, plan risks and the gate', () => {
    const out = renderText(exampleReport());
    expect(out).toContain('stack de — jurisdiction de, profile de-bsi-c5');
    expect(out).toContain('plan plan.json (format 1.2): 1 to create, 3 to update, 2 to replace, 1 to delete');
    expect(out).toContain('RISK gpu-driver-upgrade');
    expect(out.trimEnd().split('\n').pop()).toMatch(/^PASS: \d+ passed, 0 failed/);
    // Checks and findings are counted apart: one failed check can hold several findings.
    expect(
      formatTotals({
        passed: 126,
        failed: 4,
        suppressed: 1,
        unknown: 0,
        notApplicable: 12,
        errors: 0,
        warnings: 5,
      }),
    ).toBe(
      '126 passed, 4 failed, 1 suppressed, 0 unknown, 12 not applicable; open findings: 0 errors, 5 warnings',
    );
    expect(
      formatTotals({
        passed: 1,
        failed: 1,
        suppressed: 0,
        unknown: 0,
        notApplicable: 0,
        errors: 1,
        warnings: 1,
      }),
    ).toMatch(/; open findings: 1 error, 1 warning$/);
  });
});
