/**
 * The launch mode of a model served by a LeaderWorkerSet group, read from the group's pod
 * templates in the judged JSON: hand-written groups in the shape MultiNodeVllmServer writes them
 * (the real synthesis of examples/frontier.yaml is audited in test/policy/leader-worker-set.test.ts).
 */
import { evaluateStacks } from '../../../policy/engine';
import { renderHtml } from '../../../policy/report/html';
import { renderMarkdown } from '../../../policy/report/markdown';
import { buildReport, type AuditReport } from '../../../policy/report/model';
import { launchLine, type MultiNodeLaunch } from '../../../policy/report/multi-node-launch';
import { renderText } from '../../../policy/report/text';
import { exampleStack, withResource, type Any } from '../fixtures';

const ADDRESS = 'kubernetes_manifest.llama_group';
const ENGINE = ['serve', '/models', '--served-model-name', 'llama', '--tensor-parallel-size', '8'];
const MP = [
  '--pipeline-parallel-size',
  '2',
  '--distributed-executor-backend',
  'mp',
  '--nnodes',
  '2',
  '--master-addr',
  '$(LWS_LEADER_ADDRESS)',
  '--master-port',
  '29501',
];
const RAY_LEADER = [
  '/bin/sh',
  '-c',
  'set -e\nray start --head --port=6379 --disable-usage-stats\nexec vllm "$@"',
  'vllm',
];
const RAY_WORKER = [
  '/bin/sh',
  '-c',
  'i=0\nuntil ray start --address="$LWS_LEADER_ADDRESS:6379" --disable-usage-stats --block; do sleep 5; done\nhead -n 1 /etc/hostname',
];

const pod = (name: string, command: string[], args: string[] | undefined) => ({
  metadata: { annotations: { 'sovereign-stack.io/model': 'llama' } },
  spec: {
    containers: [
      {
        name,
        image: 'registry.de.example/vllm/vllm-openai:v0.33.0',
        command,
        ...(args ? { args } : {}),
        resources: { limits: { 'nvidia.com/gpu': '8', cpu: '32' } },
      },
    ],
  },
});

/** A group as MultiNodeVllmServer writes it for `backend`, then `edit`ed. */
function group(backend: 'mp' | 'ray', edit: (leader: Any, worker: Any, lws: Any) => void = () => {}) {
  const leader =
    backend === 'mp'
      ? pod('vllm', ['vllm'], [...ENGINE, ...MP, '--node-rank', '0'])
      : pod('vllm', RAY_LEADER, [
          ...ENGINE,
          '--pipeline-parallel-size',
          '2',
          '--distributed-executor-backend',
          'ray',
        ]);
  const worker =
    backend === 'mp'
      ? pod('vllm-worker', ['vllm'], [...ENGINE, ...MP, '--node-rank', '$(LWS_WORKER_INDEX)', '--headless'])
      : pod('ray-worker', RAY_WORKER, undefined);
  const lws = {
    apiVersion: 'leaderworkerset.x-k8s.io/v1',
    kind: 'LeaderWorkerSet',
    metadata: { name: 'llama-group', namespace: 'llm' },
    spec: {
      replicas: 1,
      leaderWorkerTemplate: { size: 2, leaderTemplate: leader, workerTemplate: worker },
    },
  };
  edit(leader.spec.containers[0], worker.spec.containers[0], lws);
  return withResource(exampleStack(), 'kubernetes_manifest', 'llama_group', { manifest: lws });
}

function report(json: Any): AuditReport {
  const ev = evaluateStacks([{ name: 'de', json, file: 'stacks/de/cdk.tf.json' }], { today: '2026-06-01' });
  return buildReport(ev, { now: '2026-06-01T10:00:00Z' });
}
const launches = (json: Any): readonly MultiNodeLaunch[] | undefined =>
  report(json).stacks[0].inventory.models.find((m) => m.name === 'llama')?.multiNode;
const disagreements = (json: Any) => (launches(json) ?? []).flatMap((g) => g.disagreements);

