/**
 * `sovereign weights manifest <dir|file>`: hash a local model directory (or one GGUF file) and
 * print the manifest `ModelWeights` takes, so an engineer pins exactly what they mirrored.
 *
 * stdout: the manifest as YAML (a comment line with the file count, total bytes and manifest
 * digest, then `files:` mapping each relative path to its SHA-256), or JSON with `--json`.
 * stderr: a progress bar, only when stderr is a terminal.
 *
 * Bad input (a missing path, an unreadable file, a symlink that leaves the directory, a name the
 * construct would refuse) throws a SovereignError (INPUT_INVALID, exit 2) listing every problem;
 * the CLI's error handler prints it without a stack trace.
 *
 * Loads no cdktf and no provider bindings.
 */
import type { Command } from 'commander';
import { inputProblems, usageError } from '../../core/errors';
import { commandGroup, jobsOption, type Register } from '../lib/command';
import { stderr, stdout } from '../lib/output';

export const register: Register = (program, act) => {
  commandGroup(program, 'weights', 'work with model weights')
    .command('manifest')
    .description('hash a model directory (or one file) and print the manifest the spec takes')
    .argument('<path>', 'model directory or single file (GGUF)')
    .option('--json', 'print the manifest as JSON')
    .addOption(jobsOption('files hashed in parallel (default: the number of cores)'))
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--all', 'also hash the top-level .cache/ and .git/ directories (left out by default)')
    .action((target: string, _o, cmd: Command) =>
      act(cmd, () => run(target, cmd.optsWithGlobals<WeightsManifestOptions>())),
    );
};

export interface WeightsManifestOptions {
  /** Print JSON instead of YAML. */
  readonly json?: boolean;
  /** Files hashed at the same time. @default the number of CPUs */
  readonly jobs?: number;
  /** Show a progress bar on stderr when it is a terminal; `false` never shows one. @default true */
  readonly progress?: boolean;
  /** Keep the top-level `.cache/` and `.git/` directories, which are left out by default. */
  readonly all?: boolean;
}

/** The JSON form (`--json`). */
export interface WeightsManifestJson {
  readonly files: Record<string, string>;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** SHA-256 of the canonical manifest (see constructs/weights-manifest.ts). */
  readonly manifestSha256: string;
}

export async function run(target: string, opts: WeightsManifestOptions = {}): Promise<number> {
  if (typeof target !== 'string' || target === '') {
    throw usageError('weights manifest needs a directory or file: sovereign weights manifest <dir|file>');
  }
  if (opts.jobs !== undefined && (!Number.isInteger(opts.jobs) || opts.jobs < 1 || opts.jobs > 1024)) {
    throw usageError(`--jobs ${String(opts.jobs)} is not allowed: use a whole number from 1 to 1024`);
  }

  const { manifestPathProblem, manifestSha256 } = await import('../../constructs/weights-manifest');
  const { hashFiles, listTree, TOOL_DIRECTORIES } = await import('../lib/hash-tree');
  const { stringify } = await import('yaml');
  const tree = await listTree(target, { skipTop: opts.all ? [] : TOOL_DIRECTORIES });
  for (const d of tree.skipped) {
    stderr().write(`left out ${d}/ (download-tool bookkeeping, not part of the model; --all keeps it)\n`);
  }
  const refused = tree.files
    .map((f) => ({ path: f.path, problem: manifestPathProblem(f.path) }))
    .filter((x): x is { path: string; problem: string } => x.problem !== undefined)
    .map((x) => ({ path: x.path, message: `ModelWeights would refuse this name: ${x.problem}` }));
  if (refused.length > 0) throw inputProblems(target, refused);

  const bar = opts.progress !== false && stderr().isTTY ? new ProgressBar(tree.totalBytes) : undefined;
  let hashed;
  try {
    hashed = await hashFiles(tree.files, target, { jobs: opts.jobs, onProgress: bar?.add });
  } finally {
    bar?.clear();
  }

  const files: Record<string, string> = {};
  for (const f of hashed) files[f.path] = f.sha256;
  const digest = manifestSha256(files);
  const out: WeightsManifestJson = {
    files,
    fileCount: hashed.length,
    totalBytes: tree.totalBytes,
    manifestSha256: digest,
  };
  stdout().write(opts.json ? `${JSON.stringify(out, null, 2)}\n` : renderYaml(out, stringify));
  return 0;
}

/** The YAML form: one comment line, then `files:` with one `path: sha256` line per file. */
function renderYaml(m: WeightsManifestJson, stringify: typeof import('yaml').stringify): string {
  const n = m.fileCount;
  const comment = `# ${n} file${n === 1 ? '' : 's'}, ${m.totalBytes} bytes, manifest sha256 ${m.manifestSha256}\n`;
  // The yaml library quotes any key or value that would not read back as the same string.
  return comment + stringify({ files: m.files }, { lineWidth: 0, indent: 2 });
}

/** A one-line bar on stderr, redrawn at most every 100 ms. */
class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number) {}

  public readonly add = (bytes: number): void => {
    this.done += bytes;
    const now = Date.now();
    if (now - this.lastDraw >= 100 || this.done >= this.total) {
      this.lastDraw = now;
      this.draw(now);
    }
  };

  public clear(): void {
    stderr().write('\r\x1b[K');
  }

  private draw(now: number): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const info = ` ${String(Math.floor(ratio * 100)).padStart(3)}% ${formatBytes(this.done)}/${formatBytes(this.total)} ${formatBytes(this.done / seconds)}/s`;
    const columns = stderr().columns ?? 80;
    const width = Math.max(10, Math.min(40, columns - info.length - 3));
    const filled = Math.round(ratio * width);
    stderr().write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${info}\x1b[K`);
  }
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
