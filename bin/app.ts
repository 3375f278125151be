#!/usr/bin/env node
/**
 * The cdktf app entry that cdktf.json runs, so `npx cdktf synth|diff|deploy <jurisdiction>`
 * work on the same spec and give the same files as `sovereign synth`.
 *
 * The spec path comes from the SOVEREIGN_SPEC environment variable, else the cdktf context
 * key `sovereignSpec` (cdktf.json, or `cdktf synth --context sovereignSpec=…`), else
 * ./sovereign.yaml. The policy gate runs after synthesis, in a staging directory beside the
 * output: a stack with unsuppressed errors makes this process exit 1 and is never written
 * under the output directory (so neither `cdktf deploy` nor a `tofu apply` there can apply
 * it), and the output is swapped whole, so no stack folder the manifest no longer lists stays
 * behind. The output directory obeys the rules of `sovereign synth` (docs/output-safety.md).
 */
import { report, withIo, type CliIo } from './lib/run-command';
import { exitWhenFlushed, guardStreams } from './lib/output';

/**
 * The app entry without the process around it: resolves to the exit code, never exits. `io`
 * as for `run()` of bin/sovereign.ts (the environment carries SOVEREIGN_SPEC, CDKTF_OUTDIR…).
 */
export function runApp(io: CliIo = {}): Promise<number> {
  return withIo(io, () =>
    synth().catch((e: unknown) => report(e, { debug: process.env.SOVEREIGN_DEBUG === '1' })),
  );
}

async function synth(): Promise<number> {
  const { synthesize } = await import('./lib/synthesize');
  const contextJson = process.env.CDKTF_CONTEXT_JSON;
  const context = contextJson ? (JSON.parse(contextJson) as Record<string, unknown>) : {};
  const spec =
    (process.env.SOVEREIGN_SPEC || undefined) ??
    (typeof context.sovereignSpec === 'string' ? context.sovereignSpec : 'sovereign.yaml');
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const result = await synthesize({
    spec,
    outdir,
    strict: process.env.SOVEREIGN_STRICT === '1',
    // cdktf's token stack traces stay off unless debugging (SOVEREIGN_CDKTF_STACK_TRACES=1 also keeps them).
    debug: process.env.SOVEREIGN_DEBUG === '1',
  });
  return result.exitCode;
}

if (require.main === module) {
  guardStreams();
  void runApp().then(exitWhenFlushed, (e: unknown) => exitWhenFlushed(report(e, {})));
}
