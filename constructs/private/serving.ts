/**
 * What VllmServer and LlamaCppServer share: prop checks, the hardened pod pieces (security
 * contexts, writable emptyDirs on a read-only root, probes) and the Service / PDB / HPA around
 * the Deployment. Private to constructs/.
 */
import { type Construct } from 'constructs';
import { type ITerraformDependable } from 'cdktf';
import {
  DeploymentV1,
  type DeploymentV1SpecTemplateSpecContainerEnv,
} from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type { Problem } from '../../core/errors';
import type { IGpuPool, INodePlacement, NodeLabelRequirement } from '../interfaces';
import {
  ANNOTATION_ENGINE,
  ANNOTATION_MANIFEST_SHA256,
  ANNOTATION_MODEL,
  ANNOTATION_MODEL_LICENSE,
  ANNOTATION_MODEL_REVISION,
  COMPONENT_SERVER,
} from '../../core/annotations';
import { recommendedLabels, selectorLabels } from '../../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkPinnedImage, checkPositiveInt } from './validate';
import type { ModelArchitecture } from '../capacity';
import { catalogueModel, MODEL_CATALOGUE } from '../model-catalogue';
import { architectureProblems } from '../server-plan';
import type { SecretKeyRef, ServingBaseProps } from '../serving-props';

export const HOME_DIR = '/home/sovereign';
export const CACHE_DIR = '/var/cache/sovereign';
export const TMP_DIR = '/tmp';
export const MODEL_DIR = '/models';

/** Every problem with the shared props. */
export function checkBaseProps(p: ServingBaseProps, name: string): Problem[] {
  const out: Problem[] = [];
  const push = (x: Problem | undefined): void => {
    if (x) out.push(x);
  };
  push(checkDnsLabel('jurisdiction', p.jurisdiction));
  push(checkPinnedImage('image', p.image, p.allowedRegistries));
  for (const [i, secret] of (p.imagePullSecrets ?? []).entries())
    push(checkDnsSubdomain(`imagePullSecrets[${i}]`, secret));
  const nameProblem = checkDnsLabel('name', name, 56);
  if (nameProblem) out.push(nameProblem);
  else if (!/^[a-z]/.test(name)) {
    out.push({ path: 'name', message: `"${name}" must start with a letter (it names a Service)` });
  }
  if (p.servedModelName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}$/.test(p.servedModelName)) {
    out.push({
      path: 'servedModelName',
      message: `"${p.servedModelName}" is not allowed: use 1-128 letters, digits and . _ / : -`,
    });
  }
  push(checkDnsLabel('weights.namespace', p.weights.namespace));
  push(checkDnsLabel('weights.claimName', p.weights.claimName, 253));
  if (p.weights.subPath.startsWith('/') || p.weights.subPath.split('/').includes('..')) {
    out.push({
      path: 'weights.subPath',
      message: `"${p.weights.subPath}" must be a relative path without ".."`,
    });
  }
  if (!/^[a-f0-9]{64}$/.test(p.weights.manifestSha256)) {
    out.push({ path: 'weights.manifestSha256', message: 'must be 64 lower-case hex digits' });
  }
  if (p.replicas !== undefined) push(checkPositiveInt('replicas', p.replicas, 100));
  if (p.port !== undefined) push(checkPositiveInt('port', p.port, 65535));
  if (p.port !== undefined && p.port < 1024) {
    out.push({
      path: 'port',
      message: `${p.port} is a privileged port; the engine runs as non-root: use 1024-65535`,
    });
  }
  if (p.runAsUser !== undefined) {
    push(checkPositiveInt('runAsUser', p.runAsUser, 2147483647));
  }
  if (p.startupTimeoutMinutes !== undefined)
    push(checkPositiveInt('startupTimeoutMinutes', p.startupTimeoutMinutes, 24 * 60));
  if (p.cacheSizeGiB !== undefined) push(checkPositiveInt('cacheSizeGiB', p.cacheSizeGiB, 1024));
  if (p.cpu !== undefined && !/^([0-9]+(\.[0-9]+)?|[0-9]+m)$/.test(p.cpu)) {
    out.push({ path: 'cpu', message: `"${p.cpu}" is not a CPU quantity: use e.g. "4", "0.5" or "500m"` });
  }
  if (p.memory !== undefined && !/^[0-9]+(Ki|Mi|Gi|Ti)$/.test(p.memory)) {
    out.push({
      path: 'memory',
      message: `"${p.memory}" is not a memory quantity: use e.g. "32Gi" or "512Mi"`,
    });
  }
  if (p.apiKeySecret !== undefined) {
    push(checkDnsLabel('apiKeySecret.name', p.apiKeySecret.name, 253));
    if (!/^[-._a-zA-Z0-9]+$/.test(p.apiKeySecret.key)) {
      out.push({ path: 'apiKeySecret.key', message: `"${p.apiKeySecret.key}" is not a valid Secret key` });
    }
  }
  const a = p.autoscaling;
  if (a !== undefined) {
    push(checkPositiveInt('autoscaling.minReplicas', a.minReplicas, 100));
    push(checkPositiveInt('autoscaling.maxReplicas', a.maxReplicas, 100));
    if (a.maxReplicas < a.minReplicas) {
      out.push({
        path: 'autoscaling.maxReplicas',
        message: `${a.maxReplicas} is below minReplicas ${a.minReplicas}`,
      });
    }
    if (a.targetCpuUtilizationPercent !== undefined) {
      push(checkPositiveInt('autoscaling.targetCpuUtilizationPercent', a.targetCpuUtilizationPercent, 100));
    }
    if (a.podsMetric !== undefined && a.podsMetric.name.length === 0) {
      out.push({ path: 'autoscaling.podsMetric.name', message: 'must not be empty' });
    }
  }
  if (p.command !== undefined && p.command.length === 0) {
    out.push({ path: 'command', message: 'must name the server binary' });
  }
  return out;
}

