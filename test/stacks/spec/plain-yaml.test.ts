import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments, visit } from 'yaml';
import { generateSpec } from '../../../bench/specs';
import { formatProblem, isSovereignError } from '../../../core/errors';
import { parseSpec } from '../../../stacks/spec/load';
import { readPlainYaml } from '../../../stacks/spec/plain-yaml';
import { REPO_ROOT } from '../../support/paths';

beforeAll(() => process.chdir(REPO_ROOT));

/** What the full reader (`yaml`, as load.ts configures it) makes of `text`, if it accepts it. */
function fullRead(text: string): { ok: true; data: unknown } | { ok: false } {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  if (!Array.isArray(docs) || docs.length !== 1) return { ok: false };
  const doc = docs[0];
  if (doc.errors.length > 0 || doc.warnings.length > 0) return { ok: false };
  let special = false;
  visit(doc, {
    Node(_k, node) {
      if (node.tag !== undefined) special = true;
    },
    Alias() {
      special = true;
    },
  });
  return special ? { ok: false } : { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
}

const SCALARS = [
  ...['0', '-0', '+0', '7', '-7', '+7', '0012', '08', '12345678901234567890', '1_000', '1,000'],
  ...['0o17', '0o8', '-0o7', '+0o7', '0x1F', '0xg', '0x', '+0x1', '-0x1', '0b101', '0b'],
  ...['1.0', '1.', '.5', '+.5', '-.5', '0.', '1e3', '1E3', '1e+3', '-1.5e-3', '-.5e2', '1e', 'e3', '1e400'],
  ...['.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '.Nan', 'inf', 'nan', '1.2.3', '1:20', '2001-12-14'],
  ...['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'no', 'on', 'off'],
  ...['y', 'n', '-', '+', '.', '..', '_1', '"1"', "'true'", '"null"', '""', "''", '"\\x41\\u00e9\\N\\_"'],
];

/** Documents on both sides of the line between plain YAML and what the full reader must see. */
const DOCUMENTS = [
  ...SCALARS.map((s) => `k: ${s}\n`),
  ...SCALARS.map((s) => `${s}: v\n`),
  'a: b # c\nd: e#f\n',
  'a:  x\n   y\n',
  'a: >\n  f\n  g\n\n  h\n',
  'a: |-\n  x\n',
  'a: |+\n  x\n\n',
  "a: 'it''s'\n",
  'a: "\n  b\n  c"\n',
  "a: 'x\n\n  y'\n",
  'a: 1\r\nb: 2\r\n',
  '\ufeffa: 1\n',
  'a: \u00a0x\n',
  'a: [1, 2, ]\n',
  'a: {b: 1, }\n',
  'a: {b}\n',
  'a: {b: }\n',
  'a:\n  - b\n  -\n  - c\n',
  'a:\n- b\n- c\n',
  '__proto__: 1\n',
  'a:\n  b: [x, {y: z}]\n  c: {d: [1, 2]}\n',
  'a: http://[::1]:8080\n',
  'a: "[x]: y"\n',
  // Refused or read differently by the full reader: the quick read must give up.
  '- a\n- b\n',
  'a\n',
  '',
  '# only\n',
  'a: 1\n---\nb: 2\n',
  'a: 1\n...\n',
  '%YAML 1.1\n---\na: yes\n',
  'a: !!str 1\n',
  'a: !!map\n  b: 1\n',
  'a:\n  !!map\n  b: c\n',
  'a: ! x\n',
  'a: !<tag:yaml.org,2002:str> x\n',
  'a: !<?> 5\n',
  'a: !custom x\n',
  'a: &x 1\nb: *x\n',
  'a: &an\n  b: 1\n',
  '? a\n: b\n',
  '? [a, b]\n: c\n',
  '[a]: b\n',
  '{a: 1}: b\n',
  'a: {[b]: c}\n',
  '~: x\n',
  ': x\n',
  'a: 1\na: 2\n',
  'a: 1\n"a": 2\n',
  'true: 1\n"true": 2\n',
  'a:\n\t- b\n',
  'a: [1,,2]\n',
  'a: b: c\n',
  '"a\nb": c\n',
  'a: @x\n',
  'a: b\n a: c\n',
  'a:\n  b: 1\n c: 2\n',
  `${'k'.repeat(1030)}: v\n`,
  `a: ${'v'.repeat(1030)}\n`,
  // Where the readers differed before the quick read learnt to give up on them.
  'a: "b"#c\n',
  'x: [a]# c\n',
  'x: {[a]:b}\n',
  'x: {{a: 1}:b}\n',
  'a: !foo\n  |\n    x\n',
  'a: !!int\n  |\n    5\n',
  'a:\n  - !x\n    |\n      y\n',
  'a: !!binary\n  |\n    TGFi\n',
  'a: [\nb]\n',
  'y:\n  x: [a,\n  b]\n',
  'y:\n  x: {a: 1,\n  b: 2}\n',
  'y:\n  x: [a,\n    b]\n',
  'y:\n  x:\n    [\n      a,\n    ]\n',
  'y:\n  x: [a, # c\n    b]\n',
  'y:\n  x: "b\n  c"\n',
  "a: 'x\ny'\n",
  'a: x\n\t\n  y\n',
  'a: |\n  x\n\t\n',
  'a: |-\n\t\n',
  'a: \n\t',
  'a: "x\n\t y"\n',
  '---# c\na: 1\n',
  '---x: 1\n',
  '--- a: 1\n',
  'x: "\\U00110000"\n',
  'a: 1\rb: 2\n',
  'a: b \r',
  'a: 1\r\r\nb: 2\r\r\n',
  '# c\rd: e\na: 1\n',
  'a: 1\n\ufeff# c\nb: 2\n',
  'a: 1\n\ufeffb: 2\n',
  'a: x\u2028y\n',
  'a: x\u0085y\n',
  'description: line one\n\t\n      line two\n',
  'x:\n- a: [1,\n  2]\n',
  'x:\n- - [a,\n  b]\n',
  'x:\n  - a: {b: 1,\n    c: 2}\n',
  'x:\n- - [a,\n ]\n',
  'x:\n- name: n\n  args: [a,\n    b]\n',
  'a:\n- -\n- b\n',
  'a:\n- k:\n  -\n- b\n',
  'a:\n -\n   -\n - b\n',
  'a:\n- -   # c\n- b\n',
  'a:\n- -\r\n- b\r\n',
  'a:\n  -\n- x\n',
  'a:\n  b:\n    -\n- x\n',
  'a:\n  b:\n    -\n  - x\n',
  'a:\n  b:\n  -\n- x\n',
  'a: [: x]\n',
  'a: {b, : x}\n',
  'a: {b,: x}\n',
  'a: {name,: x, key: y}\n',
  'a:\n  [\n    b,\n    : c,\n  ]\n',
];

/** YAML with the forms formatters and people write: compact lists, multi-line flows, comments. */
const RICH = `# A richer document for random edits (not a spec).
top:
  list:
    - a
    - - nested
      - [x, y]
    - k: v
      args: [one,
        two]
    - {m: 1, n: [2, 3]}
  flows:
    args:
      [
        get-token,
        --flag,
        https://host.example/path,
      ]
    url: https://host.example/path#frag
    map: { a: 1, b: "two", c: 'three', d: ~, e: }
  empty:
  quoted: "a: b # not a comment"
  plain: a#b c:d
  numbers: [0, -0, 0o17, 0x1F, 1e3, .5, .inf, .nan, 012]
  keys:
    "quoted key": 1
    'single': 2
    1: int key
    true: bool key
`;

const FILES = [
  'examples/sovereign.yaml',
  'examples/minimal.yaml',
  ...fs
    .readdirSync('test/fixtures/spec')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join('test/fixtures/spec', f)),
];

describe('readPlainYaml', () => {
  test.each(DOCUMENTS.map((d) => [JSON.stringify(d).slice(0, 60), d]))(
    'reads %s as the full reader does, or gives up',
    (_label, text) => {
      const quick = readPlainYaml(text);
      if (quick === undefined) return;
      const full = fullRead(text);
      expect(full.ok).toBe(true);
      if (full.ok) expect(quick).toEqual(full.data);
    },
  );

  test.each(FILES)('reads %s as the full reader does, or gives up', (file) => {
    const text = fs.readFileSync(file, 'utf8');
    const quick = readPlainYaml(text);
    if (quick === undefined) return;
    const full = fullRead(text);
    expect(full.ok).toBe(true);
    if (full.ok) expect(quick).toEqual(full.data);
  });

  test('types plain scalars by the YAML 1.2 core schema, including -0, NaN and Infinity', () => {
    const q = readPlainYaml('a: -0\nb: .nan\nc: -.inf\nd: 1e400\ne: 0o17\nf: 0x1F\ng: "1"\nh: ~\ni: 0b101\n');
    expect(q).toBeDefined();
    expect(Object.is(q!.a, -0)).toBe(true);
    expect(q!.b).toBeNaN();
    expect(q).toMatchObject({ c: -Infinity, d: Infinity, e: 15, f: 31, g: '1', h: null, i: '0b101' });
  });

  test.each([
    ['a tag', 'a: !!str 1\n'],
    ['a tag on the next line', 'a:\n  !!map\n  b: c\n'],
    ['the non-specific tag', 'a: ! x\n'],
    ['an anchor', 'a: &an\n  b: 1\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a flow collection as key', '[a]: b\n'],
    ['a null key', '~: x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a line over 1024 characters', `${'k'.repeat(1030)}: v\n`],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a list at the top', '- a\n'],
    ['an empty file', ''],
  ])('gives up on %s', (_label, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
  });

  test.each([
    ['examples/sovereign.yaml', fs.readFileSync('examples/sovereign.yaml', 'utf8')],
    ['examples/minimal.yaml', fs.readFileSync('examples/minimal.yaml', 'utf8')],
    ['a generated 20-jurisdiction spec', generateSpec(20)],
  ])('reads %s itself', (_label, text) => {
    expect(readPlainYaml(text)).toBeDefined();
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failing edit can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIGNIFICANT = '"\'[]{}:#,\n-';
const EDIT_CHARS = [
  ' ',
  '  ',
  '\n',
  '\t',
  '\r',
  '#',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  ',',
  '-',
  '- ',
  '?',
  '!',
  '&',
  '*',
  '|',
  '>',
  '%',
  '@',
  '\\',
  '.',
  '0',
  '~',
  'x',
  '---',
  '\ufeff',
];

describe('readPlainYaml on seeded random edits of the examples', () => {
  test.each([
    ['examples/minimal.yaml', 1, 5000],
    ['examples/sovereign.yaml', 2, 600],
    ['a richer document', 3, 3000],
  ] as [string, number, number][])(
    '%s (seed %i, %i edits): reads as the full reader does, or gives up',
    (file, seed, count) => {
      const base = file.startsWith('examples/') ? fs.readFileSync(file, 'utf8') : RICH;
      const next = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
      const differences: string[] = [];
      let quick = 0;
      for (let n = 0; n < count; n++) {
        let text = base;
        for (let e = 1 + Math.floor(next() * 3); e > 0; e--) {
          // Half the edits land next to a character that YAML gives a meaning to.
          let at = Math.floor(next() * text.length);
          if (next() < 0.5) {
            const from = at;
            while (at < text.length && !SIGNIFICANT.includes(text[at])) at++;
            if (at === text.length) at = from;
            else at += Math.floor(next() * 2);
          }
          const op = next();
          const c = pick(EDIT_CHARS);
          text =
            op < 0.4
              ? text.slice(0, at) + c + text.slice(at)
              : op < 0.7
                ? text.slice(0, at) + text.slice(at + 1)
                : text.slice(0, at) + c + text.slice(at + 1);
        }
        const q = readPlainYaml(text);
        if (q === undefined) continue;
        quick++;
        const full = fullRead(text);
        if (!full.ok || !isDeepStrictEqual(full.data, q)) differences.push(JSON.stringify(text));
      }
      expect(differences).toEqual([]);
      // The quick read still takes most harmless edits (a changed letter, an added space).
      expect(quick).toBeGreaterThan(count / 10);
    },
  );
});

describe('parseSpec with and without the quick read', () => {
  function outcome(text: string, file: string, quickRead: boolean) {
    try {
      const { spec, locate } = parseSpec(text, file, { quickRead });
      return { spec, where: locate(['jurisdictions']) };
    } catch (e) {
      if (isSovereignError(e)) return { error: e.message, problems: e.problems.map(formatProblem) };
      throw e;
    }
  }

  test.each([...FILES.map((f) => [f, fs.readFileSync(f, 'utf8')]), ['a generated spec', generateSpec(5)]])(
    '%s: same spec or the same located problems',
    (file, text) => {
      expect(outcome(text, file, true)).toEqual(outcome(text, file, false));
    },
  );
});
