/**
 * `llama-server` flags per supported build, as data (one entry per flag; `removed` / `since`
 * mark entries that are not in every supported build).
 *
 * b9174 (the earlier pin). Sources: each flag is registered in
 * common/arg.cpp (`common_params_parser_init`, `add_opt(common_arg({...}))`, checked at
 * 145b6280) and listed in tools/server/README.md under "Common params", "Sampling params" or
 * "Example-specific params" (the section is named in each `source`; README checked at 25d5b0c5).
 * b9174 is a published build (github.com/ggml-org/llama.cpp/releases/b9174, picked up by
 * docker/model-runner#918 on 2026-05-16); the stored arg.cpp is an earlier commit (it has the
 * router-mode `--models-*` flags, not the later `--tools` / MCP flags), so this table lists
 * only flags present at that commit. Flags that came later (`--tools`, `--agent`, the MCP
 * flags) are not listed and are therefore refused as unknown. The exception is the web UI switch:
 * b9174 is the build that renamed `--webui`/`--no-webui` to `--ui`/`--no-ui` and kept the old
 * names as deprecated aliases (server help text "[DEPRECATED: use --ui-config]" and
 * "[DEPRECATED: use --ui-mcp-proxy/--no-ui-mcp-proxy]" for the sibling options, quoted in
 * ggml-org/llama.cpp#23952; the rename tracked downstream in xorbitsai/xllamacpp#149): the
 * construct emits `--no-ui` and manages all four names.
 *
 * b11459 (the newest build named in stored sources as of 2026-12-07:
 * `ghcr.io/ggml-org/llama.cpp:server-cuda-b11459` and `:server-b11459`, pinned by digest in a
 * stored downstream configuration; builds b11046 … b11382 are named elsewhere, none later; no
 * llama.cpp build is listed by a package registry reachable here). The llama.cpp repository
 * snapshot is too large to fetch here and the only stored arg.cpp and README are the commits
 * above, so no row was re-read in b11459's own source. What a newer source does show:
 * - ollama/ollama llm/llama_server.go builds llama-server's command line for the llama.cpp
 *   build in its LLAMA_CPP_VERSION file (b9409 at 9db4bdbad, 2026-05-29; b10488 at fb3076099,
 *   2026-08-21; its CI runs it). At b10488 it passes `--model`, `--host`, `--port`, `-c`, `-np`,
 *   `-ngl`, `-t`, `-b`, `-ub`, `--offline`, `--no-webui`, `--flash-attn`, `--cache-type-k`,
 *   `--cache-type-v`, `--split-mode`, `--main-gpu`, `--log-verbosity`, `--embedding`,
 *   `--context-shift`, `--no-jinja` and `--chat-template`: those rows still exist at b10488
 *   (between the two supported builds), and the deprecated `--no-webui` alias is still accepted.
 * - It also passes `--no-log-prefix` and `--no-log-timestamps` from b9409 on; they are not
 *   registered at the checked arg.cpp (before b9174). They are listed from b11459 (`since`):
 *   whether b9174 itself has them was not confirmed, so b9174 refuses them (fail-safe).
 * No removal of a listed flag was found upstream; a flag added after the checked commit and not
 * listed stays unknown, and so refused, on both builds. Re-check with `llama-server --help` in
 * the mirrored image when bumping.
 */
import { type EngineFlagTable, type KnownFlag, allowed, forbidden, managed } from './flags';

/** Supported llama.cpp builds, oldest first. */
export const LLAMA_CPP_RELEASES = ['b9174', 'b11459'] as const;
export type LlamaCppRelease = (typeof LLAMA_CPP_RELEASES)[number];
/** The build a jurisdiction gets when it pins none: the newest supported. */
export const LLAMA_CPP_DEFAULT_RELEASE: LlamaCppRelease = 'b11459';
/** The default build (the name the earlier single pin had). */
export const LLAMA_CPP_RELEASE: LlamaCppRelease = LLAMA_CPP_DEFAULT_RELEASE;

/** Stored upstream commits the table was checked against (see the header). */
export const LLAMA_CPP_SOURCE_COMMITS = {
  argCpp: '145b6280d6aa1890e22457143dad0badb3fd6820',
  serverReadme: '25d5b0c53f9a146f3d7a99a18610d9d623b5041e',
  commonCpp: '17fce9be15411587700cda558a626e9f53e54a0b',
} as const;

