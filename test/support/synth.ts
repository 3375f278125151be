/** Synthesizes a spec with the real cdktf App into a temporary directory and reads it back. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../stacks/app';
import { JurisdictionStack } from '../../stacks/jurisdiction-stack';
import { loadSpec, parseSpec } from '../../stacks/spec/load';
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
 * @param fast synthesize as `sovereign synth` does: without cdktf's cross-stack pass and its
 * final whole-stack resolve (JurisdictionStack.findCrossStackReferences = false).
 */
export function synthSpec(file: string, text?: string, fast = false): Synthesized {
  const loaded = text === undefined ? loadSpec(file) : parseSpec(text, file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-synth-'));
  try {
    const { app } = buildApp(loaded, { outdir: dir, toolkitVersion: TOOLKIT_VERSION });
    JurisdictionStack.findCrossStackReferences = !fast;
    try {
      app.synth();
    } finally {
      JurisdictionStack.findCrossStackReferences = true;
    }
    const files = readTree(dir);
    const stacks: Record<string, Json> = {};
    for (const [p, t] of Object.entries(files)) {
      const m = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(p);
      if (m) stacks[m[1]] = JSON.parse(t) as Json;
    }
    return { dir, files, stacks };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
