/**
 * The NVIDIA GPU Operator for one cluster: a pinned Helm release pulled from the
 * jurisdiction's chart mirror, every image it pulls rewritten to the jurisdiction's registry,
 * and the sharing configuration (time-slicing, MIG) of the GPU pools registered with it.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { invalidProps, throwIfProblems, type Problem } from '../core/errors';
import { DIGEST_PINNABLE_IMAGES, type DigestPinnableImage } from '../core/gpu-operator-digest-pinnable';
import type { GpuNodePool } from './gpu-node-pool';
import type { PodToleration } from './interfaces';
import { JURISDICTION_LABEL } from '../core/labels';
import { checkDnsSubdomain } from './private/validate';
import type { PrivateCluster } from './private-cluster';
import {
  GPU_OPERATOR_CHART_VERSIONS,
  GPU_OPERATOR_DEFAULT_CHART_VERSION,
  type GpuOperatorChartVersion,
  IMAGE_REPOSITORIES_BY_CHART,
} from '../core/gpu-operator-images';

/**
 * The chart versions this construct emits values for. Every values key below was checked
 * against NVIDIA/gpu-operator `deployments/gpu-operator/values.yaml` of each version (tag
 * v25.10.0 at 6f3d599d, tag v26.7.0 at 10ee5b36), kept as test/fixtures/gpu-operator/
 * values-<version>.yaml; the test checks every key the construct sets against the file of the
 * version it installs. Bumping the chart means adding its values.yaml there: Helm silently
 * ignores a misspelled key.
 */
export { GPU_OPERATOR_CHART_VERSIONS, GPU_OPERATOR_DEFAULT_CHART_VERSION, type GpuOperatorChartVersion };
/** The default chart version (the name the earlier single pin had). */
export const GPU_OPERATOR_CHART_VERSION: GpuOperatorChartVersion = GPU_OPERATOR_DEFAULT_CHART_VERSION;
export const GPU_OPERATOR_CHART_NAME = 'gpu-operator';

/** Public chart locations refused unless `allowPublicChartRepository` is set. */
const PUBLIC_CHART_HOSTS = ['helm.ngc.nvidia.com', 'nvidia.github.io', 'nvcr.io'];
/** Upstream registries: rewriting images "to" them would not rewrite anything. */
const UPSTREAM_REGISTRIES = ['nvcr.io', 'registry.k8s.io', 'docker.io', 'ghcr.io'];

// IMAGE_REPOSITORIES lives in core/gpu-operator-images.ts (no cdktf), so the policy can read it.

/**
 * Values keys that take image pull Secrets as a list of names, one per operand (and the
 * operator with its init container): the chart copies them into the ClusterPolicy, whose
 * `imagePullSecrets` is `[]string` (NVIDIA/gpu-operator api/nvidia/v1/clusterpolicy_types.go).
 * `dcgm`, `dcgmExporter` and `operator.initContainer` have no default in values.yaml but are
 * read by templates/clusterpolicy.yaml (test/fixtures/gpu-operator/template-keys-v25.10.0.txt).
 * The node-feature-discovery subchart takes `{name}` objects instead (set apart below).
 */
const PULL_SECRET_KEYS_V25 = [
  'ccManager',
  'dcgm',
  'dcgmExporter',
  'devicePlugin',
  'driver',
  'gdrcopy',
  'gds',
  'gfd',
  'kataManager',
  'migManager',
  'nodeStatusExporter',
  'operator',
  'operator.initContainer',
  'sandboxDevicePlugin',
  'toolkit',
  'validator',
  'vfioManager',
  'vgpuDeviceManager',
  'vgpuManager',
] as const;
/**
 * v26.7.0: `operator.initContainer` is gone; the Kata sandbox device plugin and the DRA driver
 * (templates/gpucluster.yaml) take `imagePullSecrets` too.
 */
