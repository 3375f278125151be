/**
 * What VllmServer (one pod per replica) and MultiNodeVllmServer (a LeaderWorkerSet group per
 * replica) share: their prop checks, the weight format they size, and the engine environment.
 */
import type { DeploymentV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { ModelArchitecture, WeightFormat } from '../capacity';
import type { VllmEngineProps } from '../serving-props';
import {
  VLLM_DEFAULT_RELEASE,
  VLLM_QUANTIZATION_FORMAT,
  VLLM_RELEASE_FACTS,
  VLLM_TABLE,
  type VllmRelease,
} from '../../core/engines/vllm';
import { type CheckedServerProps, checkServerProps } from './server-props';
import { CACHE_DIR, HOME_DIR, TMP_DIR, baseDirEnv } from './serving';

/** The user name the engine sees in `USER` where its release needs one (no passwd entry for the UID). */
export const ENGINE_USER = 'sovereign';

/**
 * The shared checks with vLLM's table and bounds; `counts` adds a server's own positive whole
 * numbers (`shmSizeGiB`, `multiNode.shmSizeGiB`, …). The caller adds its own problems and throws.
 */
export function checkVllmProps(
  props: VllmEngineProps,
  name: string,
  counts: readonly (readonly [path: string, value: number | undefined, max: number])[] = [],
): CheckedServerProps & { readonly release: VllmRelease } {
  const checked = checkServerProps({
    props,
    name,
    pool: props.pool,
    architecture: props.architecture,
    table: VLLM_TABLE,
    defaultRelease: VLLM_DEFAULT_RELEASE,
    context: { path: 'maxModelLenTokens', value: props.maxModelLenTokens },
    counts: [
      ['maxNumSeqs', props.maxNumSeqs, 4096],
      ['tensorParallelSize', props.tensorParallelSize, 64],
      ...counts,
    ],
    choices: [
      ['dtype', props.dtype, ['auto', 'bfloat16', 'float16']],
      ['quantization', props.quantization, Object.keys(VLLM_QUANTIZATION_FORMAT)],
      ['kvCacheDtype', props.kvCacheDtype, ['auto', 'fp8']],
    ],
  });
  return { ...checked, release: checked.release as VllmRelease };
}

/** The format the weights are sized in: the quantization's, the dtype's, else the checkpoint's. */
export function vllmWeightFormat(props: VllmEngineProps, model: ModelArchitecture): WeightFormat {
  if (props.quantization) return VLLM_QUANTIZATION_FORMAT[props.quantization];
  if (props.dtype === 'float16') return 'fp16';
  if (props.dtype === 'bfloat16') return 'bf16';
  return model.nativeFormat;
}

/** The engine's environment for `release`, without the API key (which pod gets it is the server's). */
export function vllmEnv(release: VllmRelease): DeploymentV1SpecTemplateSpecContainerEnv[] {
  return [
    ...baseDirEnv(),
    // From v0.20.0 (torch 2.11+) the engine dies at import when the UID has no passwd entry
    // and USER is unset: getpass.getuser() reads LOGNAME/USER/LNAME/USERNAME before
    // pwd.getpwuid (vllm-project/vllm#44548; core/engines/vllm.ts VLLM_RELEASE_FACTS). HOME
    // (baseDirEnv) is a writable emptyDir for every release.
    ...(VLLM_RELEASE_FACTS[release].needsUserEnv ? [{ name: 'USER', value: ENGINE_USER }] : []),
    // huggingface_hub src/huggingface_hub/constants.py (HF_HUB_OFFLINE and HF_HOME checked at
    // 264537b5; HF_HUB_DISABLE_TELEMETRY in later releases, which also accept DO_NOT_TRACK):
    // no Hub requests, no telemetry, cache under the writable emptyDir.
    // transformers src/transformers/utils/hub.py @ d8cb2e01: TRANSFORMERS_OFFLINE forces
    // local_files_only (current huggingface_hub also treats it as HF_HUB_OFFLINE).
    { name: 'HF_HUB_OFFLINE', value: '1' },
    { name: 'TRANSFORMERS_OFFLINE', value: '1' },
    { name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' },
    { name: 'HF_HOME', value: `${CACHE_DIR}/huggingface` },
    // vllm/envs.py @ f218f9c2: usage stats off; VLLM_NO_USAGE_STATS == "1", and
    // VLLM_DO_NOT_TRACK falls back to DO_NOT_TRACK, both == "1" (same code in the v0.12-era file
    // and at vllm-project/vllm main 9aaf83ef of 2026-05-19, the newest envs.py read whole)
    { name: 'VLLM_NO_USAGE_STATS', value: '1' },
    { name: 'VLLM_DO_NOT_TRACK', value: '1' },
    { name: 'DO_NOT_TRACK', value: '1' },
    // vllm/envs.py @ f218f9c2 and main 9aaf83ef: cache and config roots, IPC socket dir
    // (defaults under ~ and tempdir)
    { name: 'VLLM_CACHE_ROOT', value: `${CACHE_DIR}/vllm` },
    { name: 'VLLM_CONFIG_ROOT', value: `${HOME_DIR}/.config/vllm` },
    { name: 'VLLM_RPC_BASE_PATH', value: TMP_DIR },
    // triton python/triton/runtime/cache.py @ 3fb4e466 (TRITON_CACHE_DIR, else ~/.triton/cache)
    // and torch/_inductor/runtime/cache_dir_utils.py @ 9a48faad (TORCHINDUCTOR_CACHE_DIR, else
    // $TMPDIR/torchinductor_<user>): compiled kernel caches. outlines and flashinfer fall back to
    // XDG_CACHE_HOME / HOME, which baseDirEnv points at writable volumes.
    { name: 'TRITON_CACHE_DIR', value: `${CACHE_DIR}/triton` },
    { name: 'TORCHINDUCTOR_CACHE_DIR', value: `${CACHE_DIR}/torchinductor` },
  ];
}
