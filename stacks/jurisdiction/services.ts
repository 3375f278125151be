/** Services over the models: the engine autoscaler, the inference gateway, monitoring. */
import { TerraformOutput, type ITerraformDependable } from 'cdktf';
import { EngineScaler, Keda } from '../../constructs/engine-autoscaler';
import type { GpuOperator } from '../../constructs/gpu-operator';
import { InferenceGateway } from '../../constructs/inference-gateway';
import type { LlamaCppServer } from '../../constructs/llama-cpp-server';
import { Monitoring } from '../../constructs/monitoring';
import { MultiNodeVllmServer, ROLE_LABEL } from '../../constructs/multi-node-vllm-server';
import type { PrivateCluster } from '../../constructs/private-cluster';
import type { VllmServer } from '../../constructs/vllm-server';
import { selectorLabels } from '../../core/labels';
import type { ModelSpec } from '../spec/schema';
import { portOf, SERVING_PORT, type BuildContext } from './common';

type Servers = Record<string, VllmServer | LlamaCppServer | MultiNodeVllmServer>;

export function buildAutoscaler(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  servers: Servers,
  cluster: PrivateCluster,
): void {
  const { stack, name, spec, at, namespace } = ctx;
  const sov = spec.sovereignty;
  if (spec.autoscaler !== undefined) {
    const a = spec.autoscaler;
    // The spec's semantic checks guarantee an API server (here or under gateway).
    const apiServer = (a.apiServer ?? spec.gateway?.apiServer) as { cidrs: string[]; port: number };
    const keda = at(
      ['autoscaler'],
      () =>
        new Keda(stack, 'autoscaler', {
          cluster: cluster,
          jurisdiction: name,
          namespace: a.namespace,
          chartRepository: sov.chartRepository,
          images: a.images,
          allowedRegistries: sov.registries,
          imagePullSecrets: spec.images.pullSecrets,
          apiServer,
          prometheus: { namespace: a.prometheus.namespace, port: portOf(a.prometheus.url) },
        }),
    );
    for (const [modelName, m] of models) {
      if (!m.autoscaling) continue;
      const scaling = m.autoscaling;
      at(
        ['models', modelName, 'autoscaling'],
        () =>
          new EngineScaler(stack, `scaler-${modelName}`, {
            jurisdiction: name,
            namespace,
            deployment: modelName,
            servedModelName: servers[modelName].servedModelName,
            engine: m.engine,
            minReplicas: scaling.minReplicas,
            maxReplicas: scaling.maxReplicas,
            waitingPerReplica: scaling.waitingPerReplica,
            kvCacheUsage: scaling.kvCacheUsage,
            prometheusUrl: a.prometheus.url,
            dependsOn: [keda.release, (servers[modelName] as VllmServer | LlamaCppServer).deployment],
          }),
      );
    }
  }
}

export function buildGateway(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  servers: Servers,
  cluster: PrivateCluster,
  namespaceReady: readonly ITerraformDependable[],
): InferenceGateway | undefined {
  const { stack, name, spec, at, namespace } = ctx;
  const sov = spec.sovereignty;
  if (spec.gateway !== undefined) {
    const g = spec.gateway;
    const gateway = at(
      ['gateway'],
      () =>
        new InferenceGateway(stack, 'gateway', {
          cluster: cluster,
          jurisdiction: name,
          namespace,
          controllerNamespace: g.controllerNamespace,
          chartRepository: sov.chartRepository,
          allowedChartRepositories: [sov.chartRepository],
          host: g.host,
          allowedHosts: sov.hosts,
          port: g.port,
          tlsSecretName: g.tlsSecret,
          images: g.images,
          allowedRegistries: sov.registries,
          imagePullSecrets: spec.images.pullSecrets,
          models: models.map(([modelName, m]) => ({
            name: servers[modelName].servedModelName,
            engine: m.engine,
            port: servers[modelName].port,
            selector: {
              ...selectorLabels({
                name: m.engine,
                instance: modelName,
                component: 'server',
                jurisdiction: name,
              }),
              // Across nodes only the group's leader serves the API.
              ...(servers[modelName] instanceof MultiNodeVllmServer ? { [ROLE_LABEL]: 'leader' } : {}),
            },
            apiKeySecret: m.apiKeySecret,
          })),
          tenants: Object.entries(g.tenants).map(([tenant, t]) => ({ name: tenant, ...t })),
          clientNamespaces: spec.clients.namespaces,
          clientCidrs: spec.clients.cidrs,
          apiServer: g.apiServer,
          monitoringNamespace: g.monitoringNamespace,
          dependsOn: namespaceReady,
        }),
    );
    new TerraformOutput(stack, 'gateway_endpoint', {
      value: gateway.endpointUrl,
      description: `OpenAI-compatible endpoint of ${name} (append /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models)`,
    });
    return gateway;
  }
  return undefined;
}

export function buildMonitoring(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  cluster: PrivateCluster,
  operator: GpuOperator | undefined,
  namespaceReady: readonly ITerraformDependable[],
): void {
  const { stack, name, spec, at, namespace } = ctx;
  if (spec.monitoring !== undefined) {
    const mon = spec.monitoring;
    at(
      ['monitoring'],
      () =>
        new Monitoring(stack, 'monitoring', {
          jurisdiction: name,
          servingNamespace: namespace,
          monitoringNamespace: mon.namespace,
          selectorLabels: mon.selectorLabels,
          servingPort: SERVING_PORT,
          engines: [...new Set(models.map(([, m]) => m.engine))].sort(),
          gateway: spec.gateway !== undefined,
          dcgmNamespace:
            operator !== undefined && spec.gpuOperator.dcgmExporter
              ? cluster.gpuOperatorNamespace
              : undefined,
          dependsOn: namespaceReady,
        }),
    );
  }
}