/** Problems with the pool the server is placed on. */
export function checkPool(pool: IGpuPool): Problem[] {
  const out: Problem[] = [];
  if (!/^[a-z0-9.-]+\/[A-Za-z0-9._-]+$/.test(pool.resourceName)) {
    out.push({
      path: 'pool.resourceName',
      message: `"${pool.resourceName}" is not an extended resource name (vendor/resource)`,
    });
  }
  if (!(pool.gpuMemoryGiB > 0))
    out.push({ path: 'pool.gpuMemoryGiB', message: `${pool.gpuMemoryGiB} must be positive` });
  return out;
}

/** Whole CPUs in a CPU quantity, at least 1 (`"4"` → 4, `"2500m"` → 2). */
export function wholeCpus(q: string): number {
  const n = q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
  return Math.max(1, Math.floor(n));
}

/** Container security context of the Restricted Pod Security profile, read-only root. */
export function containerSecurityContext(uid: number) {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: String(uid),
    runAsGroup: String(uid),
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod security context of the Restricted profile. */
export function podSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: String(uid),
    runAsGroup: String(uid),
    fsGroup: String(uid),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** HOME, XDG dirs and TMPDIR on the writable emptyDirs. */
export function baseDirEnv(): DeploymentV1SpecTemplateSpecContainerEnv[] {
  return [
    { name: 'HOME', value: HOME_DIR },
    { name: 'XDG_CONFIG_HOME', value: `${HOME_DIR}/.config` },
    { name: 'XDG_CACHE_HOME', value: CACHE_DIR },
    { name: 'TMPDIR', value: TMP_DIR },
  ];
}

/** The API key env var, from a Secret reference only. */
export function apiKeyEnv(
  envName: string,
  ref: SecretKeyRef | undefined,
): DeploymentV1SpecTemplateSpecContainerEnv[] {
  if (ref === undefined) return [];
  return [{ name: envName, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key, optional: false } } }];
}

export interface ServingWorkload {
  readonly scope: Construct;
  readonly engine: 'vllm' | 'llama-cpp';
  readonly engineRelease: string;
  readonly name: string;
  readonly props: ServingBaseProps;
  readonly port: number;
  readonly replicas: number;
  readonly uid: number;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly DeploymentV1SpecTemplateSpecContainerEnv[];
  readonly requests: Record<string, string>;
  readonly limits: Record<string, string>;
  readonly shmSizeGiB?: number;
  readonly startupTimeoutMinutes: number;
  /** The nodes the pods go to: a GPU pool, or a CPU pool of a CPU-only server. */
  readonly pool?: INodePlacement & { readonly productAffinity?: NodeLabelRequirement };
}

