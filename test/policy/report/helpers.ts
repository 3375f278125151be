import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { evaluateStacks } from '../../../policy/engine';
import { readPlan } from '../../../policy/plan';
import { buildReport, type AuditReport } from '../../../policy/report/model';
import { readFileSync } from 'fs';
import { join } from 'path';
import { exampleStack, type Any } from '../fixtures';

export const PLAN_FIXTURE = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'policy',
  'plan-1.2.json',
);

/** A report over the example stack (and a broken second jurisdiction when asked), with the plan fixture. */
export function exampleReport(opts: { broken?: boolean; now?: string } = {}): AuditReport {
  const stacks: { name: string; json: Any; file: string }[] = [
    { name: 'de', json: exampleStack(), file: 'stacks/de/cdk.tf.json' },
  ];
  if (opts.broken) {
    const j = exampleStack();
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image =
      'docker.io/vllm/vllm-openai:latest';
    stacks.push({ name: 'fr', json: j, file: 'stacks/fr/cdk.tf.json' });
  }
  const ev = evaluateStacks(stacks, { today: '2026-06-01' });
  const plan = {
    ...readPlan(JSON.parse(readFileSync(PLAN_FIXTURE, 'utf8')), 'plan.json'),
    file: 'plan.json',
  };
  return buildReport(ev, {
    files: stacks.map((s) => ({ path: s.file, sha256: '0'.repeat(64) })),
    plan,
    now: opts.now ?? '2026-06-01T10:00:00Z',
  });
}

// One validator per test file: each validator compiles the schema (~0.6 s of CPU) on its
// first use and keeps the compiled function.
let cycloneDxValidator: Validation.JsonStrictValidator | undefined;

/**
 * Validates a BOM against the official CycloneDX 1.6 JSON schema (strict: no additional
 * properties) that `@cyclonedx/cyclonedx-library` ships; null when valid, the errors otherwise.
 */
export function validateCycloneDx(bom: unknown): Promise<unknown> {
  cycloneDxValidator ??= new Validation.JsonStrictValidator(Spec.Version.v1dot6);
  return cycloneDxValidator.validate(typeof bom === 'string' ? bom : JSON.stringify(bom));
}
