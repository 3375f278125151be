/**
 * How each model served by a LeaderWorkerSet group is launched across its nodes, read from the
 * group's two pod templates as the judged JSON holds them (the synthesized stack, or the plan's
 * planned values), never from the spec or the stack record: the group's size, the GPUs each pod
 * requests, and vLLM's distributed executor (core/engines/vllm.ts VLLM_MULTI_NODE_BACKEND):
 *
 * - `ray`: a Ray cluster. The leader runs `ray start --head` and `vllm serve …
 *   --distributed-executor-backend ray`; each worker runs `ray start --address=<leader>:<port>`.
 * - `mp`: vLLM's multiprocessing executor across nodes. Every pod runs `vllm serve …
 *   --distributed-executor-backend mp --nnodes <size> --master-addr … --master-port …
 *   --node-rank <rank>` with the same engine arguments, the workers `--headless`.
 *
 * Where the leader and the workers would not form one group (another executor, another group
 * size, another store, a Ray head no worker joins), each disagreement is named. Flags are read as
 * vLLM's parser reads them (`_` for `-`, `--flag=value`, the last one written wins, the long
 * prefixes SOV-012 also accepts); a spelling not read here leaves the mode `not stated`, which
 * the report shows, never a guess.
 */
import { argparseOption } from '../../core/engines/flags';
import { ANNOTATION_MODEL } from '../../core/annotations';
import type { StackResult } from '../engine';
import { cmp, num, one } from '../json';
import { argsOf, get, podViews, type PodView } from '../k8s';
import type { StackReport } from './model';

export interface MultiNodeLaunch {
  /** The LeaderWorkerSet's Terraform address. */
  readonly address: string;
  /** Pods per group (`spec.leaderWorkerTemplate.size`); absent when not a literal number. */
  readonly nodes?: number;
  /** GPUs each pod requests (the leader's limits). */
  readonly gpusPerNode: number;
  /**
   * The group's executor when the leader and the workers launch the same: `ray`, `mp`, `not
   * stated`, or the value written (`"uni"`); `disagree` when they do not.
   */
  readonly backend: string;
  /** What the leader's and the workers' containers launch: `ray`, `mp`, `not stated`, or the value written. */
  readonly leader: string;
  readonly workers: string;
  /** Each way the leader and the workers would not form one group, in words. */
  readonly disagreements: readonly string[];
  /**
   * The group writes no `leaderTemplate`: its leader pod runs the worker template (the LWS
   * controller builds the leader StatefulSet from `workerTemplate` when `leaderTemplate` is nil;
   * kubernetes-sigs/lws v0.10.0 (commit 2161f38ff333f9e24d3c44adef7cd5d9787cac00), pkg/controllers/leaderworkerset_controller.go,
   * constructLeaderStatefulSetApplyConfiguration; only `workerTemplate` is required in the CRD,
   * test/fixtures/crds/lws-v0.10.0).
   */
  readonly leaderUsesWorkerTemplate?: true;
}

/** vLLM flags the launch is read from: name, shortest prefix read, aliases (core/engines/vllm.ts VLLM_FLAGS). */
const FLAGS = {
  backend: { name: 'distributed-executor-backend', from: 'distributed-executor-b'.length, aliases: [] },
  nnodes: { name: 'nnodes', from: 'nnodes'.length, aliases: ['-n'] },
  nodeRank: { name: 'node-rank', from: 'node-r'.length, aliases: ['-r'] },
  masterAddr: { name: 'master-addr', from: 'master-a'.length, aliases: [] },
  masterPort: { name: 'master-port', from: 'master-p'.length, aliases: [] },
  tp: { name: 'tensor-parallel-size', from: 'tensor-p'.length, aliases: ['-tp'] },
  pp: { name: 'pipeline-parallel-size', from: 'pipeline-p'.length, aliases: ['-pp'] },
  headless: { name: 'headless', from: 'headless'.length, aliases: [] },
} as const;
type Flag = keyof typeof FLAGS;
const FLAG_OPTIONS = (Object.entries(FLAGS) as [Flag, (typeof FLAGS)[Flag]][]).map(([flag, f]) => ({
  ...f,
  flag,
}));
/** Flags every pod of an `mp` group must give alike. */
const SHARED: readonly Flag[] = ['nnodes', 'masterAddr', 'masterPort', 'tp', 'pp'];
/** Ray's GCS port when `ray start --head` names none (python/ray/scripts/scripts.py, `--port`). */
const RAY_DEFAULT_PORT = '6379';

interface PodLaunch {
  readonly mode: string;
  readonly flags: ReadonlyMap<Flag, string>;
  /** `ray start --head`: the port it listens on. */
  readonly rayHead?: string;
  /** `ray start --address=<host>:<port>`: the address it joins. */
  readonly rayJoins?: string;
  readonly gpus: number;
}

