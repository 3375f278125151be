import { formatProblem, invalidProps, specInvalid, isSovereignError } from '../../core/errors';

describe('SovereignError', () => {
  test('formats located problems as file:line:col  path  message', () => {
    expect(formatProblem({ file: 'a.yaml', line: 3, col: 7, path: 'x.y', message: 'bad' })).toBe(
      'a.yaml:3:7  x.y  bad',
    );
    expect(formatProblem({ path: 'replicas', message: 'bad' })).toBe('replicas  bad');
  });

  test('spec errors exit 2 and carry every problem', () => {
    const e = specInvalid('s.yaml', [
      { path: 'a', message: 'one' },
      { path: 'b', message: 'two' },
    ]);
    expect(isSovereignError(e)).toBe(true);
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('SPEC_INVALID');
    expect(e.message).toBe('s.yaml: 2 problems in the spec\na  one\nb  two');
  });

  test('construct prop errors name the construct', () => {
    const e = invalidProps('VllmServer llama', [{ path: 'replicas', message: '0 is not allowed' }]);
    expect(e.message).toBe('VllmServer llama: 1 invalid prop\nreplicas  0 is not allowed');
  });
});
