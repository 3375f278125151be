/**
 * The cdktf App for a spec: one JurisdictionStack per jurisdiction, in name order. A
 * construct that refuses its props (or a model that does not fit its pool) becomes an error
 * located at the spec entry it came from.
 */
import { App } from 'cdktf';
import { isSovereignError, specInvalid, type Problem } from '../core/errors';
import { JurisdictionStack } from './jurisdiction-stack';
import { ProvisionStack } from './provision-stack';
import { provisionStackName } from './spec/semantics';
import { projectFromStack } from './project-paths';
import type { LoadedSpec } from './spec/load';

export interface BuildOptions {
  /** Where `app.synth()` writes (cdktf layout). */
  readonly outdir: string;
  readonly toolkitVersion: string;
  /**
   * The output directory the files end up in, relative to the project (the working
   * directory): local state paths are written relative to it. @default 'cdktf.out'
   */
  readonly finalOutdir?: string;
  /** Build only these jurisdictions (a parallel or incremental synth). @default every one */
  readonly only?: readonly string[];
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: readonly JurisdictionStack[];
  /** The stacks that build clusters with Cluster API, applied before the jurisdiction's stack. */
  readonly provisionStacks: readonly ProvisionStack[];
}

export function buildApp(loaded: LoadedSpec, opts: BuildOptions): BuiltApp {
  // stackTraces off: cdktf would otherwise record a stack trace per construct in metadata.
  const app = new App({ outdir: opts.outdir, stackTraces: false, skipValidation: false });
  const problems: Problem[] = [];
  const stacks: JurisdictionStack[] = [];
  const provisionStacks: ProvisionStack[] = [];
  const only = opts.only === undefined ? undefined : new Set(opts.only);
  for (const name of Object.keys(loaded.spec.jurisdictions).sort()) {
    if (only !== undefined && !only.has(name)) continue;
    const base = ['jurisdictions', name];
    const at = <T>(path: readonly (string | number)[], create: () => T): T => {
      try {
        return create();
      } catch (e) {
        if (!isSovereignError(e) || (e.code !== 'PROPS_INVALID' && e.code !== 'CAPACITY')) throw e;
        const where = [...base, ...path];
        const pos = loaded.locate(where);
        for (const p of e.problems) {
          problems.push({
            // A spec split across files: the position names the file the field is in.
            file: pos?.file ?? loaded.file,
            line: pos?.line,
            col: pos?.col,
            path: where.join('.'),
            message: p.path ? `${p.path}: ${p.message}` : p.message,
          });
        }
        throw new Abandon();
      }
    };
    try {
      const spec = loaded.spec.jurisdictions[name];
      const serving = new JurisdictionStack(app, name, {
        spec,
        toolkitVersion: opts.toolkitVersion,
        projectFromStack: projectFromStack(opts.finalOutdir ?? 'cdktf.out', name),
        at,
      });
      stacks.push(serving);
      if (spec.cluster.provision) {
        const id = provisionStackName(name);
        const provision = new ProvisionStack(app, id, {
          jurisdiction: name,
          spec,
          provision: spec.cluster.provision,
          gpuPools: serving.pools,
          toolkitVersion: opts.toolkitVersion,
          projectFromStack: projectFromStack(opts.finalOutdir ?? 'cdktf.out', id),
          at,
        });
        // cdktf deploys the provisioning stack first and destroys it last.
        serving.addDependency(provision);
        provisionStacks.push(provision);
      }
    } catch (e) {
      if (!(e instanceof Abandon)) throw e;
    }
  }
  if (problems.length > 0) throw specInvalid(loaded.file, problems);
  return { app, stacks, provisionStacks };
}

/** Stops building one jurisdiction after its first refused construct; the others still report. */
class Abandon extends Error {}

export { outputInsideProject, projectFromStack } from './project-paths';
