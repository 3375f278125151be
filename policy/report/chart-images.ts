/**
 * The images a Helm chart will run that its values do not spell out: the GPU Operator's
 * operands (driver, container toolkit, device plugin, DCGM exporter, GPU feature discovery,
 * MIG manager, validator, NFD, …), each resolved from the values the release sets over the
 * pinned chart version's defaults. The defaults are facts of the chart, kept here keyed by
 * chart and version, so the audit needs nothing but the synthesized JSON.
 *
 * GPU Operator v25.10.0 (NVIDIA/gpu-operator, tag v25.10.0, commit
 * 6f3d599dfe65b7d4247a90ca2ab27b32a6d6ed98): deployments/gpu-operator/values.yaml for every
 * operand's repository, image, version and `enabled` default; templates/clusterpolicy.yaml
 * (`version | default .Chart.AppVersion` for the validator and node status exporter; the
 * operator's own image in templates/_helpers.tpl); `sandboxWorkloads.enabled` gates the
 * sandbox operands (vGPU, VFIO, Kata, sandbox device plugin, CC manager); the operator joins a
 * `sha256:` version with `@` (api/nvidia/v1/clusterpolicy_types.go, imagePath). The NFD
 * subchart (charts/node-feature-discovery, appVersion v0.18.2) runs
 * `image.repository:image.tag|default .Chart.AppVersion` (templates/worker.yaml, master.yaml).
 *
 * GPU Operator v26.7.0 (tag v26.7.0, commit 10ee5b3638b89e11e949412aafa5ba99279c3721), same
 * files: new operand versions; no `operator.initContainer`; vfio-manager runs
 * nvcr.io/nvidia/cloud-native/k8s-driver-manager; `kataSandboxDevicePlugin` (sandbox, Kata mode)
 * and `draDriver` (templates/gpucluster.yaml, only with `gpuCluster.deployCR`) are new;
 * `kataManager` has no default image; `ccManager` is enabled by default (still a sandbox
 * operand). NFD subchart 0.19.0 (appVersion v0.19.0). The chart's own Chart.yaml at the tag says
 * `version: v1.0.0-devel` / `appVersion: main-latest`; the published chart is packaged with the
 * release version, so appVersion is v26.7.0.
 */
import { isObj, str } from '../json';
import { helmChart, helmValues } from '../images';
import type { ResourceView } from '../stack';

interface Operand {
  /** Values key (`driver`, `driver.manager`, `node-feature-discovery.image`). */
  readonly key: string;
  /** What the operand is, for the auditor. */
  readonly label: string;
  readonly repository?: string;
  readonly image?: string;
  /** Default tag; `appVersion` means the chart's appVersion. */
  readonly version?: string;
  /** The `enabled` value key that turns it on, with its default. Absent: always runs. */
  readonly enabled?: { readonly key: string; readonly default: boolean };
  /** Runs only when sandbox workloads are enabled. */
  readonly sandbox?: boolean;
  /** Runs only when the values set it (no chart default). */
  readonly onlyWhenSet?: boolean;
  /** NFD style: `{repository, tag}` under the key, tag defaults to the subchart's appVersion. */
  readonly subchartTag?: string;
  /** Something an auditor should know about the reference. */
  readonly note?: string;
}

interface ChartDefaults {
  readonly appVersion: string;
  readonly operands: readonly Operand[];
}

const on = (key: string, d: boolean) => ({ key: `${key}.enabled`, default: d });

