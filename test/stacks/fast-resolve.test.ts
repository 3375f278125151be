import { App, Fn, Lazy, TerraformElement, TerraformStack, Token } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { buildApp } from '../../stacks/app';
import { fastResolve, mergeResolved } from '../../stacks/fast-resolve';
import { manifestText } from '../../stacks/cdktf-seam';
import { loadSpec } from '../../stacks/spec/load';
import { TOOLKIT_VERSION } from '../../core/version';
import { REPO_ROOT } from '../support/paths';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfResolve = (require('cdktf/lib/_tokens') as { resolve: (s: unknown, o: unknown) => unknown })
  .resolve;

beforeAll(() => process.chdir(REPO_ROOT));

/** What cdktf returns or throws for `value`, as a comparable record. */
function outcome(resolve: (s: unknown, o: unknown) => unknown, scope: unknown, value: unknown) {
  try {
    return { value: resolve(scope, value) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function elementsOf(stack: TerraformStack): TerraformElement[] {
  return stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c));
}

// Nothing is synthesized here, but an App may create its outdir: a temporary one, removed after.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fast-resolve-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('fastResolve', () => {
  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    'resolves every element of %s exactly as cdktf does',
    (spec) => {
      const { app } = buildApp(loadSpec(spec), { outdir, toolkitVersion: TOOLKIT_VERSION });
      const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
      let elements = 0;
      for (const stack of stacks) {
        for (const e of elementsOf(stack)) {
          elements++;
          const raw = e.toTerraform();
          expect(fastResolve(stack, raw)).toEqual(cdktfResolve(stack, raw));
          const meta = e.toMetadata();
          expect(fastResolve(stack, meta)).toEqual(cdktfResolve(stack, meta));
        }
      }
      expect(elements).toBeGreaterThan(20);
    },
  );

  describe('on values that hold tokens or look like them', () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 's');
    const ns = new NamespaceV1(stack, 'ns', { metadata: { name: 'serving' } });
    const name = ns.metadata.name;
    const cases: Record<string, unknown> = {
      'a string token': name,
      'a token inside a string': `ns-${name}-x`,
      'a token deep inside plain data': { a: [{ b: { c: name, d: 'plain' } }], e: 1 },
      'a number token': Token.asNumber(Lazy.numberValue({ produce: () => 42 })),
      'a number token in a list': [1, Token.asNumber(Lazy.numberValue({ produce: () => 7 })), 3],
      'a list token': Token.asList(Lazy.listValue({ produce: () => ['a', 'b'] })),
      'a list token among strings': ['x', ...Token.asList(Lazy.listValue({ produce: () => ['a'] }))],
      'a map token as a key': { [Token.asString(Lazy.stringValue({ produce: () => 'k' }))]: 'v' },
      'a map token': Token.asStringMap(Lazy.anyValue({ produce: () => ({ a: 'b' }) })),
      'a resolvable object': Lazy.anyValue({ produce: () => ({ x: [1, undefined, 'y'] }) }),
      'a function call': Fn.join(',', ['a', name]),
      'an escape sequence': '${var.x}',
      'strings the number-token pattern matches': ['1e5', '-e-', 'x1.5e+10y', '2E3', 'e'],
      'digests the number-token pattern matches': [
        'dd183496722ab34bafab341f9db366e7f776e33b',
        'sha256:a87897b68c161199b9a04298a2f7eee3e160d7f4cb5ce7b14368470e83f46eb9',
        'ec360b526f04a4fae4f7239d69cfc5e62004e28c',
        { 'sovereign-stack.io/revision': '4e9-1e+5|3e-7.2e2' },
      ],
      'a string holding a number in the token range': 'x-8.2e298y',
      'a string holding a number token': `n=${Token.asNumber(Lazy.numberValue({ produce: () => 9 }))}e1`,
      'a string holding huge numbers outside the token range': ['1e300', '-1e999', '8.2e298', 'x-1e251y'],
      'numbers at and beyond the token range': [1e249, 1e251, -1.8e289, Infinity, -Infinity, NaN, -0],
      'the map-token sentinels': ['String Map Token Value'],
      'the number map sentinel': -123456789,
      'undefined members and elements': { a: undefined, b: [undefined, 1, undefined], c: { d: undefined } },
      'empty containers': { a: [], b: {}, c: [[]], d: [{}] },
      'scalars of every kind': [true, false, null, 0, '', 'ünïcödé', 10n],
      'a date': new Date(0),
      'a function': () => 1,
      'a construct': ns,
      'a function deep inside plain data': { a: [{ b: () => 1 }] },
      'a cycle': (() => {
        const c: Record<string, unknown> = { a: 1 };
        c.self = { c };
        return c;
      })(),
      'plain data': { labels: { 'app.kubernetes.io/name': 'vllm' }, args: ['--port', '8000'], replicas: 2 },
    };

    test.each(Object.keys(cases))('%s', (label) => {
      const value = cases[label];
      const expected = outcome(cdktfResolve, stack, value);
      expect(outcome(fastResolve, stack, value)).toEqual(expected);
    });

    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : [nest(depth - 1, leaf)]);

    test.each([
      ['a string at depth 201', () => nest(201, 'x')],
      ['undefined at depth 201', () => ({ a: nest(200, undefined) })],
      [
        'a token at depth 150 producing 60 more levels',
        () => nest(150, Lazy.anyValue({ produce: () => nest(60, 'z') })),
      ],
      [
        'an object with a token key at depth 150',
        () => nest(150, { [Token.asString(Lazy.stringValue({ produce: () => 'k' }))]: nest(60, 1) }),
      ],
      ['plain data at depth 200', () => nest(200, 'ok')],
    ])('depth: %s, as cdktf counts it', (_label, make) => {
      const value = make();
      expect(outcome(fastResolve, stack, value)).toEqual(outcome(cdktfResolve, stack, value));
    });

    test('producers run as often as under cdktf, also when one throws', () => {
      const run = (resolve: (s: unknown, o: unknown) => unknown) => {
        let calls = 0;
        const value = {
          a: Lazy.stringValue({
            produce: () => {
              calls++;
              if (calls === 1) throw new Error('transient');
              return 'ok';
            },
          }),
          b: Lazy.stringValue({ produce: () => `p${++calls}` }),
          c: () => 1,
        };
        const o = outcome(resolve, stack, value);
        return { error: o.error?.split('\n')[0], calls };
      };
      const cdktf = run(cdktfResolve);
      expect(cdktf).toEqual({ error: 'Resolution error: transient.', calls: 1 });
      expect(run(fastResolve)).toEqual(cdktf);
    });

    test('the cases include ones cdktf refuses and ones it rewrites', () => {
      const refused = Object.keys(cases).filter((k) => 'error' in outcome(cdktfResolve, stack, cases[k]));
      expect(refused).toEqual(
        expect.arrayContaining([
          'a function',
          'a construct',
          'the number map sentinel',
          'a string holding a number in the token range',
          'a function deep inside plain data',
          'a cycle',
        ]),
      );
      expect(outcome(fastResolve, stack, cases['a token inside a string'])).toEqual({
        value: 'ns-${kubernetes_namespace_v1.ns.metadata[0].name}-x',
      });
    });
  });
});

