/**
 * Autoscaling on engine metrics, read back from the synthesized examples and small specs: KEDA
 * from the mirror, one ScaledObject per autoscaled model (no CPU HPA), queries that name only
 * metrics the pinned engines export, and the refusals of a spec that would scale on nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type SovereignError } from '../../core/errors';
import { parseSpec } from '../../stacks/spec/load';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { minimalWith, resources, synthExample, synthSpec, type Json } from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const f of ['int32', 'int64']) ajv.addFormat(f, true);
const crd = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'crds', 'keda-v2.20.2', 'scaledobjects.json'), 'utf8'),
);
const validScaledObject = ajv.compile(crd.schema);

/** Metric names of a fixture list (comments and blank lines skipped). */
const metricList = (file: string): Set<string> =>
  new Set(
    fs
      .readFileSync(path.join(FIXTURES, 'metrics', file), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
const EXPORTED = { vllm: metricList('vllm-v0.12.0.txt'), 'llama-cpp': metricList('llama-cpp-b9174.txt') };
/** Metric names a PromQL expression selects (`name{…}` or a bare name followed by `)`). */
const metricsIn = (promql: string): string[] =>
  [...promql.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)]
    .map((m) => m[1])
    .filter((n) => !/^(sum|avg|max|min|rate)$/.test(n));

const examples = (() => {
  let out: ReturnType<typeof synthExample> | undefined;
  return () => (out ??= synthExample('examples/sovereign.yaml', true));
})();
const scaledObjects = (stack: Json): Json[] =>
  resources(stack, 'kubernetes_manifest')
    .map((r) => r.manifest as Json)
    .filter((m) => m.kind === 'ScaledObject');

describe('de-fra: the 8B model scales on its queue and KV cache through KEDA', () => {
  test('KEDA 2.20.2 from the chart mirror, its images from the registry by digest', () => {
    const de = examples().stacks['de-fra'];
    const [keda] = resources(de, 'helm_release').filter((r) => r.chart === 'keda');
    expect([keda.repository, keda.version, keda.namespace]).toEqual([
      'oci://registry.fra.sovereign-cloud.de.example/charts',
      '2.20.2',
      'keda',
    ]);
    const values = JSON.parse(keda.values[0]);
    expect(values.image.keda).toEqual({
      registry: 'registry.fra.sovereign-cloud.de.example',
      repository: 'kedacore/keda',
      tag: '2.20.2@sha256:1e0ce6f23e00e6176beb818c6693297f8ff580351bb289042ef799129507d527',
    });
    expect(values.crds).toEqual({ install: true });
  });

  test('one ScaledObject, valid against the KEDA v2.20.2 CRD; no CPU HPA on the model', () => {
    const de = examples().stacks['de-fra'];
    const sos = scaledObjects(de);
    expect(sos.map((s) => s.metadata.name)).toEqual(['llama-3-1-8b']);
    const [so] = sos;
    expect(validScaledObject(so) ? [] : validScaledObject.errors).toEqual([]);
    expect(so.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'llama-3-1-8b',
    });
    expect([so.spec.minReplicaCount, so.spec.maxReplicaCount]).toEqual([2, 4]);
    expect(so.spec.triggers.map((t: Json) => [t.type, t.name, t.metricType, t.metadata.threshold])).toEqual([
      ['prometheus', 'queue-length', 'AverageValue', '4'],
      ['prometheus', 'kv-cache-usage', 'Value', '0.8'],
    ]);
    expect(so.spec.triggers[0].metadata.query).toBe(
      'sum(vllm:num_requests_waiting{namespace="llm-serving",model_name="llama-3-1-8b"})',
    );
    expect(resources(de, 'kubernetes_horizontal_pod_autoscaler_v2')).toEqual([]);
    // The replica count is the autoscaler's: an apply does not reset it.
    const d = resources(de, 'kubernetes_deployment_v1').find(
      (x) => x.metadata.name === 'llama-3-1-8b',
    ) as Json;
    expect(d.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
  });

  test('the schema refuses a misspelt trigger field type and a missing target', () => {
    const so = structuredClone(scaledObjects(examples().stacks['de-fra'])[0]);
    so.spec.minReplicaCount = '2';
    delete so.spec.scaleTargetRef;
    expect(validScaledObject(so)).toBe(false);
    expect((validScaledObject.errors ?? []).map((e) => e.message).sort()).toEqual([
      'must be integer',
      "must have required property 'scaleTargetRef'",
    ]);
  });

  test('every query names a metric the pinned engine exports', () => {
    const so = scaledObjects(examples().stacks['de-fra'])[0];
    for (const t of so.spec.triggers) {
      const names = metricsIn(t.metadata.query);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect([n, EXPORTED.vllm.has(n)]).toEqual([n, true]);
    }
    // The check itself refuses a name the engine does not export (the pre-0.9 spelling).
    expect(EXPORTED.vllm.has(metricsIn('avg(vllm:gpu_cache_usage_perc{a="b"})')[0])).toBe(false);
  });

  test('KEDA reaches only the API server, Prometheus and itself', () => {
    const de = examples().stacks['de-fra'];
    const pols = resources(de, 'kubernetes_network_policy_v1').filter((p) => p.metadata.namespace === 'keda');
    expect(pols.map((p) => p.metadata.name).sort()).toEqual(['allow-keda', 'default-deny-all']);
    const allow = pols.find((p) => p.metadata.name === 'allow-keda') as Json;
    expect(allow.spec.egress.map((e: Json) => [e.to, e.ports?.map((p: Json) => p.port)])).toEqual([
      [[{ pod_selector: {} }], undefined],
      [[{ ip_block: { cidr: '10.40.0.10/32' } }], ['6443']],
      [[{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ['9090']],
    ]);
  });
});

describe('llama.cpp scales on its deferred requests', () => {
  test('a CPU model with autoscaling gets a queue trigger on llamacpp:requests_deferred, no KV trigger', () => {
    const text = fs
      .readFileSync('examples/sovereign.yaml', 'utf8')
      .replace(
        '    images:\n      llamaCppCpu:',
        [
          '    autoscaler:',
          '      prometheus: { url: http://prometheus.monitoring.svc:9090, namespace: monitoring }',
          '      images:',
          `        operator: registry.vie.edge.eu.example/kedacore/keda:2.20.2@sha256:${'1'.repeat(64)}`,
          `        metricsApiServer: registry.vie.edge.eu.example/kedacore/keda-metrics-apiserver:2.20.2@sha256:${'2'.repeat(64)}`,
          `        webhooks: registry.vie.edge.eu.example/kedacore/keda-admission-webhooks:2.20.2@sha256:${'3'.repeat(64)}`,
          '    images:\n      llamaCppCpu:',
        ].join('\n'),
      )
      .replace(
        '        store: models\n        architecture: qwen2.5-7b\n',
        '        store: models\n        architecture: qwen2.5-7b\n        autoscaling: { minReplicas: 1, maxReplicas: 2 }\n',
      )
      .replace(
        '        storageClass: local-path',
        '        storageClass: local-path\n        accessMode: ReadWriteMany',
      );
    const out = synthSpec('edge.yaml', text, true);
    const [so] = scaledObjects(out.stacks['eu-edge-vie']);
    expect(validScaledObject(so) ? [] : validScaledObject.errors).toEqual([]);
    expect(so.spec.triggers.map((t: Json) => t.name)).toEqual(['queue-length']);
    expect(so.spec.triggers[0].metadata.query).toBe(
      'sum(llamacpp:requests_deferred{namespace="llm-serving",pod=~"qwen-7b-[a-z0-9]+-[a-z0-9]+"})',
    );
    for (const n of metricsIn(so.spec.triggers[0].metadata.query))
      expect(EXPORTED['llama-cpp'].has(n)).toBe(true);
  });
});

describe('scaling on nothing, or on CPU beside the autoscaler, is refused', () => {
  const problemsOf = (text: string): string[] => {
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      return (e as SovereignError).problems.map((p) => `${p.path}  ${p.message}`);
    }
    return [];
  };

  test('fails when a model autoscales with neither the autoscaler nor a CPU target', () => {
    const text = minimalWith({}).replace(
      '        maxConcurrentSequences: 2\n',
      // One GPU in the pool: room for one replica (the capacity check refuses more).
      '        maxConcurrentSequences: 2\n        autoscaling: { minReplicas: 1, maxReplicas: 1 }\n',
    );
    expect(text).toContain('autoscaling');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^jurisdictions\.lab\.models\.[a-z0-9-]+\.autoscaling {2}scales on nothing: declare the jurisdiction autoscaler/,
      ),
    ]);
    expect(
      problemsOf(text.replace('maxReplicas: 1 }', 'maxReplicas: 1, targetCpuUtilization: 70 }')),
    ).toEqual([]);
  });

  test('fails on a CPU target beside the autoscaler, a foreign KEDA image and an outside Prometheus', () => {
    const text = fs
      .readFileSync('examples/sovereign.yaml', 'utf8')
      .replace('waitingPerReplica: 4,', 'waitingPerReplica: 4, targetCpuUtilization: 80,')
      .replace('operator: registry.fra.sovereign-cloud.de.example/kedacore/', 'operator: ghcr.io/kedacore/')
      .replace('url: http://prometheus-operated.monitoring.svc:9090', 'url: https://metrics.saas.example');
    // In file order: the autoscaler section comes before the models.
    expect(problemsOf(text)).toEqual([
      'jurisdictions.de-fra.autoscaler.prometheus.url  Prometheus host "metrics.saas.example" is outside the jurisdiction: use its in-cluster service (<name>.<namespace>.svc) or a host in sovereignty.hosts',
      'jurisdictions.de-fra.autoscaler.images.operator  registry "ghcr.io" is not in sovereignty.registries (registry.fra.sovereign-cloud.de.example)',
      'jurisdictions.de-fra.models.llama-3-1-8b.autoscaling.targetCpuUtilization  the jurisdiction autoscaler scales this model on its engine metrics; remove targetCpuUtilization (an HPA on CPU would fight it)',
    ]);
  });
});