/** Chart defaults by chart name and version. */
export const CHART_IMAGE_DEFAULTS: Readonly<Record<string, Readonly<Record<string, ChartDefaults>>>> = {
  'gpu-operator': {
    'v25.10.0': {
      appVersion: 'v25.10.0',
      operands: [
        {
          key: 'operator',
          label: 'GPU Operator',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
        },
        {
          // Read only on OpenShift, as the DCGM exporter's init container
          // (controllers/object_controls.go, transformDCGMExporterForOpenShift).
          key: 'operator.initContainer',
          label: 'DCGM exporter init container (OpenShift only)',
          onlyWhenSet: true,
        },
        {
          key: 'validator',
          label: 'operator validator',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
        },
        {
          key: 'driver',
          label: 'GPU driver (privileged, every GPU node)',
          repository: 'nvcr.io/nvidia',
          image: 'driver',
          version: '580.95.05',
          enabled: on('driver', true),
          note: 'a tag gets the node OS appended by the operator (580.95.05-ubuntu22.04)',
        },
        {
          key: 'driver.manager',
          label: 'driver manager (init container of the driver)',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.9.0',
          enabled: on('driver', true),
        },
        {
          key: 'toolkit',
          label: 'container toolkit (privileged, every GPU node)',
          repository: 'nvcr.io/nvidia/k8s',
          image: 'container-toolkit',
          version: 'v1.18.0',
          enabled: on('toolkit', true),
        },
        {
          key: 'devicePlugin',
          label: 'device plugin',
          repository: 'nvcr.io/nvidia',
          image: 'k8s-device-plugin',
          version: 'v0.18.0',
          enabled: on('devicePlugin', true),
        },
        {
          key: 'dcgm',
          label: 'DCGM host engine',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'dcgm',
          version: '4.4.1-2-ubuntu22.04',
          enabled: on('dcgm', false),
        },
        {
          key: 'dcgmExporter',
          label: 'DCGM exporter',
          repository: 'nvcr.io/nvidia/k8s',
          image: 'dcgm-exporter',
          version: '4.4.1-4.6.0-distroless',
          enabled: on('dcgmExporter', true),
        },
        {
          key: 'gfd',
          label: 'GPU feature discovery',
          repository: 'nvcr.io/nvidia',
          image: 'k8s-device-plugin',
          version: 'v0.18.0',
          enabled: on('gfd', true),
        },
        {
          key: 'migManager',
          label: 'MIG manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-mig-manager',
          version: 'v0.13.0',
          enabled: on('migManager', true),
        },
        {
          key: 'nodeStatusExporter',
          label: 'node status exporter',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
          enabled: on('nodeStatusExporter', false),
        },
        {
          key: 'gds',
          label: 'GPUDirect Storage driver',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'nvidia-fs',
          version: '2.26.6',
          enabled: on('gds', false),
        },
        {
          key: 'gdrcopy',
          label: 'GDRCopy driver',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'gdrdrv',
          version: 'v2.5.1',
          enabled: on('gdrcopy', false),
        },
        {
          key: 'vgpuManager',
          label: 'vGPU manager',
          image: 'vgpu-manager',
          enabled: on('vgpuManager', false),
          sandbox: true,
        },
        {
          key: 'vgpuManager.driverManager',
          label: 'vGPU driver manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.9.0',
          enabled: on('vgpuManager', false),
          sandbox: true,
        },
        {
          key: 'vgpuDeviceManager',
          label: 'vGPU device manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'vgpu-device-manager',
          version: 'v0.4.1',
          enabled: on('vgpuDeviceManager', true),
          sandbox: true,
        },
        {
          key: 'vfioManager',
          label: 'VFIO manager',
          repository: 'nvcr.io/nvidia',
          image: 'cuda',
          version: '13.0.1-base-ubi9',
          enabled: on('vfioManager', true),
          sandbox: true,
        },
        {
          key: 'vfioManager.driverManager',
          label: 'VFIO driver manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.9.0',
          enabled: on('vfioManager', true),
          sandbox: true,
        },
        {
          key: 'kataManager',
          label: 'Kata manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-kata-manager',
          version: 'v0.2.3',
          enabled: on('kataManager', false),
          sandbox: true,
        },
        {
          key: 'sandboxDevicePlugin',
          label: 'sandbox device plugin',
          repository: 'nvcr.io/nvidia',
          image: 'kubevirt-gpu-device-plugin',
          version: 'v1.4.0',
          enabled: on('sandboxDevicePlugin', true),
          sandbox: true,
        },
        {
          key: 'ccManager',
          label: 'confidential computing manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-cc-manager',
          version: 'v0.1.1',
          enabled: on('ccManager', false),
          sandbox: true,
        },
        {
          key: 'node-feature-discovery.image',
          label: 'node feature discovery (subchart 0.18.2)',
          repository: 'registry.k8s.io/nfd/node-feature-discovery',
          subchartTag: 'v0.18.2',
          enabled: { key: 'nfd.enabled', default: true },
        },
      ],
    },
    'v26.7.0': {
      appVersion: 'v26.7.0',
      operands: [
        {
          key: 'operator',
          label: 'GPU Operator',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
        },
        {
          key: 'validator',
          label: 'operator validator',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
        },
        {
          key: 'driver',
          label: 'GPU driver (privileged, every GPU node)',
          repository: 'nvcr.io/nvidia',
          image: 'driver',
          version: '595.91.07',
          enabled: on('driver', true),
          note: 'a tag gets the node OS appended by the operator (595.91.07-ubuntu24.04)',
        },
        {
          key: 'driver.manager',
          label: 'driver manager (init container of the driver)',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.12.0',
          enabled: on('driver', true),
        },
        {
          key: 'toolkit',
          label: 'container toolkit (privileged, every GPU node)',
          repository: 'nvcr.io/nvidia/k8s',
          image: 'container-toolkit',
          version: 'v1.20.0',
          enabled: on('toolkit', true),
        },
        {
          key: 'devicePlugin',
          label: 'device plugin',
          repository: 'nvcr.io/nvidia',
          image: 'k8s-device-plugin',
          version: 'v0.20.0',
          enabled: on('devicePlugin', true),
        },
        {
          key: 'dcgm',
          label: 'DCGM host engine',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'dcgm',
          version: '4.6.0-1-ubuntu24.04',
          enabled: on('dcgm', false),
        },
        {
          key: 'dcgmExporter',
          label: 'DCGM exporter',
          repository: 'nvcr.io/nvidia/k8s',
          image: 'dcgm-exporter',
          version: '4.6.0-4.8.3-distroless',
          enabled: on('dcgmExporter', true),
        },
        {
          key: 'gfd',
          label: 'GPU feature discovery',
          repository: 'nvcr.io/nvidia',
          image: 'k8s-device-plugin',
          version: 'v0.20.0',
          enabled: on('gfd', true),
        },
        {
          key: 'migManager',
          label: 'MIG manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-mig-manager',
          version: 'v0.15.0',
          enabled: on('migManager', true),
        },
        {
          key: 'nodeStatusExporter',
          label: 'node status exporter',
          repository: 'nvcr.io/nvidia',
          image: 'gpu-operator',
          version: 'appVersion',
          enabled: on('nodeStatusExporter', false),
        },
        {
          key: 'gds',
          label: 'GPUDirect Storage driver',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'nvidia-fs',
          version: '2.29.4',
          enabled: on('gds', false),
        },
        {
          key: 'gdrcopy',
          label: 'GDRCopy driver',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'gdrdrv',
          version: 'v2.6',
          enabled: on('gdrcopy', false),
        },
        {
          key: 'vgpuManager',
          label: 'vGPU manager',
          image: 'vgpu-manager',
          enabled: on('vgpuManager', false),
          sandbox: true,
        },
        {
          key: 'vgpuManager.driverManager',
          label: 'vGPU driver manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.12.0',
          enabled: on('vgpuManager', false),
          sandbox: true,
        },
        {
          key: 'vgpuDeviceManager',
          label: 'vGPU device manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'vgpu-device-manager',
          version: 'v0.5.0',
          enabled: on('vgpuDeviceManager', true),
          sandbox: true,
        },
        {
          key: 'vfioManager',
          label: 'VFIO manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.12.0',
          enabled: on('vfioManager', true),
          sandbox: true,
        },
        {
          key: 'vfioManager.driverManager',
          label: 'VFIO driver manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-driver-manager',
          version: 'v0.12.0',
          enabled: on('vfioManager', true),
          sandbox: true,
        },
        {
          key: 'kataManager',
          label: 'Kata manager (no chart default image)',
          enabled: on('kataManager', false),
          sandbox: true,
        },
        {
          key: 'sandboxDevicePlugin',
          label: 'sandbox device plugin',
          repository: 'nvcr.io/nvidia',
          image: 'kubevirt-gpu-device-plugin',
          version: 'v1.6.0',
          enabled: on('sandboxDevicePlugin', true),
          sandbox: true,
        },
        {
          key: 'kataSandboxDevicePlugin',
          label: 'Kata sandbox device plugin (sandboxWorkloads.mode kata)',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'nvidia-sandbox-device-plugin',
          version: 'v0.0.5',
          enabled: on('kataSandboxDevicePlugin', true),
          sandbox: true,
        },
        {
          key: 'ccManager',
          label: 'confidential computing manager',
          repository: 'nvcr.io/nvidia/cloud-native',
          image: 'k8s-cc-manager',
          version: 'v0.4.3',
          enabled: on('ccManager', true),
          sandbox: true,
        },
        {
          key: 'draDriver',
          label: 'NVIDIA DRA driver (GPUCluster, gpuCluster.deployCR)',
          repository: 'nvcr.io/nvidia',
          image: 'dra-driver-nvidia-gpu',
          version: 'v0.5.0',
          enabled: { key: 'gpuCluster.deployCR', default: false },
        },
        {
          key: 'node-feature-discovery.image',
          label: 'node feature discovery (subchart 0.19.0)',
          repository: 'registry.k8s.io/nfd/node-feature-discovery',
          subchartTag: 'v0.19.0',
          enabled: { key: 'nfd.enabled', default: true },
        },
      ],
    },
  },
};

