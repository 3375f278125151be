import { evaluateStacks } from '../../../policy/engine';
import { buildReport } from '../../../policy/report/model';
import { licenceById } from '../../../policy/licences/catalogue';
import { renderCycloneDx, toCycloneDx } from '../../../policy/report/cyclonedx';
import { renderMarkdown } from '../../../policy/report/markdown';
import { renderText } from '../../../policy/report/text';
import { auditTime } from '../../../policy/version';
import { exampleStack, metadata, type Any } from '../fixtures';
import { exampleReport, validateCycloneDx } from './helpers';

describe('report model', () => {
  const r = exampleReport();
  const de = r.stacks[0];

  test('records versions, file hashes, the gate and the audit time', () => {
    expect(r.tool).toMatchObject({ name: 'sovereign-stack', version: '0.1.0', rulesVersion: '1.0.0' });
    // Never a path: the commit, when known, is 40 hex digits.
    if (r.tool.commit !== undefined) expect(r.tool.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.files).toEqual([{ path: 'stacks/de/cdk.tf.json', sha256: '0'.repeat(64) }]);
    expect(r.gate).toBe('pass');
    expect(r).toMatchObject({ generatedAt: '2026-06-01T10:00:00Z', evaluatedOn: '2026-06-01' });
  });

  test('the audit time comes from SOURCE_DATE_EPOCH when set, UTC ISO 8601 to the second', () => {
    expect(auditTime({ SOURCE_DATE_EPOCH: '1780000000' })).toBe('2026-05-28T20:26:40Z');
    expect(auditTime({}, () => Date.UTC(2026, 11, 7, 10, 0, 0, 999))).toBe('2026-12-07T10:00:00Z');
    // Not a number of seconds: the clock.
    expect(auditTime({ SOURCE_DATE_EPOCH: 'yesterday' }, () => 0)).toBe('1970-01-01T00:00:00Z');
    const ev = evaluateStacks([{ name: 'de', json: exampleStack() }], { today: '2026-06-01' });
    const before = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1780000000';
    try {
      expect(buildReport(ev).generatedAt).toBe('2026-05-28T20:26:40Z');
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
    expect(buildReport(ev, { spec: { path: 'sovereign.yaml', sha256: 'a'.repeat(64) } }).spec).toEqual({
      path: 'sovereign.yaml',
      sha256: 'a'.repeat(64),
    });
  });

  test('passes are grouped per rule, and the boundary says who declared it', () => {
    const k1 = de.rules.find((x) => x.rule === 'K8S-001');
    expect(k1).toMatchObject({ title: 'Containers are not privileged', failed: 0, suppressed: 0 });
    expect(k1!.passed).toBeGreaterThan(0);
    expect(new Set(de.rules.map((x) => x.rule)).size).toBe(de.rules.length);
    expect(de.boundaryDeclaredBy).toBe('self-declared in the artifact');
  });

  test('services with the models they serve, and who may call in', () => {
    expect(de.inventory.services).toEqual([
      { namespace: 'llm', name: 'vllm-llama', type: 'ClusterIP', ports: [8000], models: ['llama'] },
    ]);
    expect(de.inventory.callers).toEqual([
      { namespace: 'llm', policy: 'allow-serving', from: ['namespace gateway'], ports: [] },
    ]);
    // A selector that matches no server pod serves no model; an open rule admits anyone.
    const j = exampleStack();
    j.resource.kubernetes_service_v1.vllm_llama.spec.selector = { 'app.kubernetes.io/instance': 'other' };
    j.resource.kubernetes_service_v1.vllm_llama.spec.type = 'LoadBalancer';
    j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.ingress = [
      { ports: [{ port: '8000' }] },
      {
        from: [{ ip_block: { cidr: '0.0.0.0/0' } }, { namespace_selector: { match_labels: { team: 'x' } } }],
      },
    ];
    const t = buildReport(evaluateStacks([{ name: 'de', json: j }], { today: '2026-06-01' }), { now: 'x' })
      .stacks[0];
    expect(t.inventory.services[0]).toMatchObject({ type: 'LoadBalancer', models: [] });
    expect(t.inventory.callers.map((c) => c.from)).toEqual([
      ['anyone'],
      ['0.0.0.0/0', 'namespaces with team=x'],
    ]);
  });

  test('models without an API key are called out', () => {
    // The example reads VLLM_API_KEY from a Secret.
    expect(de.inventory.models.map((m) => [m.name, m.apiKey])).toEqual([['llama', true]]);
    const noKey = () => {
      const j = exampleStack();
      const c = j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0];
      c.env = c.env.filter((e: { name: string }) => e.name !== 'VLLM_API_KEY');
      return j;
    };
    const s = buildReport(evaluateStacks([{ name: 'de', json: noKey() }], { today: '2026-06-01' }), {
      now: 'x',
    });
    expect(s.stacks[0].inventory.models[0].apiKey).toBe(false);
    // `--api-key` on the engine counts.
    const a = noKey();
    a.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].args.push(
      '--api-key-file=/k',
    );
    const sa = buildReport(evaluateStacks([{ name: 'de', json: a }], { today: '2026-06-01' }), { now: 'x' });
    expect(sa.stacks[0].inventory.models[0].apiKey).toBe(true);
    // A key on another workload does not count for this model.
    const k = noKey();
    k.resource.kubernetes_deployment_v1.other = JSON.parse(
      JSON.stringify(k.resource.kubernetes_deployment_v1.vllm_llama),
    );
    k.resource.kubernetes_deployment_v1.other.spec.template.metadata.annotations['sovereign-stack.io/model'] =
      'x';
    k.resource.kubernetes_deployment_v1.other.spec.template.spec.container[0].args.push('--api-key=abc');
    const t = buildReport(evaluateStacks([{ name: 'de', json: k }], { today: '2026-06-01' }), { now: 'x' });
    expect(t.stacks[0].inventory.models[0].apiKey).toBe(false);
  });

  test('inventory: resource counts, pools, GPUs, models, images', () => {
    expect(de.inventory.resources).toMatchObject({
      helm_release: 1,
      kubernetes_deployment_v1: 1,
      kubernetes_namespace_v1: 2,
    });
    expect(de.inventory.gpusRequested).toBe(2);
    expect(de.inventory.pools).toEqual([{ name: 'h100', models: ['llama'], gpusRequested: 2 }]);
    expect(de.inventory.models.map((m) => m.name)).toEqual(['llama']);
    expect(de.inventory.images).toHaveLength(6);
  });

  test('inventory: declared pools with product, nodes, sharing and what the models request of them', () => {
    const m = metadata({
      strict: true,
      pools: [
        {
          name: 'h100',
          gpuProduct: 'NVIDIA-H100-80GB-HBM3',
          gpusPerNode: 8,
          physicalGpusPerNode: 8,
          nodeCount: 2,
          sharing: 'none',
          resourceName: 'nvidia.com/gpu',
        },
        {
          name: 'l40s',
          gpuProduct: 'NVIDIA-L40S',
          gpusPerNode: 8,
          physicalGpusPerNode: 4,
          nodeCount: 3,
          sharing: 'time-slicing',
          resourceName: 'nvidia.com/gpu',
        },
      ],
    });
    const s = buildReport(evaluateStacks([{ name: 'de', json: exampleStack(m) }], { today: '2026-06-01' }))
      .stacks[0];
    expect(s.strict).toBe(true);
    expect(s.inventory.pools).toEqual([
      {
        name: 'h100',
        gpuProduct: 'NVIDIA-H100-80GB-HBM3',
        nodeCount: 2,
        gpusPerNode: 8,
        physicalGpusPerNode: 8,
        sharing: 'none',
        resourceName: 'nvidia.com/gpu',
        gpusOffered: 16,
        models: ['llama'],
        gpusRequested: 2,
      },
      {
        name: 'l40s',
        gpuProduct: 'NVIDIA-L40S',
        nodeCount: 3,
        gpusPerNode: 8,
        physicalGpusPerNode: 4,
        sharing: 'time-slicing',
        resourceName: 'nvidia.com/gpu',
        gpusOffered: 24,
        models: [],
        gpusRequested: 0,
      },
    ]);
    // Without declared pools (metadata written before pools were recorded) they come from the models.
    expect(de.strict).toBe(true); // de-bsi-c5 is strict by the profile table
    expect(de.inventory.pools).toEqual([{ name: 'h100', models: ['llama'], gpusRequested: 2 }]);
  });

  test('data locations name backend, storage, sources, mirrors and registries with their jurisdiction', () => {
    const loc = de.dataLocations.map((d) => `${d.kind} ${d.name} ${d.jurisdiction}`);
    expect(loc).toEqual(
      expect.arrayContaining([
        'backend s3 inside',
        'storage llm/weights-llama inside',
        'weights-source model llama inside',
        'weights-source kubernetes_job_v1.weights_llama inside',
        'chart-repository helm_release.gpu_operator inside',
        'image-registry registry.de.example inside',
        'provider-registry kubernetes declared-public',
        'cluster-api provider.kubernetes inside',
      ]),
    );
    expect(de.dataLocations.find((d) => d.kind === 'storage')!.location).toBe('storage class ceph-rbd-de');
    // Every verdict can be checked against what the artifact declares.
    expect(de.boundary.providerHosts).toEqual(['registry.terraform.io', 'providers.de.example']);
    expect(de.boundary.registries.length).toBeGreaterThan(0);
  });

  test('control results show passed rows too, with totals and per-pack roll-up', () => {
    expect(de.results.some((x) => x.status === 'passed')).toBe(true);
    expect(de.results.some((x) => x.status === 'suppressed' && x.rule === 'K8S-023')).toBe(true);
    expect(de.frameworks.map((f) => f.pack)).toEqual([
      'k8s-baseline',
      'k8s-restricted',
      'sovereignty',
      'licence',
      'eu-gdpr',
      'de-bsi-c5',
    ]);
    expect(de.frameworks[1].totals.failed).toBe(0);
  });

  test('supply chain: images with digests, charts with versions, providers, models', () => {
    expect(de.supplyChain.images.every((i) => i.digest !== undefined)).toBe(true);
    expect(de.supplyChain.charts).toEqual([
      {
        address: 'helm_release.gpu_operator',
        release: 'gpu-operator',
        chart: 'gpu-operator',
        version: 'v25.3.0',
        repository: 'https://charts.de.example/nvidia',
        // v25.3.0 is not a version whose defaults the audit carries: said so, not guessed.
        operands: 'chart version not known to the audit',
      },
    ]);
    expect(de.supplyChain.providers.map((p) => `${p.source}@${p.version}`)).toEqual([
      'registry.terraform.io/hashicorp/helm@3.1.1',
      'registry.terraform.io/hashicorp/kubernetes@2.38.0',
    ]);
    expect(de.supplyChain.models[0]).toMatchObject({
      revision: '0e9e39f249a16976918f6564b8830bc894c89659',
      manifestSha256: 'c'.repeat(64),
      license: 'Apache-2.0',
    });
  });

  test("each model's licence comes from the catalogue, with its classes, clauses and acceptances", async () => {
    expect(de.licences).toEqual([
      expect.objectContaining({
        model: 'llama',
        id: 'Apache-2.0',
        listed: true,
        spdx: 'Apache-2.0',
        url: 'https://www.apache.org/licenses/LICENSE-2.0',
        classes: [],
        accepted: [],
      }),
    ]);
    // A Llama licence accepted in the strict profile: the report names the clauses and reasons.
    const j = exampleStack();
    j['//'].sovereign.models[0].license = 'llama3.1';
    j['//'].sovereign.models[0].licenseFacts = licenceById('llama3.1');
    j['//'].sovereign.suppressions.push(
      { rule: 'LIC-002', resource: 'model.llama', reason: 'pinned revision served offline, policy reviewed' },
      { rule: 'LIC-003', resource: 'model.llama', reason: 'no remote switch: offline, no telemetry' },
    );
    const report = buildReport(evaluateStacks([{ name: 'de', json: j }], { today: '2026-12-07' }));
    const l = report.stacks[0].licences[0];
    expect(l).toMatchObject({ id: 'llama3.1', listed: true, name: 'Llama 3.1 Community License Agreement' });
    expect(l.spdx).toBeUndefined();
    expect(l.classes).toEqual(['unilateral-change', 'remote-restriction', 'user-cap', 'attribution']);
    expect(l.clauses.map((c) => c.section)).toEqual([
      '§1.b.iv',
      '§6',
      '§5.c',
      '§2',
      '§1.b.i, §1.b.iii, §5.a',
    ]);
    expect(l.accepted).toEqual([
      { rule: 'LIC-002', reason: 'pinned revision served offline, policy reviewed' },
      { rule: 'LIC-003', reason: 'no remote switch: offline, no telemetry' },
    ]);
    expect(renderText(report)).toContain(
      '  licence llama: LicenseRef-sovereign-llama3.1 (Llama 3.1 Community License Agreement, https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE, read 2026-12-07); risk: unilateral-change, remote-restriction, user-cap, attribution',
    );
    const md = renderMarkdown(report);
    expect(md).toContain(
      'Llama 3.1 Community License Agreement (llama3.1, https\\://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE, read 2026-12-07)',
    );
    expect(md).toContain('LIC-003: no remote switch: offline, no telemetry');
    const bom = toCycloneDx(report) as Any;
    const model = bom.components.find((c: Any) => c.type === 'machine-learning-model');
    expect(model.licenses).toEqual([
      {
        license: {
          name: 'Llama 3.1 Community License Agreement',
          url: 'https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE',
        },
      },
    ]);
    const props = Object.fromEntries(model.properties.map((p: Any) => [p.name, p.value]));
    expect(props['sovereign-stack:licence-risk-classes']).toBe(
      'unilateral-change remote-restriction user-cap attribution',
    );
    expect(props['sovereign-stack:licence-accepted:LIC-003']).toBe('no remote switch: offline, no telemetry');
    expect(await validateCycloneDx(renderCycloneDx(report))).toBeNull();
  });

  test('a broken jurisdiction fails the gate', () => {
    const b = exampleReport({ broken: true });
    expect(b.gate).toBe('fail');
    expect(b.stacks.map((s) => s.name)).toEqual(['de', 'fr']);
    expect(b.stacks[1].dataLocations).toContainEqual({
      kind: 'image-registry',
      name: 'docker.io',
      location: 'docker.io',
      jurisdiction: 'outside',
    });
  });
});