describe('a multi-node group in the inventory', () => {
  test('multiprocessing: size, GPUs per pod and the executor, from the pod templates', () => {
    expect(launches(group('mp'))).toEqual([
      {
        address: ADDRESS,
        nodes: 2,
        gpusPerNode: 8,
        backend: 'mp',
        leader: 'mp',
        workers: 'mp',
        disagreements: [],
      },
    ]);
  });
  test('Ray: the leader a Ray head running vLLM on Ray, each worker a Ray node joining it', () => {
    const [g] = launches(group('ray')) ?? [];
    expect(g).toMatchObject({ backend: 'ray', leader: 'ray', workers: 'ray', disagreements: [] });
    expect(launchLine(g)).toBe('multi-node: 2 nodes × 8 GPUs, a Ray cluster (ray)');
  });
  test('a model served by one pod template has no multi-node entry', () => {
    expect(launches(exampleStack())).toBeUndefined();
  });
  test('flags spelled as vLLM reads them: underscores, =value, long prefixes; the last one wins', () => {
    const j = group('mp', (l, w) => {
      l.args = [...ENGINE, '--distributed_executor_backend=ray', '--distributed-executor-b', 'mp'];
      l.args.push(
        '--nnodes=2',
        '--master_addr',
        '$(LWS_LEADER_ADDRESS)',
        '--master-p=29501',
        '--node-rank=0',
      );
      l.args.push('--pipeline-parallel-size', '2');
      w.command = ['/bin/sh', '-c', `exec vllm ${w.args.join(' ').replace('--headless', "'--headless'")}`];
      delete w.args;
    });
    expect(launches(j)?.[0]).toMatchObject({ backend: 'mp', disagreements: [] });
  });
  test('a group without a leaderTemplate is shown: its leader runs the worker template', () => {
    const j = group('mp', (_l, _w, lws) => delete lws.spec.leaderWorkerTemplate.leaderTemplate);
    const [g] = launches(j) ?? [];
    expect(g).toMatchObject({
      address: ADDRESS,
      nodes: 2,
      gpusPerNode: 8,
      backend: 'mp',
      leader: 'mp',
      workers: 'mp',
      leaderUsesWorkerTemplate: true,
    });
    // The worker template's --headless is the leader's too; its rank $(LWS_WORKER_INDEX) is the
    // leader's 0 (the controller sets it from the worker-index label, "0" on the leader).
    expect(g.disagreements).toEqual(['the leader is --headless (no pod serves the API)']);
    const line =
      'multi-node: 2 nodes × 8 GPUs, multiprocessing (mp); no leaderTemplate: the leader runs the worker template';
    const r = report(j);
    expect(renderText(r)).toContain(`  model llama ${line}; the leader and the workers disagree: `);
    expect(renderMarkdown(r)).toContain(`- \`llama\` ${line}; the leader and the workers disagree\n`);
    expect(renderHtml(r)).toContain(
      `<li><code>llama</code> ${line}; the leader and the workers disagree</li>`,
    );
  });
  test('a Ray group without a leaderTemplate: the leader is another Ray worker, no head', () => {
    const j = group('ray', (_l, _w, lws) => delete lws.spec.leaderWorkerTemplate.leaderTemplate);
    const [g] = launches(j) ?? [];
    expect(g).toMatchObject({ backend: 'ray', leaderUsesWorkerTemplate: true });
    expect(g.disagreements).toEqual(['the leader starts no Ray head']);
  });
  test('a group with its own leaderTemplate carries no such note', () => {
    const [g] = launches(group('mp')) ?? [];
    expect(g.leaderUsesWorkerTemplate).toBeUndefined();
    expect(launchLine(g)).not.toContain('leaderTemplate');
  });
  test('renders in every format, deterministically', () => {
    const r = report(group('mp'));
    const line = 'multi-node: 2 nodes × 8 GPUs, multiprocessing (mp)';
    expect(renderText(r)).toContain(`  model llama ${line}\n`);
    expect(renderMarkdown(r)).toContain(`- \`llama\` ${line}\n`);
    expect(renderHtml(r)).toContain(`<li><code>llama</code> ${line}</li>`);
    expect(JSON.stringify(report(group('mp')))).toBe(JSON.stringify(r));
  });
});

