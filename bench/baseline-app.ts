/**
 * The hand-written baseline of the synth benchmark: a plain cdktf app that emits, per
 * jurisdiction of bench/specs.ts, the same resources as `sovereign synth` (same kinds and
 * counts, the same attribute values: labels, probes, security contexts, the weights Job's
 * script) with the typed provider classes imported by deep path — written as an engineer
 * would write it by hand for this one workload: no YAML, no validation, no capacity planning,
 * no policy gate, no audit record.
 *
 *   node dist/bench/baseline-app.js <jurisdictions> <outdir>
 *
 * With BASELINE_TOKEN_STACK_TRACES=0 it turns cdktf's per-token stack-trace capture off the
 * same way `sovereign synth` does, for the "same levers" comparison.
 */
import {
  App,
  TerraformBackend,
  TerraformOutput,
  TerraformStack,
  type ITerraformDependable,
  type TerraformRemoteState,
} from 'cdktf';
import type { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import {
  DeploymentV1,
  type DeploymentV1SpecTemplateSpecContainer,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { NodeTaint } from '@cdktf/provider-kubernetes/lib/node-taint';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
// The Job's shell script is data an engineer would keep in a file beside the app.
import { escapeTerraformTemplate, VERIFY_WEIGHTS_SCRIPT } from '../constructs/private/verify-weights-script';
import { benchSite, sha256, type BenchModel, type BenchSite } from './specs';

const NS = 'llm-serving';
const GPU_NS = 'gpu-operator';
const PORT = 8000;
const SCRIPT = escapeTerraformTemplate(VERIFY_WEIGHTS_SCRIPT);
/** Host memory per vLLM replica: the weights once more plus head room, worked out by hand. */
const HOST_MEMORY: Record<string, string> = {
  'llama-3.1-8b': '23Gi',
  'mistral-7b-v0.3': '22Gi',
  'qwen2.5-7b': '23Gi',
  'gemma-2-9b': '26Gi',
};
const PSA_EXCEPTION =
  'NVIDIA GPU Operator operands (driver, container toolkit, device plugin, DCGM exporter, MIG manager) run privileged with host mounts to install the driver and configure the container runtime; NVIDIA documents enforce=privileged for this namespace (GPU Operator getting-started guide, pod security)';

function labels(site: string, name: string, instance: string, component: string, version?: string) {
  return {
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/managed-by': 'sovereign-stack',
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'sovereign-stack',
    ...(version === undefined ? {} : { 'app.kubernetes.io/version': version }),
    'sovereign-stack.io/jurisdiction': site,
  };
}

const psa = (level: string) => ({
  'pod-security.kubernetes.io/audit': level,
  'pod-security.kubernetes.io/audit-version': 'v1.33',
  'pod-security.kubernetes.io/enforce': level,
  'pod-security.kubernetes.io/enforce-version': 'v1.33',
  'pod-security.kubernetes.io/warn': level,
  'pod-security.kubernetes.io/warn-version': 'v1.33',
});

const restricted = (uid: number) => ({
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsGroup: String(uid),
  runAsNonRoot: true,
  runAsUser: String(uid),
  seccompProfile: { type: 'RuntimeDefault' },
});

const probe = (failureThreshold: number, periodSeconds: number, timeoutSeconds: number) => ({
  failureThreshold,
  httpGet: { path: '/health', port: 'http', scheme: 'HTTP' },
  periodSeconds,
  successThreshold: 1,
  timeoutSeconds,
});

/** cdktf 0.21 has no Kubernetes backend class: state in a Secret of the cluster itself. */
class KubernetesStateBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, 'backend', 'kubernetes');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  public getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error('not used');
  }
}

