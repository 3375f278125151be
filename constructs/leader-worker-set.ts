/**
 * The LeaderWorkerSet controller (kubernetes-sigs/lws v0.10.0) for one cluster: restricted
 * namespace, the chart from the jurisdiction's chart mirror, the manager image rewritten to the
 * jurisdiction's registry and pinned by digest, and NetworkPolicies that let it reach nothing
 * but the Kubernetes API (which calls its admission webhooks back). Pins and upstream paths:
 * constructs/private/lws-pins.ts.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { throwIfProblems, type Problem } from '../core/errors';
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
import { LWS_CHART, LWS_CHART_VERSION, LWS_RELEASE, LWS_WEBHOOK_PORT } from '../core/lws-pins';
import type { PrivateCluster } from './private-cluster';

export { LWS_RELEASE };

export interface LeaderWorkerSetControllerProps {
  readonly cluster: PrivateCluster;
  readonly jurisdiction: string;
  /** @default 'lws-system' (the namespace upstream installs into) */
  readonly namespace?: string;
  readonly chartRepository: string;
  /** The manager image (registry.k8s.io/lws/lws:v0.10.0 mirrored), pinned by digest. */
  readonly image: string;
  readonly allowedRegistries?: readonly string[];
  readonly imagePullSecrets?: readonly string[];
  /** The API servers: the controller watches them, and they call its webhooks. */
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
}

/** LeaderWorkerSet controller: restricted namespace, chart from the mirror, NetworkPolicies. */
export class LeaderWorkerSetController extends Construct {
  public readonly namespace: string;
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: LeaderWorkerSetControllerProps) {
    super(scope, id);
    const ns = props.namespace ?? 'lws-system';
    this.namespace = ns;
    const out: Problem[] = [
      ...problems(
        checkDnsLabel('namespace', ns),
        checkIntRange('apiServer.port', props.apiServer.port, 1, 65535),
        checkPinnedImage('image', props.image, props.allowedRegistries),
        checkChartMirror('chartRepository', props.chartRepository),
      ),
      ...props.apiServer.cidrs.flatMap((c, i) => problems(checkCidr(`apiServer.cidrs[${i}]`, c))),
    ];
    throwIfProblems(`LeaderWorkerSetController ${id}`, out);

    const labels = (component: string, instance: string) =>
      recommendedLabels({ name: 'lws', instance, component, jurisdiction: props.jurisdiction });
    const psv = props.cluster.podSecurityVersion;
    const namespace = restrictedNamespace(this, 'namespace', ns, labels('controller-namespace', ns), psv);
    // charts/lws/templates/manager/deployment.yaml v0.10.0 writes
    // `image: "<repository>:<tag | default AppVersion>"`: a tag of `v0.10.0@sha256:…` pins the
    // digest. The chart's default tag is `main` with pullPolicy Always, so both are set.
    const image = chartImageParts(props.image, LWS_RELEASE);
    const values = {
      image: {
        manager: {
          repository: `${image.host}/${image.path}`,
          tag: image.tagAndDigest,
          pullPolicy: 'IfNotPresent',
        },
      },
      imagePullSecrets: (props.imagePullSecrets ?? []).map((n) => ({ name: n })),
      // values.yaml sets only runAsNonRoot; the restricted profile also wants the seccomp profile.
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      enablePrometheus: false,
      enableCertManager: false,
      enableDisaggregatedSet: false,
    };
    this.release = new Release(this, 'release', {
      ...CONTROLLER_RELEASE,
      name: 'lws',
      namespace: ns,
      repository: chartRepositoryUrl(props.chartRepository),
      chart: LWS_CHART,
      version: LWS_CHART_VERSION,
      values: [JSON.stringify(values)],
      timeout: 600,
      dependsOn: [namespace],
    });

    const meta = (n: string) => ({ name: n, namespace: ns, labels: labels('network-policy', n) });
    const tcp = (port: number) => ({ port: String(port), protocol: 'TCP' });
    const api = props.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    denyAllNetworkPolicy(this, 'netpol-default-deny', meta('default-deny-all'), [namespace]);
    new NetworkPolicyV1(this, 'netpol-lws', {
      metadata: meta('allow-lws-controller'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        // The API servers call the admission webhooks (values.yaml `service.port`).
        ingress: [{ from: api, ports: [tcp(LWS_WEBHOOK_PORT)] }],
        egress: [{ to: api, ports: [tcp(props.apiServer.port)] }],
      },
      dependsOn: [namespace],
    });
  }
}
