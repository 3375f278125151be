/**
 * SOV-016 on the inference gateway's, the autoscaler's and monitoring's objects: the kinds the
 * toolkit writes are modelled by their exact API group, object references may name those groups,
 * the tenants' key Secrets may carry the one label the gateway selects them by; a hub host hidden
 * in the same objects is still caught, and look-alikes stay unknown.
 */
import { evaluateStack } from '../../../policy/engine';
import { exampleStack } from '../fixtures';

const TODAY = '2026-06-01';

function sov016(resources: Record<string, Record<string, unknown>>): string[] {
  const j = exampleStack();
  Object.assign(j.resource as Record<string, unknown>, resources);
  const r = evaluateStack('de', j, { today: TODAY });
  return r.findings.filter((f) => f.rule === 'SOV-016').map((f) => `${f.status} ${f.path} ${f.message}`);
}
const manifests = (...ms: Record<string, unknown>[]) =>
  sov016({ kubernetes_manifest: Object.fromEntries(ms.map((m, i) => [`m${i}`, { manifest: m }])) });

const route = (backendGroup = 'inference.networking.k8s.io') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'llama', namespace: 'llm-serving' },
  spec: {
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'llm-gateway' }],
    rules: [{ backendRefs: [{ group: backendGroup, kind: 'InferencePool', name: 'llama', port: 8000 }] }],
  },
});
const params = (group = 'agentgateway.dev') => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'llm-gateway', namespace: 'llm-serving' },
  spec: {
    gatewayClassName: 'agentgateway',
    infrastructure: { parametersRef: { group, kind: 'AgentgatewayParameters', name: 'proxy' } },
    listeners: [{ name: 'https', port: 8443, protocol: 'HTTPS' }],
  },
});
const rule = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'llm-serving', namespace: 'llm-serving' },
  spec: {
    groups: [
      {
        name: 'llm-serving',
        rules: [
          {
            alert: 'ModelQueueGrowing',
            expr: 'sum by (model_name) (vllm:num_requests_waiting) > 10',
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'requests wait', ...annotations },
          },
        ],
      },
    ],
  },
});
const podMonitor = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PodMonitor',
  metadata: { name: 'model-servers', namespace: 'llm-serving' },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/component': 'server' } },
    podMetricsEndpoints: [{ port: 'http', path: '/metrics' }],
  },
};
const scaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'llama', namespace: 'llm-serving' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama' },
    triggers: [
      {
        type: 'prometheus',
        metadata: {
          serverAddress: 'http://prometheus.monitoring.svc:9090',
          query: 'sum(vllm:num_requests_waiting{model_name="llama"})',
          threshold: '5',
        },
      },
    ],
  },
};

describe('SOV-016 on the gateway, autoscaler and monitoring objects', () => {
  test('the kinds the toolkit writes, their object references and PromQL are judgeable', () => {
    expect(manifests(route(), params(), rule(), podMonitor, scaledObject)).toEqual([]);
  });

  test('fails when a reference names a group the toolkit does not write: it is judged as a host', () => {
    expect(manifests(route('huggingface.co'))).toEqual([
      expect.stringMatching(
        /^failed manifest\.spec\.rules\[0\]\.backendRefs\[0\]\.group .*names huggingface\.co/,
      ),
    ]);
    expect(manifests(params('huggingface.co'))).toEqual([
      expect.stringMatching(
        /^failed manifest\.spec\.infrastructure\.parametersRef\.group .*names huggingface\.co/,
      ),
    ]);
  });

  test('fails when a hub host hides in an alert annotation beside PromQL', () => {
    expect(manifests(rule({ runbook_url: 'huggingface.co/runbooks/queue' }))).toEqual([
      expect.stringMatching(
        /^failed manifest\.spec\.groups\[0\]\.rules\[0\]\.annotations\.runbook_url .*names huggingface\.co/,
      ),
    ]);
  });

  test('fails when a host hides in a ScaledObject trigger field', () => {
    const so = structuredClone(scaledObject);
    (so.spec.triggers[0].metadata as Record<string, string>).customHeaders = 'huggingface.co';
    expect(manifests(so)).toEqual([
      expect.stringMatching(
        /^failed manifest\.spec\.triggers\[0\]\.metadata\.customHeaders .*names huggingface\.co/,
      ),
    ]);
  });

  test('a modelled kind under a look-alike API group is not modelled', () => {
    const found = manifests({ ...podMonitor, apiVersion: 'monitoring.coreos.com.evil.example/v1' });
    expect(found.join('\n')).toMatch(/kind PodMonitor is not one the rules model/);
    const pool = { ...route(), kind: 'InferencePool', apiVersion: 'inference.networking.x-k8s.io/v1alpha2' };
    expect(manifests(pool).join('\n')).toMatch(/kind InferencePool is not one the rules model/);
  });

  const keyLabel = (body: Record<string, unknown>) =>
    sov016({
      kubernetes_labels: {
        keys: {
          api_version: 'v1',
          kind: 'Secret',
          metadata: { name: 'tenant-keys', namespace: 'llm-serving' },
          ...body,
        },
      },
    });

  test('the gateway label on a tenant key Secret is a modelled patch', () => {
    expect(keyLabel({ labels: { 'sovereign-stack.io/gateway-api-keys': 'llm-gateway' } })).toEqual([]);
  });

  test('any other label, or the same label on another kind, is still denied', () => {
    const other = keyLabel({ labels: { 'sovereign-stack.io/gateway-api-keys': 'llm-gateway', team: 'x' } });
    expect(other.join('\n')).toMatch(/^failed kind kubernetes_labels patches a Secret/m);
    const cm = keyLabel({
      kind: 'ConfigMap',
      labels: { 'sovereign-stack.io/gateway-api-keys': 'llm-gateway' },
    });
    expect(cm.join('\n')).toMatch(/^failed kind kubernetes_labels patches a ConfigMap/m);
  });
});
