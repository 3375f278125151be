/**
 * The Kubernetes and Helm providers for one existing private cluster, and the governed
 * workload namespaces LLM serving runs in: Pod Security Admission, quotas, limit ranges and
 * default-deny network policies with only the allows serving needs.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider, type HelmProviderKubernetes } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider, type KubernetesProviderConfig } from '@cdktf/provider-kubernetes/lib/provider';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngressFrom,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { ANNOTATION_PSA_EXCEPTION, COMPONENT_SERVER, COMPONENT_WEIGHTS_SYNC } from '../core/annotations';
import { throwIfProblems, type Problem } from '../core/errors';
import type { IGpuPool } from './interfaces';
import { podSecurityLabels, recommendedLabels } from '../core/labels';
import { checkCidr, checkDnsLabel, checkIntRange, problems } from './private/validate';

/** Connect through a kubeconfig file and one of its contexts (credentials stay in the file). */
export interface KubeconfigConnection {
  readonly kind: 'kubeconfig';
  /** Path of the kubeconfig file on the machine that runs Terraform (`~/.kube/sovereign-de`). */
  readonly configPath: string;
  /** Context to use in that file. */
  readonly context: string;
}

/**
 * An exec credential plugin (kubelogin, an OIDC helper, a Vault wrapper) that prints a token
 * at plan/apply time. @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
export interface ExecCredentialPlugin {
  /** @default 'client.authentication.k8s.io/v1' */
  readonly apiVersion?: string;
  readonly command: string;
  /** @default [] */
  readonly args?: readonly string[];
  /**
   * Non-secret environment for the plugin (`OIDC_ISSUER`, `VAULT_ADDR`). Names that look like
   * credentials (TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL) are refused: the plugin must read
   * those from the environment Terraform runs in, never from the synthesized JSON.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Connect to the API server directly: host + CA, authenticated by an exec plugin or by `KUBE_TOKEN`. */
export interface ApiServerConnection {
  readonly kind: 'api-server';
  /** API server URL, `https://` only (`https://api.k8s.de.example:6443`). */
  readonly host: string;
  /**
   * Path of the cluster CA bundle (PEM), read at plan time with Terraform's `file()`. At most one
   * of this or `clusterCaCertificatePem`; with neither, the providers verify the API server's
   * certificate against the system's trusted CAs (TLS is verified either way).
   */
  readonly clusterCaCertificateFile?: string;
  /** The cluster CA bundle itself (PEM; public, not a secret). */
  readonly clusterCaCertificatePem?: string;
  /** Server name to verify the API server certificate against. @default the host of `host` */
  readonly tlsServerName?: string;
  /**
   * How to authenticate. @default no plugin: both providers read a bearer token from the
   * `KUBE_TOKEN` environment variable of the process running Terraform.
   */
  readonly exec?: ExecCredentialPlugin;
}

export type ClusterConnection = KubeconfigConnection | ApiServerConnection;

export interface WorkloadNamespacesProps {
  /** Namespace LLM servers run in. @default 'llm-serving' */
  readonly serving?: string;
  /** Namespace weight-sync Jobs run in; may equal `serving` (weights PVCs must live where servers mount them). @default 'llm-weights' */
  readonly weights?: string;
  /**
   * Namespace of the NVIDIA GPU Operator (privileged, see `PrivateCluster.gpuOperatorNamespace`),
   * or `false` for a cluster without GPUs (a CPU-only edge site): no privileged namespace at all.
   * @default 'gpu-operator'
   */
  readonly gpuOperator?: string | false;
}

/** ResourceQuota of the serving namespace. @see https://kubernetes.io/docs/concepts/policy/resource-quotas/ */
export interface ServingQuotaProps {
  /**
   * GPUs the serving namespace may request, by extended resource name
   * (`{ 'nvidia.com/gpu': 8, 'nvidia.com/mig-3g.40gb': 4 }`), emitted as `requests.<name>`.
   * @default the schedulable GPUs of `PrivateClusterProps.gpuPools` (gpusPerNode × nodeCount per
   * resource name), or `{ 'nvidia.com/gpu': 0 }` (no GPU use) when no pool is given
   */
  readonly gpus?: Readonly<Record<string, number>>;
  /** `requests.cpu` (`'64'`). @default no CPU quota */
  readonly requestsCpu?: string;
  /** `requests.memory` (`'512Gi'`). @default no memory request quota */
  readonly requestsMemory?: string;
  /** `limits.memory` (`'768Gi'`). @default no memory limit quota */
  readonly limitsMemory?: string;
  /** Maximum pods. @default no pod count quota */
  readonly pods?: number;
}

