import { bool, isRef, join, many, str } from '../json';
import { WORKLOAD_TYPES, argsOf, envOf, type ContainerView, type PodView } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { eachContainer, servingEngine, type Engine } from './private/helpers';

/** The model argument an engine is started with, and where it was found. */
export function modelArgument(
  p: PodView,
  c: ContainerView,
  engine: Engine,
): { value: string; path: string } | undefined {
  const { command, args } = argsOf(p.obj, c);
  const k = p.obj.k;
  const sources: [string[], string][] = [
    [command, join(c.path, k('command'))],
    [args, join(c.path, k('args'))],
  ];
  const flags = engine === 'vllm' ? ['--model'] : ['-m', '--model'];
  for (const [words, base] of sources) {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const eq = flags.find((f) => w.startsWith(`${f}=`));
      if (eq) return { value: w.slice(eq.length + 1), path: `${base}[${i}]` };
      if (flags.includes(w) && i + 1 < words.length)
        return { value: words[i + 1], path: `${base}[${i + 1}]` };
    }
  }
  if (engine === 'vllm') {
    // `vllm serve <model>`: the container's argv is command followed by args, so the model
    // may be the first arg after a command that ends in `serve`.
    const argv = [...command, ...args];
    const i = argv.indexOf('serve');
    if (i >= 0 && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      const at = i + 1;
      return at < command.length
        ? { value: argv[at], path: `${sources[0][1]}[${at}]` }
        : { value: argv[at], path: `${sources[1][1]}[${at - command.length}]` };
    }
  }
  const envName = engine === 'vllm' ? 'VLLM_MODEL' : 'LLAMA_ARG_MODEL';
  const e = envOf(p.obj, c).find((x) => x.name === envName);
  if (e && str(e.value) !== undefined) return { value: str(e.value) as string, path: join(e.path, 'value') };
  return undefined;
}

export const rule: ResourceRule = {
  id: 'SOV-009',
  title: 'Servers load the model from a local, read-only, verified path (never a hub id)',
  severity: 'critical',
  fix: 'Pass the absolute path of the verified weights (`--model /models/<name>/<revision>`) and mount the weights volume read-only at that path.',
  anchors: [
    'vLLM engine args (--model accepts a local path)',
    'llama.cpp server (-m path)',
    'GDPR Art. 44',
    'SecNumCloud 3.2 §19',
  ],
  suppressible: false,
  scope: 'resource',
  appliesTo: WORKLOAD_TYPES,
  check: (r) =>
    eachContainer(
      r,
      (c, p): Outcome[] => {
        const engine = servingEngine(p, c);
        if (!engine) return [];
        // A LeaderWorkerSet's worker joins its leader's Ray cluster: the leader names the model
        // and the worker's GPUs load it from the same path, which the worker must mount too.
        const leader = p.role === 'worker' ? p.leader : undefined;
        const lc = leader?.containers.find((x) => !x.init && servingEngine(leader, x) === engine);
        const m =
          modelArgument(p, c, engine) ?? (leader && lc ? modelArgument(leader, lc, engine) : undefined);
        if (!m) return [fail(join(c.path, p.obj.k('args')), `container ${c.name}: no model argument found`)];
        if (isRef(m.value))
          return [unknown(m.path, `container ${c.name}: model ${m.value} is not resolved at synth time`)];
        if (!m.value.startsWith('/')) {
          return [
            fail(
              m.path,
              `container ${c.name}: model ${m.value} is not a local path (a hub id or relative path is downloaded or resolved at run time)`,
            ),
          ];
        }
        const mounts = many(c.c[p.obj.k('volume_mount')]);
        const covering = mounts
          .map((v, i) => ({ v, i, mp: (str(v[p.obj.k('mount_path')]) ?? '').replace(/\/+$/, '') }))
          .filter(({ mp }) => mp !== '' && (m.value === mp || m.value.startsWith(`${mp}/`)))
          .sort((a, b) => b.mp.length - a.mp.length)[0];
        if (!covering) return [fail(m.path, `container ${c.name}: no volume is mounted at ${m.value}`)];
        const roPath = `${join(c.path, p.obj.k('volume_mount'))}[${covering.i}].${p.obj.k('read_only')}`;
        if (bool(covering.v[p.obj.k('read_only')]) !== true)
          return [fail(roPath, `container ${c.name}: the weights mount ${covering.mp} is not read-only`)];
        return [ok(m.path)];
      },
      false,
    ),
};
