import { renderMarkdown } from '../../../policy/report/markdown';
import { exampleReport } from './helpers';

describe('markdown report', () => {
  const md = renderMarkdown(exampleReport());
  test('has every section an auditor files, summary first', () => {
    const order = [
      '# Sovereignty and hardening audit',
      '- Result: **PASS**',
      '- Audited: 2026-06-01T10:00:00Z; suppressions judged on 2026-06-01',
      '- Toolkit: sovereign-stack 0.1.0, commit ',
      '| jurisdiction | stack | verdict |',
      '## de: stack `de` — PASS',
      '### Suppressions',
      '### Declared boundary',
      '### Controls, per rule',
      '### Framework matrix',
      '### Inventory',
      '### Data locations',
      '### Supply chain',
      '## Planned changes (`plan.json`, format 1.2, Terraform 1.9.8)',
      '## Synthesized files',
    ];
    let at = -1;
    for (const h of order) {
      const i = md.indexOf(h, at + 1);
      expect([h, i > at]).toEqual([h, true]);
      at = i;
    }
  });
  test('shows the suppression with its reason, the file hash and labelled risks', () => {
    expect(md).toContain(
      '| K8S-023 | `kubernetes_namespace_v1.gpu_operator` | GPU operator driver and toolkit daemon sets need privileged pods | 2099-12-31 | applied |',
    );
    expect(md).toContain(`| \`stacks/de/cdk.tf.json\` | \`${'0'.repeat(64)}\` |`);
    expect(md).toContain('| `kubernetes_namespace_v1.old` | delete | **data-loss**: namespace deletion');
  });
  test('groups passes per rule: one row per rule, not per resource', () => {
    const rows = md.split('\n').filter((l) => /^\| K8S-001 \| Containers are not privileged \|/.test(l));
    expect(rows).toHaveLength(1);
    expect(md).not.toMatch(/\| passed \|$/m);
  });
  test('leaves out empty sections: no _none_, no heading without a body', () => {
    expect(md).not.toContain('_none_');
    expect(md).not.toContain('### Failures');
    expect(md).not.toContain('### Unresolved');
    const broken = renderMarkdown(exampleReport({ broken: true }));
    expect(broken).toContain('### Failures');
    expect(broken).toMatch(/\| SOV-002 \| error \| `kubernetes_deployment_v1\.vllm_llama` \|/);
  });
  test('calls out models served without an API key', () => {
    const r = exampleReport();
    const noKey = {
      ...r,
      stacks: r.stacks.map((s) => ({
        ...s,
        inventory: { ...s.inventory, models: s.inventory.models.map((m) => ({ ...m, apiKey: false })) },
      })),
    };
    expect(md).not.toContain('### Models served without an API key');
    expect(md).toMatch(/\| llama \| vllm \| .* \| required \|/);
    const md2 = renderMarkdown(noKey);
    expect(md2).toContain('### Models served without an API key');
    expect(md2).toContain('Anyone who reaches these Services can use the model: `llama` (vllm).');
    expect(md2).toMatch(/\| llama \| vllm \| .* \| \*\*none\*\* \|/);
  });
  test('carries the spec hash when known', () => {
    const r = { ...exampleReport(), spec: { path: 'sovereign.yaml', sha256: 'f'.repeat(64) } };
    expect(renderMarkdown(r)).toContain(`- Spec: \`sovereign.yaml\`, SHA-256 \`${'f'.repeat(64)}\``);
  });
  test('is deterministic', () => expect(renderMarkdown(exampleReport())).toBe(md));
});
