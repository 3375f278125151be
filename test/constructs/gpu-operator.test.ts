import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { parse } from 'yaml';
import { GpuNodePool, type GpuNodePoolProps } from '../../constructs/gpu-node-pool';
import {
  GPU_OPERATOR_CHART_VERSION,
  GpuOperator,
  type GpuOperatorProps,
} from '../../constructs/gpu-operator';
import { PrivateCluster } from '../../constructs/private-cluster';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/gpu-operator/values-keys-v25.10.0.txt');
/** Keys the chart's templates read without a values.yaml default (pull secrets). */
const TEMPLATE_FIXTURE = path.resolve(
  __dirname,
  '../../../test/fixtures/gpu-operator/template-keys-v25.10.0.txt',
);

const POOLS: Record<string, Omit<GpuNodePoolProps, 'jurisdiction'>> = {
  h100: {
    poolName: 'h100',
    nodes: ['h1'],
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    gpusPerNode: 8,
  },
  l40s: {
    poolName: 'l40s',
    nodes: ['l1', 'l2'],
    gpuProduct: 'NVIDIA-L40S',
    gpusPerNode: 4,
    sharing: { mode: 'time-slicing', replicasPerGpu: 4 },
  },
  a100: {
    poolName: 'a100',
    nodes: ['a1'],
    gpuProduct: 'NVIDIA-A100-SXM4-80GB',
    gpusPerNode: 4,
    sharing: { mode: 'mig', strategy: 'mixed', profile: '3g.40gb' },
  },
};

interface Built {
  operator: GpuOperator;
  pools: GpuNodePool[];
  out: Json;
  release: Json;
  values: Json;
}

function build(
  props: Partial<GpuOperatorProps> = {},
  poolNames: string[] = [],
  after?: (o: GpuOperator, s: Construct) => void,
): Built {
  let operator: GpuOperator | undefined;
  const pools: GpuNodePool[] = [];
  const out = JSON.parse(
    Testing.synthScope((scope) => {
      const cluster = new PrivateCluster(scope, 'cluster', {
        jurisdiction: 'de',
        connection: { kind: 'kubeconfig', configPath: 'kubeconfig.yaml', context: 'de' },
      });
      for (const n of poolNames)
        pools.push(new GpuNodePool(scope, `pool-${n}`, { jurisdiction: 'de', ...POOLS[n] }));
      operator = new GpuOperator(scope, 'gpu-operator', {
        cluster,
        chartRepository: 'https://charts.de.example/nvidia',
        imageRegistry: 'registry.de.example/mirror',
        pools,
        ...props,
      });
      after?.(operator, scope);
    }),
  );
  const release = Object.values<Json>(out.resource.helm_release)[0];
  return { operator: operator as GpuOperator, pools, out, release, values: JSON.parse(release.values[0]) };
}

