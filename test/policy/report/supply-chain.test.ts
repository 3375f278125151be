/**
 * The supply chain of the bundled example, synthesized with the real cdktf App: every image
 * the GPU Operator will run appears, resolved from the release's values over the pinned chart
 * version's defaults, in the report and in the CycloneDX BOM.
 */
import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { join } from 'path';
import { evaluateStacks } from '../../../policy/engine';
import { CHART_IMAGE_DEFAULTS, chartImages } from '../../../policy/report/chart-images';
import { toCycloneDx } from '../../../policy/report/cyclonedx';
import { buildReport } from '../../../policy/report/model';
import { stackView as readStack } from '../../../policy/stack';
import { EXAMPLES, FIXTURES } from '../../support/paths';
import { exampleStack } from '../fixtures';
import { synthExample } from '../../support/synth';
import { validateCycloneDx } from './helpers';

const synth = synthExample(join(EXAMPLES, 'sovereign.yaml'));
const stacks = Object.entries(synth.stacks).map(([name, json]) => ({ name, json }));
const report = buildReport(evaluateStacks(stacks, { today: '2026-12-07' }), { now: '2026-12-07T10:00:00Z' });
const bom = toCycloneDx(report) as {
  components: { 'bom-ref': string; name: string; version: string }[];
  dependencies: { ref: string; dependsOn: string[] }[];
};

/** The operands of GPU Operator v25.10.0 that run with the chart's defaults, independent of the table. */
const RUN_BY_DEFAULT = [
  'operator',
  'validator',
  'driver',
  'driver.manager',
  'toolkit',
  'devicePlugin',
  'dcgmExporter',
  'gfd',
  'migManager',
  'node-feature-discovery.image',
];

describe('supply chain of the example', () => {
  test('the chart-defaults table covers every image key of the pinned chart (values keys fixture)', () => {
    const keys = readFileSync(join(FIXTURES, 'gpu-operator', 'values-keys-v25.10.0.txt'), 'utf8')
      .split('\n')
      .filter((l) => /\.image$/.test(l))
      .map((l) => l.replace(/\.image$/, ''))
      .map((k) => (k === 'node-feature-discovery' ? 'node-feature-discovery.image' : k));
    const table = CHART_IMAGE_DEFAULTS['gpu-operator']['v25.10.0'].operands.map((o) => o.key);
    expect([...new Set(keys)].sort()).toEqual([...table].sort());
  });

  test.each(['v25.10.0', 'v26.7.0'])(
    "the chart-defaults table of %s covers every image of that tag's values.yaml, with its defaults",
    (version) => {
      const chart = parse(
        readFileSync(join(FIXTURES, 'gpu-operator', `values-${version}.yaml`), 'utf8'),
      ) as Record<string, Record<string, unknown>>;
      const withImage = Object.keys(chart)
        .filter((k) => typeof chart[k] === 'object' && chart[k] !== null && 'image' in chart[k])
        .flatMap((k) => [
          k,
          ...Object.keys(chart[k])
            .filter(
              (sub) =>
                typeof chart[k][sub] === 'object' &&
                chart[k][sub] !== null &&
                'image' in (chart[k][sub] as object),
            )
            .map((sub) => `${k}.${sub}`),
        ]);
      const table = CHART_IMAGE_DEFAULTS['gpu-operator'][version].operands;
      for (const key of withImage) {
        const op = table.find((o) => o.key === key);
        expect([key, op !== undefined]).toEqual([key, true]);
        let v: unknown = chart;
        for (const part of key.split('.')) v = (v as Record<string, unknown>)[part];
        const d = v as { repository?: string; image?: string; version?: string };
        // read only on OpenShift (the table's note): its default is not pulled on other clusters
        if (op!.onlyWhenSet) continue;
        // an empty repository ("" for the licensee-built vGPU manager) is no default
        expect([key, op!.repository, op!.image]).toEqual([key, d.repository || undefined, d.image]);
        if (d.version) expect([key, op!.version]).toEqual([key, String(d.version)]);
      }
      // v26 dropped the init container; kataManager has no default image any more
      expect(table.some((o) => o.key === 'operator.initContainer')).toBe(version === 'v25.10.0');
    },
  );

  for (const s of report.stacks) {
    const releases = s.supplyChain.charts.filter((c) => c.chart === 'gpu-operator');
    if (releases.length === 0) continue;
    test(`${s.name}: every GPU Operator image is in the supply chain and the BOM, from the mirror`, () => {
      const json = synth.stacks[s.name];
      const view = readStack(s.name, json);
      const rel = view.resources.find(
        (r) => r.type === 'helm_release' && /(^|\/)gpu-operator$/.test(String(r.body.chart)),
      )!;
      const resolved = chartImages(rel)!;
      expect(resolved.known).toBe(true);
      const operands = resolved.images.map((i) => i.operand);
      const values = JSON.parse(json.resource.helm_release[rel.name].values[0]);
      // What the values turn off does not run (fr-par keeps the hosts' preinstalled driver).
      const off = (k: string) =>
        (k === 'node-feature-discovery.image' ? values.nfd : values[k.split('.')[0]])?.enabled === false;
      for (const k of RUN_BY_DEFAULT) expect([k, operands.includes(k)]).toEqual([k, !off(k)]);
      const mirror = String(values.toolkit.repository).split('/')[0];
      for (const i of resolved.images) {
        // In the report, with what runs it …
        const entry = s.supplyChain.images.find((x) => x.ref === i.ref);
        expect(entry).toBeDefined();
        expect(entry!.usedBy).toContain(`${rel.address} (${i.operand})`);
        expect(entry!.registry).toBe(mirror);
        // … and in the BOM, a dependency of the chart.
        expect(bom.components.map((c) => c['bom-ref'])).toContain(`image:${i.ref}`);
        const chartRef = bom.dependencies.find(
          (d) =>
            d.ref.startsWith('helm:') &&
            d.ref.endsWith(`/gpu-operator@${releases[0].version}`) &&
            d.dependsOn.includes(`image:${i.ref}`),
        );
        expect(chartRef).toBeDefined();
      }
      // The driver as the values pin it: the mirror's repository, the chart's image name, the digest set.
      const tk = resolved.images.find((i) => i.operand === 'toolkit')!;
      const v = (values.toolkit.version as string | undefined) ?? 'v1.18.0';
      expect(tk.ref).toBe(
        `${values.toolkit.repository}/container-toolkit${v.startsWith('sha256:') ? '@' : ':'}${v}`,
      );
      // Tag-only references are flagged in the report.
      for (const e of s.supplyChain.images) expect(e.digest === undefined).toBe(!e.ref.includes('@sha256:'));
    });
  }

  test('the BOM with operands and dependencies validates against the CycloneDX 1.6 schema', async () => {
    expect(await validateCycloneDx(bom)).toBeNull();
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    for (const d of bom.dependencies)
      for (const x of d.dependsOn) expect(refs.has(x) || x === 'sovereign-stack-deployment').toBe(true);
  });
});

