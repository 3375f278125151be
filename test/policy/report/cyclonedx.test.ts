import { ociPurl, renderCycloneDx, toCycloneDx } from '../../../policy/report/cyclonedx';
import { exampleReport, validateCycloneDx as validate } from './helpers';

describe('CycloneDX 1.6 BOM', () => {
  test('validates against the official CycloneDX 1.6 JSON schema (strict)', async () => {
    expect(await validate(toCycloneDx(exampleReport()))).toBeNull();
    expect(
      await validate(toCycloneDx(exampleReport({ broken: true, now: '2026-06-01T10:00:00Z' }))),
    ).toBeNull();
  });

  test('the validator does reject a broken BOM', async () => {
    const bom = toCycloneDx(exampleReport()) as { components: { type: string }[] };
    bom.components[0].type = 'helm-chart';
    expect(await validate(bom)).not.toBeNull();
  });

  test('holds containers with purls and digests, charts, providers and ML models with hashes and licence', () => {
    const bom = toCycloneDx(exampleReport()) as Record<string, never>;
    const comps = bom.components as {
      type: string;
      name: string;
      version: string;
      purl?: string;
      hashes?: unknown[];
      licenses?: unknown;
      modelCard?: unknown;
      components?: { name: string; hashes: unknown[] }[];
    }[];
    expect(bom.specVersion).toBe('1.6');
    expect(comps.map((c) => c.type).sort()).toEqual([
      'application',
      'container',
      'container',
      'container',
      'container',
      'container',
      'container',
      'library',
      'library',
      'machine-learning-model',
    ]);
    const vllm = comps.find((c) => c.name === 'registry.de.example/vllm/vllm-openai')!;
    expect(vllm.purl).toBe(
      `pkg:oci/vllm-openai@sha256%3A${'a'.repeat(64)}?repository_url=registry.de.example/vllm/vllm-openai&tag=v0.8.5`,
    );
    expect(vllm.hashes).toEqual([{ alg: 'SHA-256', content: 'a'.repeat(64) }]);
    const model = comps.find((c) => c.type === 'machine-learning-model')!;
    expect(model).toMatchObject({
      name: 'llama',
      version: '0e9e39f249a16976918f6564b8830bc894c89659',
      hashes: [{ alg: 'SHA-256', content: 'c'.repeat(64) }],
      licenses: [{ license: { id: 'Apache-2.0' } }],
    });
    expect(model.modelCard).toMatchObject({ modelParameters: { task: 'text-generation' } });
    expect(model.components!.map((f) => f.name)).toEqual(['config.json', 'model-00001-of-00002.safetensors']);
    expect(comps.find((c) => c.name === 'gpu-operator')).toMatchObject({
      version: 'v25.3.0',
      externalReferences: [{ type: 'distribution', url: 'https://charts.de.example/nvidia' }],
    });
    expect(comps.find((c) => c.name === 'kubernetes')).toMatchObject({
      group: 'registry.terraform.io/hashicorp',
      version: '2.38.0',
    });
  });

  test('is deterministic (serial number derived from content, the audit time recorded)', () => {
    const a = renderCycloneDx(exampleReport());
    expect(renderCycloneDx(exampleReport())).toBe(a);
    expect(JSON.parse(a).serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(JSON.parse(a).metadata.timestamp).toBe('2026-06-01T10:00:00Z');
  });

  test('purl for an image on a registry with a port', () => {
    expect(ociPurl('registry.de.example:5000', 'nvidia/driver', `sha256:${'b'.repeat(64)}`)).toBe(
      `pkg:oci/driver@sha256%3A${'b'.repeat(64)}?repository_url=registry.de.example%3A5000/nvidia/driver`,
    );
  });
});
