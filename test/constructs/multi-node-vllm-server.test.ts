/**
 * Serving across nodes, read back from the real synthesis of examples/frontier.yaml: the layout
 * the planner picks (and the refusals with the numbers, the same from `validate` and `synth`),
 * the LeaderWorkerSet against the upstream CRD schema, vLLM across nodes as each release documents
 * them, the node side declared in the pool, group semantics, and the controller from the mirror.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GIB, weightBytes } from '../../constructs/capacity';
import { catalogueModel } from '../../constructs/model-catalogue';
import { planStage, planVllmLayout } from '../../constructs/multi-node-plan';
import { gpuPlacementOf } from '../../constructs/server-plan';
import { LWS_CHART_VERSION, LWS_COMMIT, LWS_RELEASE } from '../../core/lws-pins';
import { ROLE_LABEL } from '../../constructs/multi-node-vllm-server';
import { isSovereignError } from '../../core/errors';
import { capacityProblems, vllmLayouts } from '../../stacks/spec/plan';
import { parseSpec } from '../../stacks/spec/load';
import { sovereign } from '../support/cli';
import { refusal } from '../support/refusal';
import { readFixture, schemaProblems } from '../support/crd-schema';
import { REPO_ROOT } from '../support/paths';
import { resources, synthExample, synthSpec, type Json } from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

const FRONTIER = 'examples/frontier.yaml';
const text = () => fs.readFileSync(FRONTIER, 'utf8');
const stack = (() => {
  let out: Json | undefined;
  return (): Json => (out ??= synthExample(FRONTIER, true).stacks['nl-ams-frontier']);
})();
const lws = (): Json => {
  const ms = resources(stack(), 'kubernetes_manifest').filter((r) => r.manifest.kind === 'LeaderWorkerSet');
  expect(ms).toHaveLength(1);
  return ms[0].manifest;
};
const template = (role: 'leader' | 'worker') => lws().spec.leaderWorkerTemplate[`${role}Template`];
const container = (role: 'leader' | 'worker') => template(role).spec.containers[0];

// A dense stand-in with DeepSeek-R1's sizes (heads × head dim, no MLA): the layout rule alone.
const R1 = {
  name: 'custom',
  parameters: 671e9,
  layers: 61,
  attentionHeads: 128,
  kvHeads: 128,
  headDim: 192,
  maxContextTokens: 163840,
  nativeFormat: 'fp8' as const,
};
const H100 = (nodes: number) =>
  gpuPlacementOf({
    poolName: 'h100-ib',
    gpusPerNode: 8,
    gpuMemoryGiB: 79.6,
    nodeCount: nodes,
    resourceName: 'nvidia.com/gpu',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
  });
const input = {
  arch: R1,
  weightBytes: weightBytes(R1, 'fp8'),
  kvCache: 'auto' as const,
  maxModelLenTokens: 16384,
  maxNumSeqs: 4,
  gpuMemoryUtilization: 0.9,
  peakReplicas: 1,
  replicasPath: 'replicas',
};

describe('the layout: tensor parallel in a node, pipeline parallel across the fewest nodes that hold it', () => {
  test('DeepSeek-R1 FP8 on 8 × H100 nodes: TP 8 × PP 2, with hand-computed figures', () => {
    const l = planVllmLayout(input, H100(2), { declaredAt: 'pools.h100-ib.multiNode' }, 'pools.h100-ib');
    expect([l.nodes, l.tensorParallelSize, l.pipelineParallelSize, l.utilizationFlag]).toEqual([
      2,
      8,
      2,
      '0.90',
    ]);
    // 671e9 × 1 byte × 1.05 = 704.55e9 bytes = 656.2 GiB; a stage holds ceil(61/2) = 31 layers.
    expect(l.capacity.weightBytes / GIB).toBeCloseTo(656.16, 1);
    expect(l.capacity.weightBytesPerGpu).toBeCloseTo((704.55e9 * 31) / 61 / 8, 0);
    // KV per token per GPU: 2 × 31 layers × 16 heads (128 / TP 8) × 192 × 2 bytes = 380 928 bytes;
    // 4 × 16384 tokens → 23.25 GiB.
    expect(l.capacity.kvCacheBytesPerGpu).toBe(2 * 31 * 16 * 192 * 2 * 4 * 16384);
    // usable: floor(0.9 × 79.6 / 79.6 × 100) / 100 × 79.6 GiB = 71.64 GiB ≥ 41.8 + 23.25 + 2.
    expect(l.capacity.usableBytesPerGpu / GIB).toBeCloseTo(71.64, 2);
    expect(l.capacity.fits).toBe(true);
    // One node would need 704.55e9 / 8 = 82 GiB of weights per GPU alone.
    expect(planStage({ ...input, concurrentSequences: 4 }, l.capacity.usableBytesPerGpu, 8, 1).fits).toBe(
      false,
    );
  });

  test('the built-in DeepSeek-R1 (MoE + MLA, FP8 blocks): TP 8 × PP 2 with the latent cache per stage', () => {
    // constructs/model-catalogue.ts `deepseek-r1` (DeepSeek-V3 inference/configs/config_671B.json).
    const r1 = catalogueModel('deepseek-r1')!;
    const l = planVllmLayout(
      { ...input, arch: r1, weightBytes: weightBytes(r1, 'fp8') },
      H100(2),
      { declaredAt: 'pools.h100-ib.multiNode' },
      'pools.h100-ib',
    );
    expect([l.nodes, l.tensorParallelSize, l.pipelineParallelSize]).toEqual([2, 8, 2]);
    // Weights 673 043 149 609.375 B (capacity-moe-mla.test.ts); a stage holds 31 of 61 layers
    // on 8 GPUs: × 31 / 61 / 8 = 42 754 790 241.58 B per GPU.
    expect(l.capacity.weightBytesPerGpu).toBeCloseTo((673043149609.375 * 31) / 61 / 8, 0);
    // MLA latent cache, whole on every GPU of a stage: 31 layers × (512 + 64) × 2 bytes
    // = 35 712 B per token; × 4 sequences × 16 384 tokens = 2 340 421 632 B.
    expect(l.capacity.kvCacheBytesPerGpu).toBe(31 * (512 + 64) * 2 * 4 * 16384);
    expect(l.capacity.expertParallel).toBe(true);
  });

  test('the example group runs DeepSeek-R1 with expert parallel across the group', () => {
    expect(container('leader').args).toContain('--enable-expert-parallel');
  });

  test('a model that fits one node stays on one node (no group)', () => {
    const small = {
      ...input,
      arch: { ...R1, parameters: 70e9 },
      weightBytes: weightBytes({ parameters: 70e9 }, 'fp8'),
    };
    const l = planVllmLayout(small, H100(2), { declaredAt: 'x' }, 'pools.h100-ib');
    expect([l.nodes, l.pipelineParallelSize]).toEqual([1, 1]);
  });

  test('fails when the pool has too few nodes: what it needs, what one node and the pool offer', () => {
    expect.assertions(3);
    try {
      planVllmLayout(input, H100(1), { declaredAt: 'x' }, 'pools.h100-ib');
    } catch (e) {
      expect(isSovereignError(e)).toBe(true);
      const m = isSovereignError(e) ? e.problems[0].message : '';
      expect(m).toMatch(/needs [0-9.]+ GiB of GPU memory \(656\.2 GiB of weights \+ [0-9.]+ GiB of KV cache/);
      expect(m).toMatch(
        /one node of pool h100-ib offers 8 × 71\.6 GiB usable = 573\.1 GiB, and the pool's 1 node offer 573\.1 GiB\. Add nodes \(2 are needed\)/,
      );
    }
  });

  test('fails when the pool declares no interconnect, naming the layout it would take', () => {
    expect.assertions(2);
    try {
      planVllmLayout(input, H100(2), undefined, 'pools.h100-ib');
    } catch (e) {
      const m = isSovereignError(e) ? e.problems[0].message : '';
      expect(m).toMatch(/each GPU would need [0-9.]+ GiB of 71\.6 GiB/);
      expect(m).toMatch(
        /It fits across 2 nodes of pool h100-ib \(tensor parallel 8 in a node × pipeline parallel 2: [0-9.]+ GiB of 71\.6 GiB per GPU\), served by a LeaderWorkerSet once the pool declares its interconnect: add pools\.h100-ib\.multiNode/,
      );
    }
  });

  test('the spec planner (validate) chooses the same layout the stack builds (synth)', () => {
    const j = parseSpec(text(), FRONTIER).spec.jurisdictions['nl-ams-frontier'];
    expect(capacityProblems(j)).toEqual([]);
    const l = vllmLayouts(j);
    expect([l.get('deepseek-r1')?.nodes, l.get('mistral-7b')?.nodes]).toEqual([2, 1]);
    expect(lws().spec.leaderWorkerTemplate.size).toBe(2);
  });
});

describe('validate and synth refuse the same specs with the same located message', () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-multinode-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const both = async (name: string, edited: string) => {
    const file = path.join(tmp, `${name}.yaml`);
    fs.writeFileSync(file, edited);
    const v = await sovereign(['validate', file]);
    const s = await sovereign(['synth', file, '--out', path.join(tmp, `${name}-out`)]);
    expect(fs.existsSync(path.join(tmp, `${name}-out`))).toBe(false);
    return { v, s };
  };
  test.each([
    [
      'one node left in the pool',
      (t: string) => t.replace('nodes: [ams-gpu-h100-01, ams-gpu-h100-02]', 'nodes: [ams-gpu-h100-01]'),
      /frontier-1\.yaml:\d+:\d+ +jurisdictions\.nl-ams-frontier\.models\.deepseek-r1\.pool +deepseek-r1 needs [0-9.]+ GiB of GPU memory .* the pool's 1 node offer [0-9.]+ GiB\. Add nodes \(2 are needed\)/,
    ],
    [
      'no multiNode on the pool',
      (t: string) => t.replace(/\n {8}multiNode:\n(?: {10}.*\n| {12}.*\n)+/, '\n'),
      /models\.deepseek-r1\.pool +.*It fits across 2 nodes of pool h100-ib \(tensor parallel 8 in a node × pipeline parallel 2/,
    ],
    [
      'no LeaderWorkerSet controller',
      (t: string) => t.replace(/\n {4}leaderWorkerSet:\n(?: {6}.*\n| {8}.*\n)+/, '\n'),
      /models\.deepseek-r1 +is served across 2 nodes of pool h100-ib \(tensor parallel 8 × pipeline parallel 2\) by a LeaderWorkerSet: add leaderWorkerSet/,
    ],
  ])('fails when %s', async (_label, edit, message) => {
    const edited = edit(text());
    expect(edited).not.toBe(text());
    const { v, s } = await both(
      `frontier-${['one node left in the pool', 'no multiNode on the pool', 'no LeaderWorkerSet controller'].indexOf(_label as string) + 1}`,
      edited,
    );
    expect(v.code).toBe(2);
    expect(s.code).toBe(2);
    expect(v.stderr).toMatch(message);
    // The same problem lines (file:line:col path message) from both commands.
    const lines = (x: string) => x.split('\n').filter((l) => /^\s+\S+\.yaml:\d+:\d+/.test(l));
    expect(lines(s.stderr)).toEqual(lines(v.stderr));
  });

  test("fails when the group's pods would share a ReadWriteOnce store", async () => {
    const { v, s } = await both(
      'rwo',
      text()
        .replace('accessMode: ReadWriteMany', 'accessMode: ReadWriteOnce')
        .replace('replicas: 2', 'replicas: 1'),
    );
    expect([v.code, s.code]).toEqual([2, 2]);
    expect(v.stderr).toMatch(
      /stores\.models\.accessMode +.*deepseek-r1 is served across 2 nodes, and each of its pods mounts store "models", which is ReadWriteOnce/,
    );
  });

  test('fails when an NCCL variable is not one NCCL documents, naming the allowed ones', async () => {
    const { v } = await both('nccl', text().replace('NCCL_IB_HCA: mlx5', 'NCCL_IB_HCAS: mlx5'));
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/multiNode\.nccl\.NCCL_IB_HCAS|multiNode\.nccl/);
    expect(v.stderr).toMatch(/NCCL_IB_HCA/);
  });
});

describe('the LeaderWorkerSet: upstream schema, vLLM across nodes, hardening, group semantics', () => {
  test('fits the CRD schema of kubernetes-sigs/lws v0.10.0 (unknown fields refused)', () => {
    const crd = readFixture('lws-v0.10.0/leaderworkersets.json') as {
      group: string;
      version: string;
      kind: string;
      schema: unknown;
    };
    expect(`${crd.group}/${crd.version}`).toBe(lws().apiVersion);
    expect(schemaProblems(crd.schema, lws())).toEqual([]);
    const bad = structuredClone(lws());
    bad.spec.leaderWorkerTemplate.restartPolicy = 'RecreateGroupOnPodFailure';
    bad.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].securityContex = {};
    expect(schemaProblems(crd.schema, bad).join('\n')).toMatch(
      /additional properties \(securityContex\)[\s\S]*restartPolicy: must be equal to one of the allowed values/,
    );
    expect([LWS_RELEASE, LWS_COMMIT.length]).toEqual(['v0.10.0', 40]);
  });

  test('v0.33.0 (no Ray in the image): every pod runs vllm serve with the multiprocessing executor across the two nodes', () => {
    const flagsOf = (a: string[]) => (f: string) => a[a.indexOf(f) + 1];
    const leader = container('leader');
    expect(leader.command).toEqual(['vllm']);
    const a = leader.args as string[];
    expect(a.slice(0, 2)).toEqual(['serve', '/models']);
    const flag = flagsOf(a);
    expect(
      [
        '--tensor-parallel-size',
        '--pipeline-parallel-size',
        '--distributed-executor-backend',
        '--nnodes',
      ].map(flag),
    ).toEqual(['8', '2', 'mp', '2']);
    expect([flag('--master-addr'), flag('--master-port'), flag('--node-rank')]).toEqual([
      '$(LWS_LEADER_ADDRESS)',
      '29501',
      '0',
    ]);
    expect(a).not.toContain('--headless');
    // The worker: the leader's engine arguments, its own rank, headless (no API server).
    const w = container('worker');
    expect(w.command).toEqual(['vllm']);
    const wa = w.args as string[];
    expect(flagsOf(wa)('--node-rank')).toBe('$(LWS_WORKER_INDEX)');
    expect(wa[wa.indexOf('--node-rank') + 2]).toBe('--headless');
    const withoutRank = (x: string[]) =>
      x.filter((v, i) => v !== '--node-rank' && x[i - 1] !== '--node-rank');
    expect(withoutRank(wa).filter((v) => v !== '--headless')).toEqual(withoutRank(a));
    // No Ray anywhere: not in the commands, the environment or the ports.
    for (const c of [leader, w]) {
      expect(JSON.stringify([c.command, c.args, c.ports])).not.toMatch(/ray/i);
      expect(c.env.map((e: Json) => e.name)).not.toContain('RAY_USAGE_STATS_ENABLED');
    }
    expect(leader.ports.map((p: Json) => [p.name, p.containerPort])).toEqual([
      ['http', 8000],
      ['dist-store', 29501],
    ]);
    expect(w.ports).toEqual([]);
    // The headless worker serves no port: its probes check the leader's torch.distributed store.
    expect(w.livenessProbe.exec.command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(w.livenessProbe.exec.command[2]).toContain('os.environ["LWS_LEADER_ADDRESS"], 29501');
    expect(w.readinessProbe.exec).toEqual(w.livenessProbe.exec);
    expect(leader.livenessProbe.httpGet).toMatchObject({ path: '/health', port: 'http' });
  });

  test('v0.12.0 (Ray in the image): the leader is the Ray head and runs vllm serve on the Ray backend', () => {
    const old = synthSpec(
      'spec.yaml',
      text()
        .replace('vllm-openai:v0.33.0@', 'vllm-openai:v0.12.0@')
        .replace('engines: { vllm: v0.33.0 }', 'engines: { vllm: v0.12.0 }'),
      true,
    ).stacks['nl-ams-frontier'];
    const set = (
      resources(old, 'kubernetes_manifest').find((r) => r.manifest.kind === 'LeaderWorkerSet') as Json
    ).manifest;
    const of = (role: 'leader' | 'worker') =>
      set.spec.leaderWorkerTemplate[`${role}Template`].spec.containers[0];
    const c = of('leader');
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command[3]).toBe('vllm');
    expect(c.command[2]).toMatch(
      /^set -e\nray start --head --port=6379 --disable-usage-stats --include-dashboard=false/,
    );
    expect(c.command[2]).toMatch(/"\$LWS_GROUP_SIZE"/);
    expect(c.command[2].trimEnd().split('\n').pop()).toBe('exec vllm "$@"');
    const a = c.args as string[];
    expect(a.slice(0, 2)).toEqual(['serve', '/models']);
    const flag = (f: string) => a[a.indexOf(f) + 1];
    expect([
      flag('--tensor-parallel-size'),
      flag('--pipeline-parallel-size'),
      flag('--distributed-executor-backend'),
    ]).toEqual(['8', '2', 'ray']);
    for (const f of ['--nnodes', '--node-rank', '--master-addr', '--headless']) expect(a).not.toContain(f);
    const w = of('worker');
    expect(w.name).toBe('ray-worker');
    expect(w.args).toBeUndefined();
    expect(w.command[2]).toMatch(
      /ray start --address="\$LWS_LEADER_ADDRESS:6379" --disable-usage-stats --include-dashboard=false --node-manager-port=6380 --block/,
    );
    expect(w.livenessProbe.tcpSocket).toEqual({ port: 'ray-node' });
    expect(Object.fromEntries(w.env.map((e: Json) => [e.name, e.value]))).toMatchObject({
      RAY_USAGE_STATS_ENABLED: '0',
    });
  });

  test('a spec cannot write the flags the group is launched with', () => {
    for (const f of [
      '--nnodes',
      '--node-rank',
      '--master-addr',
      '--master-port',
      '--headless',
      '--distributed-executor-backend',
    ]) {
      const spec = text().replace(
        /(deepseek-r1:\n(?:.*\n){3}) {8}replicas: 1\n/,
        `$1        replicas: 1\n        extraArgs: ['${f}', '1']\n`,
      );
      expect(refusal(() => parseSpec(spec, 'spec.yaml'))).toContain(
        `jurisdictions.nl-ams-frontier.models.deepseek-r1.extraArgs.0  "${f}" is set by the toolkit`,
      );
    }
  });

  test('each pod: 8 GPUs, the RDMA device, /dev/shm in memory, NCCL env, offline, IPC_LOCK only as declared', () => {
    for (const role of ['leader', 'worker'] as const) {
      const t = template(role);
      const c = container(role);
      expect(c.resources.limits).toMatchObject({ 'nvidia.com/gpu': '8', 'rdma/rdma_shared_device_a': '1' });
      expect(c.resources.requests).toEqual(c.resources.limits);
      expect(t.spec.volumes.find((v: Json) => v.name === 'shm')).toEqual({
        name: 'shm',
        emptyDir: { medium: 'Memory', sizeLimit: '32Gi' },
      });
      const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value]));
      expect(env).toMatchObject({
        NCCL_IB_HCA: 'mlx5',
        NCCL_SOCKET_IFNAME: 'eth0',
        NCCL_NET_GDR_LEVEL: 'SYS',
        HF_HUB_OFFLINE: '1',
        VLLM_NO_USAGE_STATS: '1',
      });
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'], add: ['IPC_LOCK'] },
      });
      expect(t.spec).toMatchObject({ automountServiceAccountToken: false });
      expect(t.spec.hostNetwork).toBeUndefined();
      expect(t.spec.volumes.find((v: Json) => v.name === 'weights').persistentVolumeClaim.readOnly).toBe(
        true,
      );
      expect(t.metadata.labels[ROLE_LABEL]).toBe(role);
    }
    // Without ipcLock in the pool, no capability is added and nothing is suppressed.
    const plain = synthSpec('spec.yaml', text().replace(/\n {10}ipcLock:\n {12}reason: .*\n/, '\n'), true)
      .stacks['nl-ams-frontier'];
    const m = (
      resources(plain, 'kubernetes_manifest').find((r) => r.manifest.kind === 'LeaderWorkerSet') as Json
    ).manifest;
    expect(
      m.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.capabilities,
    ).toEqual({ drop: ['ALL'] });
    expect(plain['//'].sovereign.suppressions.map((s: Json) => s.rule)).toEqual(['K8S-023']);
  });

  test('the relaxation is recorded as a K8S-006 suppression with the reason from the spec', () => {
    const s = stack()['//'].sovereign.suppressions.find((x: Json) => x.rule === 'K8S-006');
    expect(s.resource).toMatch(/^kubernetes_manifest\.model-deepseek-r1_leader-worker-set_/);
    expect(s.reason).toMatch(/^NCCL registers GPU and host buffers/);
    const pool = stack()['//'].sovereign.pools.find((p: Json) => p.name === 'h100-ib');
    expect(pool.multiNode.hostRequirements).toHaveLength(4);
    expect(stack()['//'].sovereign.models.find((m: Json) => m.name === 'deepseek-r1')).toMatchObject({
      gpus: 16,
      nodesPerReplica: 2,
    });
  });

  test('group semantics: recreate the group on any restart, roll out one group at a time', () => {
    expect(lws().spec).toMatchObject({
      replicas: 1,
      startupPolicy: 'LeaderCreated',
      rolloutStrategy: {
        type: 'RollingUpdate',
        rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: 0 },
      },
      leaderWorkerTemplate: { size: 2, restartPolicy: 'RecreateGroupOnPodRestart' },
    });
    // One group: no budget (it would forbid every drain); two groups: one budget over all pods.
    expect(resources(stack(), 'kubernetes_pod_disruption_budget_v1').map((p) => p.metadata.name)).toEqual([
      'mistral-7b',
    ]);
    const two = synthSpec(
      'spec.yaml',
      text()
        .replace(
          'nodes: [ams-gpu-h100-01, ams-gpu-h100-02]',
          'nodes: [ams-gpu-h100-01, ams-gpu-h100-02, ams-gpu-h100-04, ams-gpu-h100-05]',
        )
        .replace(/(deepseek-r1:\n(?:.*\n){3}) {8}replicas: 1/, '$1        replicas: 2'),
      true,
    ).stacks['nl-ams-frontier'];
    const pdb = resources(two, 'kubernetes_pod_disruption_budget_v1').find(
      (p) => p.metadata.name === 'deepseek-r1',
    ) as Json;
    expect(pdb.spec).toEqual({
      max_unavailable: '1',
      selector: { match_labels: expect.objectContaining({ 'app.kubernetes.io/instance': 'deepseek-r1' }) },
    });
    expect(pdb.spec.selector.match_labels[ROLE_LABEL]).toBeUndefined();
  });

  test("the set is not named as the API Service: the controller's headless Service takes the set's name", () => {
    expect(lws().metadata.name).toBe('deepseek-r1-group');
    const services = resources(stack(), 'kubernetes_service_v1').map((s) => s.metadata.name);
    expect(services).toContain('deepseek-r1');
    expect(services).not.toContain(lws().metadata.name);
  });

  test('fails when the set name is no DNS-1035 label (validate says so, as synth does)', () => {
    for (const [model, why] of [
      ['r1-' + 'x'.repeat(56), 'at most 63 characters'],
      ['671b-r1', 'a lower-case letter first'],
    ]) {
      const spec = text().replace(/\n {6}deepseek-r1:\n/, `\n      ${model}:\n`);
      const msg = refusal(() => parseSpec(spec, 'spec.yaml'));
      expect(msg).toContain(
        `jurisdictions.nl-ams-frontier.models.${model}  its LeaderWorkerSet "${model}-group"`,
      );
      expect(msg).toContain(why);
    }
  });

  test('only the leader serves the API; the group reaches itself on every port, nothing more', () => {
    const svc = resources(stack(), 'kubernetes_service_v1').find(
      (s) => s.metadata.name === 'deepseek-r1',
    ) as Json;
    expect(svc.spec.selector[ROLE_LABEL]).toBe('leader');
    const np = resources(stack(), 'kubernetes_network_policy_v1').find(
      (n) => n.metadata.name === 'deepseek-r1-group',
    ) as Json;
    expect(np.spec.ingress).toEqual([
      { from: [{ pod_selector: { match_labels: np.spec.pod_selector.match_labels } }] },
    ]);
    expect(np.spec.egress).toEqual([
      { to: [{ pod_selector: { match_labels: np.spec.pod_selector.match_labels } }] },
    ]);
  });
});

describe('the LeaderWorkerSet controller: chart and image from the mirror, restricted namespace', () => {
  test('helm release of the pinned chart, manager image rewritten and pinned by digest', () => {
    const r = resources(stack(), 'helm_release').find((x) => x.chart === 'lws') as Json;
    expect(r).toMatchObject({
      name: 'lws',
      namespace: 'lws-system',
      repository: 'oci://registry.ams.ai-zone.nl.example/charts',
      version: LWS_CHART_VERSION,
    });
    const v = JSON.parse(r.values[0]);
    expect(v.image.manager).toEqual({
      repository: 'registry.ams.ai-zone.nl.example/lws/lws',
      tag: expect.stringMatching(/^v0\.10\.0@sha256:[a-f0-9]{64}$/),
      pullPolicy: 'IfNotPresent',
    });
    expect(v.podSecurityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    const ns = resources(stack(), 'kubernetes_namespace_v1').find(
      (n) => n.metadata.name === 'lws-system',
    ) as Json;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(lws()).toBeDefined();
  });

  test('a single-node jurisdiction gets no controller', () => {
    const s = synthExample('examples/minimal.yaml', true).stacks.lab;
    expect(resources(s, 'helm_release').map((r) => r.chart)).not.toContain('lws');
  });
});
