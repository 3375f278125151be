/**
 * The cdktf floor of a spec's synth: `node cdktf-floor.js <synthesized out> <dest>` re-creates
 * every stack `sovereign synth` wrote as the plainest cdktf app that writes the same JSON, and
 * synthesizes it with `App.synth()`:
 *
 * - each resource a bare `TerraformResource` of its type, its attributes as written (no typed
 *   provider classes, no tokens), at the construct path its `"//".metadata.path` names, so
 *   cdktf allocates the same logical ids and writes the same metadata;
 * - each provider a bare `TerraformProvider` with the source and version of the stack's
 *   `required_providers`; the backend, the outputs and the `"//".sovereign` record as written;
 * - the same App options and the same cdktf levers as `sovereign synth` (token stack traces
 *   off, the zip library loaded only if used: stacks/cdktf-seam.ts `installSynthPatches`).
 *
 * What it leaves out is everything that is not cdktf's own work: reading and checking the
 * spec, planning, the typed bindings, the policy gate, the audit record. The bench times it
 * as a whole process, start-up included, like `sovereign synth`, and checks that every
 * cdk.tf.json it writes is byte-identical to the one it re-created. With
 * SOVEREIGN_FLOOR_STARTUP=1 it also gets the CLI's start-up levers (floor-startup.ts).
 */
import './floor-startup';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  App,
  TerraformBackend,
  TerraformElement,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import type { TerraformRemoteState, TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { installSynthPatches } from '../stacks/cdktf-seam';

type Json = Record<string, unknown>;

class BareResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    private readonly attributes: Json,
  ) {
    super(scope, id, { terraformResourceType: type });
  }

  protected synthesizeAttributes(): Json {
    return this.attributes;
  }
}

class BareProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    required: { source: string; version: string },
    private readonly attributes: Json,
  ) {
    super(scope, id, {
      terraformResourceType: type,
      terraformProviderSource: required.source,
      terraformGeneratorMetadata: { providerName: type, providerVersion: required.version },
    });
  }

  protected synthesizeAttributes(): Json {
    return this.attributes;
  }
}

class BareBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    type: string,
    private readonly attributes: Json,
  ) {
    super(scope, 'backend', type);
  }

  protected synthesizeAttributes(): Json {
    return this.attributes;
  }

  public getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error('not used');
  }
}

/** A block written into the stack as it is (the `"//".sovereign` record). */
class RawBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly block: Json,
  ) {
    super(scope, id);
  }

  public toTerraform(): Json {
    return this.block;
  }
}

/** The construct at `parts` below `stack`, creating plain constructs on the way. */
function scopeAt(stack: Construct, parts: readonly string[]): Construct {
  let scope = stack;
  for (const part of parts)
    scope = (scope.node.tryFindChild(part) as Construct | undefined) ?? new Construct(scope, part);
  return scope;
}