function thrown(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Dotted key paths of a values document; stops below free-form maps (`a.b.*` in the fixture). */
function keyPaths(v: Json, openMaps: Set<string>, prefix = ''): string[] {
  return Object.keys(v).flatMap((k) => {
    const p = prefix ? `${prefix}.${k}` : k;
    const x = v[k];
    if (openMaps.has(p)) return [p];
    return x !== null && typeof x === 'object' && !Array.isArray(x) ? [p, ...keyPaths(x, openMaps, p)] : [p];
  });
}

describe('GpuOperator release', () => {
  test('pinned chart from the mirror, waits with a realistic timeout, in the privileged namespace', () => {
    const { release, operator } = build();
    expect({ ...release, values: undefined }).toEqual({
      atomic: true,
      chart: 'gpu-operator',
      cleanup_on_fail: true,
      create_namespace: false,
      depends_on: ['kubernetes_namespace_v1.cluster_namespace-gpu-operator_F0FA7DCB'],
      max_history: 10,
      name: 'gpu-operator',
      namespace: 'gpu-operator',
      repository: 'https://charts.de.example/nvidia',
      timeout: 900,
      values: undefined,
      version: 'v26.7.0',
      wait: true,
      wait_for_jobs: true,
    });
    expect(operator.chartVersion).toBe(GPU_OPERATOR_CHART_VERSION);
  });

  test('an oci:// mirror is accepted', () => {
    expect(build({ chartRepository: 'oci://registry.de.example/charts/' }).release.repository).toBe(
      'oci://registry.de.example/charts',
    );
  });

  test("every image repository points at the jurisdiction's registry", () => {
    const { values, operator } = build({}, ['h100', 'l40s', 'a100']);
    const repos: string[] = [];
    (function walk(o: Json, p: string) {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'repository') repos.push(`${p}=${v as string}`);
        else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, p ? `${p}.${k}` : k);
      }
    })(values, '');
    expect(repos).toHaveLength(24); // v26.7.0: no operator.initContainer; kataSandboxDevicePlugin and draDriver added;
    for (const r of repos)
      expect(r).toMatch(
        /=registry\.de\.example\/mirror\/(nvidia|nvidia\/k8s|nvidia\/cloud-native|nfd\/node-feature-discovery)$/,
      );
    expect(values.toolkit.repository).toBe('registry.de.example/mirror/nvidia/k8s');
    expect(values['node-feature-discovery'].image.repository).toBe(
      'registry.de.example/mirror/nfd/node-feature-discovery',
    );
    expect(operator.imageMirrors.find((m) => m.valuesKey === 'driver.manager')).toEqual({
      valuesKey: 'driver.manager',
      upstream: 'nvcr.io/nvidia/cloud-native',
      mirror: 'registry.de.example/mirror/nvidia/cloud-native',
    });
    expect(JSON.stringify(values)).not.toMatch(/nvcr\.io|registry\.k8s\.io/);
  });

  test('operand digests become the image version', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const { values } = build({ imageDigests: { devicePlugin: digest, 'driver.manager': digest } });
    expect(values.devicePlugin.version).toBe(digest);
    expect(values.driver.manager.version).toBe(digest);
  });

  test('driver, toolkit, NFD and DCGM exporter options', () => {
    const managed = build({ driver: { mode: 'operator', version: '580.95.05' } }).values;
    expect([
      managed.driver.enabled,
      managed.driver.version,
      managed.toolkit.enabled,
      managed.nfd.enabled,
    ]).toEqual([true, '580.95.05', true, true]);
    expect([managed.dcgmExporter.enabled, managed.dcgmExporter.serviceMonitor.enabled]).toEqual([
      true,
      false,
    ]);
    const pre = build({
      driver: { mode: 'preinstalled' },
      containerToolkit: 'preinstalled',
      nodeFeatureDiscovery: 'existing',
      dcgmExporter: false,
      dcgmServiceMonitor: true,
    }).values;
    expect([pre.driver.enabled, pre.driver.version, pre.toolkit.enabled, pre.nfd.enabled]).toEqual([
      false,
      undefined,
      false,
      false,
    ]);
    expect(pre['node-feature-discovery'].worker).toBeUndefined();
    expect([pre.dcgmExporter.enabled, pre.dcgmExporter.serviceMonitor.enabled]).toEqual([false, true]);
  });

  test('pull Secrets go to the operator, every operand and NFD (names, or {name} for the NFD subchart)', () => {
    const none = build().values;
    expect(JSON.stringify(none)).not.toContain('imagePullSecrets');
    const v = build({ imagePullSecrets: ['registry-pull'] }).values;
    for (const key of [
      'operator',
      'validator',
      'driver',
      'toolkit',
      'devicePlugin',
      'dcgm',
      'dcgmExporter',
      'gfd',
    ])
      expect([key, v[key].imagePullSecrets]).toEqual([key, ['registry-pull']]);
    expect(v.operator.initContainer).toBeUndefined(); // gone in v26
    expect([v.draDriver.imagePullSecrets, v.kataSandboxDevicePlugin.imagePullSecrets]).toEqual([
      ['registry-pull'],
      ['registry-pull'],
    ]);
    expect(v['node-feature-discovery'].imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    const existingNfd = build({
      imagePullSecrets: ['registry-pull'],
      nodeFeatureDiscovery: 'existing',
    }).values;
    expect(existingNfd['node-feature-discovery']?.imagePullSecrets).toBeUndefined();
    expect(existingNfd.driver.imagePullSecrets).toEqual(['registry-pull']);
  });

  test('operands carry the jurisdiction and tolerate the pools taint', () => {
    const { values } = build({}, ['h100']);
    expect(values.daemonsets.labels).toEqual({
      'app.kubernetes.io/part-of': 'sovereign-stack',
      'sovereign-stack.io/jurisdiction': 'de',
    });
    expect(values.daemonsets.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'nvidia.com/gpu', operator: 'Exists' },
    ]);
    expect(values['node-feature-discovery'].worker.tolerations).toHaveLength(2);
    expect(values.sandboxWorkloads.enabled).toBe(false);
  });

  test('values are byte-identical across synths and keys are sorted', () => {
    const a = build({}, ['h100', 'l40s', 'a100']).release.values[0] as string;
    const b = build({}, ['h100', 'l40s', 'a100']).release.values[0] as string;
    expect(a).toBe(b);
    const sortedAt = (o: unknown): boolean =>
      o === null || typeof o !== 'object' || Array.isArray(o)
        ? true
        : Object.keys(o).join() === Object.keys(o).sort().join() && Object.values(o).every(sortedAt);
    expect(sortedAt(JSON.parse(a))).toBe(true);
  });
});

