/**
 * Benchmark of `sovereign weights manifest` against `sha256sum` on the same files.
 *
 * Generates a model-like tree in a temporary directory (safetensors shards of near-equal size
 * plus small JSON files; `totalBytes` in all, 2 GB by default), then times, as whole processes
 * with stdout discarded, alternately:
 *   - `node dist/bench/weights-manifest-cli.js <dir>` (worker threads, one file per worker);
 *   - `sha256sum <every file>` (one process, files one after another);
 *   - `xargs -P <cpus> sha256sum` (one sha256sum per file, as many at once as there are CPUs),
 * after one warm-up run of each so that all read from the page cache. Returns the medians and
 * the ratio ours / sha256sum (below 1 is faster). Never run as a test.
 *
 *   npx tsc -p . && node dist/bench/weights-manifest.js [totalBytes] [runs]
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';

export interface WeightsManifestBenchOptions {
  /** Bytes of generated data. @default 2e9 */
  readonly totalBytes?: number;
  /** Safetensors shards the bytes are split into. @default clamp(ceil(totalBytes / 500 MB), 2, 64) */
  readonly shards?: number;
  /** Timed runs per contender (after one warm-up). @default 3 */
  readonly runs?: number;
  /** Keep the generated tree (its path is returned). @default false */
  readonly keep?: boolean;
}

export interface WeightsManifestBenchResult {
  readonly totalBytes: number;
  readonly files: number;
  readonly cpus: number;
  readonly runs: number;
  /** Median wall time in ms. */
  readonly oursMs: number;
  readonly sha256sumMs: number;
  readonly sha256sumParallelMs: number;
  /** oursMs / sha256sumMs. */
  readonly ratio: number;
  /** oursMs / sha256sumParallelMs. */
  readonly ratioParallel: number;
  /** MB/s of ours. */
  readonly oursMBps: number;
  readonly dir?: string;
}

export function benchWeightsManifest(options: WeightsManifestBenchOptions = {}): WeightsManifestBenchResult {
  const totalBytes = options.totalBytes ?? 2e9;
  const shards = options.shards ?? Math.min(64, Math.max(2, Math.ceil(totalBytes / 5e8)));
  const runs = options.runs ?? 3;
  const cpus = availableParallelism();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-weights-manifest-'));
  try {
    const files = generateTree(dir, totalBytes, shards);
    const cli = path.join(__dirname, 'weights-manifest-cli.js');
    const contenders = {
      ours: () => time(process.execPath, [cli, dir]),
      sha256sum: () => time('sha256sum', files, dir),
      parallel: () =>
        time('sh', ['-c', `printf '%s\\0' "$@" | xargs -0 -n 1 -P ${cpus} sha256sum`, 'sh', ...files], dir),
    };
    const samples: Record<keyof typeof contenders, number[]> = { ours: [], sha256sum: [], parallel: [] };
    for (const f of Object.values(contenders)) f(); // warm-up: page cache, node compile cache
    for (let i = 0; i < runs; i++) {
      for (const [name, f] of Object.entries(contenders)) samples[name as keyof typeof contenders].push(f());
    }
    const oursMs = median(samples.ours);
    const sha256sumMs = median(samples.sha256sum);
    const sha256sumParallelMs = median(samples.parallel);
    return {
      totalBytes,
      files: files.length,
      cpus,
      runs,
      oursMs,
      sha256sumMs,
      sha256sumParallelMs,
      ratio: round(oursMs / sha256sumMs),
      ratioParallel: round(oursMs / sha256sumParallelMs),
      oursMBps: Math.round(totalBytes / 1e6 / (oursMs / 1000)),
      dir: options.keep ? dir : undefined,
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `shards` shards (sizes differing slightly, as real ones do) and three JSON files. */
function generateTree(dir: string, totalBytes: number, shards: number): string[] {
  const chunk = randomFillSync(Buffer.alloc(16 * 1024 * 1024));
  const names: string[] = [];
  const small = { 'config.json': 700, 'generation_config.json': 180, 'tokenizer.json': 9_000_000 };
  let remaining = totalBytes - Object.values(small).reduce((a, b) => a + b, 0);
  for (let i = 1; i <= shards; i++) {
    const size =
      i === shards ? remaining : Math.floor((remaining / (shards - i + 1)) * (i % 2 ? 1.05 : 0.95));
    remaining -= size;
    const name = `model-${String(i).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    writeFile(path.join(dir, name), size, chunk);
    names.push(name);
  }
  for (const [name, size] of Object.entries(small)) {
    writeFile(path.join(dir, name), size, chunk);
    names.push(name);
  }
  return names.sort();
}

function writeFile(file: string, size: number, chunk: Buffer): void {
  const fd = openSync(file, 'w');
  try {
    for (let left = size; left > 0;) {
      const n = Math.min(left, chunk.length);
      writeSync(fd, chunk, 0, n);
      chunk[0] ^= 0xff; // successive blocks differ
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

function time(cmd: string, args: string[], cwd?: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr?.toString()}`);
  return Math.round(ms);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
}

const round = (x: number) => Math.round(x * 100) / 100;

if (require.main === module) {
  const totalBytes = process.argv[2] ? Number(process.argv[2]) : undefined;
  const runs = process.argv[3] ? Number(process.argv[3]) : undefined;
  console.log(JSON.stringify(benchWeightsManifest({ totalBytes, runs }), null, 2));
}
