/** Synthesizes a spec with the real cdktf App into a temporary directory and reads it back. */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TOOLKIT_VERSION } from '../../core/version';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Synthesized {
  readonly dir: string;
  /** Every file written, by path relative to `dir`, as text. */
  readonly files: Readonly<Record<string, string>>;
  /** Parsed cdk.tf.json by stack name. */
  readonly stacks: Readonly<Record<string, Json>>;
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * Synthesizes with what `sovereign synth` changes in cdktf while it runs (stacks/cdktf-seam.ts:
 * cdktf's per-token stack-trace capture off, put back after; the files are byte-identical
 * either way, test/stacks/cdktf-seam.test.ts compares them).
 *
 * cdktf, the provider bindings and the stacks are loaded on the first synthesis, not with this
 * module: a test file that only reads examples synthesized earlier in the run (synthExample)
 * never loads them.
 *
 * @param fast synthesize as `sovereign synth` does: without cdktf's cross-stack pass and its
 * final whole-stack resolve (JurisdictionStack.findCrossStackReferences = false).
 */
export function synthSpec(file: string, text?: string, fast = false): Synthesized {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { buildApp } = require('../../stacks/app') as typeof import('../../stacks/app');
  const { JurisdictionStack } =
    require('../../stacks/jurisdiction-stack') as typeof import('../../stacks/jurisdiction-stack');
  const { loadSpec, parseSpec } =
    require('../../stacks/spec/load') as typeof import('../../stacks/spec/load');
  const { installSynthPatches } =
    require('../../stacks/cdktf-seam') as typeof import('../../stacks/cdktf-seam');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const loaded = text === undefined ? loadSpec(file) : parseSpec(text, file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-synth-'));
  try {
    const patches = installSynthPatches(false);
    try {
      const { app } = buildApp(loaded, { outdir: dir, toolkitVersion: TOOLKIT_VERSION });
      JurisdictionStack.findCrossStackReferences = !fast;
      app.synth();
    } finally {
      JurisdictionStack.findCrossStackReferences = true;
      patches.restore();
    }
    return { ...fromFiles(readTree(dir)), dir };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fromFiles(files: Record<string, string>): Synthesized {
  const stacks: Record<string, Json> = {};
  for (const [p, t] of Object.entries(files)) {
    const m = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(p);
    if (m) stacks[m[1]] = JSON.parse(t) as Json;
  }
  return { dir: '', files, stacks };
}

const examples = new Map<string, Record<string, string>>();

/**
 * `synthSpec(file, undefined, fast)` of an unchanged file (an example), synthesized once per
 * test run and shared by every test file: the first caller writes the files to the run's
 * temporary root (test/temp-root.js), keyed by the path, the mode and the file's bytes; later
 * callers, in any worker, read them back. Each call returns freshly parsed stacks, so a test
 * may change what it gets. A test of synthesis itself (determinism, fast against full) compares
 * a synthSpec() with this: two independent syntheses.
 */
export function synthExample(file: string, fast = false): Synthesized {
  const text = fs.readFileSync(file, 'utf8');
  const key = createHash('sha256')
    .update(`${TOOLKIT_VERSION}\0${file}\0${fast}\0${text}`)
    .digest('hex')
    .slice(0, 24);
  let files = examples.get(key);
  if (files === undefined) {
    const root = process.env.SOVEREIGN_TEST_TMP_ROOT;
    const cached = root === undefined ? undefined : path.join(root, 'synth-cache', `${key}.json`);
    if (cached !== undefined && fs.existsSync(cached)) {
      files = JSON.parse(fs.readFileSync(cached, 'utf8')) as Record<string, string>;
    } else {
      files = synthSpec(file, undefined, fast).files;
      if (cached !== undefined) {
        // Written whole, then renamed: a reader in another worker never sees half a file.
        fs.mkdirSync(path.dirname(cached), { recursive: true });
        const partial = `${cached}.${process.pid}.partial`;
        fs.writeFileSync(partial, JSON.stringify(files));
        fs.renameSync(partial, cached);
      }
    }
    examples.set(key, files);
  }
  return fromFiles({ ...files });
}

/** The resources of one type in a stack, by logical id. */
export function resources(stack: Json, type: string): Json[] {
  return Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);
}

/**
 * examples/minimal.yaml with site options written in: `pullSecrets` and `dns` as YAML flow
 * values (`[registry-pull]`, `{ podLabels: … }`), `source` replacing the model's weight source.
 */
export function minimalWith(o: { pullSecrets?: string; dns?: string; source?: string }): string {
  let text = fs.readFileSync('examples/minimal.yaml', 'utf8');
  const kubeconfig = '      kubeconfig: { path: ~/.kube/config, context: lab }';
  const source = 'source: { type: https, url: https://models.lab.example/meta-llama/Llama-3.1-8B-Instruct }';
  if (o.pullSecrets)
    text = text.replace('      weightsSync:', `      pullSecrets: ${o.pullSecrets}\n      weightsSync:`);
  if (o.dns) text = text.replace(kubeconfig, `${kubeconfig}\n      dns: ${o.dns}`);
  if (o.source) text = text.replace(source, `source: ${o.source}`);
  return text;
}

/** The weight source of examples/minimal.yaml, with a CA bundle. */
export const MINIMAL_SOURCE_WITH_CA =
  '{ type: https, url: https://models.lab.example/meta-llama/Llama-3.1-8B-Instruct, caBundle: { configMap: lab-pki } }';
