/**
 * One OpenAI-compatible endpoint per jurisdiction: the agentgateway controller (Helm, from the
 * jurisdiction's chart mirror, images from its registry by digest), a Gateway API `Gateway`
 * with TLS from a Secret, one `InferencePool` per model with its endpoint picker (EPP), routes
 * chosen by the request body's `model`, tenants authenticated by API key, held to their models
 * and rate-limited, and NetworkPolicies so that clients reach only the gateway and the engines
 * are reached only by the gateway, the endpoint pickers and the monitoring namespace.
 *
 * Every field below was checked against the CRDs and charts of the releases in
 * ./private/gateway-pins.ts; the CRD schemas are test fixtures (test/fixtures/crds/).
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecIngress,
  type NetworkPolicyV1SpecIngressFrom,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { type ITerraformDependable } from 'cdktf';
import { stringify } from 'yaml';
import { throwIfProblems, type Problem } from '../core/errors';
import {
  AGENTGATEWAY_API_VERSION,
  AGENTGATEWAY_CHART,
  AGENTGATEWAY_CLASS,
  AGENTGATEWAY_CONTROLLER_PORTS,
  AGENTGATEWAY_CRDS_CHART,
  AGENTGATEWAY_PROXY_METRICS_PORT,
  AGENTGATEWAY_RELEASE,
  EPP_PORTS,
  EPP_RELEASE,
  GATEWAY_API_VERSION,
  INFERENCE_POOL_API_VERSION,
  MODEL_HEADER,
  OPENAI_MODEL_PATHS,
  OPENAI_MODELS_PATH,
} from './private/gateway-pins';
import { chartImageParts } from '../core/images';
import { recommendedLabels, selectorLabels } from '../core/labels';
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
import { LABEL_GATEWAY_API_KEYS } from '../core/annotations';

export * from './private/gateway-pins';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Label the agentgateway deployer puts on a Gateway's proxy pods (controller/pkg/deployer). */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** Label the stack puts on each tenant's key Secret; the gateway reads keys only from these. */
export const API_KEYS_LABEL = LABEL_GATEWAY_API_KEYS;
/** The uid the EPP runs as (distroless nonroot, as the upstream chart's securityContext). */
const EPP_UID = 65532;

export interface GatewayModel {
  /** Model name clients send as `model` (the server's served model name). */
  readonly name: string;
  /** Engine, for the endpoint picker's metric names. */
  readonly engine: 'vllm' | 'llama-cpp';
  /** Port the servers listen on. */
  readonly port: number;
  /** Labels selecting the model's server pods (the pool's members). */
  readonly selector: Readonly<Record<string, string>>;
  /** The engine's own API key: the gateway presents it to the servers. @default none */
  readonly apiKeySecret?: { readonly name: string; readonly key: string };
}

export interface GatewayTenant {
  readonly name: string;
  /** Models the tenant may call; every other model is refused (403). */
  readonly models: readonly string[];
  /**
   * Secret (serving namespace) holding the tenant's keys, one entry per key:
   * `{"key": "<api key>", "metadata": {"tenant": "<name>"}}` (or `keyHash: sha256:<hex>`).
   */
  readonly apiKeySecret: string;
  /** Requests per minute across the tenant's keys, per gateway replica. @default unlimited */
  readonly requestsPerMinute?: number;
  /** LLM tokens (input + output) per hour, per gateway replica. @default unlimited */
  readonly tokensPerHour?: number;
  /** Namespaces the tenant's clients run in (NetworkPolicy to the gateway). */
  readonly namespaces: readonly string[];
  /** Networks the tenant calls from: NetworkPolicy to the gateway, and its keys work only from there. */
  readonly cidrs: readonly string[];
}