/** Container defaults of the workload namespaces' LimitRange. @see https://kubernetes.io/docs/concepts/policy/limit-range/ */
export interface ContainerDefaultsProps {
  /** @default '100m' */
  readonly defaultRequestCpu?: string;
  /** @default '128Mi' */
  readonly defaultRequestMemory?: string;
  /** @default '1' */
  readonly defaultLimitCpu?: string;
  /** @default '512Mi' */
  readonly defaultLimitMemory?: string;
}

/** One in-jurisdiction endpoint weight-sync Jobs may reach (S3-compatible store, HTTPS mirror, NFS server). */
export interface WeightSourceEndpoint {
  /** CIDR of the endpoint (`10.40.0.12/32`); prefix length 0 is refused. */
  readonly cidr: string;
  /** TCP port (443, 9000, 2049). */
  readonly port: number;
}

/**
 * Cluster DNS that every workload may query (UDP and TCP).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface ClusterDnsProps {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** Labels of the DNS pods (at least one). @default { 'k8s-app': 'kube-dns' } (CoreDNS keeps this label) */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Ports the DNS pods listen on. NetworkPolicy matches the pod's port after the Service has
   * translated it: OpenShift's DNS pods listen on 5353 behind a Service on 53. @default [53]
   */
  readonly ports?: readonly number[];
  /**
   * Addresses of DNS caches on the host network, which pod selectors cannot match: NodeLocal
   * DNSCache listens on a link-local address such as `169.254.20.10/32`. @default []
   */
  readonly cidrs?: readonly string[];
}

/**
 * What the NetworkPolicies allow on top of default-deny (ingress and egress).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface WorkloadNetworkProps {
  /** Ports the servers listen on. @default [8000] (vLLM's default port) */
  readonly servingPorts?: readonly number[];
  /** Namespaces whose pods may call the servers (gateway, applications). @default [] */
  readonly clientNamespaces?: readonly string[];
  /** Networks outside the cluster that may call the servers (`10.10.0.0/16`). @default [] */
  readonly clientCidrs?: readonly string[];
  /** Endpoints weight-sync Jobs may reach. @default [] (no egress besides DNS) */
  readonly weightSources?: readonly WeightSourceEndpoint[];
  /** @default CoreDNS in kube-system */
  readonly clusterDns?: ClusterDnsProps;
}

export interface PrivateClusterProps {
  /** Jurisdiction every object is labelled with (a DNS label, `de`). */
  readonly jurisdiction: string;
  /** How Terraform reaches the cluster; never a literal credential. */
  readonly connection: ClusterConnection;
  /** @default serving 'llm-serving', weights 'llm-weights', GPU operator 'gpu-operator' */
  readonly namespaces?: WorkloadNamespacesProps;
  /**
   * Pod Security Standards version the namespace labels pin (`v1.32`), so a cluster upgrade
   * never silently changes what `restricted` means. @default 'v1.32'
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   */
  readonly podSecurityVersion?: string;
  /** GPU pools the serving namespace may use; sizes the default GPU quota. @default [] */
  readonly gpuPools?: readonly IGpuPool[];
  /** @default GPUs from `gpuPools`, nothing else limited */
  readonly quota?: ServingQuotaProps;
  /** @default 100m / 128Mi requests, 1 / 512Mi limits */
  readonly containerDefaults?: ContainerDefaultsProps;
  /** @default servers on 8000 reachable from nobody; no weight-source egress */
  readonly network?: WorkloadNetworkProps;
}

const GPU_RESOURCE = /^nvidia\.com\/(gpu|mig-[1-7]g\.[0-9]+gb)$/;
const SECRET_LIKE = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|KEY/i;
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Why the GPU Operator namespace is exempt from `restricted`; written on the namespace. */
// The text is written into the synthesized namespace, so it names the document rather than its URL:
// https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html
export const GPU_OPERATOR_PSA_EXCEPTION =
  'NVIDIA GPU Operator operands (driver, container toolkit, device plugin, DCGM exporter, MIG manager) ' +
  'run privileged with host mounts to install the driver and configure the container runtime; NVIDIA ' +
  'documents enforce=privileged for this namespace (GPU Operator getting-started guide, pod security)';

