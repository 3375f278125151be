/**
 * The benchmark's generated specs are specs the toolkit accepts: a bench that only fails when
 * someone runs it measures nothing. Validation only (no synth): cheap enough for every run.
 */
import { formatProblem, isSovereignError } from '../../core/errors';
import { parseSpec } from '../../stacks/spec/load';
import { generateEdgeSite, generateSpec, MODELS_PER_JURISDICTION } from '../../bench/specs';

const problems = (text: string, file: string): string[] => {
  try {
    parseSpec(text, file);
    return [];
  } catch (e) {
    if (isSovereignError(e)) return e.problems.map(formatProblem);
    throw e;
  }
};

test('the fleet spec of the benchmark validates, every jurisdiction with its models', () => {
  const text = generateSpec(3);
  expect(problems(text, 'bench-3.yaml')).toEqual([]);
  const { spec } = parseSpec(text, 'bench-3.yaml');
  const js = Object.values(spec.jurisdictions);
  expect(js).toHaveLength(3);
  for (const j of js) expect(Object.keys(j.models)).toHaveLength(MODELS_PER_JURISDICTION);
});

test('an edge site of the benchmark validates: one CPU llama.cpp model, no GPU pool', () => {
  const text = generateEdgeSite(7);
  expect(problems(text, 'edge-7.yaml')).toEqual([]);
  const { spec } = parseSpec(text, 'edge-7.yaml');
  const [j] = Object.values(spec.jurisdictions);
  expect(Object.values(j.models).map((m) => m.engine)).toEqual(['llama-cpp']);
  expect(Object.keys(j.pools)).toEqual([]);
});