/** The statements a container runs (shell scripts split at `;`, `&`, `|` and new lines), as words without quotes. */
function statements(p: PodView): string[][] {
  const out: string[][] = [];
  for (const c of p.containers) {
    if (c.init) continue;
    const { command, args } = argsOf(p.obj, c);
    const words: string[] = [];
    for (const element of [...command, ...args]) {
      const parts = element.split(/[\n;&|]+/);
      parts.forEach((s, i) => {
        if (i > 0) {
          out.push(words.splice(0));
        }
        for (const w of s.split(/\s+/)) {
          const t = w.replace(/["'`\\]/g, '');
          if (t !== '') words.push(t);
        }
      });
    }
    out.push(words);
  }
  return out.filter((s) => s.length > 0);
}

function flagOf(word: string): { flag: Flag; value?: string } | undefined {
  const eq = word.indexOf('=');
  const name = eq < 0 ? word : word.slice(0, eq);
  const value = eq < 0 ? undefined : word.slice(eq + 1);
  const found = argparseOption(name, FLAG_OPTIONS);
  return found === undefined ? undefined : { flag: found.flag, value };
}

function podLaunch(p: PodView): PodLaunch {
  const flags = new Map<Flag, string>();
  let rayHead: string | undefined;
  let rayJoins: string | undefined;
  for (const words of statements(p)) {
    // vLLM's flags where vLLM runs (`vllm serve`, `python3 -m vllm.entrypoints…`), not in `head -n 1`.
    if (words.some((w) => /(^|\/)vllm($|\.)/.test(w)))
      words.forEach((w, i) => {
        const f = flagOf(w);
        if (f === undefined) return;
        if (f.flag === 'headless') flags.set('headless', 'true');
        else flags.set(f.flag, f.value ?? words[i + 1] ?? '');
      });
    const at = words.findIndex((w, i) => w === 'ray' && words[i + 1] === 'start');
    if (at < 0) continue;
    const rest = words.slice(at + 2);
    const opt = (name: string) => {
      const i = rest.findIndex((w) => w === name || w.startsWith(`${name}=`));
      return i < 0 ? undefined : rest[i].includes('=') ? rest[i].slice(name.length + 1) : (rest[i + 1] ?? '');
    };
    if (rest.includes('--head')) rayHead = opt('--port') ?? RAY_DEFAULT_PORT;
    else rayJoins = opt('--address') ?? '';
  }
  const backend = flags.get('backend');
  const ray = rayHead !== undefined || rayJoins !== undefined;
  const mode =
    backend === undefined
      ? ray
        ? 'ray'
        : 'not stated'
      : backend === 'ray' || (backend === 'mp' && !ray)
        ? backend
        : backend === 'mp'
          ? 'mp and a Ray node'
          : JSON.stringify(backend);
  let gpus = 0;
  for (const c of p.containers) {
    if (c.init) continue;
    const lim = one(one(c.c[p.obj.k('resources')])?.limits) ?? {};
    for (const [k, v] of Object.entries(lim))
      if (/^(nvidia\.com|amd\.com|gpu\.intel\.com)\//.test(k)) gpus += num(v) ?? 0;
  }
  return { mode, flags, rayHead, rayJoins, gpus };
}

const MODE_NAMES: Readonly<Record<string, string>> = {
  ray: 'a Ray cluster (ray)',
  mp: 'multiprocessing (mp)',
  'not stated': 'no executor stated',
};
/** A launch mode in words: `multiprocessing (mp)`, `a Ray cluster (ray)`, or the executor as written. */
export const modeName = (mode: string): string =>
  Object.hasOwn(MODE_NAMES, mode) ? MODE_NAMES[mode] : `executor ${mode}`;

/**
 * What the leader and the workers disagree on. With `oneTemplate` (no leaderTemplate) the leader
 * runs the workers' template, and the controller gives it LWS_WORKER_INDEX 0 (lws v0.10.0,
 * pkg/utils/pod/pod_utils.go: the leader is the pod whose worker-index label is "0", and
 * LWS_WORKER_INDEX is that label), so a rank of `$(LWS_WORKER_INDEX)` is the leader's 0.
 */
function disagreements(
  leader: PodLaunch,
  worker: PodLaunch,
  nodes: number | undefined,
  oneTemplate = false,
): string[] {
  const out: string[] = [];
  if (leader.mode !== worker.mode)
    out.push(`the leader launches ${modeName(leader.mode)}, the workers ${modeName(worker.mode)}`);
  if (leader.gpus !== worker.gpus)
    out.push(`the leader requests ${leader.gpus} GPU(s), each worker ${worker.gpus}`);
  if (leader.mode === 'ray' && leader.rayHead === undefined) out.push('the leader starts no Ray head');
  if (worker.mode === 'ray') {
    if (worker.rayJoins === undefined) out.push('the workers join no Ray head');
    const port = worker.rayJoins?.match(/:(\d+)$/)?.[1];
    if (leader.rayHead !== undefined && port !== undefined && port !== leader.rayHead)
      out.push(`the workers join a Ray head on port ${port}, the leader's listens on ${leader.rayHead}`);
  }
  if (leader.mode === 'mp' || worker.mode === 'mp') {
    for (const f of SHARED) {
      const [l, w] = [leader.flags.get(f), worker.flags.get(f)];
      if (l !== w)
        out.push(`--${FLAGS[f].name}: the leader ${l ?? '(not given)'}, the workers ${w ?? '(not given)'}`);
    }
    const nn = leader.flags.get('nnodes');
    if (nodes !== undefined && nn !== undefined && nn !== String(nodes))
      out.push(`--nnodes ${nn}, but the group has ${nodes} pods`);
    const rank = leader.flags.get('nodeRank');
    const rankZero = rank === '0' || (oneTemplate && rank === '$(LWS_WORKER_INDEX)');
    if (!rankZero) out.push(`the leader's --node-rank is ${rank ?? '(not given)'}, not 0`);
    if (worker.flags.get('nodeRank') === undefined) out.push('the workers give no --node-rank');
    if (worker.flags.get('headless') === undefined)
      out.push('the workers are not --headless (each would start its own API server)');
    if (leader.flags.get('headless') !== undefined)
      out.push('the leader is --headless (no pod serves the API)');
  }
  return out;
}

/** Every LeaderWorkerSet group of the stack, by the model its leader serves (sorted by address). */
export function multiNodeLaunches(r: StackResult): ReadonlyMap<string, readonly MultiNodeLaunch[]> {
  const out = new Map<string, MultiNodeLaunch[]>();
  for (const res of r.stack.resources) {
    const views = podViews(res);
    const worker = views.find((p) => p.role === 'worker');
    if (!worker) continue;
    // Without a leaderTemplate the leader pod is built from the worker template.
    const ownLeader = views.find((p) => p.role === 'leader');
    const leader = ownLeader ?? worker;
    const modelOf = (p: PodView) => ({ ...p.obj.annotations, ...p.podAnnotations })[ANNOTATION_MODEL];
    const model = modelOf(leader) ?? modelOf(worker);
    if (model === undefined) continue;
    const size = num(
      get(leader.obj, leader.obj.root, 'spec', 'leader_worker_template')?.[leader.obj.k('size')],
    );
    const l = podLaunch(leader);
    const w = podLaunch(worker);
    const found = disagreements(l, w, size, !ownLeader);
    if (modelOf(worker) !== undefined && modelOf(worker) !== model)
      found.unshift(`the leader serves ${model}, the workers ${modelOf(worker)}`);
    const launch: MultiNodeLaunch = {
      address: res.address,
      ...(size === undefined ? {} : { nodes: size }),
      gpusPerNode: l.gpus,
      backend: l.mode === w.mode ? l.mode : 'disagree',
      leader: l.mode,
      workers: w.mode,
      disagreements: found,
      ...(ownLeader ? {} : { leaderUsesWorkerTemplate: true as const }),
    };
    out.set(
      model,
      [...(out.get(model) ?? []), launch].sort((a, b) => cmp(a.address, b.address)),
    );
  }
  return out;
}

/** Every disagreement between a group's leader and its workers in a stack's report, one row each. */
export function disagreeing(s: StackReport): { model: string; address: string; disagreement: string }[] {
  return s.inventory.models.flatMap((m) =>
    (m.multiNode ?? []).flatMap((g) =>
      g.disagreements.map((d) => ({ model: m.name, address: g.address, disagreement: d })),
    ),
  );
}

/**
 * One line per group for the reports: `multi-node: 2 nodes × 8 GPUs, multiprocessing (mp)`, then
 * (unless `brief`) what disagrees.
 */
export function launchLine(g: MultiNodeLaunch, brief = false): string {
  const shape = `multi-node: ${g.nodes ?? '?'} nodes × ${g.gpusPerNode} GPUs`;
  const how =
    g.backend !== 'disagree'
      ? `, ${modeName(g.backend)}`
      : brief
        ? `, leader ${modeName(g.leader)}, workers ${modeName(g.workers)}`
        : '';
  const template = g.leaderUsesWorkerTemplate
    ? '; no leaderTemplate: the leader runs the worker template'
    : '';
  if (g.disagreements.length === 0) return `${shape}${how}${template}`;
  const disagree = 'the leader and the workers disagree';
  return brief
    ? `${shape}${how}${template}; ${disagree}`
    : `${shape}${how}${template}; ${disagree}: ${g.disagreements.join('; ')}`;
}
