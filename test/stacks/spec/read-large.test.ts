/**
 * Reading a large spec (the bench's generator: 30 jurisdictions, ~270 KB; the bench reads 100)
 * on the paths that skip work:
 * positions are looked up only when a problem needs one, the tag walk runs only when the text
 * has a `!`, and the parser reads a plain copy of the environment. Every problem deep in the
 * file (or in one file of a directory) is still located at its own line and column.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSpec } from '../../../bench/specs';
import { formatProblem, isSovereignError } from '../../../core/errors';
import { loadSpec, parseSpec } from '../../../stacks/spec/load';
import { withPlainEnv, YAML_ENV } from '../../../stacks/spec/load/read';

const SPEC = generateSpec(30);

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (isSovereignError(e)) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

/** 1-based line and column of `needle` in the `nth` (0-based) line that contains `within`. */
function place(lines: readonly string[], within: string, needle: string, nth = 0): string {
  const indexes = lines.flatMap((l, i) => (l.includes(within) ? [i] : []));
  const i = indexes[nth];
  return `${i + 1}:${lines[i].indexOf(needle) + 1}`;
}

/** The `n`th (0-based) occurrence of `find` replaced in `text`. */
function replaceNth(text: string, find: string, by: string, n: number): string {
  let at = -1;
  for (let k = 0; k <= n; k++) at = text.indexOf(find, at + 1);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at) + by + text.slice(at + find.length);
}