export interface ServingResources {
  readonly deployment: DeploymentV1;
  readonly service: ServiceV1;
  readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  readonly autoscaler?: HorizontalPodAutoscalerV2;
  readonly labels: Record<string, string>;
}

/** Probe period and the startup probe's failure threshold for a given timeout. */
export const PROBE_PERIOD_SECONDS = 10;

/** Deployment + ClusterIP Service + PDB (when more than one pod) + optional HPA. */
export function createServingResources(w: ServingWorkload): ServingResources {
  const p = w.props;
  const ns = p.weights.namespace;
  const labelInput = {
    name: w.engine,
    instance: w.name,
    component: COMPONENT_SERVER,
    version: w.engineRelease,
    jurisdiction: p.jurisdiction,
  };
  const labels = recommendedLabels(labelInput);
  const selector = selectorLabels(labelInput);
  const metadata = { name: w.name, namespace: ns, labels };

  const annotations: Record<string, string> = {
    [ANNOTATION_ENGINE]: `${w.engine}@${w.engineRelease}`,
    [ANNOTATION_MANIFEST_SHA256]: p.weights.manifestSha256,
    [ANNOTATION_MODEL]: p.weights.modelName,
    [ANNOTATION_MODEL_REVISION]: p.weights.revision,
  };
  if (p.license !== undefined) annotations[ANNOTATION_MODEL_LICENSE] = p.license;

  const probe = (
    path: string,
    failureThreshold: number,
    timeoutSeconds: number,
    periodSeconds = PROBE_PERIOD_SECONDS,
  ) => ({
    httpGet: { path, port: 'http', scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds,
    failureThreshold,
    successThreshold: 1,
  });

  const volumeMount = [
    { name: 'weights', mountPath: MODEL_DIR, subPath: p.weights.subPath, readOnly: true },
    { name: 'home', mountPath: HOME_DIR },
    { name: 'cache', mountPath: CACHE_DIR },
    { name: 'tmp', mountPath: TMP_DIR },
  ];
  const cacheGiB = p.cacheSizeGiB ?? 10;
  const volume = [
    { name: 'weights', persistentVolumeClaim: { claimName: p.weights.claimName, readOnly: true } },
    { name: 'home', emptyDir: { sizeLimit: '1Gi' } },
    { name: 'cache', emptyDir: { sizeLimit: `${cacheGiB}Gi` } },
    { name: 'tmp', emptyDir: { sizeLimit: '4Gi' } },
  ];
  if (w.shmSizeGiB !== undefined) {
    volumeMount.push({ name: 'shm', mountPath: '/dev/shm' });
    volume.push({
      name: 'shm',
      emptyDir: { medium: 'Memory', sizeLimit: `${w.shmSizeGiB}Gi` },
    } as (typeof volume)[number]);
  }

  const dependsOn: ITerraformDependable[] = [p.weights.verification, ...(w.pool?.dependables ?? [])];

  // Terraform waits for the rollout, so an apply fails when pods crash-loop or a referenced
  // Secret is missing; the timeout covers the startup probe's window plus a rolling margin.
  const rolloutMinutes = w.startupTimeoutMinutes + 30;
  const deployment = new DeploymentV1(w.scope, 'deployment', {
    metadata,
    waitForRollout: true,
    timeouts: { create: `${rolloutMinutes}m`, update: `${rolloutMinutes}m` },
    // With an autoscaler the replica count is the autoscaler's: an apply must not reset it.
    ...(p.autoscaling ? { lifecycle: { ignoreChanges: ['spec[0].replicas'] } } : {}),
    spec: {
      replicas: String(w.replicas),
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0', maxUnavailable: '1' } },
      template: {
        metadata: { labels, annotations },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 60,
          securityContext: podSecurityContext(w.uid),
          imagePullSecrets:
            p.imagePullSecrets && p.imagePullSecrets.length > 0
              ? p.imagePullSecrets.map((name) => ({ name }))
              : undefined,
          nodeSelector: w.pool ? { ...w.pool.nodeSelector } : undefined,
          // Pinned to the pool's GPU product as GPU Feature Discovery labels the nodes: a node
          // of another product that carries the pool label never runs the pod.
          affinity: w.pool?.productAffinity
            ? {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerm: [
                      {
                        matchExpressions: [
                          {
                            key: w.pool.productAffinity.key,
                            operator: 'In',
                            values: [...w.pool.productAffinity.values],
                          },
                        ],
                      },
                    ],
                  },
                },
              }
            : undefined,
          toleration: w.pool
            ? w.pool.tolerations.map((t) => ({
                key: t.key,
                operator: t.operator,
                value: t.value,
                effect: t.effect,
              }))
            : undefined,
          container: [
            {
              name: w.engine,
              image: p.image,
              imagePullPolicy: 'IfNotPresent',
              command: [...w.command],
              args: [...w.args],
              env: [...w.env],
              port: [{ name: 'http', containerPort: w.port, protocol: 'TCP' }],
              resources: { requests: w.requests, limits: w.limits },
              securityContext: containerSecurityContext(w.uid),
              startupProbe: probe(
                '/health',
                Math.ceil((w.startupTimeoutMinutes * 60) / PROBE_PERIOD_SECONDS),
                5,
              ),
              readinessProbe: probe('/health', 3, 5),
              livenessProbe: probe('/health', 3, 10, 20),
              volumeMount,
            },
          ],
          volume,
        },
      },
    },
    dependsOn,
  });

  const service = new ServiceV1(w.scope, 'service', {
    metadata,
    spec: {
      type: 'ClusterIP',
      selector,
      port: [{ name: 'http', port: w.port, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    },
  });

  const maxPods = p.autoscaling ? p.autoscaling.maxReplicas : w.replicas;
  const podDisruptionBudget =
    maxPods > 1
      ? new PodDisruptionBudgetV1(w.scope, 'pdb', {
          metadata,
          spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
        })
      : undefined;

  let autoscaler: HorizontalPodAutoscalerV2 | undefined;
  if (p.autoscaling && !p.autoscaling.external) {
    const a = p.autoscaling;
    // Required here, where it is used: its binding is 0.6 MB of JavaScript that a spec without
    // autoscaling never needs.
    const { HorizontalPodAutoscalerV2 } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2') as typeof import('@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2');
    autoscaler = new HorizontalPodAutoscalerV2(w.scope, 'hpa', {
      metadata,
      spec: {
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: w.name },
        metric: [
          a.podsMetric
            ? {
                type: 'Pods',
                pods: {
                  metric: { name: a.podsMetric.name },
                  target: { type: 'AverageValue', averageValue: a.podsMetric.averageValue },
                },
              }
            : {
                type: 'Resource',
                resource: {
                  name: 'cpu',
                  target: { type: 'Utilization', averageUtilization: a.targetCpuUtilizationPercent ?? 80 },
                },
              },
        ],
      },
    });
  }

  return { deployment, service, podDisruptionBudget, autoscaler, labels };
}

/** `http://<svc>.<ns>.svc.cluster.local:<port>/v1` */
export function endpointUrl(service: string, namespace: string, port: number): string {
  return `http://${service}.${namespace}.svc.cluster.local:${port}/v1`;
}

const CATALOGUE_IDS = Object.keys(MODEL_CATALOGUE).join(', ');

/** Resolve the architecture or report a problem. */
export function resolveArchitecture(
  a: string | ModelArchitecture,
  problems: Problem[],
): ModelArchitecture | undefined {
  if (typeof a === 'string') {
    const m = catalogueModel(a);
    if (!m)
      problems.push({
        path: 'architecture',
        message: `"${a}" is not in the catalogue; known: ${CATALOGUE_IDS}; or give the numbers`,
      });
    return m;
  }
  const found = architectureProblems(a);
  problems.push(...found);
  return found.length === 0 ? a : undefined;
}
