/**
 * Metrics, alerts and dashboards of one jurisdiction, for the Prometheus Operator and Grafana it
 * runs itself (nothing is sent anywhere): PodMonitors for the engines, the endpoint pickers,
 * the gateway's proxy and the DCGM exporter; one PrometheusRule (GPU XID errors and DCGM
 * health, KV-cache saturation, queue growth, time-to-first-token and error-rate SLOs, restarts,
 * weight-verify failures), each alert with a runbook line; a Grafana dashboard as a ConfigMap
 * the Grafana sidecar discovers.
 *
 * CRDs: prometheus-operator/prometheus-operator v0.93.0 (commit f8fafd47),
 * example/prometheus-operator-crd/monitoring.coreos.com_{podmonitors,prometheusrules}.yaml.
 * Metric names: ./private/engine-metrics.ts and test/fixtures/metrics/ (sources cited there).
 */
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { type ITerraformDependable } from 'cdktf';
import { throwIfProblems, type Problem } from '../core/errors';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { AGENTGATEWAY_PROXY_METRICS_PORT, GATEWAY_NAME_LABEL } from './inference-gateway';
import { recommendedLabels } from '../core/labels';
import { checkDnsLabel, problems } from './private/validate';

export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';
/** The label kube-prometheus-stack's Grafana sidecar looks for (`sidecar.dashboards.label`). */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

export interface MonitoringProps {
  readonly jurisdiction: string;
  /** Namespace of the servers (and pickers, gateway). */
  readonly servingNamespace: string;
  /** Namespace of Prometheus and Grafana: the dashboard ConfigMap goes there. */
  readonly monitoringNamespace: string;
  /** Labels the Prometheus selects monitors and rules by (e.g. `release: kube-prometheus-stack`). */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Port the servers serve the API and /metrics on. */
  readonly servingPort: number;
  /** Engines served, for their monitors and alerts. */
  readonly engines: readonly ('vllm' | 'llama-cpp')[];
  /** Whether the gateway (proxy and endpoint pickers) runs. */
  readonly gateway: boolean;
  /** Namespace of the GPU Operator when it runs the DCGM exporter. */
  readonly dcgmNamespace?: string;
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly summary: string;
  /** What to do, in one line. */
  readonly runbook: string;
}