describe('mergeResolved', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdktfDeepMerge = (require('cdktf/lib/util') as { deepMerge: (t: unknown, s: unknown) => unknown })
    .deepMerge;
  class Box {
    constructor(public readonly v: number) {}
  }
  const token = Lazy.anyValue({ produce: () => 1 });
  /** Target and source as a fresh pair each time (both merges mutate the target). */
  const cases: Record<string, () => [Record<string, unknown>, unknown]> = {
    'into an empty target': () => [{}, { resource: { a: { b: { c: 1, d: [1, { e: 2 }] } } } }],
    'beside what the target holds': () => [
      { resource: { t: { x: { y: 1 } } }, terraform: { required_providers: { k: { v: '1' } } } },
      { resource: { t: { z: { y: 2 } }, u: { w: {} } }, terraform: { required_providers: { h: {} } } },
    ],
    'over a scalar, an array and null': () => [
      { a: 'x', b: [1], c: null, d: 5 },
      { a: { q: 1 }, b: [2, 3], d: { r: [] } },
    ],
    'a null member over an object': () => [{ a: { q: 1 } }, { a: null }],
    'a Date member (the copy makes it {})': () => [{}, { a: { when: new Date(0), n: 1 }, b: new Date(1) }],
    'an undefined member (the copy drops it)': () => [
      { a: { k: 1 } },
      { a: { k: undefined }, b: { c: undefined, d: 1 } },
    ],
    'a class instance': () => [{}, { a: { box: new Box(3) }, b: new Box(4) }],
    'a token': () => [{}, { a: { t: token }, b: token }],
    'a token over an object': () => [{ a: { q: 1 } }, { a: token }],
    'into a null member (cdktf throws)': () => [{ a: null }, { a: { q: 1 } }],
    'a source that is no object (cdktf throws)': () => [{}, 'text'],
  };
  const run = (
    merge: (t: unknown, s: unknown) => unknown,
    make: () => [Record<string, unknown>, unknown],
  ) => {
    const [target, source] = make();
    try {
      merge(target, source);
      return { json: manifestText(target), target };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  test.each(Object.keys(cases))('%s: what cdktf deepMerge gives', (label) => {
    const ours = run(mergeResolved, cases[label]);
    const theirs = run(cdktfDeepMerge, cases[label]);
    expect(ours).toEqual(theirs);
    if ('target' in theirs) expect(JSON.stringify(ours.target)).toBe(JSON.stringify(theirs.target));
  });
  test('takes a fresh subtree as is rather than copying it, and copies what it cannot take', () => {
    const fresh = { b: { c: [1] } };
    const dated = { when: new Date(0) };
    const target: Record<string, unknown> = {};
    mergeResolved(target, { a: fresh, d: dated });
    expect(target.a).toBe(fresh);
    expect(target.d).not.toBe(dated);
    expect(target.d).toEqual({ when: {} });
  });
});
