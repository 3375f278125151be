/**
 * `vllm serve` flags per supported release, as data (one entry per flag; `removed` / `since`
 * mark the entries that are not in every supported release).
 *
 * v0.12.0 (the earlier pin). Checked against upstream source:
 * - FrontendArgs and `make_arg_parser`: vllm/entrypoints/openai/cli_args.py @ 789340fb
 * - engine groups (ModelConfig, LoadConfig, CacheConfig, ParallelConfig, SchedulerConfig, …) and
 *   the top-level `--disable-log-stats` / AsyncEngineArgs `--enable-log-requests`:
 *   vllm/engine/arg_utils.py @ 99d7eb5d (`EngineArgs.add_cli_args`), each flag generated from the
 *   config dataclass field of the same name under vllm/config/; a `bool` field gets both
 *   `--x` and `--no-x` (argparse.BooleanOptionalAction).
 * Both commits sit just before v0.12.0 (their deprecation notices say "will be removed in
 * v0.12.0"); the tag itself is not in the stored history. The rendered v0.12.0 reference,
 * https://docs.vllm.ai/en/v0.12.0/cli/serve/, shows the same top-level and Frontend flags.
 * `-O<n>` selects an optimization level from v0.12.0 (vllm-project/vllm#26847, #29557), so `-O`
 * is not listed as a spelling of `--compilation-config`.
 *
 * v0.33.0 (the newest release as of 2026-12-07). What the stored sources show:
 * - The Python package index lists vllm 0.33.0 (published 2026-11) as its newest version, and
 *   the rendered v0.33.0 CLI reference is stored (https://docs.vllm.ai/en/v0.33.0/cli/serve/).
 *   v0.32.0, the earlier newest pin, is named by no stored release note or tag; the newest
 *   release with a stored release note and commit is v0.31.0 (2026-10-05, db9527a4).
 * - The vLLM repository snapshot is too large to fetch here and no stored file is of the v0.33.0
 *   tag, so every row of the table was re-read at the newest complete upstream state that could
 *   be read whole: vllm-project/vllm main at 9aaf83ef (2026-05-19, #43119; after v0.20.0; the
 *   commit as carried in the history of the local-inference-lab/vllm fork, files unchanged by it),
 *   files vllm/engine/arg_utils.py (`EngineArgs.add_cli_args`, every `add_argument` and its
 *   group), vllm/entrypoints/openai/cli_args.py (`BaseFrontendArgs`/`FrontendArgs` fields and
 *   `make_arg_parser`), vllm/envs.py and vllm/utils/argparse_utils.py. Every listed spelling
 *   exists there except `--swap-space`; the only move is `--cpu-offload-gb`, now an
 *   OffloadConfig (UVA) field, same spelling. The flags and values the servers emit
 *   (`--dtype` auto|bfloat16|float16, `--quantization` awq|gptq|fp8|compressed-tensors,
 *   `--kv-cache-dtype` auto|fp8, `--distributed-executor-backend` ray, …) are all there too.
 *   `--model` is deprecated for `vllm serve` since v0.20.0 (a warning; vllm-project/vllm#39518):
 *   the servers pass the weights as the positional model tag. Changes after that commit:
 * - `--swap-space`: removed from EngineArgs/CacheConfig by vllm-project/vllm#36216 (merged
 *   2026-03-06); absent from every release v0.18.0 … v0.29.0 by `inspect.signature(EngineArgs)`
 *   (unslothai/unsloth-zoo#1210), so first missing in v0.18.0.
 * - `--calculate-kv-scales`: deprecated by vllm-project/vllm#37201 (2026-03-16; still a
 *   deprecated CacheConfig field at 9aaf83ef), removed by vllm-project/vllm#49389 (merged
 *   2026-07-22, after v0.25.0 of 2026-07-12); vllm/config/cache.py at 002f10e0 (main after
 *   #48018 of 2026-07) has no such field. fp8 KV scales now come from the checkpoint or 1.0.
 * - `--max-num-partial-prefills`, `--max-long-partial-prefills`: SchedulerConfig fields at
 *   9aaf83ef; removed by vllm-project/vllm#49244 (merged 2026-07-21, after v0.25.0);
 *   SchedulerConfig forbids extra fields, so passing them fails at start (vllm-project/vllm#49075
 *   thread, 2026-08-29).
 * The exact first release after #49389/#49244 (v0.26.0 or later) was not confirmed; the table
 * records the merge, and every such flag is refused on v0.33.0. A flag renamed or removed
 * between 2026-07 and v0.33.0 by a change not found here would still be accepted: re-check with
 * `vllm serve --help=all` in the mirrored image before relying on a flag.
 *
 * Spelling: vLLM's FlexibleArgumentParser turns `_` into `-` in a long flag's name (the part
 * between `--` and the first `.`) before matching (vllm/utils/argparse_utils.py, `parse_args`,
 * checked at 00da11e3), so `--swap_space` is `--swap-space`; the check does the same.
 * The group named in each `source` is the `--help=<Group>` section the flag is listed under.
 */
