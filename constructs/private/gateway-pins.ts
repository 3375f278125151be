/**
 * Upstream releases the inference gateway emits configuration for, with the commit each tag
 * points to (checked 2026-12-07 in the upstream repositories). Import-free: the spec schema and
 * `sovereign validate` read it without cdktf.
 */

/**
 * agentgateway (github.com/agentgateway/agentgateway), tag v1.4.1, commit
 * 163ea2146acb7b82082acea30ed691b29079095f: the Gateway API implementation. Charts
 * `controller/install/helm/agentgateway` and `controller/install/helm/agentgateway-crds`
 * (published with the release version as chart version); CRDs
 * `controller/install/helm/agentgateway-crds/templates/agentgateway.dev_*.yaml`.
 */
export const AGENTGATEWAY_RELEASE = 'v1.4.1';
export const AGENTGATEWAY_CHART = 'agentgateway';
export const AGENTGATEWAY_CRDS_CHART = 'agentgateway-crds';
/** The GatewayClass the agentgateway controller creates and serves (values.yaml `gatewayClassName` default). */
export const AGENTGATEWAY_CLASS = 'agentgateway';
/** controller/install/helm/agentgateway/values.yaml v1.4.1: `controller.service.ports`. */
export const AGENTGATEWAY_CONTROLLER_PORTS = { xds: 9978, health: 9093, metrics: 9092 } as const;
/**
 * Proxy ports the controller reserves (controller/pkg/deployer/values_helpers.go v1.4.1:
 * 15020 metrics, 15021 readiness); listener ports map 1:1 to pod ports (TargetPort == Port).
 */
export const AGENTGATEWAY_PROXY_METRICS_PORT = 15020;
export const AGENTGATEWAY_PROXY_READINESS_PORT = 15021;

/**
 * Endpoint picker: llm-d/llm-d-router, tag v0.10.0, commit
 * 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26 (the EPP left
 * kubernetes-sigs/gateway-api-inference-extension for this repository, see that project's
 * README at v1.6.0). Image `ghcr.io/llm-d/llm-d-router-endpoint-picker` (Makefile
 * EPP_IMAGE_NAME); flags from pkg/epp/server/options.go; ports from
 * config/charts/routerlib/templates/_deployment.yaml.
 */
export const EPP_RELEASE = 'v0.10.0';
export const EPP_PORTS = { extProc: 9002, health: 9003, metrics: 9090 } as const;

/**
 * InferencePool: kubernetes-sigs/gateway-api-inference-extension, tag v1.6.0, commit
 * 992e5c292afb248801ce8d9234eb5b9d28eea231,
 * config/crd/bases/inference.networking.k8s.io_inferencepools.yaml (v1, served and stored).
 */
export const INFERENCE_EXTENSION_RELEASE = 'v1.6.0';
export const INFERENCE_POOL_API_VERSION = 'inference.networking.k8s.io/v1';

/**
 * Gateway, HTTPRoute: kubernetes-sigs/gateway-api, tag v1.6.1, commit
 * 8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3, config/crd/standard/ (the version agentgateway
 * v1.4.1 builds against, controller/go.mod).
 */
export const GATEWAY_API_RELEASE = 'v1.6.1';
export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';
export const AGENTGATEWAY_API_VERSION = 'agentgateway.dev/v1alpha1';

/** The header the gateway copies the request body's `model` into before routing. */
export const MODEL_HEADER = 'x-gateway-model-name';
/** OpenAI-compatible paths routed by model; `/v1/models` is answered by the gateway itself. */
export const OPENAI_MODEL_PATHS = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings'] as const;
export const OPENAI_MODELS_PATH = '/v1/models';