export class Monitoring extends Construct {
  public readonly manifests: readonly Manifest[];
  public readonly rules: readonly AlertRule[];
  /** Every PromQL expression of the dashboard, by panel title. */
  public readonly dashboardQueries: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, p: MonitoringProps) {
    super(scope, id);
    throwIfProblems(
      `Monitoring ${id}`,
      problems(
        checkDnsLabel('servingNamespace', p.servingNamespace),
        checkDnsLabel('monitoringNamespace', p.monitoringNamespace),
      ) as Problem[],
    );
    const ns = p.servingNamespace;
    const sel = `namespace=${q(ns)}`;
    const labels = (component: string, instance: string) => ({
      ...recommendedLabels({ name: 'monitoring', instance, component, jurisdiction: p.jurisdiction }),
      ...(p.selectorLabels ?? {}),
    });
    const manifests: Manifest[] = [];
    const cr = (cid: string, body: Record<string, unknown>) => {
      const m = new Manifest(this, cid, { manifest: body, dependsOn: [...(p.dependsOn ?? [])] });
      manifests.push(m);
    };
    const podMonitor = (
      name: string,
      namespace: string,
      matchLabels: Record<string, string>,
      endpoint: Record<string, unknown>,
    ) =>
      cr(`podmonitor-${name}`, {
        apiVersion: MONITORING_API_VERSION,
        kind: 'PodMonitor',
        metadata: { name, namespace, labels: labels('pod-monitor', name) },
        spec: {
          selector: { matchLabels },
          podMetricsEndpoints: [{ path: '/metrics', interval: '15s', scheme: 'http', ...endpoint }],
        },
      });
    // The servers serve /metrics on their API port (named `http`, constructs/private/serving.ts).
    podMonitor(
      'model-servers',
      ns,
      { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/managed-by': 'sovereign-stack' },
      { port: 'http' },
    );
    if (p.gateway) {
      podMonitor(
        'endpoint-pickers',
        ns,
        { 'app.kubernetes.io/component': 'endpoint-picker' },
        { port: 'metrics' },
      );
      podMonitor(
        'inference-gateway',
        ns,
        { [GATEWAY_NAME_LABEL]: 'inference-gateway' },
        { portNumber: AGENTGATEWAY_PROXY_METRICS_PORT },
      );
    }
    // GPU Operator v25.10.0 runs dcgm-exporter pods labelled app=nvidia-dcgm-exporter, port 9400.
    if (p.dcgmNamespace)
      podMonitor('dcgm-exporter', p.dcgmNamespace, { app: 'nvidia-dcgm-exporter' }, { portNumber: 9400 });
    // Prometheus reaches the servers' metrics (their serving port) and nothing else of them.
    new NetworkPolicyV1(this, 'netpol-scrape', {
      metadata: {
        name: 'allow-monitoring-scrape',
        namespace: ns,
        labels: labels('network-policy', 'allow-monitoring-scrape'),
      },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'server' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.monitoringNamespace } },
              },
            ],
            ports: [{ port: String(p.servingPort), protocol: 'TCP' }],
          },
        ],
      },
      dependsOn: [...(p.dependsOn ?? [])],
    });

    const vllm = p.engines.includes('vllm');
    const llama = p.engines.includes('llama-cpp');
    const rules: AlertRule[] = [];
    if (p.dcgmNamespace) {
      rules.push(
        {
          alert: 'GpuXidError',
          expr: 'max by (Hostname, gpu) (DCGM_FI_DEV_XID_ERRORS{}) > 0',
          for: '0m',
          severity: 'critical',
          summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID {{ $value }}',
          runbook:
            'Look the XID up in NVIDIA’s XID table; cordon the node, drain its model pods, reset the GPU or the node before uncordoning.',
        },
        {
          alert: 'GpuRowRemapFailure',
          expr: 'max by (Hostname, gpu) (DCGM_FI_DEV_ROW_REMAP_FAILURE{}) > 0',
          for: '0m',
          severity: 'critical',
          summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} failed to remap memory rows',
          runbook:
            'The GPU’s memory is failing (DCGM health): cordon the node and open a hardware ticket with the vendor.',
        },
        {
          alert: 'GpuTooHot',
          expr: 'max by (Hostname, gpu) (DCGM_FI_DEV_GPU_TEMP{}) > 87',
          for: '10m',
          severity: 'warning',
          summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} at {{ $value }} °C',
          runbook:
            'Check the node’s cooling and fans in the data-centre console; throttling follows, then XID errors.',
        },
      );
    }
    if (vllm) {
      rules.push(
        {
          alert: 'EngineKvCacheSaturated',
          expr: `avg by (model_name) (vllm:kv_cache_usage_perc{${sel}}) > 0.95`,
          for: '10m',
          severity: 'warning',
          summary: 'KV cache of {{ $labels.model_name }} above 95 % for 10 minutes',
          runbook:
            'Requests are being preempted: raise autoscaling.maxReplicas or lower maxConcurrentSequences / maxModelLenTokens for the model.',
        },
        {
          alert: 'EngineQueueGrowing',
          expr: `sum by (model_name) (avg_over_time(vllm:num_requests_waiting{${sel}}[10m])) > 10`,
          for: '10m',
          severity: 'warning',
          summary: '{{ $value }} requests waiting on average for {{ $labels.model_name }}',
          runbook:
            'Demand exceeds the replicas: check the ScaledObject is at maxReplicas and the pool has free GPUs; add nodes or replicas.',
        },
        {
          alert: 'TimeToFirstTokenSlo',
          expr: `histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket{${sel}}[5m]))) > 2`,
          for: '15m',
          severity: 'warning',
          summary: 'p95 time to first token of {{ $labels.model_name }} is {{ $value }} s (SLO 2 s)',
          runbook:
            'Look at queue length and KV-cache use of the model first; long prompts without prefix caching also raise it.',
        },
        {
          alert: 'EngineErrorRateSlo',
          expr: `sum by (model_name) (rate(vllm:request_success_total{${sel},finished_reason="abort"}[5m])) / sum by (model_name) (rate(vllm:request_success_total{${sel}}[5m])) > 0.05`,
          for: '15m',
          severity: 'critical',
          summary: 'More than 5 % of requests to {{ $labels.model_name }} aborted',
          runbook:
            'Read the engine logs of the model’s pods for the abort reason (client disconnects, timeouts at the gateway, OOM).',
        },
      );
    }
    if (llama) {
      rules.push({
        alert: 'LlamaCppQueueGrowing',
        expr: `sum by (pod) (avg_over_time(llamacpp:requests_deferred{${sel}}[10m])) > 8`,
        for: '10m',
        severity: 'warning',
        summary: '{{ $value }} requests deferred on average on {{ $labels.pod }}',
        runbook:
          'All slots are busy: raise maxConcurrentSequences (slots) if memory allows, or add replicas.',
      });
    }
    rules.push(
      {
        alert: 'ModelPodRestarting',
        expr: `increase(kube_pod_container_status_restarts_total{${sel}}[15m]) > 2`,
        for: '0m',
        severity: 'warning',
        summary: '{{ $labels.pod }} restarted {{ $value }} times in 15 minutes',
        runbook:
          'kubectl -n <namespace> describe pod and logs --previous: OOM, a failed startup probe while loading weights, or a missing Secret.',
      },
      {
        alert: 'WeightVerifyFailed',
        expr: `max by (job_name) (kube_job_status_failed{${sel},job_name=~".+-weights-[0-9a-f]{8}"}) > 0`,
        for: '0m',
        severity: 'critical',
        summary: 'Weight copy or verification Job {{ $labels.job_name }} failed',
        runbook:
          'Read the Job’s log: a SHA-256 mismatch means the mirror holds other files than the manifest pins; fix the mirror or the manifest, never skip verification.',
      },
    );
    this.rules = rules;
    cr('rules', {
      apiVersion: MONITORING_API_VERSION,
      kind: 'PrometheusRule',
      metadata: {
        name: 'sovereign-serving',
        namespace: ns,
        labels: labels('prometheus-rule', 'sovereign-serving'),
      },
      spec: {
        groups: [
          {
            name: `sovereign-${p.jurisdiction}`,
            rules: rules.map((r) => ({
              alert: r.alert,
              expr: r.expr,
              for: r.for,
              labels: { severity: r.severity, jurisdiction: p.jurisdiction },
              annotations: { summary: r.summary, runbook: r.runbook },
            })),
          },
        ],
      },
    });
    this.manifests = manifests;

    // ------------------------------------------------------------ dashboard
    const panels: Record<string, string> = {};
    if (vllm) {
      panels['Requests waiting'] = `sum by (model_name) (vllm:num_requests_waiting{${sel}})`;
      panels['Requests running'] = `sum by (model_name) (vllm:num_requests_running{${sel}})`;
      panels['KV-cache use'] = `avg by (model_name) (vllm:kv_cache_usage_perc{${sel}})`;
      panels['Time to first token p95 (s)'] =
        `histogram_quantile(0.95, sum by (le, model_name) (rate(vllm:time_to_first_token_seconds_bucket{${sel}}[5m])))`;
      panels['Generated tokens/s'] = `sum by (model_name) (rate(vllm:generation_tokens_total{${sel}}[5m]))`;
    }
    if (llama) {
      panels['llama.cpp requests deferred'] = `sum by (pod) (llamacpp:requests_deferred{${sel}})`;
      panels['llama.cpp requests processing'] = `sum by (pod) (llamacpp:requests_processing{${sel}})`;
    }
    if (p.dcgmNamespace) {
      panels['GPU utilisation (%)'] = 'avg by (Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL{})';
      panels['GPU memory used (MiB)'] = 'sum by (Hostname, gpu) (DCGM_FI_DEV_FB_USED{})';
    }
    this.dashboardQueries = panels;
    const dashboard = {
      title: `Model serving — ${p.jurisdiction}`,
      uid: `sovereign-${p.jurisdiction}`.slice(0, 40),
      schemaVersion: 39,
      time: { from: 'now-6h', to: 'now' },
      panels: Object.entries(panels).map(([title, expr], i) => ({
        id: i + 1,
        type: 'timeseries',
        title,
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
        targets: [{ refId: 'A', expr }],
      })),
    };
    new ConfigMapV1(this, 'dashboard', {
      metadata: {
        name: `sovereign-serving-${p.jurisdiction}`.slice(0, 63),
        namespace: p.monitoringNamespace,
        labels: { ...labels('grafana-dashboard', 'serving'), [GRAFANA_DASHBOARD_LABEL]: '1' },
      },
      data: { 'sovereign-serving.json': JSON.stringify(dashboard) },
    });
  }
}

function q(s: string): string {
  return JSON.stringify(s);
}
