/**
 * Keys read from judged JSON, a plan or the auditor's policy are data: `__proto__`,
 * `constructor` and `toString` must neither reach Object.prototype nor find Object's members.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readAuditorPolicy } from '../../policy/auditor-policy';
import { evaluateStack } from '../../policy/engine';
import { helmValues } from '../../policy/images';
import { endpointsIn } from '../../core/hosts';
import { strMap } from '../../policy/json';
import { plannedStack } from '../../policy/plan';
import { exampleStack } from './fixtures';

const probe = () => (({}) as Record<string, unknown>).polluted;

afterEach(() => {
  // A failing case must not leak into the next one.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('keys from judged input never reach Object.prototype', () => {
  test('a helm `set` name through __proto__ is a key of the values tree, not the prototype', () => {
    const v = helmValues({
      set: [
        { name: '__proto__.polluted', value: 'yes' },
        { name: 'constructor.prototype.polluted', value: 'yes' },
        { name: 'driver.__proto__.polluted', value: 'yes' },
      ],
    });
    expect(probe()).toBe(undefined);
    const tree = v.trees.find((t) => t.path === 'set')!.tree as Record<string, Record<string, unknown>>;
    expect(Object.keys(tree).sort()).toEqual(['__proto__', 'constructor', 'driver']);
    expect(Object.getOwnPropertyDescriptor(tree, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(JSON.parse(JSON.stringify(tree.driver))).toEqual({ ['__proto__']: { polluted: 'yes' } });
  });

  test('a planned resource of type __proto__ is a resource type, not the prototype', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [
        {
          address: '__proto__.polluted',
          mode: 'managed',
          type: '__proto__',
          name: 'polluted',
          change: { actions: ['create'], after: { x: 1 } },
        },
      ],
    };
    const { json } = plannedStack(plan, {}, 'plan.json');
    expect(probe()).toBe(undefined);
    const resource = json.resource as Record<string, unknown>;
    expect(Object.keys(resource)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(resource, '__proto__')?.value).toEqual({ polluted: { x: 1 } });
  });

  test('an output named __proto__ is an output', () => {
    const j = exampleStack();
    j.output = JSON.parse('{"__proto__": {"value": "x"}, "endpoint": {"value": "y"}}');
    const r = evaluateStack('de', j);
    expect(Object.keys(r.stack.outputs).sort()).toEqual(['__proto__', 'endpoint']);
    expect(Object.getPrototypeOf(r.stack.outputs)).toBe(Object.prototype);
  });
});

test('a label named __proto__ is a label', () => {
  const labels = strMap([JSON.parse('{"__proto__": "x", "app": "y"}')]);
  expect(Object.keys(labels).sort()).toEqual(['__proto__', 'app']);
  expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
});

describe("a stack or jurisdiction named like Object's members", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'sovereign-proto-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const policyFile = (jurisdictions: string) => {
    const file = join(dir, `policy-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `version: 1\njurisdictions:\n${jurisdictions}`);
    return readAuditorPolicy(file);
  };
  const de = `    registries: [registry.de.example]\n    hosts: ["*.de.example"]\n    cidrs: [10.20.0.0/16]\n`;

  test('a stack named constructor has no entry in the policy: SOV-017 fails as for any unlisted name', () => {
    const policy = policyFile(`  de:\n${de}`);
    const sov017 = (name: string) =>
      evaluateStack(name, exampleStack(), { policy })
        .findings.filter((f) => f.rule === 'SOV-017')
        .map((f) => f.message.replace(name, '<name>'));
    const unlisted = sov017('fr');
    expect(unlisted.length).toBeGreaterThan(0);
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__'])
      expect(sov017(name)).toEqual(unlisted);
  });

  test('a jurisdiction named __proto__ in the policy is an entry, and sets no prototype', () => {
    const policy = policyFile(`  __proto__:\n${de}`);
    expect(Object.keys(policy.jurisdictions)).toEqual(['__proto__']);
    expect(probe()).toBe(undefined);
    // Judged against that entry exactly as a stack named de is against the same entry under de.
    const msgs = (name: string, p: typeof policy) =>
      evaluateStack(name, exampleStack(), { policy: p })
        .findings.filter((f) => f.rule === 'SOV-017')
        .map((f) => `${f.path} ${f.message}`);
    const asDe = msgs('de', policyFile(`  de:\n${de}`));
    expect(asDe.length).toBeGreaterThan(0);
    expect(msgs('__proto__', policy)).toEqual(asDe);
  });
});

describe("values named like Object's members are no table entries", () => {
  test('a URL scheme constructor:// implies no host: its authority is the host', () => {
    // (`__proto__` is no scheme at all: RFC 3986 allows no underscore in one.)
    for (const scheme of ['constructor', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(endpointsIn(`${scheme}://evilhost/x`).map((e) => e.host)).toEqual(['evilhost']);
  });

  test('a profile named constructor selects the default packs, as any unknown profile does', () => {
    const packsOf = (profile: string) => {
      const j = exampleStack();
      j['//'].sovereign.profile = profile;
      const r = evaluateStack('de', j);
      return { selection: r.selection, strict: r.strict };
    };
    const unknown = packsOf('no-such-profile');
    for (const name of ['constructor', 'toString', '__proto__']) expect(packsOf(name)).toEqual(unknown);
  });
});