function addStack(stack: TerraformStack, name: string, tf: Json): void {
  const terraform = (tf.terraform ?? {}) as {
    backend?: Json;
    required_providers?: Record<string, { source: string; version: string }>;
  };
  for (const [type, attributes] of Object.entries(terraform.backend ?? {}))
    new BareBackend(stack, type, attributes as Json);
  for (const [type, blocks] of Object.entries((tf.provider ?? {}) as Record<string, Json[]>)) {
    blocks.forEach(
      (attributes, i) =>
        new BareProvider(
          stack,
          `${type}${i === 0 ? '' : i}`,
          type,
          terraform.required_providers![type],
          attributes,
        ),
    );
  }
  for (const [type, byId] of Object.entries((tf.resource ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [id, { '//': meta, depends_on, lifecycle, ...attributes }] of Object.entries(byId)) {
      const parts = (meta as { metadata: { path: string } }).metadata.path.split('/').slice(1);
      const resource = new BareResource(
        scopeAt(stack, parts.slice(0, -1)),
        parts[parts.length - 1],
        type,
        attributes,
      );
      // Meta-arguments go where cdktf writes them from (it drops them from the attributes).
      if (depends_on !== undefined) resource.dependsOn = depends_on as string[];
      if (lifecycle !== undefined) resource.lifecycle = lifecycle as TerraformResourceLifecycle;
      if (resource.friendlyUniqueId !== id)
        throw new Error(`${name}: ${type}.${id} re-created as ${resource.friendlyUniqueId}`);
    }
  }
  const outputs = ((tf['//'] as Json | undefined)?.outputs as Json | undefined)?.[name] as Json | undefined;
  const addOutputs = (scope: Construct, tree: Json) => {
    for (const [part, v] of Object.entries(tree)) {
      if (typeof v !== 'string') addOutputs(scopeAt(scope, [part]), v as Json);
      else {
        const { value, description, sensitive } = (tf.output as Record<string, Json>)[v];
        new TerraformOutput(scope, part, {
          value,
          description: description as string | undefined,
          sensitive: sensitive as boolean | undefined,
        });
      }
    }
  };
  addOutputs(stack, outputs ?? {});
  // The rest as written: the `"//".sovereign` record and settings such as `required_version`.
  const { backend: _b, required_providers: _p, ...settings } = terraform;
  const sovereign = (tf['//'] as Json | undefined)?.sovereign;
  new RawBlock(stack, 'as-written', {
    ...(sovereign === undefined ? {} : { '//': { sovereign } }),
    ...(Object.keys(settings).length === 0 ? {} : { terraform: settings }),
  });
  const other = Object.keys(tf).filter(
    (k) => !['//', 'terraform', 'provider', 'resource', 'output'].includes(k),
  );
  if (other.length > 0) throw new Error(`${name}: blocks the floor does not re-create: ${other.join(', ')}`);
}

/**
 * A stack that skips cdktf's cross-stack pass (`prepareStack`: every element resolved once more
 * only to find references between stacks), as `JurisdictionStack` does under `sovereign synth`
 * — an override any cdktf app whose stacks never reference each other could make.
 */
class StackWithoutCrossStackPass extends TerraformStack {
  public prepareStack(): void {}
}

/** Milliseconds of each phase of one floor run. */
export interface FloorTimes {
  /** Reading and parsing the stacks it re-creates: work `sovereign synth` does not do. */
  readonly readMs: number;
  /** Building the construct tree of bare elements. */
  readonly buildMs: number;
  /** `App.synth()`: resolving, serializing and writing. */
  readonly synthMs: number;
}

/**
 * Re-creates the stacks under `out` and synthesizes them into `dest`. With `crossStackPass`
 * false the stacks skip cdktf's cross-stack pass (see above).
 */
export function cdktfFloor(out: string, dest: string, opts: { crossStackPass?: boolean } = {}): FloorTimes {
  const t0 = process.hrtime.bigint();
  const stacks = readdirSync(path.join(out, 'stacks'))
    .sort()
    .map(
      (name) =>
        [
          name,
          JSON.parse(readFileSync(path.join(out, 'stacks', name, 'cdk.tf.json'), 'utf8')) as Json,
        ] as const,
    );
  const t1 = process.hrtime.bigint();
  const patches = installSynthPatches(false);
  try {
    const app = new App({ outdir: dest, stackTraces: false, skipValidation: false });
    const Stack = opts.crossStackPass === false ? StackWithoutCrossStackPass : TerraformStack;
    for (const [name, tf] of stacks) addStack(new Stack(app, name), name, tf);
    const t2 = process.hrtime.bigint();
    app.synth();
    const t3 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
    return { readMs: ms(t0, t1), buildMs: ms(t1, t2), synthMs: ms(t2, t3) };
  } finally {
    patches.restore();
  }
}

if (require.main === module) {
  const [out, dest] = process.argv.slice(2);
  // SOVEREIGN_FLOOR_CROSS_STACK=0: without cdktf's cross-stack pass. SOVEREIGN_FLOOR_TIMES=<file>:
  // the phases' times written there as JSON.
  const times = cdktfFloor(out, dest, { crossStackPass: process.env.SOVEREIGN_FLOOR_CROSS_STACK !== '0' });
  const file = process.env.SOVEREIGN_FLOOR_TIMES;
  if (file) writeFileSync(file, `${JSON.stringify(times)}\n`);
}