const PULL_SECRET_KEYS: Readonly<Record<GpuOperatorChartVersion, readonly string[]>> = {
  'v25.10.0': PULL_SECRET_KEYS_V25,
  'v26.7.0': [
    ...PULL_SECRET_KEYS_V25.filter((k) => k !== 'operator.initContainer'),
    'draDriver',
    'kataSandboxDevicePlugin',
  ].sort(),
};

export { DIGEST_PINNABLE_IMAGES, type DigestPinnableImage };

export interface GpuOperatorDriverProps {
  /** `operator`: the operator installs the driver from its container; `preinstalled`: the nodes already have it. */
  readonly mode: 'operator' | 'preinstalled';
  /** Driver branch/version (`580.95.05`) under `operator`. @default the chart's (580.95.05 in v25.10.0, 595.91.07 in v26.7.0) */
  readonly version?: string;
}

export interface GpuOperatorProps {
  /** The cluster: namespace, jurisdiction and providers. */
  readonly cluster: PrivateCluster;
  /**
   * The chart version installed (and whose values and images the construct emits).
   * @default the newest supported (GPU_OPERATOR_DEFAULT_CHART_VERSION)
   */
  readonly chartVersion?: GpuOperatorChartVersion;
  /**
   * The jurisdiction's chart mirror holding the `gpu-operator` chart version: an `https://` Helm
   * repository or an `oci://` registry path (`oci://registry.de.example/charts/nvidia`).
   */
  readonly chartRepository: string;
  /**
   * Allow NVIDIA's public chart repositories (helm.ngc.nvidia.com, nvidia.github.io, nvcr.io).
   * Loosens sovereignty: policy reports it. @default false
   */
  readonly allowPublicChartRepository?: boolean;
  /** If given, `chartRepository` must be one of these (the jurisdiction's allowed list). @default any non-public */
  readonly allowedChartRepositories?: readonly string[];
  /**
   * Registry (and path) that mirrors NVIDIA's images, keeping upstream paths below the host:
   * `registry.de.example/mirror` serves `registry.de.example/mirror/nvidia/k8s/container-toolkit`.
   */
  readonly imageRegistry: string;
  /** If given, the host of `imageRegistry` must be one of these. @default any non-upstream host */
  readonly allowedRegistries?: readonly string[];
  /**
   * Image pull Secrets (names, type kubernetes.io/dockerconfigjson) in the operator's namespace
   * for a registry that requires credentials: given to the operator, every operand and Node
   * Feature Discovery. @default none (the nodes pull with their own)
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Digests (`sha256:<64 hex>`) of mirrored operand images, by values key; set as the image's
   * `version`, so the operator pulls `<repo>/<image>@sha256:…`. @default tags of the chart
   */
  readonly imageDigests?: Readonly<Partial<Record<DigestPinnableImage, string>>>;
  /** @default { mode: 'operator' } */
  readonly driver?: GpuOperatorDriverProps;
  /** Container toolkit managed by the operator or preinstalled on the nodes. @default 'operator' */
  readonly containerToolkit?: 'operator' | 'preinstalled';
  /** Deploy Node Feature Discovery with the chart, or rely on one the cluster runs. @default 'operator' */
  readonly nodeFeatureDiscovery?: 'operator' | 'existing';
  /** DCGM exporter (GPU metrics on :9400). @default true */
  readonly dcgmExporter?: boolean;
  /** A Prometheus Operator ServiceMonitor for the DCGM exporter. @default false */
  readonly dcgmServiceMonitor?: boolean;
  /** Helm timeout in seconds; the chart waits for the operator and NFD. @default 900 */
  readonly timeoutSeconds?: number;
  /** Pools to register now; more with `addPool`. @default [] */
  readonly pools?: readonly GpuNodePool[];
}

/** Name of the device plugin ConfigMap the chart creates from the pools' configs. */
export const DEVICE_PLUGIN_CONFIG_MAP = 'sovereign-device-plugin-config';
/** Name of the mig-parted ConfigMap the chart creates from the MIG pools' configs. */
export const MIG_CONFIG_MAP = 'sovereign-mig-parted-config';
const CONTROL_PLANE_TOLERATION: PodToleration = {
  key: 'node-role.kubernetes.io/control-plane',
  operator: 'Equal',
  value: '',
  effect: 'NoSchedule',
};

