/**
 * `llama-server` flags at the pinned build, as data. Source (llama.cpp b9174): each flag is
 * registered in common/arg.cpp (`common_params_parser_init`, `add_opt(common_arg({...}))`) and
 * listed in tools/server/README.md under "Common params", "Sampling params" or
 * "Server-specific params" (the section is named in each `source`).
 */
import { type KnownFlag, allowed, forbidden, managed } from './flags';

/** The llama.cpp build tag whose flags and environment variables the construct emits. */
export const LLAMA_CPP_RELEASE = 'b9174';

const src = (section: string): string =>
  `common/arg.cpp @ ${LLAMA_CPP_RELEASE}; tools/server/README.md "${section}"`;
const COMMON = src('Common params');
const SAMPLING = src('Sampling params');
const SERVER = src('Server-specific params');

const REMOTE = 'it downloads a model or file from outside the jurisdiction';

export const LLAMA_CPP_FLAGS: readonly KnownFlag[] = [
  // ---- set by the construct
  { names: ['-m', '--model'], disposition: managed('weights'), source: COMMON },
  { names: ['--host'], disposition: managed('(always 0.0.0.0)'), source: SERVER },
  { names: ['--port'], disposition: managed('port'), source: SERVER },
  {
    names: ['-c', '--ctx-size'],
    disposition: managed('contextTokensPerSlot × parallelSlots'),
    source: COMMON,
  },
  { names: ['-np', '--parallel'], disposition: managed('parallelSlots'), source: SERVER },
  {
    names: ['-ngl', '--gpu-layers', '--n-gpu-layers'],
    disposition: managed('pool (all layers on a GPU pool, none without)'),
    source: COMMON,
  },
  { names: ['-t', '--threads'], disposition: managed('cpu'), source: COMMON },
  { names: ['--metrics'], disposition: managed('(always on)'), source: SERVER },
  { names: ['-a', '--alias'], disposition: managed('servedModelName'), source: SERVER },
  { names: ['--api-key', '--api-key-file'], disposition: managed('apiKeySecret'), source: SERVER },
  { names: ['--offline'], disposition: managed('(always on)'), source: COMMON },
  {
    names: ['--ui', '--webui', '--no-ui', '--no-webui'],
    disposition: managed('(web UI always off)'),
    source: SERVER,
  },

  // ---- would leave the jurisdiction or loosen the hardening
  {
    names: ['-hf', '-hfr', '--hf-repo', '-hff', '--hf-file', '-hft', '--hf-token'],
    disposition: forbidden(REMOTE),
    source: COMMON,
  },
  { names: ['-mu', '--model-url', '-dr', '--docker-repo'], disposition: forbidden(REMOTE), source: COMMON },
  { names: ['-mmu', '--mmproj-url'], disposition: forbidden(REMOTE), source: SERVER },
  {
    names: ['--rpc'],
    disposition: forbidden('it offloads computation to RPC servers outside the pod'),
    source: COMMON,
  },
  {
    names: ['--tools', '--tools-runtime', '--mcp-servers-config', '--mcp-servers-json', '-ag', '--agent'],
    disposition: forbidden('it gives the model tools that run commands or reach other servers'),
    source: SERVER,
  },
  {
    names: ['--props'],
    disposition: forbidden('it lets API callers change server properties'),
    source: SERVER,
  },
  {
    names: ['--slot-save-path', '--path', '--media-path'],
    disposition: forbidden('it exposes or writes server files through the API'),
    source: SERVER,
  },

  // ---- tunables a platform engineer may pass
  { names: ['-tb', '--threads-batch'], disposition: allowed, source: COMMON },
  { names: ['-b', '--batch-size'], disposition: allowed, source: COMMON },
  { names: ['-ub', '--ubatch-size'], disposition: allowed, source: COMMON },
  { names: ['-fa', '--flash-attn'], disposition: allowed, source: COMMON },
  { names: ['-ctk', '--cache-type-k'], disposition: managed('kvCacheType'), source: COMMON },
  { names: ['-ctv', '--cache-type-v'], disposition: managed('kvCacheType'), source: COMMON },
  { names: ['-kvo', '--kv-offload', '-nkvo', '--no-kv-offload'], disposition: allowed, source: COMMON },
  { names: ['--swa-full'], disposition: allowed, source: COMMON },
  { names: ['-sm', '--split-mode'], disposition: allowed, source: COMMON },
  { names: ['-ts', '--tensor-split'], disposition: allowed, source: COMMON },
  { names: ['-mg', '--main-gpu'], disposition: allowed, source: COMMON },
  {
    names: ['--rope-scaling', '--rope-scale', '--rope-freq-base', '--rope-freq-scale', '--yarn-orig-ctx'],
    disposition: allowed,
    source: COMMON,
  },
  { names: ['-n', '--predict', '--n-predict'], disposition: allowed, source: COMMON },
  {
    names: ['--log-disable', '--log-timestamps', '--no-log-timestamps', '--log-prefix', '--no-log-prefix'],
    disposition: allowed,
    source: COMMON,
  },
  { names: ['-lv', '--verbosity', '--log-verbosity'], disposition: allowed, source: COMMON },
  { names: ['-s', '--seed'], disposition: allowed, source: SAMPLING },
  {
    names: ['--temp', '--temperature', '--top-k', '--top-p', '--min-p', '--repeat-penalty'],
    disposition: allowed,
    source: SAMPLING,
  },
  { names: ['-cb', '--cont-batching', '-nocb', '--no-cont-batching'], disposition: allowed, source: SERVER },
  { names: ['--cache-prompt', '--no-cache-prompt', '--cache-reuse'], disposition: allowed, source: SERVER },
  { names: ['-cram', '--cache-ram'], disposition: allowed, source: SERVER },
  { names: ['--context-shift', '--no-context-shift'], disposition: allowed, source: SERVER },
  {
    names: ['--jinja', '--no-jinja', '--chat-template', '--chat-template-file', '--chat-template-kwargs'],
    disposition: allowed,
    source: SERVER,
  },
  { names: ['--reasoning-format', '--reasoning-budget'], disposition: allowed, source: SERVER },
  {
    names: ['--embedding', '--embeddings', '--rerank', '--reranking', '--pooling'],
    disposition: allowed,
    source: SERVER,
  },
  { names: ['-to', '--timeout', '--threads-http'], disposition: allowed, source: SERVER },
  { names: ['--slots', '--no-slots'], disposition: allowed, source: SERVER },
  { names: ['--warmup', '--no-warmup'], disposition: allowed, source: SERVER },
  { names: ['--api-prefix'], disposition: allowed, source: SERVER },
];
