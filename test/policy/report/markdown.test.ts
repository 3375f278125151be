import { renderMarkdown } from '../../../policy/report/markdown';
import { exampleReport } from './helpers';

describe('markdown report', () => {
  const md = renderMarkdown(exampleReport());
  test('has every section an auditor files', () => {
    for (const h of [
      '# Sovereignty and hardening audit',
      '## Synthesized files',
      '## Stack `de` — jurisdiction de',
      '### Inventory',
      '### Data locations',
      '### Controls',
      '### Suppressions register',
      '### Supply chain',
      '## Planned changes (`plan.json`, format 1.2, Terraform 1.9.8)',
    ]) {
      expect(md).toContain(h);
    }
  });
  test('shows the suppression with its reason, the file hash and labelled risks', () => {
    expect(md).toContain(
      '| K8S-023 | `kubernetes_namespace_v1.gpu_operator` | GPU operator driver and toolkit daemon sets need privileged pods | 2099-12-31 | applied |',
    );
    expect(md).toContain(`| \`stacks/de/cdk.tf.json\` | \`${'0'.repeat(64)}\` |`);
    expect(md).toContain('| `kubernetes_namespace_v1.old` | delete | **data-loss**: namespace deletion');
  });
  test('is deterministic', () => expect(renderMarkdown(exampleReport())).toBe(md));
});
