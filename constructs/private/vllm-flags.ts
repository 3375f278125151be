/**
 * `vllm serve` flags at the pinned release, as data. Checked against upstream source:
 * - FrontendArgs and `make_arg_parser`: vllm/entrypoints/openai/cli_args.py @ 789340fb
 * - engine groups (ModelConfig, LoadConfig, CacheConfig, ParallelConfig, SchedulerConfig, …) and
 *   the top-level `--disable-log-stats` / AsyncEngineArgs `--enable-log-requests`:
 *   vllm/engine/arg_utils.py @ 99d7eb5d (`EngineArgs.add_cli_args`), each flag generated from the
 *   config dataclass field of the same name under vllm/config/; a `bool` field gets both
 *   `--x` and `--no-x` (argparse.BooleanOptionalAction).
 * Both commits sit just before v0.12.0 (their deprecation notices say "will be removed in
 * v0.12.0"); the tag itself is not in the stored history. The rendered v0.12.0 reference,
 * https://docs.vllm.ai/en/v0.12.0/cli/serve/, shows the same top-level and Frontend flags.
 * The one v0.12.0 change that touches this table: `-O<n>` now selects an optimization level
 * (vllm-project/vllm#26847, #29557), so `-O` is no longer listed as a spelling of
 * `--compilation-config`.
 * The group named in each `source` is the `--help=<Group>` section the flag is listed under.
 */
import { type KnownFlag, allowed, forbidden, managed } from './flags';

/** The vLLM release whose flags and environment variables the construct emits. */
export const VLLM_RELEASE = 'v0.12.0';

/** Stored upstream commits the table was checked against (see the header). */
export const VLLM_SOURCE_COMMITS = {
  argUtils: '99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b',
  cliArgs: '789340fbad95a900ca3c467c9cee33b3d905fd61',
} as const;

const FRONTEND = `vllm/entrypoints/openai/cli_args.py @ ${VLLM_RELEASE} (Frontend; checked at ${VLLM_SOURCE_COMMITS.cliArgs.slice(0, 8)})`;
const engine = (group: string): string =>
  `vllm/engine/arg_utils.py @ ${VLLM_RELEASE} (${group}; checked at ${VLLM_SOURCE_COMMITS.argUtils.slice(0, 8)})`;

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
    disposition: managed('(one node per replica: pipeline parallelism is not offered)'),
    source: engine('ParallelConfig'),
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
  { names: ['--lora-modules'], disposition: allowed, source: FRONTEND },
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
  { names: ['--swap-space'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--cpu-offload-gb'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--num-gpu-blocks-override'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--calculate-kv-scales'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--prefix-caching-hash-algo'], disposition: allowed, source: engine('CacheConfig') },
  { names: ['--max-num-batched-tokens'], disposition: allowed, source: engine('SchedulerConfig') },
  {
    names: ['--enable-chunked-prefill', '--no-enable-chunked-prefill'],
    disposition: allowed,
    source: engine('SchedulerConfig'),
  },
  { names: ['--max-num-partial-prefills'], disposition: allowed, source: engine('SchedulerConfig') },
  { names: ['--max-long-partial-prefills'], disposition: allowed, source: engine('SchedulerConfig') },
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
  { names: ['--speculative-config'], disposition: allowed, source: engine('VllmConfig') },
];

/** vLLM `--quantization` values the construct maps to a weight format for the planner. */
export const VLLM_QUANTIZATION_FORMAT = {
  awq: 'awq',
  gptq: 'gptq',
  fp8: 'fp8',
  'compressed-tensors': 'int8',
} as const;
export type VllmQuantization = keyof typeof VLLM_QUANTIZATION_FORMAT;