/**
 * The NVIDIA GPU Operator Helm release (chart v25.10.0 or v26.7.0, the newest by default), one per cluster.
 *
 * Register every GpuNodePool with `addPool`: the operator then receives the device plugin
 * config (time-slicing, MIG strategy) and the mig-parted config the pools' node labels
 * point at, and each pool's `dependables` include this release.
 */
export class GpuOperator extends Construct {
  public readonly jurisdiction: string;
  public readonly namespace: string;
  public readonly releaseName = 'gpu-operator';
  public readonly chartName = GPU_OPERATOR_CHART_NAME;
  public readonly chartVersion: GpuOperatorChartVersion;
  public readonly chartRepository: string;
  public readonly imageRegistry: string;
  /** Each image repository rewritten: values key, upstream repository, mirror repository. */
  public readonly imageMirrors: readonly { valuesKey: string; upstream: string; mirror: string }[];
  public readonly driverMode: 'operator' | 'preinstalled';
  public readonly containerToolkit: 'operator' | 'preinstalled';
  public readonly nodeFeatureDiscovery: 'operator' | 'existing';
  public readonly dcgmExporter: boolean;
  public readonly timeoutSeconds: number;
  public readonly release: Release;
  private readonly props: GpuOperatorProps;
  private readonly _pools: GpuNodePool[] = [];

  constructor(scope: Construct, id: string, props: GpuOperatorProps) {
    super(scope, id);
    this.props = props;
    this.jurisdiction = props.cluster.jurisdiction;
    if (props.cluster.gpuOperatorNamespace === undefined) {
      throw invalidProps(`GpuOperator ${id}`, [
        {
          path: 'cluster',
          message:
            'the cluster was created without a GPU operator namespace (namespaces.gpuOperator: false); give it one to run the operator',
        },
      ]);
    }
    this.namespace = props.cluster.gpuOperatorNamespace;
    this.chartVersion = props.chartVersion ?? GPU_OPERATOR_DEFAULT_CHART_VERSION;
    this.chartRepository = props.chartRepository.replace(/\/+$/, '');
    this.imageRegistry = props.imageRegistry.replace(/\/+$/, '');
    this.driverMode = props.driver?.mode ?? 'operator';
    this.containerToolkit = props.containerToolkit ?? 'operator';
    this.nodeFeatureDiscovery = props.nodeFeatureDiscovery ?? 'operator';
    this.dcgmExporter = props.dcgmExporter ?? true;
    this.timeoutSeconds = props.timeoutSeconds ?? 900;
    throwIfProblems(`GpuOperator ${id}`, this.validate(props));

    const repositories = IMAGE_REPOSITORIES_BY_CHART[this.chartVersion];
    this.imageMirrors = Object.keys(repositories)
      .sort()
      .map((valuesKey) => {
        const upstream = repositories[valuesKey];
        return { valuesKey, upstream, mirror: `${this.imageRegistry}/${upstream.replace(/^[^/]+\//, '')}` };
      });

    this.release = new Release(this, 'release', {
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: false,
      repository: this.chartRepository,
      chart: this.chartName,
      version: this.chartVersion,
      // Values as one JSON document (valid YAML), keys sorted, built at synth time so pools
      // registered after construction are included.
      values: [Lazy.stringValue({ produce: () => JSON.stringify(sortDeep(this.values())) })],
      wait: true,
      waitForJobs: true,
      timeout: this.timeoutSeconds,
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      dependsOn: [props.cluster.namespaceResources[this.namespace]],
    });
    for (const pool of props.pools ?? []) this.addPool(pool);
  }

  /** Pools registered so far, in registration order. */
  public get pools(): readonly GpuNodePool[] {
    return [...this._pools];
  }

