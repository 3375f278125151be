import { ALL_RULES } from '../../policy/rules';
import {
  CLAUSES,
  FRAMEWORKS,
  frameworkMatrix,
  MANUAL_CONTROLS,
  RULE_CLAUSES,
  type FrameworkId,
} from '../../policy/frameworks';

describe('framework matrix', () => {
  test('every rule is mapped, and only rules that exist', () => {
    expect(Object.keys(RULE_CLAUSES).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test('every clause the table names is a known clause of its framework, with a title', () => {
    for (const [rule, row] of Object.entries(RULE_CLAUSES))
      for (const [fw, ids] of Object.entries(row) as [FrameworkId, string[]][])
        for (const id of ids)
          expect([rule, fw, id, typeof CLAUSES[fw][id]]).toEqual([rule, fw, id, 'string']);
    for (const fw of Object.keys(FRAMEWORKS) as FrameworkId[])
      expect(MANUAL_CONTROLS[fw].length).toBeGreaterThan(0);
  });

  test('rolls results up: a failure fails the clause, suppressions are said, nothing run is not exercised', () => {
    const zero = { passed: 0, failed: 0, suppressed: 0, unknown: 0 };
    const m = frameworkMatrix([
      { rule: 'SOV-007', ...zero, passed: 1 },
      { rule: 'SOV-012', ...zero, failed: 1 },
      { rule: 'K8S-001', ...zero, passed: 3 },
      { rule: 'K8S-023', ...zero, suppressed: 1 },
    ]);
    const c5 = m.find((f) => f.id === 'c5')!;
    expect(c5.clauses.find((c) => c.id === 'PSS-12')!.result).toBe('failed');
    expect(c5.clauses.find((c) => c.id === 'OPS-23')!.result).toBe('evidenced with suppressions');
    expect(c5.clauses.find((c) => c.id === 'IDM-06')!.result).toBe('not exercised');
    const snc = m.find((f) => f.id === 'secnumcloud')!;
    expect(snc.clauses.map((c) => c.id)).toEqual(['9', '12', '13', '14', '15', '19.2', '19.6']);
    const ai = m.find((f) => f.id === 'ai-act')!;
    expect(ai.clauses.find((c) => c.id === 'Art. 53')!.rules).toEqual(['SOV-010']);
  });
});