describe('GpuOperator pools', () => {
  test('no sharing pools: no device plugin or MIG config emitted', () => {
    const { values } = build({}, ['h100']);
    expect(values.devicePlugin.config).toBeUndefined();
    expect(values.migManager.config).toBeUndefined();
    expect(values.mig.strategy).toBe('single');
  });

  test('time-slicing pool: device plugin ConfigMap with a default and the pool entry', () => {
    const { values, pools } = build({}, ['h100', 'l40s']);
    const c = values.devicePlugin.config;
    expect([c.create, c.name, c.default, Object.keys(c.data)]).toEqual([
      true,
      'sovereign-device-plugin-config',
      'default',
      ['default', 'pool-l40s'],
    ]);
    expect(parse(c.data.default)).toEqual({ version: 'v1', flags: { migStrategy: 'none' } });
    expect(c.data['pool-l40s']).toBe(pools[1].devicePluginConfig?.yaml);
  });

  test('MIG pool: strategy, device plugin entry and mig-parted config the node label names', () => {
    const { values } = build({}, ['a100']);
    expect(values.mig.strategy).toBe('mixed');
    expect(parse(values.devicePlugin.config.data['pool-a100'])).toEqual({
      version: 'v1',
      flags: { migStrategy: 'mixed' },
    });
    const mc = values.migManager.config;
    expect([values.migManager.enabled, mc.create, mc.name, mc.default]).toEqual([
      true,
      true,
      'sovereign-mig-parted-config',
      'all-disabled',
    ]);
    expect(parse(mc.data['config.yaml'])).toEqual({
      version: 'v1',
      'mig-configs': {
        'all-disabled': [{ devices: 'all', 'mig-enabled': false }],
        'pool-a100': [{ devices: 'all', 'mig-enabled': true, 'mig-devices': { '3g.40gb': 2 } }],
      },
    });
  });

  test('addPool after construction is included, and pool workloads wait for the release', () => {
    let pool: GpuNodePool | undefined;
    const { values, operator } = build({}, [], (o, s) => {
      pool = new GpuNodePool(s, 'late', { jurisdiction: 'de', ...POOLS.l40s });
      o.addPool(pool);
    });
    expect(Object.keys(values.devicePlugin.config.data)).toEqual(['default', 'pool-l40s']);
    expect(pool?.dependables).toContain(operator.release);
    expect(operator.pools).toEqual([pool]);
  });

  test('fails when MIG pools disagree on the strategy, a pool is registered twice or from another jurisdiction', () => {
    const msg = thrown(() =>
      build({}, ['a100'], (o, s) => {
        const single = new GpuNodePool(s, 'single', {
          jurisdiction: 'fr',
          ...POOLS.a100,
          sharing: { mode: 'mig', strategy: 'single', profile: '1g.10gb' },
        });
        o.addPool(single);
      }),
    );
    expect(msg).toContain('GpuOperator gpu-operator: 3 invalid props');
    expect(msg).toContain('pools.a100  belongs to jurisdiction "fr", this operator\'s cluster to "de"');
    expect(msg).toContain('pools.a100  a pool named "a100" is already registered');
    expect(msg).toContain(
      'pools.a100.sharing.strategy  "single" differs from pool "a100" ("mixed"): the GPU Operator\'s mig.strategy is cluster-wide',
    );
  });
});

