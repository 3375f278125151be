import { jsonErrorOffset, parseJson } from '../../policy/load';

describe('load', () => {
  test('locates JSON syntax errors as file:line:col', () => {
    expect(jsonErrorOffset('{\n  "a": [1,,]\n}')).toBe(12);
    expect(jsonErrorOffset('{"a":1')).toBe(6);
    expect(() => parseJson('{\n  "a": [1,,]\n}', 'x.json')).toThrow(/x\.json:2:\d+ {2}not valid JSON/);
    expect(() => parseJson('', 'e.json')).toThrow(/e\.json:1:1 {2}not valid JSON/);
  });
});
