/**
 * cdktf loads `archiver` (and its streams, glob and zip dependencies) when it starts, for
 * `TerraformAsset`, which sovereign-stack never uses: about 0.1 s of every synth on a 2-core
 * machine, a sixth of a one-jurisdiction synth. This hook hands cdktf a stand-in that loads
 * the real `archiver` on first call, so nothing changes for code that does zip an asset.
 * Install it before cdktf is first required; without it (or if cdktf moves) synth is the same,
 * only slower.
 */
import Module from 'module';
import * as path from 'path';

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

const CDKTF_FS = path.join('cdktf', 'lib', 'private', 'fs.js');
let installed = false;

export function deferArchiver(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    if (request === 'archiver' && parent?.filename?.endsWith(CDKTF_FS)) {
      return (...args: unknown[]) =>
        (original.call(this, request, parent, isMain) as (...a: unknown[]) => unknown)(...args);
    }
    return original.call(this, request, parent, isMain);
  };
}
