/**
 * Keys read from the judged JSON (chart names and versions, resource types, executor names,
 * values keys) that are also the names of Object's members: the report looks them up among its
 * own entries only, and the audit answers 0 or 1 as the policy says, never 70.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluateStacks } from '../../../policy/engine';
import { chartImages } from '../../../policy/report/chart-images';
import { buildReport } from '../../../policy/report/model';
import { modeName } from '../../../policy/report/multi-node-launch';
import { stackView as readStack } from '../../../policy/stack';
import { sovereign, STACK_TRACE } from '../../support/cli';
import { exampleStack, type Any } from '../fixtures';

const OBJECT_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'name'];

describe('report lookups on keys named like Object members', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-report-keys-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (j: Any) => {
    fs.mkdirSync(path.join(dir, 'out', 'stacks', 'de'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out', 'stacks', 'de', 'cdk.tf.json'), JSON.stringify(j));
  };

  const cases: [string, string][] = [
    ['constructor', 'name'],
    ['__proto__', 'constructor'],
    ['gpu-operator', '__proto__'],
    ['gpu-operator', 'constructor'],
    ['hasOwnProperty', 'toString'],
  ];
  test.each(cases)(
    'a helm_release of chart %j at version %j: exit 0 or 1 in every format, never 70',
    async (chart, version) => {
      const j = exampleStack();
      j.resource.helm_release.gpu_operator.chart = chart;
      j.resource.helm_release.gpu_operator.version = version;
      write(j);
      for (const format of ['text', 'markdown', 'json', 'cyclonedx', 'html']) {
        const r = await sovereign(['audit', 'out', '--format', format], dir);
        expect([format, r.code === 0 || r.code === 1]).toEqual([format, true]);
        expect(r.stderr).not.toMatch(STACK_TRACE);
        expect(r.stderr).not.toContain('is not iterable');
        expect(r.stdout).not.toContain('function Object()');
        expect(r.stdout).not.toContain('[native code]');
      }
      const json = JSON.parse((await sovereign(['audit', 'out', '--format', 'json'], dir)).stdout);
      const rel = json.stacks[0].supplyChain.charts.find(
        (c: Any) => c.release !== undefined && c.chart === chart,
      );
      expect(rel).toMatchObject({ chart, version });
      // Only gpu-operator is in the chart table; at a version it does not hold, the report says so.
      expect(rel.operands).toBe(
        chart === 'gpu-operator' ? 'chart version not known to the audit' : undefined,
      );
    },
  );

  test('the chart table answers only for its own chart names and versions', () => {
    const release = (chart: string, version: string) =>
      readStack('x', { resource: { helm_release: { g: { chart, version, values: ['{}'] } } } }).resources[0];
    for (const k of OBJECT_KEYS) {
      expect([k, chartImages(release(k, 'v25.10.0'))]).toEqual([k, undefined]);
      expect([k, chartImages(release('gpu-operator', k))]).toEqual([k, { known: false, images: [] }]);
    }
  });

  test('a values key __proto__ is a key like any other, not where the operands are read from', () => {
    const res = readStack('x', {
      resource: {
        helm_release: {
          g: {
            chart: 'gpu-operator',
            version: 'v25.10.0',
            values: [
              '{"__proto__": {"driver": {"repository": "evil.example/nvidia"}}, "toolkit": {"constructor": 1}}',
            ],
          },
        },
      },
    }).resources[0];
    const r = chartImages(res)!;
    expect(r.images.find((i) => i.operand === 'driver')).toMatchObject({
      ref: 'nvcr.io/nvidia/driver:580.95.05',
      origin: 'chart default',
    });
    expect(r.images.find((i) => i.operand === 'toolkit')!.origin).toBe('chart default');
  });

  test('resource types named like Object members are counted like any other', () => {
    const j = exampleStack();
    j.resource.constructor = { a: {}, b: {} };
    Object.defineProperty(j.resource, '__proto__', {
      value: { c: {} },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    j.resource.toString = { d: {} };
    const r = buildReport(evaluateStacks([{ name: 'de', json: j }], { today: '2026-06-01' }), { now: 'x' });
    const res = r.stacks[0].inventory.resources;
    expect(Object.hasOwn(res, 'constructor') && res.constructor).toBe(2);
    expect(Object.hasOwn(res, '__proto__') && res['__proto__']).toBe(1);
    expect(Object.hasOwn(res, 'toString') && res.toString).toBe(1);
    const json = JSON.parse(JSON.stringify(r.stacks[0].inventory.resources));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['constructor', '__proto__', 'toString']));
  });

  test('an executor named like an Object member is named as written', () => {
    for (const k of OBJECT_KEYS) expect(modeName(k)).toBe(`executor ${k}`);
    expect(modeName('mp')).toBe('multiprocessing (mp)');
  });
});
