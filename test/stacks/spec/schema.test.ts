import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { specJsonSchema } from '../../../stacks/spec/schema';
import { EXAMPLES, FIXTURES, REPO_ROOT } from '../../support/paths';

const schema = specJsonSchema();
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

describe('the JSON Schema of the spec', () => {
  test.each(fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')))('validates examples/%s', (name) => {
    const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../sovereign.schema.json');
    const ok = validate(parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('rejects the wrong-types fixture', () => {
    expect(validate(parse(fs.readFileSync(path.join(FIXTURES, 'spec', 'wrong-types.yaml'), 'utf8')))).toBe(
      false,
    );
    expect(validate.errors!.length).toBeGreaterThan(10);
  });

  test('describes every property, so editors can show help', () => {
    const undocumented: string[] = [];
    const walk = (s: unknown, at: string) => {
      if (s === null || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      if (o.properties) {
        for (const [k, v] of Object.entries(o.properties as Record<string, Record<string, unknown>>)) {
          const described =
            v.description !== undefined || (Array.isArray(v.oneOf) && v.oneOf.length > 0) || v.anyOf;
          if (!described && k !== 'type' && k !== 'mode') undocumented.push(`${at}.${k}`);
          walk(v, `${at}.${k}`);
        }
      }
      for (const key of ['additionalProperties', 'items', 'oneOf', 'anyOf']) {
        const v = o[key];
        if (Array.isArray(v)) v.forEach((x) => walk(x, at));
        else walk(v, at + (key === 'additionalProperties' ? '.*' : ''));
      }
    };
    walk(schema, '$');
    expect(undocumented).toEqual([]);
  });

  test('the committed sovereign.schema.json is the current schema (run npm run schema to refresh)', () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, 'sovereign.schema.json'), 'utf8');
    expect(committed).toBe(JSON.stringify(schema, null, 2) + '\n');
  });
});
