import { renderJson } from '../../../policy/report/json';
import { exampleReport } from './helpers';

describe('json report', () => {
  test('parses back to the report and is byte-identical across runs', () => {
    const a = renderJson(exampleReport());
    expect(renderJson(exampleReport())).toBe(a);
    const parsed = JSON.parse(a);
    expect(Object.keys(parsed)).toEqual([
      'tool',
      'generatedAt',
      'strict',
      'evaluatedOn',
      'files',
      'totals',
      'gate',
      'stacks',
      'plan',
      'trust',
    ]);
    expect(parsed.stacks[0].totals).toMatchObject({ failed: 0, suppressed: 1, errors: 0 });
    expect(parsed.plan.formatVersion).toBe('1.2');
  });
});
