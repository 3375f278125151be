/**
 * Hand-written stacks in the shape cdktf synthesizes (`cdk.tf.json`), for policy tests.
 * `exampleStack()` is a compliant jurisdiction stack; tests copy and break it.
 */
import { IMAGE_REPOSITORIES } from '../../core/gpu-operator-images';
import { key } from '../../policy/k8s';
import { licenceById } from '../../policy/licences/catalogue';
import type { StackMetadata } from '../../core/stack-record';
import { PROFILE_PACKS } from '../../policy/packs';
import { readMetadata, stackView, type ResourceView } from '../../policy/stack';
import type { Outcome, Rule, RuleContext } from '../../policy/types';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Any = any;

export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const MANIFEST_SHA = 'c'.repeat(64);
export const FILE_SHA = 'd'.repeat(64);
export const VLLM_IMAGE = `registry.de.example/vllm/vllm-openai:v0.8.5@${DIGEST}`;
export const TOOLS_IMAGE = `registry.de.example/tools/weights-sync:1.2.0@${DIGEST_B}`;

/** `{ key: { repository } }` for every GPU Operator image key the fixture does not set otherwise. */
const GPU_OPERATOR_MIRRORED: Record<string, unknown> = (() => {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(IMAGE_REPOSITORIES)) {
    if (['driver', 'operator', 'devicePlugin', 'toolkit'].includes(k.split('.')[0])) continue;
    let cur = out;
    for (const seg of k.split('.')) cur = (cur[seg] ??= {}) as Record<string, unknown>;
    cur.repository = 'registry.de.example/nvidia';
  }
  return out;
})();

export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export function metadata(over: Partial<StackMetadata> = {}): StackMetadata {
  return {
    schemaVersion: 1,
    toolkitVersion: '0.1.0',
    jurisdiction: 'de',
    profile: 'de-bsi-c5',
    packs: PROFILE_PACKS['de-bsi-c5'],
    allowed: {
      registries: ['registry.de.example'],
      chartRepositories: ['https://charts.de.example/nvidia'],
      providerHosts: ['registry.terraform.io', 'providers.de.example'],
      hosts: ['*.de.example'],
      cidrs: ['10.20.0.0/16'],
      serviceTypes: [],
    },
    suppressions: [
      {
        rule: 'K8S-023',
        resource: 'kubernetes_namespace_v1.gpu_operator',
        reason: 'GPU operator driver and toolkit daemon sets need privileged pods',
        expires: '2099-12-31',
      },
    ],
    models: [
      {
        name: 'llama',
        engine: 'vllm',
        image: VLLM_IMAGE,
        revision: '0e9e39f249a16976918f6564b8830bc894c89659',
        manifestSha256: MANIFEST_SHA,
        files: [
          { path: 'config.json', sha256: FILE_SHA },
          { path: 'model-00001-of-00002.safetensors', sha256: 'e'.repeat(64) },
        ],
        license: 'Apache-2.0',
        licenseFacts: licenceById('Apache-2.0'),
        source: 's3://models.s3.de.example/llama-3.1-8b-instruct',
        description: 'Llama 3.1 8B Instruct, transformer decoder, bf16',
        gpus: 1,
        replicas: 2,
        pool: 'h100',
      },
    ],
    ...over,
  };
}

const labels = (component: string, instance = 'llama') => ({
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/instance': instance,
  'app.kubernetes.io/managed-by': 'sovereign-stack',
  'app.kubernetes.io/name': component === 'server' ? 'vllm' : 'model-weights',
  'sovereign-stack.io/jurisdiction': 'de',
});

const modelAnnotations = {
  'sovereign-stack.io/model': 'llama',
  'sovereign-stack.io/model-revision': '0e9e39f249a16976918f6564b8830bc894c89659',
  'sovereign-stack.io/weights-manifest-sha256': MANIFEST_SHA,
};

const hardenedSc = {
  allow_privilege_escalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  read_only_root_filesystem: true,
  run_as_non_root: true,
};

