/** Assertions shared by the rule tests. */
import type { Rule } from '../../../policy/types';
import { everyKind, exampleStack, failures, runOn, runOnResource, unknowns, type Any } from '../fixtures';

/** The rule finds nothing wrong with the compliant pod in any workload kind, and does judge it. */
export function expectCompliantInEveryKind(rule: Rule): void {
  for (const r of everyKind()) {
    const os = runOnResource(rule, r);
    expect({ address: r.address, failures: failures(os), unknowns: unknowns(os) }).toEqual({
      address: r.address,
      failures: [],
      unknowns: [],
    });
    expect(os.some((o) => o.status === 'compliant')).toBe(true);
  }
}

/**
 * After `mutate` (on the provider-spelled pod spec), the rule fails in every workload kind,
 * naming the field: `tf` / `k8s` are the ends of the expected paths in each spelling.
 */
export function expectFailsInEveryKind(
  rule: Rule,
  mutate: (pod: Any) => void,
  path: { tf: string; k8s: string },
  message: RegExp,
): void {
  for (const r of everyKind(mutate)) {
    const f = failures(runOnResource(rule, r));
    const want = r.type === 'kubernetes_manifest' ? path.k8s : path.tf;
    expect({ address: r.address, paths: f.map((x) => x.path) }).toEqual({
      address: r.address,
      paths: expect.arrayContaining([expect.stringMatching(new RegExp(`${escape(want)}$`))]),
    });
    expect(f.find((x) => x.path!.endsWith(want))!.message).toMatch(message);
  }
}

/** After `mutate`, the rule answers unknown (never compliant) in every workload kind. */
export function expectUnknownInEveryKind(rule: Rule, mutate: (pod: Any) => void): void {
  for (const r of everyKind(mutate)) {
    const os = runOnResource(rule, r);
    expect({ address: r.address, unknown: unknowns(os).length > 0 }).toEqual({
      address: r.address,
      unknown: true,
    });
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rule has no failure on the example stack. */
export function expectExampleCompliant(rule: Rule): void {
  const os = runOn(rule, exampleStack());
  expect(failures(os)).toEqual([]);
  expect(unknowns(os)).toEqual([]);
  expect(os.some((o) => o.status === 'compliant')).toBe(true);
}

/** Failures of the rule on a stack, as `address path: message`. */
export function failuresOn(rule: Rule, json: Any): string[] {
  return failures(runOn(rule, json)).map((o) => `${o.address} ${o.path}: ${o.message}`);
}