export interface ChartImage {
  /** The reference the chart will pull (`registry.de.example/nvidia/driver@sha256:…`). */
  readonly ref: string;
  readonly operand: string;
  readonly label: string;
  /** Which parts came from the release's values and which from the chart's defaults. */
  readonly origin: 'values' | 'chart default' | 'values over chart default';
  /** The reference is not pullable as written (an empty image name, a repository with no default). */
  readonly problem?: string;
  readonly note?: string;
}

export interface ChartImages {
  /** The chart and version were found in the table. */
  readonly known: boolean;
  readonly images: readonly ChartImage[];
}

/** An own entry of a plain object: keys read from the judged JSON never reach Object's members. */
const own = <T>(o: Readonly<Record<string, T>>, k: string): T | undefined =>
  Object.hasOwn(o, k) ? o[k] : undefined;

/** Merged values of a release (later documents and `set` override earlier ones). */
function mergedValues(res: ResourceView): Record<string, unknown> {
  // Null-prototype objects: a values key `__proto__` is a key like any other (as Helm reads it),
  // not the merged object's prototype.
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, a);
    for (const [k, v] of Object.entries(b)) {
      const prev = own(out, k);
      out[k] = isObj(v) ? merge(isObj(prev) ? prev : {}, v) : v;
    }
    return out;
  };
  let values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const t of helmValues(res.body).trees) if (isObj(t.tree)) values = merge(values, t.tree);
  return values;
}