  /** The cluster-wide MIG strategy: that of the MIG pools, `single` when there is none. */
  public get migStrategy(): 'single' | 'mixed' {
    for (const p of this._pools) if (p.sharing.mode === 'mig') return p.sharing.strategy;
    return 'single';
  }

  /**
   * Registers a pool: its device plugin and MIG configs go into the chart values and its
   * workloads wait for this release. Refuses a pool of another jurisdiction, a second pool of
   * the same name, and MIG pools with different strategies (the strategy is cluster-wide).
   */
  public addPool(pool: GpuNodePool): void {
    const ps: Problem[] = [];
    if (pool.jurisdiction !== this.jurisdiction) {
      ps.push({
        path: `pools.${pool.poolName}`,
        message: `belongs to jurisdiction "${pool.jurisdiction}", this operator's cluster to "${this.jurisdiction}"`,
      });
    }
    if (this._pools.some((p) => p.poolName === pool.poolName)) {
      ps.push({
        path: `pools.${pool.poolName}`,
        message: `a pool named "${pool.poolName}" is already registered`,
      });
    }
    const mig = this._pools.find((p) => p.sharing.mode === 'mig');
    if (
      pool.sharing.mode === 'mig' &&
      mig &&
      mig.sharing.mode === 'mig' &&
      mig.sharing.strategy !== pool.sharing.strategy
    ) {
      ps.push({
        path: `pools.${pool.poolName}.sharing.strategy`,
        message: `"${pool.sharing.strategy}" differs from pool "${mig.poolName}" ("${mig.sharing.strategy}"): the GPU Operator's mig.strategy is cluster-wide; use one strategy for every MIG pool`,
      });
    }
    if (ps.length > 0) throw invalidProps(`GpuOperator ${this.node.id}`, ps);
    this._pools.push(pool);
    pool.addDependable(this.release);
  }

