/**
 * The prop checks VllmServer and LlamaCppServer share, in one place: the base props, the pool,
 * the architecture, the engine release and the extra flags against that release's table, the
 * GPU memory fraction, the context length and concurrency bounds and the enumerated choices.
 * Each server adds only what is its own (llama.cpp's GGUF file name) and throws once.
 */
import type { EngineFlagTable } from '../../core/engines/flags';
import { checkExtraArgs, checkRelease, imageReleaseMismatch } from '../../core/engines/flags';
import type { ModelArchitecture } from '../capacity';
import type { Problem } from '../../core/errors';
import type { IGpuPool } from '../interfaces';
import type { ServingBaseProps } from '../serving-props';
import { checkBaseProps, checkPool, resolveArchitecture } from './serving';
import { checkPositiveInt } from './validate';

export interface ServerPropsCheck {
  readonly props: ServingBaseProps & { readonly release?: string; readonly gpuMemoryUtilization?: number };
  /** Resolved resource base name. */
  readonly name: string;
  readonly pool?: IGpuPool;
  readonly architecture: string | ModelArchitecture;
  /** The engine's flag table and the release used when the props pin none. */
  readonly table: EngineFlagTable;
  readonly defaultRelease: string;
  /** The longest context prop (`maxModelLenTokens`, `contextTokensPerSlot`), bounded by the model. */
  readonly context: { readonly path: string; readonly value?: number };
  /** Positive whole numbers with their maxima (`maxNumSeqs` ≤ 4096, …). */
  readonly counts: readonly (readonly [path: string, value: number | undefined, max: number])[];
  /** Enumerated choices (`dtype` ∈ auto, bfloat16, float16, …). */
  readonly choices: readonly (readonly [
    path: string,
    value: string | undefined,
    allowed: readonly string[],
  ])[];
}

export interface CheckedServerProps {
  readonly problems: Problem[];
  /** The architecture, when it resolved. */
  readonly architecture?: ModelArchitecture;
  /** The engine release the server emits flags and environment for. */
  readonly release: string;
  readonly gpuMemoryUtilization: number;
}

/** Every shared problem with a server's props (none thrown; the caller adds its own and throws). */
export function checkServerProps(c: ServerPropsCheck): CheckedServerProps {
  const p = c.props;
  const problems: Problem[] = [...checkBaseProps(p, c.name), ...(c.pool ? checkPool(c.pool) : [])];
  const push = (x: Problem | undefined): void => {
    if (x) problems.push(x);
  };
  const arch = resolveArchitecture(c.architecture, problems);
  if (c.context.value !== undefined) {
    push(
      checkPositiveInt(c.context.path, c.context.value, arch?.maxContextTokens ?? Number.MAX_SAFE_INTEGER),
    );
  }
  for (const [path, value, max] of c.counts)
    if (value !== undefined) push(checkPositiveInt(path, value, max));
  for (const [path, value, allowed] of c.choices) {
    if (value !== undefined && !allowed.includes(value)) {
      problems.push({
        path,
        message: `"${value}" is not allowed: use ${allowed.slice(0, -1).join(', ')}${allowed.length > 1 ? ' or ' : ''}${allowed[allowed.length - 1]}`,
      });
    }
  }
  const util = p.gpuMemoryUtilization ?? 0.9;
  if (!(util > 0 && util <= 0.99)) {
    problems.push({
      path: 'gpuMemoryUtilization',
      message: `${util} is not allowed: use a fraction above 0 and at most 0.99`,
    });
  }
  const release = p.release ?? c.defaultRelease;
  const badRelease = checkRelease(c.table, release);
  if (badRelease !== undefined) problems.push({ path: 'release', message: badRelease });
  else {
    problems.push(...checkExtraArgs('extraArgs', p.extraArgs ?? [], c.table, release));
    const named = imageReleaseMismatch(c.table, p.image, release);
    if (named !== undefined)
      problems.push({
        path: 'image',
        message: `the image is tagged ${c.table.engine} ${named} but the server runs ${c.table.engine} ${release} (release): tag and release must agree`,
      });
  }
  return { problems, architecture: arch, release, gpuMemoryUtilization: util };
}
