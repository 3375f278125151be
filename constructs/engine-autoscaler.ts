/**
 * Autoscaling of model servers on what the engine reports, not on CPU: KEDA (Helm, from the
 * jurisdiction's chart mirror, images by digest) and, per model, a `ScaledObject` whose
 * Prometheus triggers read the engine's queue length and (vLLM) KV-cache use.
 *
 * Why KEDA's Prometheus scaler rather than an HPA on a metrics adapter: one component serves
 * every trigger (queue and KV cache, per model) from PromQL the spec can show, with no adapter
 * rule file to keep in step with the engines' metric names; scale-to-floor and fallback are
 * built in. Pinned: kedacore/keda v2.20.2 (commit 68a5b502, CRDs config/crd/bases/) and its
 * chart kedacore/charts v2.20.2 (commit cbb9bb8c, keda/values.yaml).
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { type ITerraformDependable } from 'cdktf';
import { throwIfProblems, type Problem } from '../core/errors';
import { LLAMA_CPP_METRICS, VLLM_METRICS } from './private/engine-metrics';
import { chartImageParts } from '../core/images';
import { recommendedLabels } from '../core/labels';
import {
  CONTROLLER_RELEASE,
  chartRepositoryUrl,
  denyAllNetworkPolicy,
  restrictedNamespace,
} from './private/controller-install';
import {
  checkChartMirror,
  checkCidr,
  checkDnsLabel,
  checkIntRange,
  checkPinnedImage,
  problems,
} from './private/validate';
import type { PrivateCluster } from './private-cluster';

export const KEDA_RELEASE = '2.20.2';
export const SCALED_OBJECT_API_VERSION = 'keda.sh/v1alpha1';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface KedaProps {
  readonly cluster: PrivateCluster;
  readonly jurisdiction: string;
  /** @default 'keda' */
  readonly namespace?: string;
  readonly chartRepository: string;
  readonly images: {
    readonly operator: string;
    readonly metricsApiServer: string;
    readonly webhooks: string;
  };
  readonly allowedRegistries?: readonly string[];
  readonly imagePullSecrets?: readonly string[];
  /** The API servers: KEDA watches them, and they call its metrics API and webhooks. */
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
  /** Where Prometheus runs (namespace, port): KEDA's only other peer. */
  readonly prometheus: { readonly namespace: string; readonly port: number };
}

/** KEDA for one cluster: restricted namespace, chart from the mirror, NetworkPolicies. */
export class Keda extends Construct {
  public readonly namespace: string;
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: KedaProps) {
    super(scope, id);
    const ns = props.namespace ?? 'keda';
    this.namespace = ns;
    const out: Problem[] = [
      ...problems(
        checkDnsLabel('namespace', ns),
        checkDnsLabel('prometheus.namespace', props.prometheus.namespace),
        checkIntRange('prometheus.port', props.prometheus.port, 1, 65535),
        checkIntRange('apiServer.port', props.apiServer.port, 1, 65535),
        checkChartMirror('chartRepository', props.chartRepository),
      ),
      ...(['operator', 'metricsApiServer', 'webhooks'] as const).flatMap((k) =>
        problems(checkPinnedImage(`images.${k}`, props.images[k], props.allowedRegistries)),
      ),
      ...props.apiServer.cidrs.flatMap((c, i) => problems(checkCidr(`apiServer.cidrs[${i}]`, c))),
    ];
    throwIfProblems(`Keda ${id}`, out);

    const labels = (component: string, instance: string) =>
      recommendedLabels({ name: 'keda', instance, component, jurisdiction: props.jurisdiction });
    const psv = props.cluster.podSecurityVersion;
    const namespace = restrictedNamespace(this, 'namespace', ns, labels('autoscaler-namespace', ns), psv);
    // kedacore/charts keda/values.yaml v2.20.2: `image.<component>.{registry, repository, tag}`;
    // a tag of `2.20.2@sha256:…` pins the digest.
    const image = (ref: string) => {
      const { host, path, tagAndDigest } = chartImageParts(ref, KEDA_RELEASE);
      return { registry: host, repository: path, tag: tagAndDigest };
    };
    const values = {
      image: {
        keda: image(props.images.operator),
        metricsApiServer: image(props.images.metricsApiServer),
        webhooks: image(props.images.webhooks),
        pullPolicy: 'IfNotPresent',
      },
      imagePullSecrets: (props.imagePullSecrets ?? []).map((name) => ({ name })),
      crds: { install: true },
      podSecurityContext: {
        operator: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        metricServer: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        webhooks: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      },
    };
    this.release = new Release(this, 'release', {
      ...CONTROLLER_RELEASE,
      name: 'keda',
      namespace: ns,
      repository: chartRepositoryUrl(props.chartRepository),
      chart: 'keda',
      version: KEDA_RELEASE,
      values: [JSON.stringify(values)],
      timeout: 600,
      dependsOn: [namespace],
    });

    const meta = (name: string) => ({ name, namespace: ns, labels: labels('network-policy', name) });
    const tcp = (port: number) => ({ port: String(port), protocol: 'TCP' });
    const api = props.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    denyAllNetworkPolicy(this, 'netpol-default-deny', meta('default-deny-all'), [namespace]);
    new NetworkPolicyV1(this, 'netpol-keda', {
      metadata: meta('allow-keda'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // Its own components talk to each other (operator gRPC 9666).
          { from: [{ podSelector: {} }] },
          // The API servers call the external metrics API (6443) and the admission webhooks (9443).
          { from: api, ports: [tcp(6443), tcp(9443)] },
        ],
        egress: [
          { to: [{ podSelector: {} }] },
          { to: api, ports: [tcp(props.apiServer.port)] },
          {
            to: [
              { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: props.prometheus.namespace } } },
            ],
            ports: [tcp(props.prometheus.port)],
          },
        ],
      },
      dependsOn: [namespace],
    });
  }
}

