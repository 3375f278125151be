/**
 * Metrics, alerts and dashboards of the examples: monitors and rules valid against the
 * Prometheus Operator CRDs, a runbook line on every alert, and every rule and dashboard query
 * naming a metric the pinned engine or exporter exports (lists in test/fixtures/metrics/).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { resources, synthExample, type Json } from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

/** Go's RE2 inline flag `(?i)` (used by the Prometheus Operator CRDs) as a JavaScript flag. */
const re2 = Object.assign(
  (pattern: string, flags: string) =>
    pattern.includes('(?i)')
      ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`)
      : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);
const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: re2 } });
addFormats(ajv);
for (const f of ['int32', 'int64']) ajv.addFormat(f, true);
const schema = (file: string): ValidateFunction =>
  ajv.compile(
    JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crds', 'prometheus-operator-v0.93.0', file), 'utf8'))
      .schema,
  );
const validators: Record<string, ValidateFunction> = {
  PodMonitor: schema('podmonitors.json'),
  PrometheusRule: schema('prometheusrules.json'),
};

const EXPORTED = new Set(
  fs
    .readdirSync(path.join(FIXTURES, 'metrics'))
    .flatMap((f) => fs.readFileSync(path.join(FIXTURES, 'metrics', f), 'utf8').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#')),
);
/** Metric names selected in a PromQL expression (every selector carries braces). */
const metricsIn = (promql: string): string[] =>
  [...promql.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);
/** A histogram or counter series (`_bucket`, `_sum`, `_count`, `_total`) of an exported metric. */
const exported = (name: string): boolean =>
  EXPORTED.has(name) || EXPORTED.has(name.replace(/_(bucket|sum|count|total)$/, ''));

const examples = (() => {
  let out: ReturnType<typeof synthExample> | undefined;
  return () => (out ??= synthExample('examples/sovereign.yaml', true));
})();
const ofKind = (stack: Json, kind: string): Json[] =>
  resources(stack, 'kubernetes_manifest')
    .map((r) => r.manifest as Json)
    .filter((m) => m.kind === kind);
const rulesOf = (stack: Json): Json[] =>
  ofKind(stack, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: Json) => g.rules));
const dashboardOf = (stack: Json): Json => {
  const cm = resources(stack, 'kubernetes_config_map_v1').find(
    (c) => c.metadata.labels?.grafana_dashboard === '1',
  ) as Json;
  return JSON.parse(cm.data['sovereign-serving.json']);
};

describe('monitors and rules fit the Prometheus Operator v0.93.0 CRDs', () => {
  test.each(['de-fra', 'eu-edge-vie'])('%s', (j) => {
    const stack = examples().stacks[j];
    for (const kind of ['PodMonitor', 'PrometheusRule']) {
      const ms = ofKind(stack, kind);
      expect(ms.length).toBeGreaterThan(0);
      for (const m of ms) {
        const v = validators[kind];
        expect({ [m.metadata.name]: v(m) ? [] : v.errors }).toEqual({ [m.metadata.name]: [] });
        expect(m.metadata.labels.release).toBe(j === 'de-fra' ? 'kube-prometheus-stack' : undefined);
      }
    }
    const bad = structuredClone(ofKind(stack, 'PodMonitor')[0]);
    bad.spec.podMetricsEndpoints[0].scheme = 'ftp';
    expect(validators.PodMonitor(bad)).toBe(false);
  });
});

describe('de-fra: engines, pickers, gateway and DCGM are scraped; the alerts the platform needs', () => {
  test('PodMonitors', () => {
    const pm = ofKind(examples().stacks['de-fra'], 'PodMonitor');
    const seen = pm
      .map((m) => [
        m.metadata.namespace,
        m.metadata.name,
        m.spec.podMetricsEndpoints[0].port ?? m.spec.podMetricsEndpoints[0].portNumber,
      ])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(seen).toEqual([
      ['gpu-operator', 'dcgm-exporter', 9400],
      ['llm-serving', 'endpoint-pickers', 'metrics'],
      ['llm-serving', 'inference-gateway', 15020],
      ['llm-serving', 'model-servers', 'http'],
    ]);
  });

  test('alerts, each with a summary and a runbook line', () => {
    const rules = rulesOf(examples().stacks['de-fra']);
    expect(rules.map((r) => r.alert)).toEqual([
      'GpuXidError',
      'GpuRowRemapFailure',
      'GpuTooHot',
      'EngineKvCacheSaturated',
      'EngineQueueGrowing',
      'TimeToFirstTokenSlo',
      'EngineErrorRateSlo',
      'ModelPodRestarting',
      'WeightVerifyFailed',
    ]);
    for (const r of rules) {
      expect(r.annotations.runbook.length).toBeGreaterThan(20);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(['critical', 'warning']).toContain(r.labels.severity);
    }
  });

  test('the weight-verify alert matches the names of the weight Jobs the stack creates', () => {
    const stack = examples().stacks['de-fra'];
    const expr = rulesOf(stack).find((r) => r.alert === 'WeightVerifyFailed')?.expr as string;
    const re = new RegExp(`^${/job_name=~"([^"]+)"/.exec(expr)?.[1]}$`);
    const jobs = resources(stack, 'kubernetes_job_v1').map((j) => j.metadata.name as string);
    expect(jobs.length).toBe(2);
    for (const name of jobs) expect(name).toMatch(re);
  });

  test('the dashboard is a ConfigMap the Grafana sidecar picks up, in the monitoring namespace', () => {
    const stack = examples().stacks['de-fra'];
    const cm = resources(stack, 'kubernetes_config_map_v1').find(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    ) as Json;
    expect(cm.metadata.namespace).toBe('monitoring');
    expect(dashboardOf(stack).panels.map((p: Json) => p.title)).toEqual(
      expect.arrayContaining([
        'Requests waiting',
        'KV-cache use',
        'Time to first token p95 (s)',
        'GPU utilisation (%)',
      ]),
    );
  });

  test('nothing is sent outside: no remote write, no external URL in monitoring objects', () => {
    for (const f of Object.values(examples().files)) expect(f).not.toMatch(/remoteWrite|remote_write/);
  });
});

describe('every rule and dashboard query names a metric the pinned engine or exporter exports', () => {
  test.each(['de-fra', 'eu-edge-vie'])('%s', (j) => {
    const stack = examples().stacks[j];
    const queries = [
      ...rulesOf(stack).map((r) => r.expr as string),
      ...dashboardOf(stack).panels.map((p: Json) => p.targets[0].expr as string),
    ];
    expect(queries.length).toBeGreaterThan(3);
    for (const q of queries) {
      const names = metricsIn(q);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect([n, exported(n)]).toEqual([n, true]);
    }
  });

  test('edge: llama.cpp queue rule and panels, no vLLM or GPU metric', () => {
    const stack = examples().stacks['eu-edge-vie'];
    const all = rulesOf(stack)
      .map((r) => r.expr)
      .join('\n');
    expect(all).toContain('llamacpp:requests_deferred');
    expect(all).not.toMatch(/vllm:|DCGM_/);
  });

  test('the check refuses names no exporter has (a deprecated spelling, a typo)', () => {
    for (const n of ['vllm:gpu_cache_usage_perc', 'llamacpp:kv_cache_usage_ratio', 'DCGM_FI_DEV_XID_ERROR'])
      expect(exported(n)).toBe(false);
    expect(exported('vllm:time_to_first_token_seconds_bucket')).toBe(true);
  });
});
