import * as fs from 'fs';
import { REPO_ROOT } from '../support/paths';
import { checkBody, readProviderSchema, type ProviderSchema } from '../support/provider-schema';
import { MINIMAL_SOURCE_WITH_CA, minimalWith, synthExample, synthSpec, type Json } from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

/** Every spec feature that changes which attributes a stack sets. */
function specs(): [string, string][] {
  const minimal = fs.readFileSync('examples/minimal.yaml', 'utf8');
  const withOptions = minimalWith({
    pullSecrets: '[registry-pull]',
    dns: '{ podLabels: { k8s-app: node-local-dns } }',
    source: MINIMAL_SOURCE_WITH_CA,
  })
    .replace('nodes: [lab-gpu-01]', 'nodes: [lab-gpu-01, lab-gpu-02]')
    .replace(
      '        maxConcurrentSequences: 4\n',
      '        maxConcurrentSequences: 4\n        autoscaling: { minReplicas: 1, maxReplicas: 2, targetCpuUtilization: 80 }\n        apiKeySecret: { name: llm-keys, key: lab }\n',
    );
  return [
    ['examples/sovereign.yaml', fs.readFileSync('examples/sovereign.yaml', 'utf8')],
    ['examples/provisioned.yaml', fs.readFileSync('examples/provisioned.yaml', 'utf8')],
    ['examples/provisioned-metal3.yaml', fs.readFileSync('examples/provisioned-metal3.yaml', 'utf8')],
    ['examples/minimal.yaml', minimal],
    ['examples/frontier.yaml', fs.readFileSync('examples/frontier.yaml', 'utf8')],
    ['minimal with pull Secrets, CA bundle, DNS, autoscaling and an API key', withOptions],
  ];
}

describe('synthesized JSON against the provider schemas in the bindings', () => {
  const schemas: Record<string, ProviderSchema> = {
    kubernetes: readProviderSchema('@cdktf/provider-kubernetes', 'kubernetes'),
    helm: readProviderSchema('@cdktf/provider-helm', 'helm'),
  };
  const providerOf = (type: string) => schemas[type.split('_')[0]];

  test.each(specs())('%s: every attribute is in the schema and every required one is set', (_label, text) => {
    const { stacks } = synthSpec('spec.yaml', text, true);
    const problems: string[] = [];
    let checked = 0;
    for (const [name, stack] of Object.entries(stacks)) {
      for (const [provider, configs] of Object.entries((stack.provider ?? {}) as Record<string, Json[]>)) {
        const s = schemas[provider];
        expect(s).toBeDefined();
        problems.push(...checkBody(s, s.provider, configs, `${name}: provider.${provider}`));
        checked++;
      }
      for (const [section, kind] of [
        ['resource', 'resources'],
        ['data', 'dataSources'],
      ] as const) {
        for (const [type, byName] of Object.entries((stack[section] ?? {}) as Record<string, Json>)) {
          const s = providerOf(type);
          const struct = s?.[kind].get(type);
          if (!struct) {
            problems.push(
              `${name}: ${section}.${type}: no such ${kind === 'resources' ? 'resource' : 'data source'}`,
            );
            continue;
          }
          for (const [id, body] of Object.entries(byName)) {
            problems.push(...checkBody(s, struct, body, `${name}: ${section}.${type}.${id}`));
            checked++;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  test('the pinned provider versions are the ones the bindings were generated from', () => {
    const { stacks } = synthExample('examples/minimal.yaml', true);
    const required = (Object.values(stacks)[0].terraform as Json).required_providers as Json;
    expect(required.kubernetes.version).toBe(schemas.kubernetes.version);
    expect(required.helm.version).toBe(schemas.helm.version);
  });

  test('the check catches an unknown attribute, a misplaced block and a missing required one', () => {
    const s = schemas.kubernetes;
    const struct = s.resources.get('kubernetes_namespace_v1') as string;
    expect(checkBody(s, struct, { metadata: { name: 'x', lables: {} } }, 'ns')).toEqual([
      'ns.metadata.lables: not an attribute or block of this schema',
    ]);
    expect(checkBody(s, struct, {}, 'ns')).toEqual(['ns.metadata: required, missing']);
    const deployment = s.resources.get('kubernetes_deployment_v1') as string;
    expect(
      checkBody(
        s,
        deployment,
        { metadata: {}, spec: { template: { spec: { image_pull_secret: [] } } } },
        'd',
      ),
    ).toContain('d.spec.template.spec.image_pull_secret: not an attribute or block of this schema');
  });
});