const src = (section: string): string =>
  `common/arg.cpp @ b9174 (checked at ${LLAMA_CPP_SOURCE_COMMITS.argCpp.slice(0, 8)}); tools/server/README.md "${section}"`;
const COMMON = src('Common params');
const SAMPLING = src('Sampling params');
const SERVER = src('Example-specific params');

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
  { names: ['-np', '--parallel'], disposition: managed('parallelSlots'), source: COMMON },
  {
    names: ['-ngl', '--gpu-layers', '--n-gpu-layers'],
    disposition: managed('pool (every layer on a GPU pool, none without)'),
    source: COMMON,
  },
  { names: ['-t', '--threads'], disposition: managed('cpu'), source: COMMON },
  { names: ['--metrics'], disposition: managed('(always on)'), source: SERVER },
  { names: ['-a', '--alias'], disposition: managed('servedModelName'), source: SERVER },
  { names: ['--api-key', '--api-key-file'], disposition: managed('apiKeySecret'), source: SERVER },
  { names: ['--offline'], disposition: managed('(always on)'), source: COMMON },
  {
    names: ['--ui', '--no-ui', '--webui', '--no-webui'],
    disposition: managed('(web UI always off)'),
    source: `${SERVER} (--ui/--no-ui from b9174; --webui/--no-webui its deprecated aliases)`,
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
    names: ['--log-disable', '--log-timestamps', '--log-prefix'],
    disposition: allowed,
    source: COMMON,
  },
  {
    // Negations of the two above: passed to llama-server b9409 … b10488 by ollama/ollama
    // llm/llama_server.go (9db4bdbad, fb3076099); not registered at the checked arg.cpp.
    names: ['--no-log-timestamps', '--no-log-prefix'],
    disposition: allowed,
    source: `${COMMON}; ollama/ollama llm/llama_server.go @ fb3076099 (llama.cpp b10488)`,
    since: 'b11459',
  },
  { names: ['-lv', '--verbosity', '--log-verbosity'], disposition: allowed, source: COMMON },
  { names: ['-s', '--seed'], disposition: allowed, source: SAMPLING },
  {
    names: ['--temp', '--top-k', '--top-p', '--min-p', '--repeat-penalty'],
    disposition: allowed,
    source: SAMPLING,
  },
  { names: ['-cb', '--cont-batching', '-nocb', '--no-cont-batching'], disposition: allowed, source: SERVER },
  { names: ['--cache-reuse'], disposition: allowed, source: SERVER },
  { names: ['--cache-ram', '-cram'], disposition: allowed, source: SERVER },
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

/** llama.cpp's flag table over its supported builds (llama.cpp matches spellings exactly). */
export const LLAMA_CPP_TABLE: EngineFlagTable = {
  engine: 'llama.cpp',
  releases: LLAMA_CPP_RELEASES,
  flags: LLAMA_CPP_FLAGS,
  // ggml-org/llama.cpp tags: `server-b9174`, `server-cuda-b9174`, `full-b9174-x`: the build is a
  // `b<digits>` word of the tag, in any case.
  releaseInTag: (tag) => /(?:^|[-_.])(b\d+)(?=$|[-_.])/i.exec(tag)?.[1]?.toLowerCase(),
};

/** Upstream images per build (CUDA for GPU pools, CPU for CPU-only servers) and digests found. */
export const LLAMA_CPP_RELEASE_FACTS: Readonly<
  Record<LlamaCppRelease, { readonly cuda: string; readonly cpu: string; readonly digestSource?: string }>
> = {
  b9174: {
    cuda: 'ghcr.io/ggml-org/llama.cpp:server-cuda-b9174',
    cpu: 'ghcr.io/ggml-org/llama.cpp:server-b9174',
  },
  b11459: {
    cuda: 'ghcr.io/ggml-org/llama.cpp:server-cuda-b11459@sha256:fff6185edd2fbc4093aa5970bf6db53ed11c283e3a1c52a3e244cf27047264f4',
    cpu: 'ghcr.io/ggml-org/llama.cpp:server-b11459@sha256:33868c035b21dc63f7c60b7438774283fd99215bc319114eb03de5df4ce7cd6b',
    digestSource: 'a stored downstream configuration pinning both tags by digest',
  },
};

/** Whether `r` is a supported llama.cpp build. */
export function isLlamaCppRelease(r: string): r is LlamaCppRelease {
  return (LLAMA_CPP_RELEASES as readonly string[]).includes(r);
}