function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

/**
 * One existing private-cloud cluster, governed for LLM serving.
 *
 * Creates: the `kubernetes` and `helm` providers; the serving, weights and GPU-operator
 * namespaces with Pod Security Admission labels; a ResourceQuota (GPUs included) and a
 * LimitRange; NetworkPolicies `default-deny-all`, `allow-dns-egress`, `allow-serving-ingress`
 * (servers, labelled `app.kubernetes.io/component=server`) and `allow-weights-egress`
 * (weight-sync pods, `app.kubernetes.io/component=weights-sync`).
 *
 * One PrivateCluster per stack: its providers are the stack's default providers.
 */
export class PrivateCluster extends Construct {
  public readonly jurisdiction: string;
  public readonly servingNamespace: string;
  public readonly weightsNamespace: string;
  /**
   * The GPU Operator's namespace: labelled `enforce=privileged` — the one documented exception
   * to `restricted` (see `GPU_OPERATOR_PSA_EXCEPTION`); it gets no workload NetworkPolicies
   * because the operator's pods use the host network and the API server.
   */
  public readonly gpuOperatorNamespace?: string;
  public readonly podSecurityVersion: string;
  /** `spec.hard` of the serving namespace's ResourceQuota, keys sorted. */
  public readonly servingQuota: Readonly<Record<string, string>>;
  public readonly servingPorts: readonly number[];
  public readonly clientNamespaces: readonly string[];
  public readonly clientCidrs: readonly string[];
  public readonly weightSources: readonly WeightSourceEndpoint[];
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** Namespace resources by name; depend on them before creating objects inside. */
  public readonly namespaceResources: Readonly<Record<string, NamespaceV1>>;