export interface InferenceGatewayProps {
  readonly cluster: PrivateCluster;
  readonly jurisdiction: string;
  /** Namespace of the servers; the Gateway, pools, endpoint pickers and policies go there too. */
  readonly namespace: string;
  /** Namespace of the agentgateway controller (created, restricted). @default 'agentgateway-system' */
  readonly controllerNamespace?: string;
  /** The jurisdiction's chart mirror (`oci://…` or `https://…`) holding agentgateway and agentgateway-crds. */
  readonly chartRepository: string;
  /** If given, `chartRepository` must be one of these. */
  readonly allowedChartRepositories?: readonly string[];
  /** Host name of the endpoint (`api.fra.example`); must be inside the jurisdiction. */
  readonly host: string;
  /** If given, `host` must match one of these (`*.fra.example` or exact). */
  readonly allowedHosts?: readonly string[];
  /** HTTPS listener port, also the proxy pod's port. @default 8443 */
  readonly port?: number;
  /** kubernetes.io/tls Secret in the serving namespace holding the endpoint's certificate. */
  readonly tlsSecretName: string;
  readonly images: {
    /** agentgateway controller, `<registry>/…/controller:v1.4.1@sha256:…`. */
    readonly controller: string;
    /** agentgateway proxy, `<registry>/…/agentgateway:v1.4.1@sha256:…`. */
    readonly proxy: string;
    /** Endpoint picker, `<registry>/…/llm-d-router-endpoint-picker:v0.10.0@sha256:…`. */
    readonly endpointPicker: string;
  };
  readonly allowedRegistries?: readonly string[];
  readonly imagePullSecrets?: readonly string[];
  readonly models: readonly GatewayModel[];
  readonly tenants: readonly GatewayTenant[];
  /** Further namespaces / networks that may reach the gateway (keys are still required). */
  readonly clientNamespaces?: readonly string[];
  readonly clientCidrs?: readonly string[];
  /** Where the controller and the endpoint pickers reach the Kubernetes API (NetworkPolicy egress). */
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
  /** Namespace of the jurisdiction's Prometheus: admitted to the metrics ports only. @default none */
  readonly monitoringNamespace?: string;
  /** Resources to wait for (the serving namespace). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

interface Pool {
  readonly model: GatewayModel;
  readonly id: string;
  readonly eppName: string;
}

export class InferenceGateway extends Construct {
  public readonly gatewayName: string;
  public readonly namespace: string;
  public readonly controllerNamespace: string;
  public readonly host: string;
  public readonly port: number;
  /** `https://<host>:<port>`: the jurisdiction's OpenAI-compatible base URL (append `/v1/…`). */
  public readonly endpointUrl: string;
  public readonly controller: Release;
  public readonly crds: Release;
  /** Every custom resource, by construct id (tests validate each against its CRD schema). */
  public readonly manifests: Readonly<Record<string, Manifest>>;
  /** Labels selecting the gateway's proxy pods. */
  public readonly proxySelector: Readonly<Record<string, string>>;
  /** Labels selecting each model's endpoint picker pods. */
  public readonly eppSelectors: Readonly<Record<string, Record<string, string>>>;