describe('GpuOperator refusals', () => {
  test("fails when the chart comes from NVIDIA's public repository", () => {
    expect(thrown(() => build({ chartRepository: 'https://helm.ngc.nvidia.com/nvidia' }))).toContain(
      'chartRepository  "https://helm.ngc.nvidia.com/nvidia" is NVIDIA\'s public repository, outside the jurisdiction',
    );
    expect(
      build({ chartRepository: 'https://helm.ngc.nvidia.com/nvidia', allowPublicChartRepository: true })
        .release.repository,
    ).toBe('https://helm.ngc.nvidia.com/nvidia');
  });

  test('fails when the chart repository is plain http or not an allowed one', () => {
    expect(thrown(() => build({ chartRepository: 'http://charts.de.example' }))).toContain(
      'chartRepository  "http://charts.de.example" is not allowed: use the jurisdiction\'s chart mirror as https://… or oci://…',
    );
    expect(thrown(() => build({ allowedChartRepositories: ['oci://registry.de.example/charts'] }))).toContain(
      '"https://charts.de.example/nvidia" is not an allowed chart repository; allowed: oci://registry.de.example/charts',
    );
  });

  test('fails when the image registry is upstream, malformed or not allowed', () => {
    expect(thrown(() => build({ imageRegistry: 'nvcr.io/nvidia' }))).toContain(
      'imageRegistry  "nvcr.io" is a public upstream registry',
    );
    expect(thrown(() => build({ imageRegistry: 'https://registry.de.example' }))).toContain(
      'imageRegistry  "https://registry.de.example" is not a registry',
    );
    expect(thrown(() => build({ allowedRegistries: ['registry.fr.example'] }))).toContain(
      'imageRegistry  registry "registry.de.example" is not allowed; allowed: registry.fr.example',
    );
  });

  test('fails when a pull Secret is not a Kubernetes name', () => {
    expect(thrown(() => build({ imagePullSecrets: ['ok', 'Not_OK'] }))).toContain('imagePullSecrets[1]');
  });

  test('fails when a digest is malformed, a driver version is given for a preinstalled driver, or the timeout is unrealistic', () => {
    const msg = thrown(() =>
      build({
        imageDigests: { toolkit: 'v1.18.0' },
        driver: { mode: 'preinstalled', version: '580.95.05' },
        timeoutSeconds: 30,
      }),
    );
    expect(msg).toContain('GpuOperator gpu-operator: 3 invalid props');
    expect(msg).toContain('imageDigests.toolkit  "v1.18.0" is not a digest: use sha256:<64 hex digits>');
    expect(msg).toContain('driver.version  a preinstalled driver has no version to set here');
    expect(msg).toContain(
      'timeoutSeconds  30 is not allowed: use a whole number of seconds from 120 to 3600',
    );
  });
});