export interface EngineScalerProps {
  readonly jurisdiction: string;
  readonly namespace: string;
  /** The server Deployment (and model) name. */
  readonly deployment: string;
  /** The model name vLLM reports in `model_name`. */
  readonly servedModelName: string;
  readonly engine: 'vllm' | 'llama-cpp';
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Waiting requests per replica that add a replica. @default 4 */
  readonly waitingPerReplica?: number;
  /** KV-cache use (0–1, vLLM) above which a replica is added. @default 0.8 */
  readonly kvCacheUsage?: number;
  /** In-jurisdiction Prometheus base URL (`http://prometheus.monitoring.svc:9090`). */
  readonly prometheusUrl: string;
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One model's ScaledObject: Prometheus triggers on the engine's queue and KV cache. */
export class EngineScaler extends Construct {
  public readonly manifest: Manifest;
  /** The PromQL of each trigger, by trigger name. */
  public readonly queries: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, p: EngineScalerProps) {
    super(scope, id);
    const waiting = p.waitingPerReplica ?? 4;
    const kv = p.kvCacheUsage ?? 0.8;
    const out: Problem[] = [
      ...problems(
        checkIntRange('minReplicas', p.minReplicas, 1, 1000),
        checkIntRange('maxReplicas', p.maxReplicas, 1, 1000),
      ),
    ];
    if (p.maxReplicas < p.minReplicas)
      out.push({ path: 'maxReplicas', message: `${p.maxReplicas} is below minReplicas ${p.minReplicas}` });
    if (!(waiting > 0)) out.push({ path: 'waitingPerReplica', message: 'must be above 0' });
    if (!(kv > 0 && kv <= 1)) out.push({ path: 'kvCacheUsage', message: 'must be a fraction in (0, 1]' });
    if (!/^https?:\/\/[^\s/]+/.test(p.prometheusUrl))
      out.push({ path: 'prometheusUrl', message: 'must be an http:// or https:// URL' });
    throwIfProblems(`EngineScaler ${id}`, out);

    const sel = (extra: string) => `namespace=${q(p.namespace)},${extra}`;
    const queries: Record<string, string> =
      p.engine === 'vllm'
        ? {
            'queue-length': `sum(${VLLM_METRICS.waiting}{${sel(`model_name=${q(p.servedModelName)}`)}})`,
            'kv-cache-usage': `avg(${VLLM_METRICS.kvCacheUsage}{${sel(`model_name=${q(p.servedModelName)}`)}})`,
          }
        : {
            // llama-server labels nothing: the scrape's pod label tells the model's pods apart.
            'queue-length': `sum(${LLAMA_CPP_METRICS.deferred}{${sel(`pod=~${q(`${p.deployment}-[a-z0-9]+-[a-z0-9]+`)}`)}})`,
          };
    this.queries = queries;
    const trigger = (name: string, threshold: string, metricType: 'AverageValue' | 'Value') => ({
      type: 'prometheus',
      name,
      metricType,
      // kedacore/keda v2.20.2 pkg/scalers/prometheus_scaler.go: serverAddress, query, threshold.
      metadata: { serverAddress: p.prometheusUrl, query: queries[name], threshold },
    });
    this.manifest = new Manifest(this, 'scaled-object', {
      manifest: {
        apiVersion: SCALED_OBJECT_API_VERSION,
        kind: 'ScaledObject',
        metadata: {
          name: p.deployment,
          namespace: p.namespace,
          labels: recommendedLabels({
            name: 'keda',
            instance: p.deployment,
            component: 'autoscaler',
            jurisdiction: p.jurisdiction,
          }),
        },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: p.deployment },
          minReplicaCount: p.minReplicas,
          maxReplicaCount: p.maxReplicas,
          pollingInterval: 15,
          // Model servers start slowly: scale down only after ten quiet minutes.
          cooldownPeriod: 600,
          // Prometheus unreachable: hold the current replicas, never drop to the floor.
          fallback: { failureThreshold: 4, replicas: p.minReplicas, behavior: 'currentReplicasIfHigher' },
          triggers: [
            // Waiting requests per replica (AverageValue: the total divided by the replicas).
            trigger('queue-length', String(waiting), 'AverageValue'),
            ...(p.engine === 'vllm' ? [trigger('kv-cache-usage', String(kv), 'Value')] : []),
          ],
        },
      },
      dependsOn: [...(p.dependsOn ?? [])],
    });
  }
}

function q(s: string): string {
  return JSON.stringify(s);
}