  constructor(scope: Construct, id: string, props: PrivateClusterProps) {
    super(scope, id);
    const ns = props.namespaces ?? {};
    const net = props.network ?? {};
    const dns = net.clusterDns ?? {};
    this.jurisdiction = props.jurisdiction;
    this.servingNamespace = ns.serving ?? 'llm-serving';
    this.weightsNamespace = ns.weights ?? 'llm-weights';
    this.gpuOperatorNamespace = ns.gpuOperator === false ? undefined : (ns.gpuOperator ?? 'gpu-operator');
    this.podSecurityVersion = props.podSecurityVersion ?? 'v1.32';
    this.servingPorts = net.servingPorts ?? [8000];
    this.clientNamespaces = net.clientNamespaces ?? [];
    this.clientCidrs = net.clientCidrs ?? [];
    this.weightSources = net.weightSources ?? [];
    const dnsNamespace = dns.namespace ?? 'kube-system';
    const dnsPodLabels = sortedRecord(dns.podLabels ?? { 'k8s-app': 'kube-dns' });
    const dnsPorts = dns.ports ?? [53];
    const dnsCidrs = dns.cidrs ?? [];
    const gpus = props.quota?.gpus ?? gpuQuotaForPools(props.gpuPools ?? []);

    throwIfProblems(`PrivateCluster ${id}`, [
      ...validateConnection(props.connection),
      ...problems(
        checkDnsLabel('jurisdiction', props.jurisdiction),
        checkDnsLabel('namespaces.serving', this.servingNamespace),
        checkDnsLabel('namespaces.weights', this.weightsNamespace),
        this.gpuOperatorNamespace === undefined
          ? undefined
          : checkDnsLabel('namespaces.gpuOperator', this.gpuOperatorNamespace),
        checkDnsLabel('network.clusterDns.namespace', dnsNamespace),
        /^v1\.[0-9]{1,2}$/.test(this.podSecurityVersion)
          ? undefined
          : {
              path: 'podSecurityVersion',
              message: `"${this.podSecurityVersion}" is not a pinned Pod Security Standards version: use v1.<minor>, e.g. v1.32 ('latest' is not pinned)`,
            },
        this.gpuOperatorNamespace === this.servingNamespace ||
          this.gpuOperatorNamespace === this.weightsNamespace
          ? {
              path: 'namespaces.gpuOperator',
              message: `"${this.gpuOperatorNamespace}" is also a workload namespace: the GPU operator's namespace is privileged and must be its own`,
            }
          : undefined,
        props.quota?.pods === undefined
          ? undefined
          : checkIntRange('quota.pods', props.quota.pods, 1, 100000),
      ),
      ...Object.entries(gpus).flatMap(([name, count]) =>
        problems(
          GPU_RESOURCE.test(name)
            ? undefined
            : {
                path: `quota.gpus.${name}`,
                message: `"${name}" is not a GPU resource: use nvidia.com/gpu or nvidia.com/mig-<profile> (nvidia.com/mig-3g.40gb)`,
              },
          checkIntRange(`quota.gpus.${name}`, count, 0, 100000),
        ),
      ),
      ...(this.servingPorts.length === 0
        ? [
            {
              path: 'network.servingPorts',
              message: 'no port given: name at least one port the servers listen on',
            },
          ]
        : []),
      ...this.servingPorts.flatMap((p, i) =>
        problems(checkIntRange(`network.servingPorts[${i}]`, p, 1, 65535)),
      ),
      ...this.clientNamespaces.flatMap((n, i) =>
        problems(checkDnsLabel(`network.clientNamespaces[${i}]`, n)),
      ),
      ...this.clientCidrs.flatMap((c, i) => problems(checkCidr(`network.clientCidrs[${i}]`, c))),
      ...(Object.keys(dnsPodLabels).length === 0
        ? [
            {
              path: 'network.clusterDns.podLabels',
              message: 'no label given: an empty selector would allow every pod of the DNS namespace',
            },
          ]
        : []),
      ...(dnsPorts.length === 0
        ? [
            {
              path: 'network.clusterDns.ports',
              message: 'no port given: name the port the DNS pods listen on',
            },
          ]
        : []),
      ...dnsPorts.flatMap((p, i) => problems(checkIntRange(`network.clusterDns.ports[${i}]`, p, 1, 65535))),
      ...dnsCidrs.flatMap((c, i) => problems(checkCidr(`network.clusterDns.cidrs[${i}]`, c))),
      ...this.weightSources.flatMap((s, i) =>
        problems(
          checkCidr(`network.weightSources[${i}].cidr`, s.cidr),
          checkIntRange(`network.weightSources[${i}].port`, s.port, 1, 65535),
        ),
      ),
    ]);

    // ------------------------------------------------------------------ providers
    const conn = props.connection;
    if (conn.kind === 'kubeconfig') {
      this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', {
        configPath: conn.configPath,
        configContext: conn.context,
      });
      this.helmProvider = new HelmProvider(this, 'helm', {
        kubernetes: { configPath: conn.configPath, configContext: conn.context },
      });
    } else {
      const ca =
        conn.clusterCaCertificatePem ??
        (conn.clusterCaCertificateFile === undefined ? undefined : Fn.file(conn.clusterCaCertificateFile));
      const exec = conn.exec
        ? {
            apiVersion: conn.exec.apiVersion ?? 'client.authentication.k8s.io/v1',
            command: conn.exec.command,
            args: [...(conn.exec.args ?? [])],
          }
        : undefined;
      // cdktf snake_cases the keys of maps nested in provider blocks (OIDC_ISSUER would become
      // oidc_issuer), so the exec env goes in through an override, which is emitted verbatim.
      const execEnv = sortedRecord(conn.exec?.env ?? {});
      const common: KubernetesProviderConfig & HelmProviderKubernetes = {
        host: conn.host,
        ...(ca !== undefined ? { clusterCaCertificate: ca } : {}),
        ...(conn.tlsServerName ? { tlsServerName: conn.tlsServerName } : {}),
      };
      this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', {
        ...common,
        ...(exec ? { exec: [exec] } : {}),
      });
      this.helmProvider = new HelmProvider(this, 'helm', {
        kubernetes: { ...common, ...(exec ? { exec } : {}) },
      });
      if (Object.keys(execEnv).length > 0) {
        this.kubernetesProvider.addOverride('exec.0.env', execEnv);
        this.helmProvider.addOverride('kubernetes.exec.env', execEnv);
      }
    }

    // ------------------------------------------------------------------ namespaces
    const labels = (component: string, instance: string): Record<string, string> =>
      recommendedLabels({ name: 'private-cluster', instance, component, jurisdiction: this.jurisdiction });
    const workload = [...new Set([this.servingNamespace, this.weightsNamespace])].sort();
    const nsResources: Record<string, NamespaceV1> = {};
    for (const name of workload) {
      const component =
        name === this.servingNamespace && name === this.weightsNamespace
          ? 'serving-weights-namespace'
          : name === this.servingNamespace
            ? 'serving-namespace'
            : 'weights-namespace';
      nsResources[name] = new NamespaceV1(this, `namespace-${name}`, {
        metadata: {
          name,
          labels: sortedRecord({
            ...labels(component, name),
            ...podSecurityLabels('restricted', this.podSecurityVersion),
          }),
        },
      });
    }
    // The documented exception: NVIDIA's operands need privileged pods and host mounts.
    const gpuNs = this.gpuOperatorNamespace;
    if (gpuNs !== undefined) {
      nsResources[gpuNs] = new NamespaceV1(this, `namespace-${gpuNs}`, {
        metadata: {
          name: gpuNs,
          annotations: { [ANNOTATION_PSA_EXCEPTION]: GPU_OPERATOR_PSA_EXCEPTION },
          labels: sortedRecord({
            ...labels('gpu-operator-namespace', gpuNs),
            ...podSecurityLabels('privileged', this.podSecurityVersion),
          }),
        },
      });
    }
    this.namespaceResources = sortedRecord(nsResources);

    // ------------------------------------------------------------------ quota and limits
    const hard: Record<string, string> = {};
    for (const [name, count] of Object.entries(gpus)) hard[`requests.${name}`] = String(count);
    const q = props.quota ?? {};
    if (q.requestsCpu !== undefined) hard['requests.cpu'] = q.requestsCpu;
    if (q.requestsMemory !== undefined) hard['requests.memory'] = q.requestsMemory;
    if (q.limitsMemory !== undefined) hard['limits.memory'] = q.limitsMemory;
    if (q.pods !== undefined) hard['pods'] = String(q.pods);
    this.servingQuota = sortedRecord(hard);
    const meta = (name: string, namespace: string, component: string) => ({
      name,
      namespace,
      labels: labels(component, namespace),
    });
    new ResourceQuotaV1(this, `quota-${this.servingNamespace}`, {
      metadata: meta('serving-quota', this.servingNamespace, 'resource-quota'),
      spec: { hard: this.servingQuota },
      dependsOn: [nsResources[this.servingNamespace]],
    });
    if (this.weightsNamespace !== this.servingNamespace) {
      // Weight-sync Jobs copy and hash files: they never need a GPU.
      new ResourceQuotaV1(this, `quota-${this.weightsNamespace}`, {
        metadata: meta('weights-quota', this.weightsNamespace, 'resource-quota'),
        spec: { hard: { 'requests.nvidia.com/gpu': '0' } },
        dependsOn: [nsResources[this.weightsNamespace]],
      });
    }
    const cd = props.containerDefaults ?? {};
    for (const name of workload) {
      new LimitRangeV1(this, `limits-${name}`, {
        metadata: meta('container-defaults', name, 'limit-range'),
        spec: {
          limit: [
            {
              type: 'Container',
              defaultRequest: {
                cpu: cd.defaultRequestCpu ?? '100m',
                memory: cd.defaultRequestMemory ?? '128Mi',
              },
              default: { cpu: cd.defaultLimitCpu ?? '1', memory: cd.defaultLimitMemory ?? '512Mi' },
            },
          ],
        },
        dependsOn: [nsResources[name]],
      });
    }

    // ------------------------------------------------------------------ network policies
    for (const name of workload) {
      const dependsOn = [nsResources[name]];
      new NetworkPolicyV1(this, `netpol-${name}-default-deny`, {
        metadata: meta('default-deny-all', name, 'network-policy'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
        dependsOn,
      });
      new NetworkPolicyV1(this, `netpol-${name}-dns`, {
        metadata: meta('allow-dns-egress', name, 'network-policy'),
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: dnsNamespace } },
                  podSelector: { matchLabels: dnsPodLabels },
                },
                ...dnsCidrs.map((cidr) => ({ ipBlock: { cidr } })),
              ],
              ports: dnsPorts.flatMap((port) => [
                { port: String(port), protocol: 'UDP' },
                { port: String(port), protocol: 'TCP' },
              ]),
            },
          ],
        },
        dependsOn,
      });
    }
    const from: NetworkPolicyV1SpecIngressFrom[] = [
      ...this.clientNamespaces.map((n) => ({
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: n } },
      })),
      ...this.clientCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
    if (from.length > 0) {
      new NetworkPolicyV1(this, `netpol-${this.servingNamespace}-serving-ingress`, {
        metadata: meta('allow-serving-ingress', this.servingNamespace, 'network-policy'),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/component': COMPONENT_SERVER } },
          policyTypes: ['Ingress'],
          ingress: [{ from, ports: this.servingPorts.map((p) => ({ port: String(p), protocol: 'TCP' })) }],
        },
        dependsOn: [nsResources[this.servingNamespace]],
      });
    }
    if (this.weightSources.length > 0) {
      const egress: NetworkPolicyV1SpecEgress[] = this.weightSources.map((s) => ({
        to: [{ ipBlock: { cidr: s.cidr } }],
        ports: [{ port: String(s.port), protocol: 'TCP' }],
      }));
      new NetworkPolicyV1(this, `netpol-${this.weightsNamespace}-weights-egress`, {
        metadata: meta('allow-weights-egress', this.weightsNamespace, 'network-policy'),
        spec: {
          podSelector: { matchLabels: { 'app.kubernetes.io/component': COMPONENT_WEIGHTS_SYNC } },
          policyTypes: ['Egress'],
          egress,
        },
        dependsOn: [nsResources[this.weightsNamespace]],
      });
    }
  }
}

