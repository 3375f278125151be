/** Which jurisdictions the synth cache already holds up to date, and which to synthesize now. */
import { inputInvalid } from '../../core/errors';
import { didYouMean } from '../../core/suggest';
import type { loadSpec } from '../../stacks/spec/load';
import { cacheDir, jurisdictionKey, SynthCache, type CacheEntry } from './synth-cache';
import type { SynthesizeOptions } from './synthesize';

export interface RunPlan {
  /** Jurisdictions to synthesize now, in name order. */
  readonly todo: string[];
  /** Up-to-date cache entries of the others. */
  readonly cached: Map<string, CacheEntry>;
  readonly keys: Map<string, string>;
  readonly cache: SynthCache | undefined;
}

/** Which jurisdictions the cache already holds, and which to synthesize. */
export function planRun(
  loaded: ReturnType<typeof loadSpec>,
  names: readonly string[],
  opts: SynthesizeOptions,
  projectFromStack: (stack: string) => string,
  debug: boolean,
): RunPlan {
  if (opts.only !== undefined) {
    const unknown = opts.only.filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      throw inputInvalid(
        opts.spec,
        unknown
          .map(
            (n) =>
              `--only ${n}: no such jurisdiction in ${opts.spec}.${didYouMean(n, names)} Jurisdictions: ${names.join(', ')}`,
          )
          .join('\n'),
      );
    }
  }
  const cache = opts.cache === false ? undefined : new SynthCache(cacheDir(opts.outdir));
  const keys = new Map<string, string>();
  const cached = new Map<string, CacheEntry>();
  if (cache?.usable) {
    for (const n of names) {
      const key = jurisdictionKey(n, loaded.spec.jurisdictions[n], { projectFromStack, debug });
      keys.set(n, key);
      if (opts.only?.includes(n)) continue;
      const e = cache.get(n, key);
      if (e) cached.set(n, e);
    }
  }
  if (opts.only !== undefined) {
    const only = new Set(opts.only);
    const stale = names.filter((n) => !only.has(n) && !cached.has(n));
    if (stale.length > 0) {
      throw inputInvalid(
        opts.spec,
        `--only: ${stale.length} other jurisdiction(s) changed or were never synthesized into ${opts.outdir} (${stale.slice(0, 10).join(', ')}${stale.length > 10 ? ', …' : ''}); the output would not match the spec. Run without --only, or name them too.`,
        '--only',
      );
    }
  }
  return {
    todo: names.filter((n) => !cached.has(n)),
    cached,
    keys,
    cache: cache?.usable ? cache : undefined,
  };
}