  constructor(scope: Construct, id: string, props: InferenceGatewayProps) {
    super(scope, id);
    const ns = props.namespace;
    this.namespace = ns;
    this.controllerNamespace = props.controllerNamespace ?? 'agentgateway-system';
    this.gatewayName = 'inference-gateway';
    this.host = props.host;
    this.port = props.port ?? 8443;
    this.endpointUrl = `https://${this.host}${this.port === 443 ? '' : `:${this.port}`}`;
    throwIfProblems(`InferenceGateway ${id}`, validate(props, this.controllerNamespace, this.port));

    const j = props.jurisdiction;
    const deps = [...(props.dependsOn ?? [])];
    const pullSecrets = props.imagePullSecrets ?? [];
    const manifests: Record<string, Manifest> = {};
    const cr = (cid: string, body: Record<string, unknown>, after: ITerraformDependable[] = []) => {
      manifests[cid] = new Manifest(this, cid, { manifest: body, dependsOn: [...deps, ...after] });
      return manifests[cid];
    };
    const labels = (component: string, instance: string, name = 'inference-gateway') =>
      recommendedLabels({ name, instance, component, jurisdiction: j, version: undefined });
    const meta = (name: string, component: string, instance = name, namespace = ns) => ({
      name,
      namespace,
      labels: labels(component, instance),
    });

    // ------------------------------------------------------------ controller (Helm)
    const cns = this.controllerNamespace;
    const psv = props.cluster.podSecurityVersion;
    const controllerNs = restrictedNamespace(
      this,
      'controller-namespace',
      cns,
      labels('gateway-controller-namespace', cns),
      psv,
    );
    const common = {
      ...CONTROLLER_RELEASE,
      namespace: cns,
      repository: chartRepositoryUrl(props.chartRepository),
      version: AGENTGATEWAY_RELEASE,
      timeout: 600,
    };
    this.crds = new Release(this, 'crds', {
      ...common,
      name: 'agentgateway-crds',
      chart: AGENTGATEWAY_CRDS_CHART,
      dependsOn: [controllerNs],
    });
    const controllerImage = splitImage(props.images.controller);
    const proxyImage = splitImage(props.images.proxy);
    // controller/install/helm/agentgateway/values.yaml at v1.4.1: the image is
    // `<registry>/<repository>:<tag>`; a tag of `v1.4.1@sha256:…` pins the digest.
    const values = {
      controller: {
        image: {
          registry: controllerImage.registry,
          repository: controllerImage.repository,
          tag: controllerImage.tagAndDigest,
          pullPolicy: 'IfNotPresent',
        },
        logLevel: 'info',
        replicaCount: 1,
      },
      // The proxy image of our Gateway is set by its AgentgatewayParameters (by digest); the
      // controller's default for any other Gateway points at the mirror too, never upstream.
      image: { registry: proxyImage.registry, pullPolicy: 'IfNotPresent' },
      imagePullSecrets: pullSecrets.map((name) => ({ name })),
      inferenceExtension: { enabled: true },
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 10101,
        runAsGroup: 10101,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10101,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      podAnnotations: {},
      monitoring: { enabled: false },
    };
    this.controller = new Release(this, 'controller', {
      ...common,
      name: 'agentgateway',
      chart: AGENTGATEWAY_CHART,
      values: [JSON.stringify(sortDeep(values))],
      dependsOn: [this.crds],
    });
    const ready: ITerraformDependable[] = [this.controller];

    // ------------------------------------------------------------ gateway
    this.proxySelector = { [GATEWAY_NAME_LABEL]: this.gatewayName };
    cr(
      'proxy-parameters',
      {
        apiVersion: AGENTGATEWAY_API_VERSION,
        kind: 'AgentgatewayParameters',
        metadata: meta('inference-gateway-proxy', 'gateway-parameters'),
        spec: {
          image: {
            registry: proxyImage.registry,
            repository: proxyImage.repository,
            digest: proxyImage.digest,
          },
          // The proxy stays inside the cluster: no load balancer is asked of any provider.
          service: { spec: { type: 'ClusterIP' } },
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
          logging: { format: 'json' },
        },
      },
      ready,
    );
    cr(
      'gateway',
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: 'Gateway',
        metadata: meta(this.gatewayName, 'gateway'),
        spec: {
          gatewayClassName: AGENTGATEWAY_CLASS,
          infrastructure: {
            parametersRef: {
              group: 'agentgateway.dev',
              kind: 'AgentgatewayParameters',
              name: 'inference-gateway-proxy',
            },
          },
          listeners: [
            {
              name: 'https',
              protocol: 'HTTPS',
              port: this.port,
              hostname: this.host,
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: props.tlsSecretName }] },
              allowedRoutes: { namespaces: { from: 'Same' } },
            },
          ],
        },
      },
      ready,
    );
    const gatewayRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: this.gatewayName };

    // Body-based routing: copy the body's `model` into a header before the route is chosen
    // (agentgateway CEL `json(request.body).model`, PreRouting phase on the Gateway).
    cr(
      'policy-model-header',
      {
        apiVersion: AGENTGATEWAY_API_VERSION,
        kind: 'AgentgatewayPolicy',
        metadata: meta('model-from-body', 'gateway-policy'),
        spec: {
          targetRefs: [gatewayRef],
          traffic: {
            phase: 'PreRouting',
            transformation: { request: { set: [{ name: MODEL_HEADER, value: 'json(request.body).model' }] } },
          },
        },
      },
      ready,
    );

    // ------------------------------------------------------------ pools, pickers, routes
    const pools: Pool[] = props.models.map((m) => ({ model: m, id: m.name, eppName: `${m.name}-epp` }));
    const eppSelectors: Record<string, Record<string, string>> = {};
    for (const p of pools) {
      const m = p.model;
      const eppLabelInput = {
        name: 'endpoint-picker',
        instance: p.eppName,
        component: 'endpoint-picker',
        jurisdiction: j,
      };
      const eppLabels = recommendedLabels({ ...eppLabelInput, version: EPP_RELEASE });
      const eppSelector = selectorLabels(eppLabelInput);
      eppSelectors[m.name] = eppSelector;
      const eppMeta = { name: p.eppName, namespace: ns, labels: eppLabels };
      const sa = new ServiceAccountV1(this, `${p.id}-epp-sa`, {
        metadata: eppMeta,
        automountServiceAccountToken: false,
        dependsOn: deps,
      });
      // What the upstream chart grants (config/charts/llm-d-router-gateway/templates/rbac.yaml and
      // routerlib/templates/_rbac.yaml at v0.10.0): read pods and the pool; objectives are read too.
      const role = new RoleV1(this, `${p.id}-epp-role`, {
        metadata: eppMeta,
        rule: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
          {
            apiGroups: ['inference.networking.k8s.io'],
            resources: ['inferencepools'],
            verbs: ['get', 'list', 'watch'],
          },
          {
            apiGroups: ['inference.networking.x-k8s.io', 'llm-d.ai'],
            resources: ['inferenceobjectives', 'inferencemodelrewrites'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
        dependsOn: deps,
      });
      new RoleBindingV1(this, `${p.id}-epp-rolebinding`, {
        metadata: eppMeta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: p.eppName },
        subject: [{ kind: 'ServiceAccount', name: p.eppName, namespace: ns }],
        dependsOn: [role, sa],
      });
      const config = new ConfigMapV1(this, `${p.id}-epp-config`, {
        metadata: eppMeta,
        data: { 'config.yaml': eppConfig(m.engine) },
        dependsOn: deps,
      });
      const eppContainerSecurity = {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: String(EPP_UID),
        runAsGroup: String(EPP_UID),
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      };
      new DeploymentV1(this, `${p.id}-epp`, {
        metadata: eppMeta,
        waitForRollout: true,
        spec: {
          // One active picker: its prefix-cache state is in memory (upstream chart: Recreate).
          replicas: '1',
          revisionHistoryLimit: 3,
          selector: { matchLabels: eppSelector },
          strategy: { type: 'Recreate' },
          template: {
            metadata: { labels: eppLabels },
            spec: {
              serviceAccountName: p.eppName,
              // The API token is mounted explicitly below (projected, one hour), not by default.
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              terminationGracePeriodSeconds: 130,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: String(EPP_UID),
                runAsGroup: String(EPP_UID),
                fsGroup: String(EPP_UID),
                seccompProfile: { type: 'RuntimeDefault' },
              },
              imagePullSecrets: pullSecrets.length > 0 ? pullSecrets.map((name) => ({ name })) : undefined,
              container: [
                {
                  name: 'epp',
                  image: props.images.endpointPicker,
                  imagePullPolicy: 'IfNotPresent',
                  args: eppArgs(p.id, ns),
                  env: [
                    { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  ],
                  port: [
                    { name: 'grpc', containerPort: EPP_PORTS.extProc, protocol: 'TCP' },
                    { name: 'grpc-health', containerPort: EPP_PORTS.health, protocol: 'TCP' },
                    { name: 'metrics', containerPort: EPP_PORTS.metrics, protocol: 'TCP' },
                  ],
                  resources: {
                    requests: { cpu: '500m', memory: '512Mi' },
                    limits: { cpu: '4', memory: '4Gi' },
                  },
                  securityContext: eppContainerSecurity,
                  livenessProbe: {
                    grpc: [{ port: EPP_PORTS.health, service: 'inference-extension' }],
                    initialDelaySeconds: 5,
                    periodSeconds: 10,
                  },
                  readinessProbe: {
                    grpc: [{ port: EPP_PORTS.health, service: 'inference-extension' }],
                    periodSeconds: 2,
                  },
                  volumeMount: [
                    {
                      name: 'api-token',
                      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
                      readOnly: true,
                    },
                    { name: 'config', mountPath: '/config', readOnly: true },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volume: [
                {
                  name: 'api-token',
                  projected: [
                    {
                      defaultMode: '0444',
                      sources: [
                        { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                        {
                          configMap: [
                            { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
                          ],
                        },
                        {
                          downwardApi: {
                            items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }],
                          },
                        },
                      ],
                    },
                  ],
                },
                { name: 'config', configMap: { name: p.eppName, defaultMode: '0444' } },
                { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              ],
            },
          },
        },
        dependsOn: [...deps, role, config],
      });
      new ServiceV1(this, `${p.id}-epp-service`, {
        metadata: eppMeta,
        spec: {
          type: 'ClusterIP',
          selector: eppSelector,
          port: [
            {
              name: 'grpc-ext-proc',
              port: EPP_PORTS.extProc,
              targetPort: 'grpc',
              protocol: 'TCP',
              appProtocol: 'http2',
            },
            { name: 'http-metrics', port: EPP_PORTS.metrics, targetPort: 'metrics', protocol: 'TCP' },
          ],
        },
        dependsOn: deps,
      });
      cr(`${p.id}-pool`, {
        apiVersion: INFERENCE_POOL_API_VERSION,
        kind: 'InferencePool',
        metadata: meta(p.id, 'inference-pool'),
        spec: {
          selector: { matchLabels: { ...m.selector } },
          targetPorts: [{ number: m.port }],
          appProtocol: 'http',
          endpointPickerRef: {
            kind: 'Service',
            name: p.eppName,
            port: { number: EPP_PORTS.extProc },
            failureMode: 'FailClose',
          },
        },
      });
      cr(
        `${p.id}-route`,
        {
          apiVersion: GATEWAY_API_VERSION,
          kind: 'HTTPRoute',
          metadata: meta(p.id, 'http-route'),
          spec: {
            parentRefs: [{ ...gatewayRef, sectionName: 'https' }],
            hostnames: [this.host],
            rules: [
              {
                name: 'openai',
                matches: OPENAI_MODEL_PATHS.map((path) => ({
                  path: { type: 'Exact', value: path },
                  method: 'POST',
                  headers: [{ type: 'Exact', name: MODEL_HEADER, value: m.name }],
                })),
                backendRefs: [
                  { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: p.id, port: m.port },
                ],
                timeouts: { request: '600s' },
              },
            ],
          },
        },
        ready,
      );
      if (m.apiKeySecret !== undefined) {
        // The engine's own key, presented by the gateway; tenants never see it.
        cr(
          `${p.id}-backend-auth`,
          {
            apiVersion: AGENTGATEWAY_API_VERSION,
            kind: 'AgentgatewayPolicy',
            metadata: meta(`${p.id}-engine-key`, 'gateway-policy'),
            spec: {
              targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: p.id }],
              backend: { auth: { secretRef: { name: m.apiKeySecret.name, key: m.apiKeySecret.key } } },
            },
          },
          ready,
        );
      }
    }
    this.eppSelectors = eppSelectors;

    // `/v1/models`: answered by the gateway with the models of the jurisdiction.
    cr(
      'models-route',
      {
        apiVersion: GATEWAY_API_VERSION,
        kind: 'HTTPRoute',
        metadata: meta('openai-models', 'http-route'),
        spec: {
          parentRefs: [{ ...gatewayRef, sectionName: 'https' }],
          hostnames: [this.host],
          rules: [
            {
              name: 'models',
              matches: [{ path: { type: 'Exact', value: OPENAI_MODELS_PATH }, method: 'GET' }],
            },
          ],
        },
      },
      ready,
    );
    cr(
      'models-response',
      {
        apiVersion: AGENTGATEWAY_API_VERSION,
        kind: 'AgentgatewayPolicy',
        metadata: meta('openai-models', 'gateway-policy'),
        spec: {
          targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-models' }],
          traffic: {
            directResponse: {
              status: 200,
              headers: [{ name: 'content-type', value: 'application/json' }],
              body: JSON.stringify({
                object: 'list',
                data: props.models
                  .map((m) => m.name)
                  .sort()
                  .map((id) => ({ id, object: 'model', owned_by: j })),
              }),
            },
          },
        },
      },
      ready,
    );

    // ------------------------------------------------------------ tenants
    const tenants = [...props.tenants].sort(tenantOrder(props.tenants));
    const keySecrets = [...new Set(tenants.map((t) => t.apiKeySecret))].sort();
    for (const s of keySecrets) {
      // The stack labels exactly the Secrets the spec names; the gateway reads keys only from those.
      new Labels(this, `api-keys-${s}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: s, namespace: ns },
        labels: { [API_KEYS_LABEL]: this.gatewayName },
        fieldManager: 'sovereign-stack',
        dependsOn: deps,
      });
    }
    const tenantCel = (t: GatewayTenant) => `apiKey.tenant == ${celString(t.name)}`;
    cr(
      'policy-tenants',
      {
        apiVersion: AGENTGATEWAY_API_VERSION,
        kind: 'AgentgatewayPolicy',
        metadata: meta('tenants', 'gateway-policy'),
        spec: {
          targetRefs: [gatewayRef],
          traffic: {
            apiKeyAuthentication: {
              mode: 'Strict',
              secretSelector: { matchLabels: { [API_KEYS_LABEL]: this.gatewayName } },
            },
            ...(tenants.some((t) => t.requestsPerMinute !== undefined || t.tokensPerHour !== undefined)
              ? {
                  rateLimit: {
                    conditional: tenants
                      .filter((t) => t.requestsPerMinute !== undefined || t.tokensPerHour !== undefined)
                      .map((t) => ({
                        condition: tenantCel(t),
                        policy: {
                          local: [
                            ...(t.requestsPerMinute !== undefined
                              ? [{ requests: t.requestsPerMinute, unit: 'Minutes' }]
                              : []),
                            ...(t.tokensPerHour !== undefined
                              ? [{ tokens: t.tokensPerHour, unit: 'Hours' }]
                              : []),
                          ],
                        },
                      })),
                  },
                }
              : {}),
          },
        },
      },
      ready,
    );
    // One Allow rule per tenant (rules merge across policies; with any Allow rule, a request no
    // rule allows is refused): its key, its models (or the model list), its networks.
    for (const t of tenants) {
      const models = `[${[...t.models].sort().map(celString).join(', ')}]`;
      cr(
        `tenant-${t.name}`,
        {
          apiVersion: AGENTGATEWAY_API_VERSION,
          kind: 'AgentgatewayPolicy',
          metadata: meta(`tenant-${t.name}`, 'gateway-policy', t.name),
          spec: {
            targetRefs: [gatewayRef],
            traffic: {
              authorization: {
                action: 'Allow',
                policy: {
                  matchExpressions: [
                    tenantCel(t),
                    `request.path == ${celString(OPENAI_MODELS_PATH)} || request.headers[${celString(MODEL_HEADER)}] in ${models}`,
                    ...(t.cidrs.length > 0
                      ? [t.cidrs.map((c) => `cidr(${celString(c)}).containsIP(source.address)`).join(' || ')]
                      : []),
                  ],
                },
              },
            },
          },
        },
        ready,
      );
    }
    this.manifests = manifests;

    // ------------------------------------------------------------ network policies
    const npMeta = (name: string, namespace = ns) => meta(name, 'network-policy', name, namespace);
    const tcp = (port: number) => ({ port: String(port), protocol: 'TCP' });
    const nsPeer = (n: string): NetworkPolicyV1SpecIngressFrom => ({
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: n } },
    });
    const podPeer = (sel: Record<string, string>): NetworkPolicyV1SpecIngressFrom => ({
      podSelector: { matchLabels: { ...sel } },
    });
    const clientNamespaces = [
      ...new Set([...(props.clientNamespaces ?? []), ...tenants.flatMap((t) => t.namespaces)]),
    ].sort();
    const clientCidrs = [
      ...new Set([...(props.clientCidrs ?? []), ...tenants.flatMap((t) => t.cidrs)]),
    ].sort();
    const monitoring = props.monitoringNamespace;
    const clientsFrom = [
      ...clientNamespaces.map(nsPeer),
      ...clientCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ];
    const allEpp = Object.values(eppSelectors);
    const gatewayIngress: NetworkPolicyV1SpecIngress[] = [];
    if (clientsFrom.length > 0) gatewayIngress.push({ from: clientsFrom, ports: [tcp(this.port)] });
    if (monitoring)
      gatewayIngress.push({ from: [nsPeer(monitoring)], ports: [tcp(AGENTGATEWAY_PROXY_METRICS_PORT)] });
    const apiEgress: NetworkPolicyV1SpecEgress = {
      to: props.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [tcp(props.apiServer.port)],
    };
    // Clients → the gateway's HTTPS port only; the gateway → servers, pickers and its controller.
    new NetworkPolicyV1(this, 'netpol-gateway', {
      metadata: npMeta('allow-inference-gateway'),
      spec: {
        podSelector: { matchLabels: { ...this.proxySelector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: gatewayIngress,
        egress: [
          ...pools.map((p) => ({ to: [podPeer(p.model.selector)], ports: [tcp(p.model.port)] })),
          ...(allEpp.length > 0 ? [{ to: allEpp.map(podPeer), ports: [tcp(EPP_PORTS.extProc)] }] : []),
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: cns } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'agentgateway' } },
              },
            ],
            ports: [tcp(AGENTGATEWAY_CONTROLLER_PORTS.xds)],
          },
        ],
      },
      dependsOn: deps,
    });
    // Endpoint pickers: called by the gateway; read the servers' /metrics and the API server.
    for (const p of pools) {
      new NetworkPolicyV1(this, `netpol-${p.id}-epp`, {
        metadata: npMeta(`allow-${p.eppName}`),
        spec: {
          podSelector: { matchLabels: { ...eppSelectors[p.model.name] } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: [podPeer(this.proxySelector)], ports: [tcp(EPP_PORTS.extProc)] },
            ...(monitoring ? [{ from: [nsPeer(monitoring)], ports: [tcp(EPP_PORTS.metrics)] }] : []),
          ],
          egress: [{ to: [podPeer(p.model.selector)], ports: [tcp(p.model.port)] }, apiEgress],
        },
        dependsOn: deps,
      });
      // The servers: reached by the gateway (requests), their picker (/metrics) and monitoring.
      new NetworkPolicyV1(this, `netpol-${p.id}-server`, {
        metadata: npMeta(`allow-${p.id}-from-gateway`),
        spec: {
          podSelector: { matchLabels: { ...p.model.selector } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                podPeer(this.proxySelector),
                podPeer(eppSelectors[p.model.name]),
                ...(monitoring ? [nsPeer(monitoring)] : []),
              ],
              ports: [tcp(p.model.port)],
            },
          ],
        },
        dependsOn: deps,
      });
    }
    // The controller's namespace: deny by default; the proxies fetch their configuration (xDS),
    // the controller watches the API server.
    denyAllNetworkPolicy(this, 'netpol-controller-default-deny', npMeta('default-deny-all', cns), [
      controllerNs,
    ]);
    new NetworkPolicyV1(this, 'netpol-controller', {
      metadata: npMeta('allow-agentgateway-controller', cns),
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'agentgateway' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } },
                podSelector: { matchLabels: { ...this.proxySelector } },
              },
            ],
            ports: [tcp(AGENTGATEWAY_CONTROLLER_PORTS.xds)],
          },
          ...(monitoring
            ? [{ from: [nsPeer(monitoring)], ports: [tcp(AGENTGATEWAY_CONTROLLER_PORTS.metrics)] }]
            : []),
        ],
        egress: [apiEgress],
      },
      dependsOn: [controllerNs],
    });
  }
}

/** EPP arguments (llm-d-router v0.10.0 pkg/epp/server/options.go; the chart's defaults). */
function eppArgs(pool: string, namespace: string): string[] {
  return [
    '--pool-name',
    pool,
    '--pool-namespace',
    namespace,
    '--pool-group',
    'inference.networking.k8s.io',
    '--grpc-port',
    String(EPP_PORTS.extProc),
    '--grpc-health-port',
    String(EPP_PORTS.health),
    '--metrics-port',
    String(EPP_PORTS.metrics),
    // Metrics are admitted by NetworkPolicy to the monitoring namespace only.
    '--metrics-endpoint-auth=false',
    '--tracing=false',
    '--zap-encoder',
    'json',
    '--config-file',
    '/config/config.yaml',
  ];
}

/**
 * The picker's plugin configuration (routerlib/templates/_config.yaml at v0.10.0: queue,
 * KV-cache and prefix-cache scorers). llama.cpp is not among the built-in engines
 * (pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go), so its queue and
 * running gauges are named here; llama-server exports no KV-cache gauge, so no KV scorer.
 */
export function eppConfig(engine: 'vllm' | 'llama-cpp'): string {
  const vllm = engine === 'vllm';
  const config = {
    apiVersion: 'llm-d.ai/v1alpha1',
    kind: 'EndpointPickerConfig',
    plugins: [
      { type: 'queue-scorer' },
      ...(vllm ? [{ type: 'kv-cache-utilization-scorer' }] : []),
      { type: 'prefix-cache-scorer' },
      {
        type: 'metrics-data-source',
        parameters: { scheme: 'http', path: '/metrics', insecureSkipVerify: false },
      },
      vllm
        ? { type: 'core-metrics-extractor' }
        : {
            type: 'core-metrics-extractor',
            parameters: {
              defaultEngine: 'llama-cpp',
              engineConfigs: [
                {
                  name: 'llama-cpp',
                  queuedRequestsSpec: 'llamacpp:requests_deferred',
                  runningRequestsSpec: 'llamacpp:requests_processing',
                  kvUsageSpec: '',
                  loraSpec: '',
                  cacheInfoSpec: '',
                },
              ],
            },
          },
    ],
    schedulingProfiles: [
      {
        name: 'default',
        plugins: [
          { pluginRef: 'queue-scorer', weight: 2 },
          ...(vllm ? [{ pluginRef: 'kv-cache-utilization-scorer', weight: 2 }] : []),
          { pluginRef: 'prefix-cache-scorer', weight: 3 },
        ],
      },
    ],
  };
  return stringify(config, { lineWidth: 0 });
}

/** `registry/path/name:tag@sha256:…` → registry host, repository below it, tag@digest, digest. */
export function splitImage(ref: string): {
  registry: string;
  repository: string;
  tagAndDigest: string;
  digest: string;
} {
  const { host, path, tagAndDigest, digest } = chartImageParts(ref, AGENTGATEWAY_RELEASE);
  // The chart joins `<registry>/<repository>`: keep the path with the registry, the last
  // segment as the repository.
  const lastSlash = path.lastIndexOf('/');
  const registry = lastSlash < 0 ? host : `${host}/${path.slice(0, lastSlash)}`;
  return { registry, repository: path.slice(lastSlash + 1), tagAndDigest, digest };
}

function celString(s: string): string {
  return JSON.stringify(s);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase();
  const p = pattern.toLowerCase().replace(/:[0-9]+$/, '');
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
}

function validate(p: InferenceGatewayProps, controllerNamespace: string, port: number): Problem[] {
  const out: Problem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  out.push(
    ...problems(
      checkDnsLabel('namespace', p.namespace),
      checkDnsLabel('controllerNamespace', controllerNamespace),
      checkDnsLabel('jurisdiction', p.jurisdiction),
      checkIntRange('port', port, 1024, 65535),
      checkIntRange('apiServer.port', p.apiServer.port, 1, 65535),
    ),
  );
  if (
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(p.host) ||
    p.host.length > 253
  ) {
    add(
      'host',
      `"${p.host}" is not a host name (lower-case DNS name with at least one dot, no wildcard, no port)`,
    );
  } else if (p.allowedHosts && !p.allowedHosts.some((pat) => hostMatches(p.host, pat))) {
    add('host', `"${p.host}" is outside the jurisdiction: allowed hosts are ${p.allowedHosts.join(', ')}`);
  }
  if (![15000, 15020, 15021].every((r) => r !== port))
    add('port', `${port} is reserved by the agentgateway proxy`);
  const repo = p.chartRepository.replace(/\/+$/, '');
  const mirror = checkChartMirror('chartRepository', p.chartRepository);
  if (mirror) {
    add(mirror.path, mirror.message);
  } else if (
    p.allowedChartRepositories &&
    !p.allowedChartRepositories.map((r) => r.replace(/\/+$/, '')).includes(repo)
  ) {
    add(
      'chartRepository',
      `"${p.chartRepository}" is not an allowed chart repository; allowed: ${p.allowedChartRepositories.join(', ')}`,
    );
  }
  for (const k of ['controller', 'proxy', 'endpointPicker'] as const) {
    const img = p.images[k];
    const problem = checkPinnedImage(`images.${k}`, img, p.allowedRegistries);
    if (problem) out.push(problem);
    else if (!img.slice(0, img.indexOf('@')).includes('/'))
      add(`images.${k}`, 'must name a registry and a repository');
  }
  if (p.apiServer.cidrs.length === 0) {
    add('apiServer.cidrs', 'empty: the controller and the endpoint pickers must reach the Kubernetes API');
  }
  p.apiServer.cidrs.forEach((c, i) => {
    const problem = checkCidr(`apiServer.cidrs[${i}]`, c);
    if (problem) out.push(problem);
  });
  if (p.models.length === 0) add('models', 'no model to route to');
  const modelNames = new Set(p.models.map((m) => m.name));
  for (const [i, m] of p.models.entries()) {
    const problem = checkDnsLabel(`models[${i}].name`, m.name, 59);
    if (problem) out.push(problem);
    if (Object.keys(m.selector).length === 0)
      add(`models[${i}].selector`, 'empty: the pool would select every pod');
  }
  if (p.tenants.length === 0) add('tenants', 'no tenant: declare at least one tenant and its API-key Secret');
  const seen = new Set<string>();
  for (const [i, t] of p.tenants.entries()) {
    const problem = checkDnsLabel(`tenants[${i}].name`, t.name, 56);
    if (problem) out.push(problem);
    if (seen.has(t.name)) add(`tenants[${i}].name`, `tenant "${t.name}" is declared twice`);
    seen.add(t.name);
    if (t.models.length === 0) add(`tenants[${i}].models`, 'empty: a tenant may call at least one model');
    for (const [k, m] of t.models.entries()) {
      if (!modelNames.has(m)) {
        add(
          `tenants[${i}].models[${k}]`,
          `"${m}" is not a model of this gateway; models: ${[...modelNames].sort().join(', ')}`,
        );
      }
    }
    const sk = checkDnsLabel(`tenants[${i}].apiKeySecret`, t.apiKeySecret);
    if (sk) out.push(sk);
    if (t.requestsPerMinute !== undefined) {
      const r = checkIntRange(`tenants[${i}].requestsPerMinute`, t.requestsPerMinute, 1, 2 ** 31 - 1);
      if (r) out.push(r);
    }
    if (t.tokensPerHour !== undefined) {
      const r = checkIntRange(`tenants[${i}].tokensPerHour`, t.tokensPerHour, 1, 2 ** 31 - 1);
      if (r) out.push(r);
    }
    t.cidrs.forEach((c, k) => {
      const r = checkCidr(`tenants[${i}].cidrs[${k}]`, c);
      if (r) out.push(r);
    });
  }
  if (
    p.tenants.every((t) => t.namespaces.length === 0 && t.cidrs.length === 0) &&
    (p.clientNamespaces ?? []).length === 0 &&
    (p.clientCidrs ?? []).length === 0
  ) {
    add('tenants', 'no tenant names a namespace or network: nothing could reach the gateway');
  }
  return out;
}

/**
 * The order tenants are listed in: by name as `localeCompare` orders them. Names of lower-case
 * letters, digits and '-' (every name the spec allows: a DNS label) compare the same by code
 * unit, which is used then: the first `localeCompare` of a process sets up ICU's collator (~7 ms
 * of a synth's CPU).
 */
export function tenantOrder(
  tenants: readonly { readonly name: string }[],
): (a: { readonly name: string }, b: { readonly name: string }) => number {
  if (tenants.every((t) => /^[a-z0-9-]*$/.test(t.name)))
    return (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return (a, b) => a.name.localeCompare(b.name);
}