describe('fails to agree: every way the leader and the workers would not form one group is named', () => {
  test.each<[string, 'mp' | 'ray', (l: Any, w: Any, lws: Any) => void, string[]]>([
    [
      'the workers join a Ray cluster, the leader runs multiprocessing',
      'mp',
      (_l, w) => {
        w.command = RAY_WORKER;
        delete w.args;
      },
      [
        'the leader launches multiprocessing (mp), the workers a Ray cluster (ray)',
        '--nnodes: the leader 2, the workers (not given)',
        '--master-addr: the leader $(LWS_LEADER_ADDRESS), the workers (not given)',
        '--master-port: the leader 29501, the workers (not given)',
        '--tensor-parallel-size: the leader 8, the workers (not given)',
        '--pipeline-parallel-size: the leader 2, the workers (not given)',
        'the workers give no --node-rank',
        'the workers are not --headless (each would start its own API server)',
      ],
    ],
    [
      'the workers run multiprocessing, the leader a Ray head',
      'ray',
      (_l, w) => {
        w.command = ['vllm'];
        w.args = [...ENGINE, ...MP, '--node-rank', '$(LWS_WORKER_INDEX)', '--headless'];
      },
      [
        'the leader launches a Ray cluster (ray), the workers multiprocessing (mp)',
        '--nnodes: the leader (not given), the workers 2',
        '--master-addr: the leader (not given), the workers $(LWS_LEADER_ADDRESS)',
        '--master-port: the leader (not given), the workers 29501',
        "the leader's --node-rank is (not given), not 0",
      ],
    ],
    [
      'another group size, another store and no --headless on the workers',
      'mp',
      (_l, w) => {
        w.args[w.args.indexOf('--nnodes') + 1] = '3';
        w.args[w.args.indexOf('--master-port') + 1] = '29999';
        w.args = w.args.filter((a: string) => a !== '--headless');
      },
      [
        '--nnodes: the leader 2, the workers 3',
        '--master-port: the leader 29501, the workers 29999',
        'the workers are not --headless (each would start its own API server)',
      ],
    ],
    [
      '--nnodes agreed between the templates but not the group size',
      'mp',
      (l, w, lws) => {
        lws.spec.leaderWorkerTemplate.size = 4;
        void l;
        void w;
      },
      ['--nnodes 2, but the group has 4 pods'],
    ],
    [
      'the leader headless with a rank other than 0',
      'mp',
      (l) => {
        l.args[l.args.indexOf('--node-rank') + 1] = '1';
        l.args.push('--headless');
      },
      ["the leader's --node-rank is 1, not 0", 'the leader is --headless (no pod serves the API)'],
    ],
    [
      'the workers join a Ray head on another port, with fewer GPUs',
      'ray',
      (_l, w) => {
        w.command = [w.command[0], w.command[1], w.command[2].replace(':6379', ':6380')];
        w.resources.limits['nvidia.com/gpu'] = '4';
      },
      [
        'the leader requests 8 GPU(s), each worker 4',
        "the workers join a Ray head on port 6380, the leader's listens on 6379",
      ],
    ],
    [
      'the leader runs vLLM on Ray but starts no Ray head',
      'ray',
      (l) => (l.command = ['vllm']),
      ['the leader starts no Ray head'],
    ],
    [
      'an executor that is neither',
      'mp',
      (l) => (l.args[l.args.indexOf('mp')] = 'uni'),
      ['the leader launches executor "uni", the workers multiprocessing (mp)'],
    ],
  ])('%s', (_what, backend, edit, expected) => {
    const j = group(backend, edit);
    expect(disagreements(j)).toEqual(expected);
    const [g] = launches(j) ?? [];
    const r = report(j);
    // Named in the text line, and in a section of its own in Markdown and HTML.
    expect(renderText(r)).toContain(`the leader and the workers disagree: ${expected.join('; ')}`);
    expect(renderMarkdown(r)).toContain('### Multi-node groups whose leader and workers disagree');
    expect(renderHtml(r)).toContain('<h3>Multi-node groups whose leader and workers disagree</h3>');
    expect(g.backend).toBe(g.leader === g.workers ? g.leader : 'disagree');
  });

  test('a value read from the artifact cannot inject markup into the Markdown or HTML report', () => {
    const j = group('mp', (l) => (l.args[l.args.indexOf('mp')] = '<img/src=x>'));
    const md = renderMarkdown(report(j));
    expect(md).toContain('executor "\\<img/src=x\\>"');
    expect(md).not.toMatch(/(^|[^\\])<img/m);
    expect(renderHtml(report(j))).not.toContain('<img');
  });

  test('a link in a worker argument stays text in one cell of the disagreement table', () => {
    const j = group(
      'mp',
      (_l, w) => (w.args[w.args.indexOf('--master-port') + 1] = '[click](https://evil.example/x)'),
    );
    const md = renderMarkdown(report(j));
    const row = md.split('\n').find((l) => l.includes('--master-port: the leader'))!;
    expect(row).toBe(
      '| `llama` | `kubernetes_manifest.llama_group` | --master-port: the leader 29501, the workers \\[click\\](https\\://evil.example/x) |',
    );
    expect(md).not.toContain('](https://');
  });
});
