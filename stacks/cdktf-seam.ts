/**
 * Every use of cdktf's internals, in one place.
 *
 * cdktf 0.21 is the last release of an archived project; its successor, CDK Terrain (`cdktn`),
 * may move any of what follows. Each internal has a named contract test
 * (test/stacks/cdktf-seam.test.ts), so a release that moves one fails that test and nothing
 * else; every function here also degrades to cdktf's plain behaviour (slower, same bytes)
 * when an internal is gone, except `privateResolve`, `deepMerge` and `stackInternals`, which
 * `JurisdictionStack`'s fast path cannot do without (library users and `--debug` take cdktf's
 * own path, which uses none of them).
 *
 * What is patched is patched only while `sovereign synth` runs: `installSynthPatches` returns
 * the function that puts everything back, and synth calls it in a `finally`.
 */
import Module from 'module';
import * as path from 'path';

/* eslint-disable @typescript-eslint/no-require-imports -- these are the deep requires this module exists to hold */

// ---------------------------------------------------------------------------------------------
// 1. cdktf/lib/tokens/private/resolve: `resolve(obj, options)`, which takes the path prefix that
//    the public `Tokenization.resolve` drops (stacks/fast-resolve.ts hands it subtrees).

export interface PrivateResolveOptions {
  readonly scope: unknown;
  readonly preparing: boolean;
  readonly resolver: unknown;
  readonly prefix: string[];
}
export type PrivateResolve = (obj: unknown, options: PrivateResolveOptions) => unknown;

export const PRIVATE_RESOLVE_MODULE = 'cdktf/lib/tokens/private/resolve';

export function privateResolve(): PrivateResolve {
  return (require(PRIVATE_RESOLVE_MODULE) as { resolve: PrivateResolve }).resolve;
}

// ---------------------------------------------------------------------------------------------
// 2. cdktf/lib/util: `deepMerge`, as `TerraformStack.toTerraform` merges elements.

export const UTIL_MODULE = 'cdktf/lib/util';

type DeepMerge = (target: unknown, ...sources: unknown[]) => unknown;
let cdktfDeepMerge: DeepMerge | undefined;

export function deepMerge(target: unknown, ...sources: unknown[]): unknown {
  cdktfDeepMerge ??= (require(UTIL_MODULE) as { deepMerge: DeepMerge }).deepMerge;
  return cdktfDeepMerge(target, ...sources);
}

// ---------------------------------------------------------------------------------------------
// 3. TerraformStack's undeclared fields `rawOverrides` (what `addOverride` collected) and
//    `cdktfVersion` (written into the `"//".metadata` block).

export interface StackInternals {
  readonly rawOverrides: Record<string, unknown>;
  readonly cdktfVersion: string;
}

export function stackInternals(stack: object): StackInternals {
  return stack as unknown as StackInternals;
}

// ---------------------------------------------------------------------------------------------
// 4. How cdktf encodes tokens in plain values (cdktf/lib/tokens/private/encoding.js and
//    token.js), which stacks/fast-resolve.ts tests to know what needs cdktf's resolver.

/** Every string, list and map token marker contains this. */
export const TOKEN_MARKER = 'TfToken[';
/** cdktf's NUMBER_TOKEN_REGEX (not exported), as a non-global test. */
export const NUMBER_TOKEN = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
/** `Token.STRING_MAP_TOKEN_VALUE`, `ANY_MAP_TOKEN_VALUE` and `NUMBER_MAP_TOKEN_VALUE`. */
export const MAP_SENTINELS: ReadonlySet<unknown> = new Set([
  'String Map Token Value',
  'Any Map Token Value',
  -123456789,
]);
/** Below this magnitude no double carries cdktf's token marker bits (0xfdff / 0xfbff). */
export const TOKEN_DOUBLE_MAGNITUDE = 1e250;
/** cdktf refuses a value nested deeper than this (a cycle, or a construct passed as data). */
export const MAX_RESOLVE_DEPTH = 200;

// ---------------------------------------------------------------------------------------------
// 5. cdktf/lib/tokens/private/stack-trace: `captureStackTrace`, called for every token cdktf
//    creates (hundreds per typed resource) and read only to explain a token error. CDK Terrain
//    calls `captureCreationStack` there instead (its own switch is the environment variable
//    CDKTN_DISABLE_CREATION_STACK); both are replaced while synth runs.

/** Environment variable that keeps cdktf's token stack traces (for debugging a token error). */
export const STACK_TRACES_ENV = 'SOVEREIGN_CDKTF_STACK_TRACES';
export const STACK_TRACE_MODULE = 'cdktf/lib/tokens/private/stack-trace';

type Capture = (below?: unknown) => string[];
const CAPTURES = ['captureStackTrace', 'captureCreationStack'] as const;
type StackTraceModule = Partial<Record<(typeof CAPTURES)[number], Capture>>;

const noTrace = (): string[] => [];
const originalCaptures: StackTraceModule = {};