import { type EngineFlagTable, type KnownFlag, allowed, forbidden, managed } from './flags';

/** Supported vLLM releases, oldest first. */
export const VLLM_RELEASES = ['v0.12.0', 'v0.33.0'] as const;
export type VllmRelease = (typeof VLLM_RELEASES)[number];
/** The release a jurisdiction gets when it pins none: the newest supported. */
export const VLLM_DEFAULT_RELEASE: VllmRelease = 'v0.33.0';
/** @deprecated the earlier single pin; use VLLM_DEFAULT_RELEASE or a jurisdiction's pin. */
export const VLLM_RELEASE: VllmRelease = VLLM_DEFAULT_RELEASE;

/**
 * How a release runs one model across the nodes of a group (MultiNodeVllmServer).
 *
 * - `ray` (v0.12.0): a Ray cluster, the leader its head (`--distributed-executor-backend ray`,
 *   docs/serving/parallelism_scaling.md "Multi-node deployment"). The image carries Ray:
 *   requirements/cuda.txt listed `ray[cgraph]>=2.48.0` until vllm-project/vllm#36170.
 * - `mp` (v0.33.0): vLLM's own multiprocessing executor across nodes. vllm-project/vllm#36170
 *   ("Remove default ray dependency", merged 2026-03-08) took Ray out of requirements/cuda.txt,
 *   which is what docker/Dockerfile installs into the image, and the docs now say Ray is an
 *   optional dependency to install before using it; requirements/cuda.txt has no Ray at main
 *   9aaf83ef nor at 009d5248 (2026-11), and docker/Dockerfile installs none at 9aaf83ef. An
 *   image built FROM the release image with Ray added is the way to keep Ray. The multiprocessing
 *   flags: `--nnodes`, `--node-rank`, `--master-addr`, `--master-port` (ParallelConfig in
 *   vllm/engine/arg_utils.py at 9aaf83ef, added by vllm-project/vllm#23691, 2025-11-16) and
 *   `--headless` (vllm/entrypoints/openai/cli_args.py at 9aaf83ef); a node with `--node-rank`
 *   above 0 and `--headless` runs only the executor's workers, connected to the torch.distributed
 *   store at `--master-addr:--master-port` on rank 0 (`run_headless`,
 *   vllm/entrypoints/cli/serve.py at 9aaf83ef; the layout of parallelism_scaling.md "Running vLLM
 *   with MultiProcessing").
 */
export const VLLM_MULTI_NODE_BACKEND: Readonly<Record<VllmRelease, 'ray' | 'mp'>> = {
  'v0.12.0': 'ray',
  'v0.33.0': 'mp',
};
/** `ParallelConfig.master_port`'s default (vllm/config/parallel.py at 9aaf83ef), written out. */
export const VLLM_MP_MASTER_PORT = 29501;

/** Stored upstream commits the table was checked against (see the header). */
export const VLLM_SOURCE_COMMITS = {
  argUtils: '99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b',
  cliArgs: '789340fbad95a900ca3c467c9cee33b3d905fd61',
  /** vllm-project/vllm main, 2026-05-19 (#43119): the newest state read whole (the v0.33.0 rows). */
  main2026: '9aaf83ef502fc37bc647f6e474314d48ba36cd1c',
  /** vllm-project/vllm vllm/config/cache.py after #48018 (2026-07): no calculate_kv_scales. */
  cacheAfterJuly2026: '002f10e0cfa1373a19a0d2756598a34b700d20e5',
} as const;

const MAIN = VLLM_SOURCE_COMMITS.main2026.slice(0, 8);
const FRONTEND = `vllm/entrypoints/openai/cli_args.py @ v0.12.0 (Frontend; checked at ${VLLM_SOURCE_COMMITS.cliArgs.slice(0, 8)}; re-read at main ${MAIN})`;
const engine = (group: string, group2026: string = group): string =>
  `vllm/engine/arg_utils.py @ v0.12.0 (${group}; checked at ${VLLM_SOURCE_COMMITS.argUtils.slice(0, 8)}; re-read at main ${MAIN}${group2026 === group ? '' : `, now ${group2026}`})`;