function at(values: Record<string, unknown>, key: string): unknown {
  // `node-feature-discovery` is one key; values keys contain no other dot.
  let cur: unknown = values;
  for (const part of key.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = own(cur, part);
  }
  return cur;
}

const truthy = (v: unknown, d: boolean) => (v === undefined || v === null ? d : v === true || v === 'true');

/** The operand images a helm_release will run, when its chart and version are in the table. */
export function chartImages(res: ResourceView): ChartImages | undefined {
  if (res.type !== 'helm_release') return undefined;
  const c = helmChart(res.body);
  const name = (c.chart ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
  const byVersion = own(CHART_IMAGE_DEFAULTS, name);
  if (byVersion === undefined) return undefined;
  const defaults =
    c.version !== undefined ? (own(byVersion, c.version) ?? own(byVersion, `v${c.version}`)) : undefined;
  if (defaults === undefined) return { known: false, images: [] };
  const values = mergedValues(res);
  const sandbox = truthy(at(values, 'sandboxWorkloads.enabled'), false);
  const images: ChartImage[] = [];
  for (const op of defaults.operands) {
    if (op.sandbox && !sandbox) continue;
    if (op.enabled && !truthy(at(values, op.enabled.key), op.enabled.default)) continue;
    const v = at(values, op.key);
    const set = isObj(v) ? v : {};
    const given = (k: string) => str(own(set, k));
    if (op.onlyWhenSet && !given('repository') && !given('image') && !given('version')) continue;
    const fromValues: boolean[] = [];
    const pick = (k: string, d: string | undefined) => {
      const x = given(k);
      fromValues.push(x !== undefined);
      return x ?? d;
    };
    let ref: string;
    let problem: string | undefined;
    if (op.subchartTag !== undefined) {
      const repo = pick('repository', op.repository) ?? '';
      const tag = pick('tag', op.subchartTag) ?? op.subchartTag;
      ref = `${repo}:${tag}`;
    } else {
      const repo = (pick('repository', op.repository) ?? '').replace(/\/+$/, '');
      const image = pick('image', op.image) ?? '';
      const rawVersion = pick('version', op.version);
      const version = rawVersion === 'appVersion' ? defaults.appVersion : (rawVersion ?? '');
      // The operator's imagePath: repository + "/" + image, then "@" for a digest or ":" for a tag.
      ref = `${repo}/${image}${version.startsWith('sha256:') ? '@' : ':'}${version}`;
      if (image === '')
        problem = `no image name: the values set none and the chart has no default (${op.key}.image)`;
      else if (repo === '')
        problem = `no repository: the values set none and the chart has no default (${op.key}.repository)`;
      else if (version === '')
        problem = `no version: the values set none and the chart has no default (${op.key}.version)`;
    }
    const origin = fromValues.every((x) => x)
      ? 'values'
      : fromValues.some((x) => x)
        ? 'values over chart default'
        : 'chart default';
    images.push({
      ref,
      operand: op.key,
      label: op.label,
      origin,
      ...(problem ? { problem } : {}),
      ...(op.note && !ref.includes('@') ? { note: op.note } : {}),
    });
  }
  return { known: true, images };
}
