import { isRef, str } from '../json';
import { WORKLOAD_TYPES, argsOf, envOf } from '../k8s';
import { fail, ok, unknown, type Outcome, type ResourceRule } from '../types';
import { eachContainer, servingEngine } from './private/helpers';

/** Environment a vLLM server needs so it never reaches a hub or sends usage data. */
export const VLLM_OFFLINE_ENV: Record<string, string> = {
  HF_HUB_OFFLINE: '1',
  TRANSFORMERS_OFFLINE: '1',
  HF_HUB_DISABLE_TELEMETRY: '1',
  VLLM_NO_USAGE_STATS: '1',
  DO_NOT_TRACK: '1',
};

const LLAMA_HUB_FLAGS = [
  '-hf',
  '-hfr',
  '--hf-repo',
  '-hff',
  '--hf-file',
  '-hfd',
  '--hf-repo-draft',
  '-mu',
  '--model-url',
  '--docker-repo',
  '-dr',
];
const LLAMA_HUB_ENV = ['LLAMA_ARG_HF_REPO', 'LLAMA_ARG_HF_FILE', 'LLAMA_ARG_MODEL_URL'];
const truthy = (v: string | undefined) =>
  v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

export const rule: ResourceRule = {
  id: 'SOV-008',
  title: 'Serving pods run offline: hub access and telemetry disabled',
  severity: 'critical',
  fix: 'vLLM: set HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1, HF_HUB_DISABLE_TELEMETRY=1, VLLM_NO_USAGE_STATS=1, DO_NOT_TRACK=1. llama.cpp: remove -hf/--hf-repo/--model-url flags and LLAMA_ARG_HF_* env.',
  anchors: [
    'vLLM usage stats collection (VLLM_NO_USAGE_STATS, DO_NOT_TRACK)',
    'huggingface_hub environment variables (HF_HUB_OFFLINE)',
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
        const env = new Map(envOf(p.obj, c).map((e) => [e.name, e]));
        const envPath = `${c.path}.${p.obj.k('env')}`;
        const out: Outcome[] = [];
        if (engine === 'vllm') {
          for (const [name] of Object.entries(VLLM_OFFLINE_ENV)) {
            const e = env.get(name);
            if (e && isRef(e.value))
              out.push(unknown(e.path, `container ${c.name}: ${name} is not resolved at synth time`));
            else if (!e || !truthy(str(e.value)))
              out.push(
                fail(
                  e?.path ?? envPath,
                  `container ${c.name}: ${name} must be 1, is ${e ? JSON.stringify(e.value ?? null) : 'unset'}`,
                ),
              );
          }
        } else {
          const { command, args } = argsOf(p.obj, c);
          const words = [...command, ...args];
          const flag = words.find((w) => LLAMA_HUB_FLAGS.includes(w.split('=')[0]));
          if (flag)
            out.push(
              fail(
                `${c.path}.${p.obj.k('args')}`,
                `container ${c.name}: ${flag} downloads the model from a hub at start`,
              ),
            );
          for (const n of LLAMA_HUB_ENV) {
            const e = env.get(n);
            if (e)
              out.push(fail(e.path, `container ${c.name}: ${n} downloads the model from a hub at start`));
          }
        }
        return out.length ? out : [ok(envPath)];
      },
      false,
    ),
};