describe('GpuOperator values keys', () => {
  const lines = fs.readFileSync(FIXTURE, 'utf8').split('\n');
  const templateLines = fs.readFileSync(TEMPLATE_FIXTURE, 'utf8').split('\n');
  const keys = new Set([...lines, ...templateLines].filter((l) => l !== '' && !l.startsWith('#')));
  const openMaps = new Set([...keys].filter((k) => k.endsWith('.*')).map((k) => k.slice(0, -2)));

  test('the fixture names its source tag and commit', () => {
    const header = lines.filter((l) => l.startsWith('#')).join('\n');
    expect(header).toContain('v25.10.0');
    expect(header).toMatch(/commit [0-9a-f]{40}/);
    expect(GPU_OPERATOR_CHART_VERSION).toBe('v26.7.0');
    const templateHeader = templateLines.filter((l) => l.startsWith('#')).join('\n');
    expect(templateHeader).toMatch(/commit [0-9a-f]{40}/);
  });

  test.each([
    ['no pools', [] as string[], {}],
    [
      'every sharing mode and option',
      ['h100', 'l40s', 'a100'],
      {
        driver: { mode: 'operator', version: '580.95.05' },
        dcgmServiceMonitor: true,
        imagePullSecrets: ['registry-pull'],
        imageDigests: Object.fromEntries(
          [
            'dcgm',
            'dcgmExporter',
            'devicePlugin',
            'driver.manager',
            'gfd',
            'migManager',
            'operator.initContainer',
            'toolkit',
          ].map((k) => [k, `sha256:${'b'.repeat(64)}`]),
        ),
      },
    ],
    [
      'preinstalled driver and toolkit, existing NFD',
      ['l40s'],
      {
        driver: { mode: 'preinstalled' },
        containerToolkit: 'preinstalled',
        nodeFeatureDiscovery: 'existing',
      },
    ],
  ] as [string, string[], Partial<GpuOperatorProps>][])(
    'emitted keys are chart keys: %s',
    (_name, pools, props) => {
      const { values } = build({ chartVersion: 'v25.10.0', ...props }, pools);
      const unknown = keyPaths(values, openMaps).filter((p) => !keys.has(p) && !openMaps.has(p));
      expect(unknown).toEqual([]);
    },
  );

  test('a misspelled key would be caught', () => {
    expect(keyPaths({ devicePlugin: { confg: {} } }, openMaps).filter((p) => !keys.has(p))).toEqual([
      'devicePlugin.confg',
    ]);
  });
});

/**
 * Keys the chart templates read that the version's values.yaml gives no default (so they are not
 * in the fixture): NVIDIA/gpu-operator deployments/gpu-operator/templates/clusterpolicy.yaml at
 * the version's tag renders `dcgm.imagePullSecrets` and `dcgmExporter.imagePullSecrets` (v25.10.0
 * also `operator.initContainer.imagePullSecrets`); v26.7.0 renders `kataManager.repository` only
 * when set (no default image any more).
 */
const TEMPLATE_ONLY: Record<string, string[]> = {
  'v25.10.0': [
    'dcgm.imagePullSecrets',
    'dcgmExporter.imagePullSecrets',
    'operator.initContainer.imagePullSecrets',
  ],
  'v26.7.0': ['dcgm.imagePullSecrets', 'dcgmExporter.imagePullSecrets', 'kataManager.repository'],
};

