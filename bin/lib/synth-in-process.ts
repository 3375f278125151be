/**
 * Synthesis in this thread: every stack of a spec through buildApp and App.synth(), and the
 * in-memory synth `sovereign audit --spec` judges.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSpec } from '../../stacks/spec/load';
import { installSynthPatches, releaseCdktfTokens } from '../../stacks/cdktf-seam';
import { synthesizeApp } from './synth-parallel';

/**
 * Re-synthesizes a spec for `sovereign audit --spec`: the same code path as `sovereign synth`
 * (buildApp, App.synth()) with no policy gate, written as if into `finalOutdir` (paths relative
 * to the project come out the same). cdktf's App writes to a directory, so it writes into a
 * private temporary directory, which is read back into memory and removed before returning;
 * nothing is written where the user looks. Returns every file by path relative to the output.
 */
export async function synthesizeToMemory(spec: string, finalOutdir: string): Promise<Map<string, Buffer>> {
  const loaded = loadSpec(spec);
  const os = await import('os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-audit-spec-'));
  // Installed before the stacks load cdktf (the archiver is deferred at require time).
  const patches = installSynthPatches(false);
  try {
    await synthesizeApp(loaded, undefined, tmp, finalOutdir, patches.tracesOff);
    releaseCdktfTokens(patches.tracesOff);
    const files = new Map<string, Buffer>();
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (fs.statSync(p).isDirectory()) walk(p);
        else files.set(path.relative(tmp, p).split(path.sep).join('/'), fs.readFileSync(p));
      }
    };
    walk(tmp);
    return files;
  } finally {
    patches.restore();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