/** A row gone before the 2026 re-read: checked at v0.12.0 only. */
const engineV012 = (group: string): string =>
  `vllm/engine/arg_utils.py @ v0.12.0 (${group}; checked at ${VLLM_SOURCE_COMMITS.argUtils.slice(0, 8)})`;

const REMOTE =
  'it can name a Hugging Face Hub repository or a URL, fetched at start-up from outside the jurisdiction';

export const VLLM_FLAGS: readonly KnownFlag[] = [
  // ---- set by the construct
  { names: ['--model'], disposition: managed('weights'), source: engine('ModelConfig') },
  { names: ['--served-model-name'], disposition: managed('servedModelName'), source: engine('ModelConfig') },
  { names: ['--host'], disposition: managed('(always 0.0.0.0)'), source: FRONTEND },
  { names: ['--port'], disposition: managed('port'), source: FRONTEND },
  { names: ['--api-key'], disposition: managed('apiKeySecret'), source: FRONTEND },
  {
    names: ['--tensor-parallel-size', '-tp'],
    disposition: managed('tensorParallelSize'),
    source: engine('ParallelConfig'),
  },
  { names: ['--max-model-len'], disposition: managed('maxModelLenTokens'), source: engine('ModelConfig') },
  {
    names: ['--gpu-memory-utilization'],
    disposition: managed('gpuMemoryUtilization'),
    source: engine('CacheConfig'),
  },
  {
    names: ['--enable-prefix-caching', '--no-enable-prefix-caching'],
    disposition: managed('enablePrefixCaching'),
    source: engine('CacheConfig'),
  },
  { names: ['--max-num-seqs'], disposition: managed('maxNumSeqs'), source: engine('SchedulerConfig') },
  { names: ['--dtype'], disposition: managed('dtype'), source: engine('ModelConfig') },
  { names: ['--quantization', '-q'], disposition: managed('quantization'), source: engine('ModelConfig') },
  { names: ['--kv-cache-dtype'], disposition: managed('kvCacheDtype'), source: engine('CacheConfig') },
  {
    names: ['--pipeline-parallel-size', '-pp'],
    disposition: managed(
      '(the layout planner: pipeline parallel across the nodes of a group, docs/multi-node.md)',
    ),
    source: engine('ParallelConfig'),
  },
  {
    names: ['--distributed-executor-backend'],
    disposition: managed('(as ray or mp by release when a model is served across nodes, docs/multi-node.md)'),
    source: engine('ParallelConfig'),
  },
  // The multiprocessing executor across nodes (VLLM_MULTI_NODE_BACKEND): written by the
  // construct for each pod of a group, never by a spec.
  ...(
    [
      [['--nnodes', '-n'], 'as the number of nodes of the group'],
      [['--node-rank', '-r'], "as each pod's index in its group"],
      [['--master-addr'], "as the group leader's address"],
      [['--master-port'], "as the port of the leader's torch.distributed store"],
    ] as const
  ).map(([names, what]): KnownFlag => ({
    names,
    disposition: managed(`(${what} when a model is served across nodes, docs/multi-node.md)`),
    source: `vllm/engine/arg_utils.py (ParallelConfig; read at main ${MAIN})`,
  })),
  {
    names: ['--headless'],
    disposition: managed('(on the workers when a model is served across nodes, docs/multi-node.md)'),
    source: `vllm/entrypoints/openai/cli_args.py (make_arg_parser; read at main ${MAIN})`,
  },

  // ---- would leave the jurisdiction or loosen the hardening
  {
    names: ['--tokenizer'],
    disposition: forbidden(`${REMOTE}; the tokenizer is read from the verified weights directory`),
    source: engine('ModelConfig'),
  },
  {
    names: ['--revision', '--code-revision', '--tokenizer-revision'],
    disposition: forbidden(`${REMOTE}; the revision is pinned by the weights store`),
    source: engine('ModelConfig'),
  },
  { names: ['--hf-config-path'], disposition: forbidden(REMOTE), source: engine('ModelConfig') },
  {
    names: ['--download-dir'],
    disposition: forbidden(
      'weights are never downloaded by the server; they come verified from the weights store',
    ),
    source: engine('LoadConfig'),
  },
  {
    names: ['--load-format'],
    disposition: forbidden(
      'some load formats stream weights from object storage outside the verified volume',
    ),
    source: engine('LoadConfig'),
  },
  {
    names: ['--trust-remote-code'],
    disposition: forbidden('it executes Python code shipped with the model inside the server'),
    source: engine('ModelConfig'),
  },
  {
    names: ['--otlp-traces-endpoint'],
    disposition: forbidden('it exports request traces to an external collector'),
    source: engine('ObservabilityConfig'),
  },
  {
    names: ['--allowed-local-media-path'],
    disposition: forbidden('it lets API callers read files from the server filesystem'),
    source: engine('ModelConfig'),
  },
  {
    names: ['--tool-server'],
    disposition: forbidden('it connects the server to external tool servers'),
    source: FRONTEND,
  },

  // ---- tunables a platform engineer may pass
  { names: ['--uvicorn-log-level'], disposition: allowed, source: FRONTEND },
  { names: ['--disable-uvicorn-access-log'], disposition: allowed, source: FRONTEND },
  { names: ['--chat-template'], disposition: allowed, source: FRONTEND },
  { names: ['--chat-template-content-format'], disposition: allowed, source: FRONTEND },
  { names: ['--response-role'], disposition: allowed, source: FRONTEND },
  { names: ['--enable-auto-tool-choice'], disposition: allowed, source: FRONTEND },
  { names: ['--tool-call-parser'], disposition: allowed, source: FRONTEND },
  { names: ['--max-log-len'], disposition: allowed, source: FRONTEND },
  { names: ['--enable-prompt-tokens-details'], disposition: allowed, source: FRONTEND },
  { names: ['--enable-force-include-usage'], disposition: allowed, source: FRONTEND },
  { names: ['--enable-request-id-headers'], disposition: allowed, source: FRONTEND },
  { names: ['--enable-server-load-tracking'], disposition: allowed, source: FRONTEND },
  { names: ['--disable-fastapi-docs'], disposition: allowed, source: FRONTEND },
  { names: ['--return-tokens-as-token-ids'], disposition: allowed, source: FRONTEND },
  { names: ['--root-path'], disposition: allowed, source: FRONTEND },
  {
    names: ['--lora-modules'],
    // name=path pairs or JSON; a path that is not local is a hub id fetched at start.
    disposition: forbidden(
      `${REMOTE}; adapter weights are named by hub id or path and are not verified weights: serve a merged checkpoint through the weights store`,
    ),
    source: FRONTEND,
  },
  { names: ['--disable-log-stats'], disposition: allowed, source: engine('top level') },
  {
    names: ['--enable-log-requests', '--no-enable-log-requests'],
    disposition: allowed,
    source: engine('AsyncEngineArgs, top level'),
  },
  { names: ['--seed'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--max-logprobs'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--enforce-eager', '--no-enforce-eager'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--disable-sliding-window'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--disable-cascade-attn'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--generation-config'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--override-generation-config'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--hf-overrides'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--tokenizer-mode'], disposition: allowed, source: engine('ModelConfig') },
  { names: ['--reasoning-parser'], disposition: allowed, source: engine('StructuredOutputsConfig') },
  { names: ['--block-size'], disposition: allowed, source: engine('CacheConfig') },
  {
    names: ['--swap-space'],
    disposition: allowed,
    source: engineV012('CacheConfig'),
    removed: { in: 'v0.33.0', upstream: 'v0.18.0 (vllm-project/vllm#36216)' },
  },
  {
    names: ['--cpu-offload-gb'],
    disposition: allowed,
    // Same spelling; the field moved from CacheConfig to the offload configs (UVAOffloadConfig).
    source: engine('CacheConfig', 'OffloadConfig'),
  },
  { names: ['--num-gpu-blocks-override'], disposition: allowed, source: engine('CacheConfig') },
  {
    names: ['--calculate-kv-scales'],
    disposition: allowed,
    source: engine('CacheConfig'),
    removed: {
      in: 'v0.33.0',
      upstream: 'the first release after vllm-project/vllm#49389 (merged 2026-07-22; deprecated by #37201)',
    },
  },
  { names: ['--prefix-caching-hash-algo'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--max-num-batched-tokens'], disposition: allowed, source: engine('SchedulerConfig') },
  {
    names: ['--enable-chunked-prefill', '--no-enable-chunked-prefill'],
    disposition: allowed,
    source: engine('SchedulerConfig'),
  },
  {
    names: ['--max-num-partial-prefills'],
    disposition: allowed,
    source: engine('SchedulerConfig'),
    removed: {
      in: 'v0.33.0',
      upstream: 'the first release after vllm-project/vllm#49244 (merged 2026-07-21)',
    },
  },
  {
    names: ['--max-long-partial-prefills'],
    disposition: allowed,
    source: engine('SchedulerConfig'),
    removed: {
      in: 'v0.33.0',
      upstream: 'the first release after vllm-project/vllm#49244 (merged 2026-07-21)',
    },
  },
  { names: ['--long-prefill-token-threshold'], disposition: allowed, source: engine('SchedulerConfig') },
  { names: ['--scheduling-policy'], disposition: allowed, source: engine('SchedulerConfig') },
  { names: ['--async-scheduling'], disposition: allowed, source: engine('SchedulerConfig') },
  { names: ['--disable-custom-all-reduce'], disposition: allowed, source: engine('ParallelConfig') },
  { names: ['--enable-expert-parallel'], disposition: allowed, source: engine('ParallelConfig') },
  { names: ['--limit-mm-per-prompt'], disposition: allowed, source: engine('MultiModalConfig') },
  { names: ['--enable-lora'], disposition: allowed, source: engine('LoRAConfig') },
  { names: ['--max-loras'], disposition: allowed, source: engine('LoRAConfig') },
  { names: ['--max-lora-rank'], disposition: allowed, source: engine('LoRAConfig') },
  { names: ['--compilation-config'], disposition: allowed, source: engine('VllmConfig') },
  {
    names: ['--speculative-config'],
    // SpeculativeConfig.model: a draft model by hub id or path, loaded like the served model.
    disposition: forbidden(
      `${REMOTE}; its JSON names a draft model (hub id or path) that is not verified weights`,
    ),
    source: engine('VllmConfig'),
  },
];

/** vLLM's flag table over its supported releases. */
export const VLLM_TABLE: EngineFlagTable = {
  engine: 'vLLM',
  releases: VLLM_RELEASES,
  flags: VLLM_FLAGS,
  // FlexibleArgumentParser: `_` → `-` between `--` and the first `.` (see the header).
  normalise: (name) => name.replace(/^--([^.]*)/, (_m, key: string) => `--${key.replace(/_/g, '-')}`),
  // vllm/vllm-openai tags: `v0.12.0`, also `0.12.0`, `V0.12.0`, `v0.21.0-cu129`, `v0.12.0.post1`.
  releaseInTag: (tag) => {
    const v = /^v?(\d+\.\d+\.\d+)(?![\d])/i.exec(tag)?.[1];
    return v === undefined ? undefined : `v${v}`;
  },
};

/** What differs per release outside the flag table. */
export interface VllmReleaseFacts {
  /** Upstream image and, where one was found in a stored source, its index digest. */
  readonly image: { readonly upstream: string; readonly digest?: string; readonly digestSource?: string };
  /**
   * The engine fails at start when the container UID has no passwd entry unless `USER` is set:
   * torch 2.11+ (vLLM v0.20.0+) calls getpass.getuser() while importing its inductor cache
   * (torch/_inductor/runtime/cache_dir_utils.py, default_cache_dir); getpass reads LOGNAME,
   * USER, LNAME, USERNAME before falling back to pwd.getpwuid. Reported in
   * vllm-project/vllm#44548; the llm-d guides set `USER` for "vLLM v0.20.0+ due to torch 2.11+"
   * (llm-d/llm-d#1995, llm-d/llm-d-benchmark#1573). HOME is set (to a writable emptyDir) for
   * every release.
   */
  readonly needsUserEnv: boolean;
}

export const VLLM_RELEASE_FACTS: Readonly<Record<VllmRelease, VllmReleaseFacts>> = {
  'v0.12.0': {
    image: {
      upstream: 'docker.io/vllm/vllm-openai:v0.12.0',
      digest: 'sha256:6766ce0c459e24b76f3e9ba14ffc0442131ef4248c904efdcbf0d89e38be01fe',
      digestSource: 'a stored build record that resolved vllm/vllm-openai:v0.12.0 (vLLM 0.12.0, torch 2.9.0)',
    },
    needsUserEnv: false,
  },
  'v0.33.0': {
    // No stored source names a v0.33.0 digest (release notes, issues, downstream pins were
    // searched for `vllm-openai:v0.33.0@sha256`): mirror the tag and pin the mirror's digest.
    image: { upstream: 'docker.io/vllm/vllm-openai:v0.33.0' },
    needsUserEnv: true,
  },
};

/** Whether `r` is a supported vLLM release. */
export function isVllmRelease(r: string): r is VllmRelease {
  return (VLLM_RELEASES as readonly string[]).includes(r);
}

/** vLLM `--quantization` values the construct maps to a weight format for the planner. */
export const VLLM_QUANTIZATION_FORMAT = {
  awq: 'awq',
  gptq: 'gptq',
  fp8: 'fp8',
  'compressed-tensors': 'int8',
} as const;
export type VllmQuantization = keyof typeof VLLM_QUANTIZATION_FORMAT;
