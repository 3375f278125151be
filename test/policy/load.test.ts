import { parseJson } from '../../policy/load';

describe('load', () => {
  test('locates JSON syntax errors as file:line:col', () => {
    expect(() => parseJson('{\n  "a": [1,,]\n}', 'x.json')).toThrow(
      /x\.json:2:\d+ {2}a\[1\] {2}not valid JSON/,
    );
    expect(() => parseJson('', 'e.json')).toThrow(/e\.json:1:1 {2}not valid JSON/);
  });

  test('refuses duplicate keys anywhere, located, as Terraform reads both', () => {
    expect(() => parseJson('{"resource": {}, "resource": {}}', 'x.json')).toThrow(
      /x\.json:1:18 {2}resource {2}not valid JSON: duplicate key "resource" \(first at 1:2\)/,
    );
    expect(() => parseJson('{"a": [{"b": 1, "c": {"d": 1, "d": 2}}]}', 'x.json')).toThrow(
      /a\[0\]\.c\.d .*duplicate key "d"/,
    );
    expect(() => parseJson('{"resource": 1, "resourc\\u0065": 2}', 'x.json')).toThrow(
      /duplicate key "resource"/,
    );
    expect(() => parseJson('\ufeff{}', 'x.json')).toThrow(/not valid JSON/);
    // __proto__ is data, never the prototype; a second one is a duplicate.
    const o = parseJson('{"__proto__": {"polluted": true}}', 'x.json') as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parseJson('{"a": [1, 2.5e3, -0, true, null, "\\u00e9"]}', 'x.json')).toEqual({
      a: [1, 2500, -0, true, null, 'é'],
    });
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
        `x.json:${at}  ${at === '2:11' ? 'a[1]' : 'b[1]'}  not valid JSON: unexpected character ","`,
      ]);
    }
  });
});