/** Schedulable GPUs of the pools, summed per resource name, keys sorted. */
export function gpuQuotaForPools(pools: readonly IGpuPool[]): Record<string, number> {
  if (pools.length === 0) return { 'nvidia.com/gpu': 0 };
  const out: Record<string, number> = {};
  for (const p of pools) out[p.resourceName] = (out[p.resourceName] ?? 0) + p.gpusPerNode * p.nodeCount;
  return sortedRecord(out);
}

function validateConnection(c: ClusterConnection): Problem[] {
  if (c.kind === 'kubeconfig') {
    return problems(
      c.configPath.trim() === ''
        ? { path: 'connection.configPath', message: 'empty: name the kubeconfig file Terraform reads' }
        : undefined,
      c.context.trim() === ''
        ? { path: 'connection.context', message: 'empty: name the kubeconfig context of this cluster' }
        : undefined,
    );
  }
  const out: Problem[] = [];
  if (!/^https:\/\/[^\s/]+/.test(c.host)) {
    out.push({
      path: 'connection.host',
      message: `"${c.host}" is not allowed: the API server URL must start with https://`,
    });
  }
  const caCount = [c.clusterCaCertificateFile, c.clusterCaCertificatePem].filter(
    (x) => x !== undefined,
  ).length;
  if (caCount > 1) {
    out.push({
      path: 'connection.clusterCaCertificateFile',
      message:
        'give at most one of clusterCaCertificateFile or clusterCaCertificatePem (with neither, the system CAs verify the API server)',
    });
  }
  if (
    c.clusterCaCertificatePem !== undefined &&
    !c.clusterCaCertificatePem.includes('-----BEGIN CERTIFICATE-----')
  ) {
    out.push({
      path: 'connection.clusterCaCertificatePem',
      message: 'not a PEM certificate: expected -----BEGIN CERTIFICATE-----',
    });
  }
  if (c.exec) {
    if (c.exec.command.trim() === '') {
      out.push({ path: 'connection.exec.command', message: 'empty: name the credential plugin to run' });
    }
    for (const name of Object.keys(c.exec.env ?? {}).sort()) {
      if (SECRET_LIKE.test(name)) {
        out.push({
          path: `connection.exec.env.${name}`,
          message: `"${name}" looks like a credential: values here are written into the synthesized JSON; let the plugin read it from the environment Terraform runs in`,
        });
      }
    }
  }
  return out;
}
