/** Where the output lies relative to the project; no cdktf here (the synth cache keys on it). */
import * as path from 'path';

/**
 * The project directory as seen from `<out>/stacks/<name>`, where Terraform runs. An output
 * outside the project cannot reach it without an absolute path of this machine, which an
 * artifact never holds: such an output is written as if it were `cdktf.out` in the project
 * (the synth command says so when the spec names project files).
 */
export function projectFromStack(outdir: string, stack: string): string {
  const base = outputInsideProject(outdir) ? outdir : 'cdktf.out';
  return path.relative(path.resolve(base, 'stacks', stack), process.cwd()) || '.';
}

/** Whether an output directory lies inside the project (the working directory). */
export function outputInsideProject(outdir: string): boolean {
  const rel = path.relative(process.cwd(), path.resolve(outdir));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
