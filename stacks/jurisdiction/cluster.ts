/** The private cluster with its network policy, and the add-ons it runs: GPU Operator, LeaderWorkerSet. */
import { GpuOperator } from '../../constructs/gpu-operator';
import type { GpuNodePool } from '../../constructs/gpu-node-pool';
import { LeaderWorkerSetController } from '../../constructs/leader-worker-set';
import { PrivateCluster, type ClusterConnection } from '../../constructs/private-cluster';
import { fromStackDir } from '../backend';
import type { Profile } from '../profiles';
import type { vllmLayouts } from '../spec/plan';
import type { JurisdictionSpec, ModelSpec } from '../spec/schema';
import { portOf, SERVING_PORT, type BuildContext } from './common';

export function buildCluster(
  ctx: BuildContext,
  models: readonly [string, ModelSpec][],
  pools: Record<string, GpuNodePool>,
  profile: Profile,
  projectFromStack: string | undefined,
): PrivateCluster {
  const { stack, name, spec, at, namespace } = ctx;
  const sov = spec.sovereignty;
  const sourcePorts = [
    ...new Set(
      models.flatMap(([, m]) => {
        const s = m.weights.source;
        return s.type === 's3' ? [portOf(s.endpoint)] : s.type === 'https' ? [portOf(s.url)] : [];
      }),
    ),
  ].sort((a, b) => a - b);

  return at(
    ['cluster'],
    () =>
      new PrivateCluster(stack, 'cluster', {
        jurisdiction: name,
        connection: connectionOf(spec.cluster, projectFromStack ?? '../../..'),
        namespaces: {
          serving: namespace,
          weights: namespace,
          // A cluster without GPU pools (a CPU-only edge site) gets no privileged namespace.
          gpuOperator: Object.keys(pools).length > 0 ? spec.namespaces.gpuOperator : false,
        },
        podSecurityVersion: profile.podSecurityVersion,
        gpuPools: Object.values(pools),
        network: {
          servingPorts: [SERVING_PORT],
          // With a gateway, clients reach the gateway only (its own policies), never a server.
          clientNamespaces: spec.gateway ? [] : spec.clients.namespaces,
          clientCidrs: spec.gateway ? [] : spec.clients.cidrs,
          // NetworkPolicies take addresses, not names: weight sync may reach the jurisdiction's
          // declared ranges on the ports its sources use, nothing else.
          weightSources: sov.cidrs.flatMap((cidr) => sourcePorts.map((port) => ({ cidr, port }))),
          clusterDns: spec.cluster.dns,
        },
      }),
  );
}

export function buildGpuOperator(
  ctx: BuildContext,
  cluster: PrivateCluster,
  pools: Record<string, GpuNodePool>,
): GpuOperator | undefined {
  const { stack, spec, at } = ctx;
  const sov = spec.sovereignty;
  if (Object.keys(pools).length > 0) {
    const op = spec.gpuOperator;
    return at(
      ['gpuOperator'],
      () =>
        new GpuOperator(stack, 'gpu-operator', {
          cluster: cluster,
          chartVersion: op.chartVersion,
          chartRepository: sov.chartRepository,
          allowPublicChartRepository: sov.allowPublicChartRepository,
          allowedChartRepositories: [sov.chartRepository],
          imageRegistry: spec.images.gpuOperatorRepository ?? sov.registries[0],
          allowedRegistries: sov.registries,
          imagePullSecrets: spec.images.pullSecrets,
          imageDigests: op.imageDigests,
          driver: { mode: op.driver, version: op.driverVersion },
          containerToolkit: op.containerToolkit,
          nodeFeatureDiscovery: op.nodeFeatureDiscovery,
          dcgmExporter: op.dcgmExporter,
          timeoutSeconds: op.timeoutSeconds,
          pools: Object.values(pools),
        }),
    );
  }
  return undefined;
}

export function buildLeaderWorkerSet(
  ctx: BuildContext,
  cluster: PrivateCluster,
  layouts: ReturnType<typeof vllmLayouts>,
): LeaderWorkerSetController | undefined {
  const { stack, name, spec, at } = ctx;
  const sov = spec.sovereignty;
  const spread = [...layouts.values()].some((l) => l.nodes > 1);
  if (spread && spec.leaderWorkerSet !== undefined) {
    const l = spec.leaderWorkerSet;
    // The spec's checks guarantee an API server (here, under gateway or under autoscaler).
    const apiServer = (l.apiServer ?? spec.gateway?.apiServer ?? spec.autoscaler?.apiServer) as {
      cidrs: string[];
      port: number;
    };
    return at(
      ['leaderWorkerSet'],
      () =>
        new LeaderWorkerSetController(stack, 'leader-worker-set', {
          cluster: cluster,
          jurisdiction: name,
          namespace: l.namespace,
          chartRepository: sov.chartRepository,
          image: l.image,
          allowedRegistries: sov.registries,
          imagePullSecrets: spec.images.pullSecrets,
          apiServer,
        }),
    );
  }
  return undefined;
}

/** Files are named relative to the project; Terraform reads them from the stack directory. */
function connectionOf(c: JurisdictionSpec['cluster'], projectFromStack: string): ClusterConnection {
  if (c.kubeconfig) {
    return {
      kind: 'kubeconfig',
      configPath: fromStackDir(projectFromStack, c.kubeconfig.path),
      context: c.kubeconfig.context,
    };
  }
  const api = c.api!;
  return {
    kind: 'api-server',
    host: api.host,
    clusterCaCertificateFile: api.caCertificateFile && fromStackDir(projectFromStack, api.caCertificateFile),
    exec: api.exec && { apiVersion: api.exec.apiVersion, command: api.exec.command, args: api.exec.args },
  };
}