class SiteStack extends TerraformStack {
  constructor(scope: Construct, s: BenchSite) {
    super(scope, s.name);
    const kube = { configPath: `~/.kube/${s.name}.yaml`, configContext: s.name };
    new KubernetesStateBackend(this, {
      config_context: s.name,
      config_path: kube.configPath,
      namespace: 'terraform-state',
      secret_suffix: s.name,
    });
    new KubernetesProvider(this, 'kubernetes', kube);
    new HelmProvider(this, 'helm', { kubernetes: kube });
    const clusterLabels = (component: string, instance = NS) =>
      labels(s.name, 'private-cluster', instance, component);

    const ns = new NamespaceV1(this, 'namespace-llm-serving', {
      metadata: { name: NS, labels: { ...clusterLabels('serving-weights-namespace'), ...psa('restricted') } },
    });
    const gpuNs = new NamespaceV1(this, 'namespace-gpu-operator', {
      metadata: {
        name: GPU_NS,
        labels: { ...clusterLabels('gpu-operator-namespace', GPU_NS), ...psa('privileged') },
        annotations: { 'sovereign-stack.io/pod-security-exception': PSA_EXCEPTION },
      },
    });
    const inNs = { dependsOn: [ns] };
    const meta = (name: string, component: string) => ({
      name,
      namespace: NS,
      labels: clusterLabels(component),
    });
    new ResourceQuotaV1(this, 'quota', {
      ...inNs,
      metadata: meta('serving-quota', 'resource-quota'),
      spec: { hard: { 'requests.nvidia.com/gpu': String(s.nodes.length * 4) } },
    });
    new LimitRangeV1(this, 'limits', {
      ...inNs,
      metadata: meta('container-defaults', 'limit-range'),
      spec: {
        limit: [
          {
            type: 'Container',
            default: { cpu: '1', memory: '512Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        ],
      },
    });
    new NetworkPolicyV1(this, 'default-deny', {
      ...inNs,
      metadata: meta('default-deny-all', 'network-policy'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new NetworkPolicyV1(this, 'dns', {
      ...inNs,
      metadata: meta('allow-dns-egress', 'network-policy'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
          },
        ],
      },
    });
    new NetworkPolicyV1(this, 'serving-ingress', {
      ...inNs,
      metadata: meta('allow-serving-ingress', 'network-policy'),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'server' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'chat-frontend' } } },
            ],
            ports: [{ port: String(PORT), protocol: 'TCP' }],
          },
        ],
      },
    });
    new NetworkPolicyV1(this, 'weights-egress', {
      ...inNs,
      metadata: meta('allow-weights-egress', 'network-policy'),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'weights-sync' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: '443', protocol: 'TCP' }], to: [{ ipBlock: { cidr: s.cidr } }] }],
      },
    });

    const nodeReady = s.nodes.flatMap((node) => [
      new Labels(this, `labels-${node}`, {
        apiVersion: 'v1',
        kind: 'Node',
        fieldManager: 'sovereign-stack',
        force: true,
        metadata: { name: node },
        labels: { 'sovereign-stack.io/gpu-pool': 'h100', 'sovereign-stack.io/jurisdiction': s.name },
      }),
      new NodeTaint(this, `taint-${node}`, {
        fieldManager: 'sovereign-stack',
        force: true,
        metadata: { name: node },
        taint: [{ effect: 'NoSchedule', key: 'nvidia.com/gpu', value: 'present' }],
      }),
    ]);
    const operator = new Release(this, 'gpu-operator', {
      dependsOn: [gpuNs],
      name: 'gpu-operator',
      namespace: GPU_NS,
      chart: 'gpu-operator',
      repository: `oci://${s.registry}/charts`,
      version: 'v25.10.0',
      atomic: true,
      cleanupOnFail: true,
      createNamespace: false,
      maxHistory: 10,
      timeout: 1200,
      wait: true,
      waitForJobs: true,
      values: [JSON.stringify(operatorValues(s))],
    });

    const claim = new PersistentVolumeClaimV1(this, 'claim', {
      ...inNs,
      metadata: {
        name: 'weights-models',
        namespace: NS,
        labels: labels(s.name, 'model-weight-store', 'weights-models', 'weights-store'),
      },
      spec: {
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: '1000Gi' } },
        storageClassName: 'ceph-ssd',
      },
      waitUntilBound: false,
    });

    for (const m of s.models) {
      const { job, digest } = this.weights(s, m, ns, claim);
      this.server(s, m, digest, [job, ...(m.engine === 'vllm' ? [...nodeReady, operator] : []), ns]);
      new TerraformOutput(this, `${m.name.replace(/[^A-Za-z0-9_]/g, '_')}_endpoint`, {
        value: `http://${m.name}.${NS}.svc.cluster.local:${PORT}/v1`,
        description: `In-cluster OpenAI-compatible endpoint of ${m.name} (${m.engine}, revision ${m.revision})`,
      });
    }
    new TerraformOutput(this, 'serving_namespace', {
      value: NS,
      description: `Namespace of the model servers and weight volumes in ${s.name}`,
    });
    new TerraformOutput(this, 'gpu_operator_namespace', {
      value: GPU_NS,
      description: `Namespace of the NVIDIA GPU Operator (privileged) in ${s.name}`,
    });
  }

  /** The manifest ConfigMap and the Job that copies and verifies one model's files. */
  private weights(
    s: BenchSite,
    m: BenchModel,
    ns: NamespaceV1,
    claim: PersistentVolumeClaimV1,
  ): { job: JobV1; digest: string } {
    const manifest = Object.keys(m.files)
      .sort()
      .map((f) => `${m.files[f]}  ${f}\n`)
      .join('');
    const digest = sha256(manifest);
    const source = m.source.type === 's3' ? `${m.source.endpoint}/model-mirror/${m.name}` : m.source.url;
    const annotations = {
      'sovereign-stack.io/model': m.name,
      'sovereign-stack.io/model-license': 'Apache-2.0',
      'sovereign-stack.io/model-revision': m.revision,
      'sovereign-stack.io/weights-manifest-sha256': digest,
    };
    const cmName = `${m.name}-manifest-${digest.slice(0, 8)}`;
    const cm = new ConfigMapV1(this, `manifest-${m.name}`, {
      dependsOn: [ns],
      immutable: true,
      data: { SHA256SUMS: manifest },
      metadata: {
        name: cmName,
        namespace: NS,
        annotations,
        labels: labels(s.name, 'model-weights', m.name, 'weights-manifest', m.revision),
      },
    });
    const dir = `/weights/models/${m.name}/${m.revision}`;
    const env = (name: string, value: string) => ({ name, value });
    const secret = (name: string, key: string) => ({
      name,
      valueFrom: { secretKeyRef: { key, name: 'model-mirror-reader' } },
    });
    const sourceEnv =
      m.source.type === 's3'
        ? [
            env('SOURCE_PATH', `model-mirror/${m.name}`),
            env('RCLONE_CONFIG_SRC_TYPE', 's3'),
            env('RCLONE_CONFIG_SRC_PROVIDER', 'Other'),
            env('RCLONE_CONFIG_SRC_ENV_AUTH', 'false'),
            env('RCLONE_CONFIG_SRC_ENDPOINT', m.source.endpoint),
            env('RCLONE_CONFIG_SRC_FORCE_PATH_STYLE', 'true'),
            env('RCLONE_CONFIG_SRC_REGION', 'us-east-1'),
            secret('RCLONE_CONFIG_SRC_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID'),
            secret('RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY'),
          ]
        : [
            env('SOURCE_PATH', ''),
            env('RCLONE_CONFIG_SRC_TYPE', 'http'),
            env('RCLONE_CONFIG_SRC_URL', `${source}/`),
          ];
    const podMeta = {
      annotations: { ...annotations, 'sovereign-stack.io/weights-source': source },
      labels: labels(s.name, 'model-weights', m.name, 'weights-sync', m.revision),
    };
    const job = new JobV1(this, `job-${m.name}`, {
      dependsOn: [cm, claim, ns],
      metadata: { name: `${m.name}-weights-${digest.slice(0, 8)}`, namespace: NS, ...podMeta },
      spec: {
        activeDeadlineSeconds: 21600,
        backoffLimit: 3,
        podFailurePolicy: {
          rule: [
            { action: 'FailJob', onExitCodes: { containerName: 'verify', operator: 'In', values: [2, 3] } },
          ],
        },
        template: {
          metadata: podMeta,
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            restartPolicy: 'Never',
            securityContext: {
              fsGroup: '65532',
              fsGroupChangePolicy: 'OnRootMismatch',
              runAsGroup: '65532',
              runAsNonRoot: true,
              runAsUser: '65532',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            container: [
              {
                name: 'verify',
                image: s.images.weightsSync,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', '-c', SCRIPT, 'verify-weights'],
                env: [
                  env('HOME', '/tmp'),
                  env('TMPDIR', '/tmp'),
                  env('MANIFEST', '/etc/sovereign/manifest/SHA256SUMS'),
                  env('MANIFEST_SHA256', digest),
                  env('WEIGHTS_DIR', dir),
                  env('MARKER', `${dir}.verified`),
                  env('SOURCE_KIND', m.source.type),
                  env('SOURCE', source),
                  env('VERIFY_JOBS', '2'),
                  env('ALWAYS_VERIFY', 'false'),
                  ...sourceEnv,
                  env('COPY_TRANSFERS', '4'),
                ],
                resources: {
                  limits: { cpu: '2', memory: '1024Mi' },
                  requests: { cpu: '500m', memory: '256Mi' },
                },
                securityContext: restricted(65532),
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMount: [
                  { mountPath: '/weights', name: 'weights' },
                  { mountPath: '/etc/sovereign/manifest', name: 'manifest', readOnly: true },
                  { mountPath: '/tmp', name: 'tmp' },
                ],
              },
            ],
            volume: [
              { name: 'weights', persistentVolumeClaim: { claimName: 'weights-models' } },
              {
                name: 'manifest',
                configMap: {
                  defaultMode: '0444',
                  items: [{ key: 'SHA256SUMS', path: 'SHA256SUMS' }],
                  name: cmName,
                },
              },
              { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ],
          },
        },
      },
      timeouts: { create: '360m', update: '360m' },
      waitForCompletion: true,
    });
    return { job, digest };
  }

  /** Deployment, Service and (with more than one replica) PodDisruptionBudget of one model. */
  private server(s: BenchSite, m: BenchModel, digest: string, dependsOn: ITerraformDependable[]): void {
    const vllm = m.engine === 'vllm';
    const engine = vllm ? 'vllm' : 'llama-cpp';
    const version = vllm ? 'v0.12.0' : 'b9174';
    const all = labels(s.name, engine, m.name, 'server', version);
    const selector = {
      'app.kubernetes.io/instance': m.name,
      'app.kubernetes.io/name': engine,
      'sovereign-stack.io/jurisdiction': s.name,
    };
    const dirs = [
      { name: 'HOME', value: '/home/sovereign' },
      { name: 'XDG_CONFIG_HOME', value: '/home/sovereign/.config' },
      { name: 'XDG_CACHE_HOME', value: '/var/cache/sovereign' },
      { name: 'TMPDIR', value: '/tmp' },
    ];
    const apiKey = {
      name: vllm ? 'VLLM_API_KEY' : 'LLAMA_API_KEY',
      valueFrom: { secretKeyRef: { key: m.name, name: 'llm-api-keys', optional: false } },
    };
    const mounts = [
      { mountPath: '/models', name: 'weights', readOnly: true, subPath: `models/${m.name}/${m.revision}` },
      { mountPath: '/home/sovereign', name: 'home' },
      { mountPath: '/var/cache/sovereign', name: 'cache' },
      { mountPath: '/tmp', name: 'tmp' },
    ];
    const common = {
      imagePullPolicy: 'IfNotPresent',
      livenessProbe: probe(3, 20, 10),
      readinessProbe: probe(3, 10, 5),
      port: [{ containerPort: PORT, name: 'http', protocol: 'TCP' }],
      securityContext: restricted(1000),
    };
    const container: DeploymentV1SpecTemplateSpecContainer = vllm
      ? {
          ...common,
          name: 'vllm',
          image: s.images.vllm,
          command: ['vllm', 'serve'],
          args: [
            '/models',
            '--served-model-name',
            m.name,
            '--host',
            '0.0.0.0',
            '--port',
            String(PORT),
            '--tensor-parallel-size',
            '1',
            '--max-model-len',
            '4096',
            '--dtype',
            'auto',
            '--gpu-memory-utilization',
            '0.90',
            '--kv-cache-dtype',
            'auto',
            '--enable-prefix-caching',
            '--max-num-seqs',
            '4',
          ],
          env: [
            ...dirs,
            { name: 'HF_HUB_OFFLINE', value: '1' },
            { name: 'TRANSFORMERS_OFFLINE', value: '1' },
            { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
            { name: 'HF_HOME', value: '/var/cache/sovereign/huggingface' },
            { name: 'VLLM_NO_USAGE_STATS', value: '1' },
            { name: 'VLLM_DO_NOT_TRACK', value: '1' },
            { name: 'DO_NOT_TRACK', value: '1' },
            { name: 'VLLM_CACHE_ROOT', value: '/var/cache/sovereign/vllm' },
            { name: 'VLLM_CONFIG_ROOT', value: '/home/sovereign/.config/vllm' },
            { name: 'VLLM_RPC_BASE_PATH', value: '/tmp' },
            { name: 'TRITON_CACHE_DIR', value: '/var/cache/sovereign/triton' },
            { name: 'TORCHINDUCTOR_CACHE_DIR', value: '/var/cache/sovereign/torchinductor' },
            apiKey,
          ],
          resources: {
            limits: { cpu: '4', memory: HOST_MEMORY[m.architecture], 'nvidia.com/gpu': '1' },
            requests: { cpu: '4', memory: HOST_MEMORY[m.architecture], 'nvidia.com/gpu': '1' },
          },
          startupProbe: probe(360, 10, 5),
          volumeMount: [...mounts, { mountPath: '/dev/shm', name: 'shm' }],
        }
      : {
          ...common,
          name: 'llama-cpp',
          image: s.images.llamaCppCpu,
          command: ['/app/llama-server'],
          args: [
            '--model',
            `/models/${Object.keys(m.files)[0]}`,
            '--alias',
            m.name,
            '--host',
            '0.0.0.0',
            '--port',
            String(PORT),
            '--ctx-size',
            '8192',
            '--parallel',
            '2',
            '--n-gpu-layers',
            '0',
            '--threads',
            '8',
            '--metrics',
            '--no-webui',
            '--offline',
          ],
          env: [...dirs, { name: 'LLAMA_CACHE', value: '/var/cache/sovereign/llama.cpp' }, apiKey],
          resources: { limits: { cpu: '8', memory: '16Gi' }, requests: { cpu: '8', memory: '16Gi' } },
          startupProbe: probe(180, 10, 5),
          volumeMount: mounts,
        };
    new DeploymentV1(this, `deployment-${m.name}`, {
      dependsOn,
      metadata: { name: m.name, namespace: NS, labels: all },
      spec: {
        replicas: String(m.replicas),
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0', maxUnavailable: '1' } },
        template: {
          metadata: {
            labels: all,
            annotations: {
              'sovereign-stack.io/engine': `${engine}@${version}`,
              'sovereign-stack.io/model': m.name,
              'sovereign-stack.io/model-license': 'Apache-2.0',
              'sovereign-stack.io/model-revision': m.revision,
              'sovereign-stack.io/weights-manifest-sha256': digest,
            },
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 60,
            securityContext: {
              fsGroup: '1000',
              runAsGroup: '1000',
              runAsNonRoot: true,
              runAsUser: '1000',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            ...(vllm
              ? {
                  nodeSelector: { 'sovereign-stack.io/gpu-pool': 'h100' },
                  toleration: [{ effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' }],
                }
              : {}),
            container: [container],
            volume: [
              { name: 'weights', persistentVolumeClaim: { claimName: 'weights-models', readOnly: true } },
              { name: 'home', emptyDir: { sizeLimit: '1Gi' } },
              { name: 'cache', emptyDir: { sizeLimit: '10Gi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '4Gi' } },
              ...(vllm ? [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }] : []),
            ],
          },
        },
      },
      waitForRollout: false,
    });
    const nsDep = dependsOn.slice(-1);
    new ServiceV1(this, `service-${m.name}`, {
      dependsOn: nsDep,
      metadata: { name: m.name, namespace: NS, labels: all },
      spec: {
        type: 'ClusterIP',
        selector,
        port: [{ appProtocol: 'http', name: 'http', port: PORT, protocol: 'TCP', targetPort: 'http' }],
      },
    });
    if (m.replicas > 1) {
      new PodDisruptionBudgetV1(this, `pdb-${m.name}`, {
        dependsOn: nsDep,
        metadata: { name: m.name, namespace: NS, labels: all },
        spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
      });
    }
  }
}

/** GPU Operator chart values: every image from the jurisdiction's registry. */
function operatorValues(s: BenchSite): unknown {
  const r = `${s.registry}/nvidia`;
  const cn = { repository: `${r}/nvidia/cloud-native` };
  const nv = { repository: `${r}/nvidia` };
  const gpuToleration = { effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' };
  return {
    ccManager: { enabled: false, ...cn },
    daemonsets: {
      labels: { 'app.kubernetes.io/part-of': 'sovereign-stack', 'sovereign-stack.io/jurisdiction': s.name },
      tolerations: [gpuToleration],
    },
    dcgm: cn,
    dcgmExporter: { enabled: true, repository: `${r}/nvidia/k8s`, serviceMonitor: { enabled: false } },
    devicePlugin: nv,
    driver: { enabled: true, manager: cn, ...nv },
    gdrcopy: cn,
    gds: cn,
    gfd: nv,
    kataManager: { enabled: false, ...cn },
    mig: { strategy: 'single' },
    migManager: cn,
    nfd: { enabled: true },
    'node-feature-discovery': {
      image: { repository: `${r}/nfd/node-feature-discovery` },
      worker: {
        tolerations: [
          {
            effect: 'NoSchedule',
            key: 'node-role.kubernetes.io/control-plane',
            operator: 'Equal',
            value: '',
          },
          gpuToleration,
        ],
      },
    },
    nodeStatusExporter: nv,
    operator: { initContainer: nv, ...nv },
    sandboxDevicePlugin: nv,
    sandboxWorkloads: { enabled: false },
    toolkit: { enabled: true, repository: `${r}/nvidia/k8s` },
    validator: nv,
    vfioManager: { driverManager: cn, ...nv },
    vgpuDeviceManager: cn,
    vgpuManager: { driverManager: cn, ...nv },
  };
}

export function synthBaseline(jurisdictions: number, outdir: string): void {
  // The same App options as `sovereign synth` (no construct stack traces in metadata).
  const app = new App({ outdir, stackTraces: false });
  for (let j = 0; j < jurisdictions; j++) new SiteStack(app, benchSite(j));
  app.synth();
}

if (require.main === module) {
  const [n, outdir] = process.argv.slice(2);
  if (process.env.BASELINE_TOKEN_STACK_TRACES === '0') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../stacks/cdktf-seam').disableTokenStackTraces();
  }
  synthBaseline(Number(n), outdir);
}
