import { jsonErrorOffset, parseJson } from '../../policy/load';

describe('load', () => {
  test('locates JSON syntax errors as file:line:col', () => {
    expect(jsonErrorOffset('{\n  "a": [1,,]\n}')).toBe(12);
    expect(jsonErrorOffset('{"a":1')).toBe(6);
    expect(() => parseJson('{\n  "a": [1,,]\n}', 'x.json')).toThrow(/x\.json:2:\d+ {2}not valid JSON/);
    expect(() => parseJson('', 'e.json')).toThrow(/e\.json:1:1 {2}not valid JSON/);
  });

  test('keeps the message on one line: no quoted snippet of the input', () => {
    const big = `{\n  "a": "${'x'.repeat(200)}",\n  "b": [1,,]\n}\n`;
    for (const [text, at] of [
      ['{\n  "a": [1,,]\n}\n', '2:11'],
      [big, '3:11'],
    ]) {
      let message = '';
      try {
        parseJson(text, 'x.json');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split('\n')).toEqual([
        `x.json:${at}: unusable input`,
        `x.json:${at}  not valid JSON: unexpected character`,
      ]);
    }
  });
});