describe.each(['v25.10.0', 'v26.7.0'] as const)(
  'GpuOperator chart %s against its own values.yaml',
  (version) => {
    const fixture = (name: string) =>
      fs.readFileSync(
        path.resolve(__dirname, `../../../test/fixtures/gpu-operator/${name}-${version}.yaml`),
        'utf8',
      );
    const chart = parse(fixture('values')) as Json;
    chart['node-feature-discovery'] = {
      ...(parse(fixture('values-nfd')) as Json),
      ...chart['node-feature-discovery'],
    };
    /** A chart key exists, or lies under a map the chart leaves free-form (`{}` default, config data). */
    const known = (key: string): boolean => {
      if (TEMPLATE_ONLY[version].includes(key)) return true;
      let cur: unknown = chart;
      for (const part of key.split('.')) {
        if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
          const o = cur as Json;
          if (Object.keys(o).length === 0) return true; // a free-form map: `labels: {}`, `data: {}`
          if (!(part in o)) return false;
          cur = o[part];
        } else return false;
      }
      return true;
    };
    const leafKeys = (v: Json, prefix = ''): string[] =>
      Object.keys(v).flatMap((k) => {
        const p = prefix ? `${prefix}.${k}` : k;
        const x = v[k];
        return x !== null && typeof x === 'object' && !Array.isArray(x) ? leafKeys(x, p) : [p];
      });

    test('the fixture names its repository, tag and commit', () => {
      expect(fixture('values').split('\n')[0]).toMatch(
        new RegExp(
          `^# NVIDIA/gpu-operator deployments/gpu-operator/values.yaml at tag ${version}, commit [0-9a-f]{40}$`,
        ),
      );
    });

    test('every key the stack sets exists in the chart (every option, every sharing mode)', () => {
      const { values, release } = build(
        {
          chartVersion: version,
          driver: { mode: 'operator', version: '580.95.05' },
          dcgmServiceMonitor: true,
          imagePullSecrets: ['registry-pull'],
          imageDigests: { toolkit: `sha256:${'b'.repeat(64)}`, 'driver.manager': `sha256:${'b'.repeat(64)}` },
        },
        ['h100', 'l40s', 'a100'],
      );
      expect(release.version).toBe(version);
      expect(leafKeys(values).filter((k) => !known(k))).toEqual([]);
      // the check has teeth: a key of the other version, or a misspelling, is caught
      expect(known('devicePlugin.confg')).toBe(false);
      expect(known('operator.initContainer.repository')).toBe(version === 'v25.10.0');
      expect(known('kataSandboxDevicePlugin.repository')).toBe(version === 'v26.7.0');
      expect(known('draDriver.repository')).toBe(version === 'v26.7.0');
    });

    test('every image repository of the chart is rewritten to the mirror, and only those', () => {
      const { values, operator } = build({ chartVersion: version });
      const chartImageKeys = leafKeys(chart)
        .filter((k) => /\.repository$/.test(k) && !k.startsWith('kataManager.config'))
        .map((k) => k.slice(0, -'.repository'.length));
      const mirrored = operator.imageMirrors.map((m) => m.valuesKey);
      for (const k of chartImageKeys) expect(mirrored).toContain(k);
      for (const m of operator.imageMirrors) {
        expect(m.mirror.startsWith('registry.de.example/mirror/')).toBe(true);
        let cur: unknown = values;
        for (const part of [...m.valuesKey.split('.'), 'repository']) cur = (cur as Json)[part];
        expect(cur).toBe(m.mirror);
      }
    });
  },
);

describe('GpuOperator v26.7.0 changes', () => {
  test('no operator.initContainer; vfio-manager, Kata sandbox device plugin and DRA driver images on the mirror', () => {
    const { values } = build({ imagePullSecrets: ['pull'] });
    expect(values.operator.initContainer).toBeUndefined();
    expect(values.vfioManager.repository).toBe('registry.de.example/mirror/nvidia/cloud-native');
    expect(values.kataSandboxDevicePlugin.repository).toBe('registry.de.example/mirror/nvidia/cloud-native');
    expect(values.draDriver.repository).toBe('registry.de.example/mirror/nvidia');
    expect(values.draDriver.imagePullSecrets).toEqual(['pull']);
    expect(values.kataSandboxDevicePlugin.imagePullSecrets).toEqual(['pull']);
  });

  test('v25.10.0 keeps its init container and the old vfio-manager path', () => {
    const { values } = build({ chartVersion: 'v25.10.0' });
    expect(values.operator.initContainer.repository).toBe('registry.de.example/mirror/nvidia');
    expect(values.vfioManager.repository).toBe('registry.de.example/mirror/nvidia');
    expect(values.draDriver).toBeUndefined();
  });

  test('fails on an init-container digest for v26, and on a chart version that is not supported', () => {
    expect(
      thrown(() => build({ imageDigests: { 'operator.initContainer': `sha256:${'b'.repeat(64)}` } })),
    ).toContain(
      'imageDigests.operator.initContainer  chart v26.7.0 has no operator.initContainer image (removed in v26)',
    );
    expect(thrown(() => build({ chartVersion: 'v26.7' as never }))).toContain(
      'chartVersion  "v26.7" is not a gpu-operator chart version this toolkit supports (supported: v25.10.0, v26.7.0)',
    );
  });
});