describe('a 30-jurisdiction spec', () => {
  test('fails with a wrong value in the 29th jurisdiction located at that value', () => {
    const text = replaceNth(SPEC, 'replicas: 2', 'replicas: -1', 115);
    const lines = text.split('\n');
    const site = lines
      .slice(
        0,
        lines.findIndex((l) => l.includes('replicas: -1')),
      )
      .reverse()
      .find((l) => /^ {2}\S/.test(l))!
      .trim()
      .replace(/:$/, '');
    const model = lines
      .slice(
        0,
        lines.findIndex((l) => l.includes('replicas: -1')),
      )
      .reverse()
      .find((l) => /^ {6}\S/.test(l))!
      .trim()
      .replace(/:$/, '');
    const got = problems(() => parseSpec(text, 'fleet.yaml'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      new RegExp(
        `^fleet\\.yaml:${place(lines, 'replicas: -1', '-1')} {2}jurisdictions\\.${site}\\.models\\.${model}\\.replicas {2}`,
      ),
    );
    expect(site).toMatch(/^site-02\d-/);
  });

  test('fails with a credential deep in the file, located at it, the value not shown', () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`;
    const text = SPEC.replace(
      'description: Benchmark site 27\n',
      `description: Benchmark site 27 ${token}\n`,
    );
    const lines = text.split('\n');
    const got = problems(() => parseSpec(text, 'fleet.yaml'));
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(
      new RegExp(
        `^fleet\\.yaml:${place(lines, token, 'Benchmark site 27')} {2}jurisdictions\\.site-027-[a-z]+\\.description {2}holds`,
      ),
    );
    expect(got[0]).not.toContain(token);
  });

  test('fails with a YAML tag in the last jurisdiction, located at the tag', () => {
    const text = SPEC.replace('description: Benchmark site 29\n', 'description: !vault Benchmark site 29\n');
    const lines = text.split('\n');
    expect(problems(() => parseSpec(text, 'fleet.yaml'))).toEqual([
      // At the tagged value, as every tag is located (test/fixtures/spec/tags.yaml).
      `fleet.yaml:${place(lines, '!vault', 'Benchmark')}  YAML tag !vault is not allowed; write plain values`,
    ]);
  });

  test('locates a field deep in the file after loading, as the file has it', () => {
    const loaded = parseSpec(SPEC, 'fleet.yaml');
    const site = Object.keys(loaded.spec.jurisdictions)[28];
    const model = Object.keys(loaded.spec.jurisdictions[site].models)[9];
    const lines = SPEC.split('\n');
    const siteLine = lines.indexOf(`  ${site}:`);
    const modelLine = lines.indexOf(`      ${model}:`, siteLine);
    const replicas = lines.findIndex((l, i) => i > modelLine && l.startsWith('        replicas: '));
    expect(loaded.locate(['jurisdictions', site, 'models', model, 'replicas'])).toEqual({
      line: replicas + 1,
      col: 19,
    });
    expect(loaded.locate(['jurisdictions', site])).toEqual({ line: siteLine + 2, col: 5 });
  });

  test('is read, a `!` inside a value read as text, not as a tag', () => {
    const text = SPEC.replace('description: Benchmark site 22\n', "description: 'Benchmark site 22!' # !x\n");
    const { spec } = parseSpec(text, 'fleet.yaml');
    expect(Object.keys(spec.jurisdictions)).toHaveLength(30);
    const site = Object.entries(spec.jurisdictions).find(([, j]) =>
      j.description?.startsWith('Benchmark site 22'),
    );
    expect(site?.[1].description).toBe('Benchmark site 22!');
  });
});

describe('the same 30 jurisdictions as a directory of files', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-read-large-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** One file per jurisdiction, named after it; returns the file names in order. */
  function split(text: string): string[] {
    const lines = text.split('\n');
    const top = lines.indexOf('jurisdictions:');
    const starts = lines.flatMap((l, i) => (i > top && /^ {2}\S/.test(l) ? [i] : []));
    return starts.map((s, k) => {
      const name = `${lines[s].trim().replace(/:$/, '')}.yaml`;
      const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
      fs.writeFileSync(
        path.join(tmp, name),
        ['version: 1', 'jurisdictions:', ...lines.slice(s, end)].join('\n') + '\n',
      );
      return name;
    });
  }

  test('is read as the one file is', () => {
    split(SPEC);
    expect(loadSpec(tmp).spec).toEqual(parseSpec(SPEC, 'fleet.yaml').spec);
  });

  test('locates a field in the 28th file after loading, from the text read (not the file as it is now)', () => {
    const names = split(SPEC);
    const loaded = loadSpec(tmp);
    const file = path.join(tmp, names[27]);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, '\n\n\n' + lines.join('\n'));
    const site = names[27].replace(/\.yaml$/, '');
    const model = Object.keys(loaded.spec.jurisdictions[site].models)[9];
    const modelLine = lines.indexOf(`      ${model}:`);
    expect(loaded.locate(['jurisdictions', site, 'models', model])).toEqual({
      file,
      line: modelLine + 2,
      col: 9,
    });
  });

  test('fails with the jurisdictions map of a later file located in that file (offsets shifted when first needed)', () => {
    fs.writeFileSync(path.join(tmp, '00-base.yaml'), 'version: 1\ndefaults:\n  engines: { vllm: v0.12.0 }\n');
    fs.writeFileSync(path.join(tmp, 'a.yaml'), 'version: 1\njurisdictions: {}\n');
    expect(problems(() => loadSpec(tmp))).toEqual([
      `${tmp}/a.yaml:2:16  jurisdictions  at least one jurisdiction is required; got an empty map`,
    ]);
  });

  test('fails with a problem in the 29th file located in that file, at its own line', () => {
    const names = split(
      SPEC.replace('description: Benchmark site 27\n', 'description: !vault Benchmark site 27\n'),
    );
    const file = names[27];
    const lines = fs.readFileSync(path.join(tmp, file), 'utf8').split('\n');
    expect(place(lines, '!vault', 'Benchmark')).toBe('5:25');
    expect(problems(() => loadSpec(tmp))).toEqual([
      `${tmp}/${file}:5:25  YAML tag !vault is not allowed; write plain values`,
    ]);
  });

  test('fails with a wrong value in the 29th file located in that file', () => {
    const names = split(replaceNth(SPEC, 'replicas: 2', 'replicas: -1', 115));
    const file = names.find((n) => fs.readFileSync(path.join(tmp, n), 'utf8').includes('replicas: -1'))!;
    const lines = fs.readFileSync(path.join(tmp, file), 'utf8').split('\n');
    const got = problems(() => loadSpec(tmp));
    expect(got).toHaveLength(1);
    expect(got[0].startsWith(`${tmp}/${file}:${place(lines, 'replicas: -1', '-1')}  jurisdictions.`)).toBe(
      true,
    );
    expect(names.indexOf(file)).toBeGreaterThan(25);
  });
});

describe('the parser reads a plain copy of the environment', () => {
  test('the copy holds every variable the installed yaml reads, with its value', () => {
    const dist = path.dirname(require.resolve('yaml'));
    const read = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.js'))
          for (const m of fs.readFileSync(p, 'utf8').matchAll(/\benv\b(?:\.(\w+)|\[)/g))
            read.add(m[1] ?? '[');
      }
    };
    walk(dist);
    expect([...read].sort()).toEqual([...YAML_ENV].sort());
    const saved = process.env.LOG_STREAM;
    process.env.LOG_STREAM = '';
    try {
      expect(withPlainEnv(() => ({ ...process.env }))).toEqual({ LOG_STREAM: '' });
    } finally {
      if (saved === undefined) delete process.env.LOG_STREAM;
      else process.env.LOG_STREAM = saved;
    }
  });

  test('process.env is the same object again after a parse, and after a parse that throws', () => {
    const env = process.env;
    expect(withPlainEnv(() => process.env !== env)).toBe(true);
    expect(process.env).toBe(env);
    expect(() =>
      withPlainEnv(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(process.env).toBe(env);
    problems(() => parseSpec('version: [', 'broken.yaml'));
    expect(process.env).toBe(env);
  });
});