function stackTraceModule(): StackTraceModule | undefined {
  try {
    const m = require(STACK_TRACE_MODULE) as StackTraceModule;
    return typeof m.captureStackTrace === 'function' ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns cdktf's per-token stack-trace capture off, unless `keep` is true or
 * SOVEREIGN_CDKTF_STACK_TRACES=1. Returns whether capture is now off; the output is
 * byte-identical either way (a test compares every file).
 */
export function disableTokenStackTraces(keep = process.env[STACK_TRACES_ENV] === '1'): boolean {
  if (keep) return false;
  const m = stackTraceModule();
  if (m === undefined) return false;
  for (const name of CAPTURES) {
    const f = m[name];
    if (typeof f !== 'function') continue;
    if (f !== noTrace) originalCaptures[name] = f;
    m[name] = noTrace;
  }
  return true;
}

/** Puts cdktf's own capture back. */
export function restoreTokenStackTraces(): void {
  const m = stackTraceModule();
  if (m === undefined) return;
  for (const name of CAPTURES) {
    const f = originalCaptures[name];
    if (f !== undefined) m[name] = f;
  }
}

/** Whether a capture function of ours is still installed in cdktf. */
export function tokenStackTracesPatched(): boolean {
  const m = stackTraceModule();
  return m !== undefined && CAPTURES.some((name) => m[name] === noTrace);
}

// ---------------------------------------------------------------------------------------------
// 6. cdktf/lib/tokens/private/token-map: the process-wide `TokenMap` that keeps every token,
//    and with it the whole construct tree, alive after synthesis.

export const TOKEN_MAP_MODULE = 'cdktf/lib/tokens/private/token-map';

/**
 * Forgets every token cdktf registered in this process, so the policy gate that follows runs
 * in the memory the construct tree used. Call it only after the last `app.synth()` of the
 * process; `releasing` false makes it a no-op (debugging keeps the tree).
 */
export function releaseCdktfTokens(releasing = true): void {
  if (!releasing) return;
  try {
    const m = require(TOKEN_MAP_MODULE) as {
      TokenMap?: {
        instance(): { stringTokenMap?: Map<unknown, unknown>; numberTokenMap?: Map<unknown, unknown> };
      };
    };
    const map = m.TokenMap?.instance();
    map?.stringTokenMap?.clear();
    map?.numberTokenMap?.clear();
  } catch {
    // cdktf moved: nothing to release, synth is the same.
  }
}

// ---------------------------------------------------------------------------------------------
// 7. cdktf/lib/private/fs.js requires `archiver` (and its stream, glob and zip dependencies)
//    when cdktf loads, for `TerraformAsset`, which sovereign-stack never creates. While the hook
//    below is installed, that one require gets a stand-in that loads the real `archiver` on
//    first call. The hook is removed when synth ends; the stand-in cdktf already holds keeps
//    working (it calls Node's own loader).

export const CDKTF_FS_MODULE = path.join('cdktf', 'lib', 'private', 'fs.js');

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
let nodeLoad: Load | undefined;

/** Installs the archiver deferral; returns the function that removes it. */
export function deferArchiver(): () => void {
  if (nodeLoad !== undefined) return () => undefined; // already installed by an outer caller
  const original = loader._load;
  nodeLoad = original;
  loader._load = function (this: unknown, request, parent, isMain) {
    if (request === 'archiver' && parent?.filename?.endsWith(CDKTF_FS_MODULE)) {
      return (...args: unknown[]) =>
        (original.call(this, request, parent, isMain) as (...a: unknown[]) => unknown)(...args);
    }
    return original.call(this, request, parent, isMain);
  };
  return () => {
    loader._load = original;
    nodeLoad = undefined;
  };
}

/** Whether Node's module loader is the one it had before any hook of ours. */
export function archiverDeferralInstalled(): boolean {
  return nodeLoad !== undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * What `sovereign synth` changes in cdktf while it runs: the archiver deferral (installed before
 * cdktf first loads) and, unless `keepTraces`, the token stack-trace capture. Call the returned
 * `restore` in a `finally`.
 */
export function installSynthPatches(keepTraces: boolean): { tracesOff: boolean; restore: () => void } {
  const undoArchiver = deferArchiver();
  let tracesOff = false;
  try {
    tracesOff = disableTokenStackTraces(keepTraces || process.env[STACK_TRACES_ENV] === '1');
  } catch (e) {
    undoArchiver();
    throw e;
  }
  return {
    tracesOff,
    restore: () => {
      if (tracesOff) restoreTokenStackTraces();
      undoArchiver();
    },
  };
}

/**
 * manifest.json as cdktf writes it (`Manifest.writeToFile`: json-stable-stringify, two spaces),
 * for an output assembled from stacks synthesized apart (bin/lib/synth-parallel.ts).
 */
export function manifestText(manifest: unknown): string {
  const stringify = require(
    require.resolve('json-stable-stringify', { paths: [require.resolve('cdktf')] }),
  ) as (v: unknown, o: { space: number }) => string;
  return stringify(manifest, { space: 2 });
}