describe('chart operands: hostile and edge values', () => {
  const release = (values: unknown, version = 'v25.10.0', chart = 'gpu-operator') =>
    readStack('x', {
      resource: {
        helm_release: {
          g: {
            name: 'g',
            chart,
            version,
            repository: 'oci://r.example/charts',
            values: [JSON.stringify(values)],
          },
        },
      },
    }).resources[0];

  test('with no values, the chart defaults run: upstream registries, tags only', () => {
    const r = chartImages(release({}))!;
    expect(r.images.find((i) => i.operand === 'driver')).toMatchObject({
      ref: 'nvcr.io/nvidia/driver:580.95.05',
      origin: 'chart default',
    });
    expect(r.images.find((i) => i.operand === 'operator')!.ref).toBe('nvcr.io/nvidia/gpu-operator:v25.10.0');
    expect(r.images.find((i) => i.operand === 'node-feature-discovery.image')!.ref).toBe(
      'registry.k8s.io/nfd/node-feature-discovery:v0.18.2',
    );
    // Off by default: DCGM host engine, GDS, sandbox operands.
    expect(r.images.map((i) => i.operand)).not.toContain('dcgm');
    expect(r.images.map((i) => i.operand)).not.toContain('vfioManager');
  });

  test('chart v26.7.0: new operand versions, no init container, DRA driver only with a GPUCluster, Kata plugin only in sandbox mode', () => {
    const r = chartImages(
      release(
        { operator: { initContainer: { repository: 'x.example/y', image: 'z', version: '1' } } },
        'v26.7.0',
      ),
    )!;
    const ops = r.images.map((i) => i.operand);
    expect(ops).not.toContain('operator.initContainer'); // a value the v26 chart no longer reads
    expect(ops).not.toContain('draDriver');
    expect(ops).not.toContain('kataSandboxDevicePlugin');
    expect(r.images.find((i) => i.operand === 'driver')!.ref).toBe('nvcr.io/nvidia/driver:595.91.07');
    expect(r.images.find((i) => i.operand === 'operator')!.ref).toBe('nvcr.io/nvidia/gpu-operator:v26.7.0');
    expect(r.images.find((i) => i.operand === 'node-feature-discovery.image')!.ref).toBe(
      'registry.k8s.io/nfd/node-feature-discovery:v0.19.0',
    );
    const dra = chartImages(release({ gpuCluster: { deployCR: true } }, 'v26.7.0'))!;
    expect(dra.images.find((i) => i.operand === 'draDriver')!.ref).toBe(
      'nvcr.io/nvidia/dra-driver-nvidia-gpu:v0.5.0',
    );
    const sandbox = chartImages(release({ sandboxWorkloads: { enabled: true } }, 'v26.7.0'))!;
    expect(sandbox.images.find((i) => i.operand === 'vfioManager')!.ref).toBe(
      'nvcr.io/nvidia/cloud-native/k8s-driver-manager:v0.12.0',
    );
    expect(sandbox.images.find((i) => i.operand === 'kataSandboxDevicePlugin')!.ref).toBe(
      'nvcr.io/nvidia/cloud-native/nvidia-sandbox-device-plugin:v0.0.5',
    );
    // the Kata manager has no default image in v26: enabled, it is reported as not pullable
    const kata = chartImages(
      release({ sandboxWorkloads: { enabled: true }, kataManager: { enabled: true } }, 'v26.7.0'),
    )!;
    expect(kata.images.find((i) => i.operand === 'kataManager')!.problem).toContain('no image name');
  });

  test('disabled operands do not run; sandbox workloads bring theirs; a string "false" is false', () => {
    const r = chartImages(
      release({ driver: { enabled: 'false' }, sandboxWorkloads: { enabled: true }, nfd: { enabled: false } }),
    )!;
    const ops = r.images.map((i) => i.operand);
    expect(ops).not.toContain('driver');
    expect(ops).not.toContain('driver.manager');
    expect(ops).not.toContain('node-feature-discovery.image');
    expect(ops).toEqual(expect.arrayContaining(['vfioManager', 'vgpuDeviceManager', 'sandboxDevicePlugin']));
  });

  test('a later values document or a set entry overrides an earlier one', () => {
    const res = readStack('x', {
      resource: {
        helm_release: {
          g: {
            chart: 'gpu-operator',
            version: 'v25.10.0',
            values: [
              JSON.stringify({ driver: { repository: 'r.example/nvidia' } }),
              'driver:\n  repository: evil.example/nvidia\n',
            ],
            set: [{ name: 'toolkit.repository', value: 'other.example/k8s' }],
          },
        },
      },
    }).resources[0];
    const r = chartImages(res)!;
    expect(r.images.find((i) => i.operand === 'driver')!.ref).toBe('evil.example/nvidia/driver:580.95.05');
    expect(r.images.find((i) => i.operand === 'toolkit')!.ref).toBe(
      'other.example/k8s/container-toolkit:v1.18.0',
    );
  });

  test('a reference the operator cannot pull is flagged, not hidden', () => {
    const r = chartImages(
      release({
        operator: { initContainer: { repository: 'r.example/nvidia', version: `sha256:${'a'.repeat(64)}` } },
      }),
    )!;
    expect(r.images.find((i) => i.operand === 'operator.initContainer')).toMatchObject({
      ref: `r.example/nvidia/@sha256:${'a'.repeat(64)}`,
      problem: expect.stringContaining('no image name'),
    });
  });

  test("the chart's default registries are data locations: outside, in the report and the picture", () => {
    const j = exampleStack();
    const rel = j.resource.helm_release.gpu_operator;
    rel.version = 'v25.10.0';
    rel.values = [JSON.stringify({ driver: { enabled: true } })];
    delete rel.set;
    const r = buildReport(evaluateStacks([{ name: 'de', json: j }], { today: '2026-06-01' }), { now: 'x' });
    const regs = r.stacks[0].dataLocations.filter((d) => d.kind === 'image-registry');
    expect(regs).toContainEqual({
      kind: 'image-registry',
      name: 'nvcr.io',
      location: 'nvcr.io',
      jurisdiction: 'outside',
    });
    expect(regs).toContainEqual({
      kind: 'image-registry',
      name: 'registry.k8s.io',
      location: 'registry.k8s.io',
      jurisdiction: 'outside',
    });
    expect(r.stacks[0].supplyChain.images.map((i) => i.ref)).toContain('nvcr.io/nvidia/driver:580.95.05');
  });

  test('an unknown chart version says so; another chart is not guessed at', () => {
    expect(chartImages(release({}, 'v24.9.0'))).toEqual({ known: false, images: [] });
    expect(chartImages(release({}, 'v25.10.0', 'ingress-nginx'))).toBeUndefined();
  });
});
