import { closest, didYouMean, editDistance } from '../../core/suggest';

describe('suggestions for misspelled keys, values and flags', () => {
  test('edit distance counts inserts, deletes and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('closest finds likely typos only', () => {
    expect(closest('replicaz', ['replicas', 'pool', 'store'])).toBe('replicas');
    expect(closest('modles', ['models', 'pools'])).toBe('models');
    expect(closest('Replicas', ['replicas'])).toBe('replicas');
    expect(closest('gpu', ['architecture', 'weights'])).toBeUndefined();
  });

  test('ties go to the alphabetically first candidate', () => {
    expect(closest('ab', ['ac', 'aa'])).toBe('aa');
  });

  test('minEdits lets short words match further away', () => {
    expect(closest('-x', ['-ab'])).toBeUndefined();
    expect(closest('-x', ['-ab'], 2)).toBe('-ab');
  });

  test('didYouMean phrases the hint or says nothing', () => {
    expect(didYouMean('h10', ['h100', 'l40s'])).toBe(' Did you mean "h100"?');
    expect(didYouMean('zzz', ['h100'])).toBe('');
  });
});