  /** The chart values this release is installed with (unsorted; the release sorts them). */
  public values(): Record<string, unknown> {
    const props = this.props;
    const values: Record<string, unknown> = {};
    const set = (path: string, value: unknown): void => {
      const parts = path.split('.');
      // `node-feature-discovery` is one key; it contains no dot.
      let o = values;
      for (const part of parts.slice(0, -1)) {
        o[part] = (o[part] as Record<string, unknown> | undefined) ?? {};
        o = o[part] as Record<string, unknown>;
      }
      o[parts[parts.length - 1]] = value;
    };

    for (const m of this.imageMirrors) set(`${m.valuesKey}.repository`, m.mirror);
    const pullSecrets = props.imagePullSecrets ?? [];
    if (pullSecrets.length > 0) {
      for (const key of PULL_SECRET_KEYS[this.chartVersion]) set(`${key}.imagePullSecrets`, [...pullSecrets]);
      if (this.nodeFeatureDiscovery === 'operator')
        set(
          'node-feature-discovery.imagePullSecrets',
          pullSecrets.map((name) => ({ name })),
        );
    }
    for (const [key, digest] of Object.entries(props.imageDigests ?? {})) set(`${key}.version`, digest);

    // Driver: operator-managed (a driver container per node) or preinstalled on the hosts.
    set('driver.enabled', this.driverMode === 'operator');
    if (this.driverMode === 'operator' && props.driver?.version && !props.imageDigests?.driver) {
      set('driver.version', props.driver.version);
    }
    set('toolkit.enabled', this.containerToolkit === 'operator');
    set('nfd.enabled', this.nodeFeatureDiscovery === 'operator');
    set('dcgmExporter.enabled', this.dcgmExporter);
    set('dcgmExporter.serviceMonitor.enabled', props.dcgmServiceMonitor ?? false);
    // Sandbox (VM passthrough / vGPU / Kata / confidential computing) operands stay off.
    set('sandboxWorkloads.enabled', false);
    set('kataManager.enabled', false);
    set('ccManager.enabled', false);

    // Operand pods carry the jurisdiction; they tolerate the pools' taints.
    set('daemonsets.labels', {
      'app.kubernetes.io/part-of': 'sovereign-stack',
      [JURISDICTION_LABEL]: this.jurisdiction,
    });
    const tolerations = uniqueTolerations(
      this._pools.flatMap((p) => p.tolerations),
      [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    );
    set('daemonsets.tolerations', tolerations);
    if (this.nodeFeatureDiscovery === 'operator') {
      set('node-feature-discovery.worker.tolerations', [CONTROL_PLANE_TOLERATION, ...tolerations]);
    }

    // MIG strategy (cluster-wide): https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html
    const strategy = this.migStrategy;
    const hasMig = this._pools.some((p) => p.sharing.mode === 'mig');
    set('mig.strategy', strategy);

    // Device plugin config: one ConfigMap, one entry per sharing pool; each node picks its
    // entry with the label nvidia.com/device-plugin.config, other nodes use `default`.
    // https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-sharing.html
    const pluginConfigs = this._pools.flatMap((p) => (p.devicePluginConfig ? [p.devicePluginConfig] : []));
    if (pluginConfigs.length > 0) {
      const data: Record<string, string> = {
        default: stringify(
          { version: 'v1', flags: { migStrategy: hasMig ? strategy : 'none' } },
          { sortMapEntries: true },
        ),
      };
      for (const c of pluginConfigs) data[c.name] = c.yaml;
      set('devicePlugin.config', { create: true, name: DEVICE_PLUGIN_CONFIG_MAP, default: 'default', data });
    }

    // mig-parted config: `all-disabled` (the chart's default config name) plus one per MIG pool;
    // the MIG manager applies the entry named by each node's nvidia.com/mig.config label.
    // https://github.com/NVIDIA/mig-parted#configuration-file-format
    const migConfigs = this._pools.flatMap((p) => (p.migConfig ? [p.migConfig] : []));
    if (migConfigs.length > 0) {
      const migParted: Record<string, unknown> = {
        'all-disabled': [{ devices: 'all', 'mig-enabled': false }],
      };
      for (const c of migConfigs) migParted[c.name] = c.devices;
      set('migManager.enabled', true);
      set('migManager.config', {
        create: true,
        name: MIG_CONFIG_MAP,
        default: 'all-disabled',
        data: {
          'config.yaml': stringify({ version: 'v1', 'mig-configs': migParted }, { sortMapEntries: true }),
        },
      });
    }
    return values;
  }

  private validate(p: GpuOperatorProps): Problem[] {
    const out: Problem[] = [];
    if (!(GPU_OPERATOR_CHART_VERSIONS as readonly string[]).includes(this.chartVersion)) {
      out.push({
        path: 'chartVersion',
        message: `"${String(p.chartVersion)}" is not a gpu-operator chart version this toolkit supports (supported: ${GPU_OPERATOR_CHART_VERSIONS.join(', ')})`,
      });
      return out;
    }
    for (const [i, secret] of (p.imagePullSecrets ?? []).entries()) {
      const bad = checkDnsSubdomain(`imagePullSecrets[${i}]`, secret);
      if (bad) out.push(bad);
    }
    const repo = this.chartRepository;
    const m = /^(https|oci):\/\/([^/:]+)(:[0-9]+)?(\/.*)?$/.exec(repo);
    if (!m) {
      out.push({
        path: 'chartRepository',
        message: `"${p.chartRepository}" is not allowed: use the jurisdiction's chart mirror as https://… or oci://…`,
      });
    } else if (PUBLIC_CHART_HOSTS.includes(m[2]) && !p.allowPublicChartRepository) {
      out.push({
        path: 'chartRepository',
        message: `"${p.chartRepository}" is NVIDIA's public repository, outside the jurisdiction: mirror the chart and use the mirror (or set allowPublicChartRepository)`,
      });
    }
    if (p.allowedChartRepositories && p.allowedChartRepositories.length > 0) {
      const allowed = p.allowedChartRepositories.map((r) => r.replace(/\/+$/, ''));
      if (!allowed.includes(repo)) {
        out.push({
          path: 'chartRepository',
          message: `"${p.chartRepository}" is not an allowed chart repository; allowed: ${allowed.join(', ')}`,
        });
      }
    }
    const reg = /^([a-z0-9.-]+)(:[0-9]+)?(\/[a-z0-9._-]+)*$/.exec(this.imageRegistry);
    const host = reg?.[1];
    if (!reg || !host || !(host.includes('.') || reg[2] !== undefined || host === 'localhost')) {
      out.push({
        path: 'imageRegistry',
        message: `"${p.imageRegistry}" is not a registry: use <host>[:port][/path] with an explicit host (registry.de.example/mirror), no scheme`,
      });
    } else if (UPSTREAM_REGISTRIES.includes(host)) {
      out.push({
        path: 'imageRegistry',
        message: `"${host}" is a public upstream registry: point imageRegistry at the jurisdiction's mirror`,
      });
    } else if (p.allowedRegistries && p.allowedRegistries.length > 0) {
      const hostPort = host + (reg[2] ?? '');
      if (!p.allowedRegistries.includes(hostPort)) {
        out.push({
          path: 'imageRegistry',
          message: `registry "${hostPort}" is not allowed; allowed: ${p.allowedRegistries.join(', ')}`,
        });
      }
    }
    for (const [key, digest] of Object.entries(p.imageDigests ?? {}).sort()) {
      const pinnable = DIGEST_PINNABLE_IMAGES.filter(
        (k) => k in IMAGE_REPOSITORIES_BY_CHART[this.chartVersion],
      );
      if (!(pinnable as readonly string[]).includes(key)) {
        out.push({
          path: `imageDigests.${key}`,
          message: (DIGEST_PINNABLE_IMAGES as readonly string[]).includes(key)
            ? `chart ${this.chartVersion} has no ${key} image (removed in v26): drop it, or pin chartVersion v25.10.0`
            : `not a digest-pinnable image: use one of ${pinnable.join(', ')}`,
        });
      } else if (!/^sha256:[a-f0-9]{64}$/.test(String(digest))) {
        out.push({
          path: `imageDigests.${key}`,
          message: `"${String(digest)}" is not a digest: use sha256:<64 hex digits>`,
        });
      }
    }
    if (p.driver?.version !== undefined) {
      if (this.driverMode !== 'operator') {
        out.push({
          path: 'driver.version',
          message: 'a preinstalled driver has no version to set here: drop it or use mode operator',
        });
      } else if (!/^[0-9]{3}(\.[0-9]{1,3}){1,2}$/.test(p.driver.version)) {
        out.push({
          path: 'driver.version',
          message: `"${p.driver.version}" is not a driver version: use <branch>.<minor>[.<patch>], e.g. 580.95.05`,
        });
      }
    }
    if (!Number.isInteger(this.timeoutSeconds) || this.timeoutSeconds < 120 || this.timeoutSeconds > 3600) {
      out.push({
        path: 'timeoutSeconds',
        message: `${this.timeoutSeconds} is not allowed: use a whole number of seconds from 120 to 3600`,
      });
    }
    if (!p.cluster.namespaceResources[this.namespace]) {
      out.push({ path: 'cluster', message: `the cluster has no namespace "${this.namespace}"` });
    }
    return out;
  }
}

function uniqueTolerations(
  list: readonly PodToleration[],
  fallback: readonly PodToleration[],
): PodToleration[] {
  const src = list.length > 0 ? list : fallback;
  const byKey = new Map<string, PodToleration>();
  for (const t of src) byKey.set(JSON.stringify(sortDeep(t)), t);
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as PodToleration);
}

/** Object keys sorted at every depth; arrays keep their order. */
export function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      out[k] = sortDeep((v as Record<string, unknown>)[k]);
    }
    return out;
  }
  return v;
}