const podSc = {
  fs_group: '10001',
  run_as_group: '10001',
  run_as_non_root: true,
  run_as_user: '10001',
  seccomp_profile: { type: 'RuntimeDefault' },
};

const resources = (gpu: boolean) => ({
  limits: { cpu: '8', memory: '64Gi', ...(gpu ? { 'nvidia.com/gpu': '1' } : {}) },
  requests: { cpu: '4', memory: '48Gi', ...(gpu ? { 'nvidia.com/gpu': '1' } : {}) },
});

/** A compliant vLLM server pod spec in the provider's spelling. */
export function serverPodTf(): Any {
  return clone({
    automount_service_account_token: false,
    container: [
      {
        args: [
          '--model',
          '/models/llama/0e9e39f249a16976918f6564b8830bc894c89659',
          '--served-model-name',
          'llama',
          '--port',
          '8000',
        ],
        env: [
          { name: 'HF_HUB_OFFLINE', value: '1' },
          { name: 'TRANSFORMERS_OFFLINE', value: '1' },
          { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
          { name: 'VLLM_NO_USAGE_STATS', value: '1' },
          { name: 'DO_NOT_TRACK', value: '1' },
          { name: 'HF_HOME', value: '/cache/hf' },
          {
            name: 'VLLM_API_KEY',
            value_from: { secret_key_ref: { key: 'api-key', name: 'vllm-llama-api-key' } },
          },
        ],
        image: VLLM_IMAGE,
        liveness_probe: { http_get: { path: '/health', port: '8000' } },
        name: 'vllm',
        port: [{ container_port: 8000, name: 'http' }],
        readiness_probe: { http_get: { path: '/health', port: '8000' } },
        resources: resources(true),
        security_context: hardenedSc,
        startup_probe: { failure_threshold: 120, http_get: { path: '/health', port: '8000' } },
        volume_mount: [
          { mount_path: '/models', name: 'weights', read_only: true },
          { mount_path: '/cache', name: 'cache' },
          { mount_path: '/dev/shm', name: 'dshm' },
        ],
      },
    ],
    node_selector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
    security_context: podSc,
    toleration: [{ effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' }],
    volume: [
      { name: 'weights', persistent_volume_claim: { claim_name: 'weights-llama', read_only: true } },
      { empty_dir: {}, name: 'cache' },
      { empty_dir: { medium: 'Memory', size_limit: '16Gi' }, name: 'dshm' },
    ],
  });
}

/** Converts a provider-spelled object to the Kubernetes API spelling (for kubernetes_manifest). */
export function toK8s(v: Any, parentKey = ''): Any {
  if (Array.isArray(v)) return v.map((x) => toK8s(x, parentKey));
  if (v === null || typeof v !== 'object') return v;
  const keep = [
    'labels',
    'annotations',
    'limits',
    'requests',
    'node_selector',
    'match_labels',
    'hard',
    'data',
  ].includes(parentKey);
  const out: Any = {};
  for (const [k, x] of Object.entries(v)) {
    const nk = keep || !/^[a-z_]+$/.test(k) ? k : key('k8s', k);
    out[nk] = toK8s(x, k);
  }
  return out;
}

/** A workload of `kind` around a pod spec, as a typed resource body. */
export function workloadTf(
  kind: string,
  pod: Any,
  podLabels: Any = labels('server'),
  ann: Any = modelAnnotations,
): Any {
  const annotations = clone(ann);
  const metadata = { labels: podLabels, name: 'vllm-llama', namespace: 'llm' };
  if (kind === 'Pod') return { metadata: { ...metadata, annotations }, spec: pod };
  const template = { metadata: { annotations, labels: podLabels }, spec: pod };
  const body: Any = { metadata: { ...metadata }, spec: {} };
  let cur = body.spec;
  if (['Deployment', 'StatefulSet'].includes(kind)) cur.replicas = '2';
  if (kind !== 'Job' && kind !== 'CronJob')
    cur.selector = { match_labels: { 'app.kubernetes.io/instance': 'llama' } };
  if (kind === 'CronJob') {
    cur.schedule = '0 3 * * *';
    cur.job_template = { metadata: {}, spec: {} };
    cur = cur.job_template.spec;
  }
  cur.template = template;
  return body;
}

/** The same workload as a kubernetes_manifest body. */
export function workloadManifest(kind: string, pod: Any, podLabels: Any = labels('server')): Any {
  const tf = workloadTf(kind, pod, podLabels);
  const apiVersion = kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : kind === 'Pod' ? 'v1' : 'apps/v1';
  return { manifest: { apiVersion, kind, ...toK8s(tf) } };
}

const TYPES: [string, string][] = [
  ['kubernetes_deployment_v1', 'Deployment'],
  ['kubernetes_deployment', 'Deployment'],
  ['kubernetes_stateful_set_v1', 'StatefulSet'],
  ['kubernetes_daemon_set_v1', 'DaemonSet'],
  ['kubernetes_daemonset', 'DaemonSet'],
  ['kubernetes_job_v1', 'Job'],
  ['kubernetes_cron_job_v1', 'CronJob'],
  ['kubernetes_pod_v1', 'Pod'],
];
const MANIFEST_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

/**
 * The pod spec wrapped in every workload kind, typed and as kubernetes_manifest. `mutate`
 * receives the provider-spelled pod spec before it is wrapped (and converted).
 */
export function everyKind(
  mutate: (pod: Any) => void = () => undefined,
  pod: () => Any = serverPodTf,
): ResourceView[] {
  const out: ResourceView[] = [];
  for (const [type, kind] of TYPES) {
    const p = pod();
    mutate(p);
    out.push({ mode: 'managed', type, name: 'w', address: `${type}.w`, body: workloadTf(kind, p) });
  }
  for (const kind of MANIFEST_KINDS) {
    const p = pod();
    mutate(p);
    const name = `w_${kind.toLowerCase()}`;
    out.push({
      mode: 'managed',
      type: 'kubernetes_manifest',
      name,
      address: `kubernetes_manifest.${name}`,
      body: workloadManifest(kind, p),
    });
  }
  return out;
}

/** A compliant jurisdiction stack, as cdktf would synthesize it. */
export function exampleStack(meta: StackMetadata = metadata()): Any {
  return clone(buildExample(meta));
}

function buildExample(meta: StackMetadata): Any {
  const weightsPod: Any = {
    automount_service_account_token: false,
    container: [
      {
        args: [
          '--source',
          's3://models.s3.de.example/llama-3.1-8b-instruct',
          '--dest',
          '/models/llama',
          '--manifest',
          '/manifest/manifest.json',
        ],
        env: [
          { name: 'AWS_ENDPOINT_URL', value: 'https://s3.de.example' },
          {
            name: 'AWS_ACCESS_KEY_ID',
            value_from: { secret_key_ref: { key: 'access-key', name: 'weights-s3' } },
          },
          {
            name: 'AWS_SECRET_ACCESS_KEY',
            value_from: { secret_key_ref: { key: 'secret-key', name: 'weights-s3' } },
          },
        ],
        image: TOOLS_IMAGE,
        name: 'sync',
        resources: resources(false),
        security_context: hardenedSc,
        volume_mount: [
          { mount_path: '/models', name: 'weights' },
          { mount_path: '/manifest', name: 'manifest', read_only: true },
        ],
      },
    ],
    restart_policy: 'Never',
    security_context: podSc,
    volume: [
      { name: 'weights', persistent_volume_claim: { claim_name: 'weights-llama' } },
      { config_map: { name: 'weights-llama-manifest' }, name: 'manifest' },
    ],
  };
  const wAnn = {
    ...modelAnnotations,
    'sovereign-stack.io/weights-source': 's3://models.s3.de.example/llama-3.1-8b-instruct',
  };
  const job = workloadTf('Job', weightsPod, labels('weights-sync'), wAnn);
  job.metadata.name = 'weights-llama';
  job.metadata.annotations = wAnn;
  job.wait_for_completion = true;
  const server = workloadTf('Deployment', serverPodTf());
  server.metadata.annotations = { 'sovereign-stack.io/engine': 'vllm/v0.8.5' };
  server.spec.template.metadata.annotations['sovereign-stack.io/engine'] = 'vllm/v0.8.5';
  server.depends_on = ['kubernetes_job_v1.weights_llama'];
  return {
    '//': { metadata: { backend: 's3', stackName: 'de', version: '0.21.0' }, sovereign: meta },
    terraform: {
      backend: {
        s3: {
          bucket: 'tfstate',
          endpoints: { s3: 'https://s3.de.example' },
          key: 'sovereign/de.tfstate',
          region: 'eu-central-1',
          skip_credentials_validation: true,
          skip_region_validation: true,
          skip_requesting_account_id: true,
          use_path_style: true,
        },
      },
      required_providers: {
        helm: { source: 'registry.terraform.io/hashicorp/helm', version: '3.1.1' },
        kubernetes: { source: 'registry.terraform.io/hashicorp/kubernetes', version: '2.38.0' },
      },
    },
    provider: {
      helm: [{ kubernetes: { config_context: 'de-prod', config_path: '~/.kube/config' } }],
      kubernetes: [
        { config_context: 'de-prod', config_path: '~/.kube/config', host: 'https://k8s-api.de.example:6443' },
      ],
    },
    resource: {
      helm_release: {
        gpu_operator: {
          chart: 'gpu-operator',
          name: 'gpu-operator',
          namespace: 'gpu-operator',
          repository: 'https://charts.de.example/nvidia',
          set: [
            { name: 'toolkit.repository', value: 'registry.de.example/nvidia/k8s' },
            { name: 'toolkit.image', value: 'container-toolkit' },
            { name: 'toolkit.version', value: DIGEST },
          ],
          values: [
            JSON.stringify({
              // Every other image the chart pulls, mirrored (the chart's defaults are outside the jurisdiction).
              ...GPU_OPERATOR_MIRRORED,
              driver: {
                image: 'driver',
                repository: 'registry.de.example/nvidia',
                version: DIGEST,
                manager: { repository: 'registry.de.example/nvidia/cloud-native' },
              },
              operator: {
                image: 'gpu-operator',
                repository: 'registry.de.example/nvidia',
                version: DIGEST_B,
                initContainer: { repository: 'registry.de.example/nvidia' },
              },
            }),
            'devicePlugin:\n  repository: registry.de.example/nvidia\n  image: k8s-device-plugin\n  version: "sha256:' +
              'f'.repeat(64) +
              '"\n',
          ],
          version: 'v25.3.0',
          wait: true,
        },
      },
      kubernetes_config_map_v1: {
        weights_llama_manifest: {
          data: { 'manifest.json': '{"files":[]}' },
          metadata: {
            annotations: modelAnnotations,
            labels: labels('weights-manifest'),
            name: 'weights-llama-manifest',
            namespace: 'llm',
          },
        },
      },
      kubernetes_deployment_v1: { vllm_llama: server },
      kubernetes_job_v1: { weights_llama: job },
      kubernetes_limit_range_v1: {
        llm: {
          metadata: { name: 'default-limits', namespace: 'llm' },
          spec: { limit: [{ default: { cpu: '1', memory: '1Gi' }, type: 'Container' }] },
        },
      },
      kubernetes_namespace_v1: {
        gpu_operator: {
          metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' }, name: 'gpu-operator' },
        },
        llm: {
          metadata: {
            labels: {
              'pod-security.kubernetes.io/enforce': 'restricted',
              'sovereign-stack.io/jurisdiction': 'de',
            },
            name: 'llm',
          },
        },
      },
      kubernetes_network_policy_v1: {
        llm_allow_serving: {
          metadata: { name: 'allow-serving', namespace: 'llm' },
          spec: {
            egress: [
              { ports: [{ port: '443', protocol: 'TCP' }], to: [{ ip_block: { cidr: '10.20.5.0/24' } }] },
              {
                ports: [{ port: '53', protocol: 'UDP' }],
                to: [
                  {
                    namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                    pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
                  },
                ],
              },
            ],
            ingress: [
              {
                from: [
                  { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'gateway' } } },
                ],
              },
            ],
            pod_selector: { match_labels: { 'app.kubernetes.io/instance': 'llama' } },
            policy_types: ['Ingress', 'Egress'],
          },
        },
        llm_default_deny: {
          metadata: { name: 'default-deny', namespace: 'llm' },
          spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
        },
      },
      kubernetes_persistent_volume_claim_v1: {
        weights_llama: {
          metadata: { name: 'weights-llama', namespace: 'llm' },
          spec: {
            access_modes: ['ReadWriteMany'],
            resources: { requests: { storage: '200Gi' } },
            storage_class_name: 'ceph-rbd-de',
          },
          wait_until_bound: false,
        },
      },
      kubernetes_pod_disruption_budget_v1: {
        vllm_llama: {
          metadata: { name: 'vllm-llama', namespace: 'llm' },
          spec: {
            max_unavailable: '1',
            selector: {
              match_labels: { 'app.kubernetes.io/instance': 'llama', 'app.kubernetes.io/name': 'vllm' },
            },
          },
        },
      },
      kubernetes_resource_quota_v1: {
        llm: {
          metadata: { name: 'llm-quota', namespace: 'llm' },
          spec: { hard: { 'limits.memory': '512Gi', 'requests.cpu': '64', 'requests.nvidia.com/gpu': '8' } },
        },
      },
      kubernetes_service_v1: {
        vllm_llama: {
          metadata: { name: 'vllm-llama', namespace: 'llm' },
          spec: {
            port: [{ port: 8000, target_port: '8000' }],
            selector: { 'app.kubernetes.io/instance': 'llama' },
            type: 'ClusterIP',
          },
        },
      },
    },
    output: {
      vllm_llama_endpoint: {
        description: 'In-cluster URL of the llama server',
        value: 'http://vllm-llama.llm.svc:8000/v1',
      },
    },
  };
}

export function ctxOf(json: Any, name = 'de'): RuleContext {
  const stack = stackView(name, json);
  const { metadata: m, problems } = readMetadata(stack);
  return { stack, metadata: m, problems };
}

/** Runs a rule over a whole stack: every outcome with the address it belongs to. */
export function runOn(rule: Rule, json: Any): (Outcome & { address: string })[] {
  const ctx = ctxOf(json);
  if (rule.scope === 'stack') return rule.check(ctx).map((o) => ({ ...o, address: o.address ?? 'stack' }));
  const out: (Outcome & { address: string })[] = [];
  for (const r of ctx.stack.resources) {
    if (!rule.appliesTo.includes(r.type)) continue;
    const res = rule.check(r, ctx);
    for (const o of Array.isArray(res) ? res : [res]) out.push({ ...(o as Outcome), address: r.address });
  }
  return out;
}

/** Outcomes of a resource rule on one resource, in a stack (the example by default). */
export function runOnResource(rule: Rule, r: ResourceView, json: Any = exampleStack()): Outcome[] {
  if (rule.scope !== 'resource') throw new Error('resource rule expected');
  const res = rule.check(r, ctxOf(json));
  return Array.isArray(res) ? [...res] : [res as Outcome];
}

export const failures = (os: readonly Outcome[]) => os.filter((o) => o.status === 'non-compliant');
export const unknowns = (os: readonly Outcome[]) => os.filter((o) => o.status === 'unknown');

/** Adds a resource to a stack JSON. */
export function withResource(json: Any, type: string, name: string, body: Any): Any {
  const j = clone(json);
  j.resource[type] = { ...(j.resource[type] ?? {}), [name]: body };
  return j;
}
