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
 *
 * `benchWeightsManifestTrees` measures the CLI against `find | xargs sha256sum` on 100 000
 * files of 1–10 KB and on 3 files of 2 GB (see there):
 *
 *   node dist/bench/weights-manifest.js trees [smallFiles] [largeBytes] [runs] [--sparse]
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
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

export interface TreeBenchRow {
  /** `small`: many files of 1–10 KB; `large`: a few files of `largeBytes` each. */
  readonly tree: 'small' | 'large';
  readonly files: number;
  readonly totalBytes: number;
  readonly runs: number;
  /** Median wall time in ms of `sovereign weights manifest <dir> --no-progress`. */
  readonly oursMs: number;
  /** Median wall time in ms of `find . -type f -print0 | xargs -0 sha256sum`, same tree, same run. */
  readonly findXargsMs: number;
  /** oursMs / findXargsMs (the target is ≤ 2). */
  readonly ratio: number;
}

export interface TreeBenchOptions {
  /** Files of 1–10 KB (random sizes and bytes) in the small tree. @default 100 000 */
  readonly smallFiles?: number;
  /** Files in the large tree. @default 3 */
  readonly largeFiles?: number;
  /** Bytes of each large file. @default 2e9 */
  readonly largeBytes?: number;
  /** Large files as sparse files (holes read as zeros: no disk writes) instead of data. @default false */
  readonly sparse?: boolean;
  /** Timed runs per contender, after one warm-up of each. @default 3 */
  readonly runs?: number;
}

/**
 * The CLI as a user runs it against `find | xargs sha256sum` on the same trees, measured in the
 * same run, alternating, after one warm-up each (both read from the page cache): 100 000 files
 * of 1–10 KB (where per-file costs dominate), then 3 files of 2 GB (where hashing speed does).
 * Each tree is generated in a temporary directory and removed afterwards.
 */
export function benchWeightsManifestTrees(options: TreeBenchOptions = {}): TreeBenchRow[] {
  const runs = options.runs ?? 3;
  const cli = path.join(__dirname, '..', 'bin', 'sovereign.js');
  const rows: TreeBenchRow[] = [];
  const measure = (tree: TreeBenchRow['tree'], dir: string, files: number, totalBytes: number) => {
    const ours = () => time(process.execPath, [cli, 'weights', 'manifest', dir, '--no-progress']);
    const findXargs = () => time('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum'], dir);
    ours();
    findXargs();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(ours());
      b.push(findXargs());
    }
    const oursMs = median(a);
    const findXargsMs = median(b);
    rows.push({ tree, files, totalBytes, runs, oursMs, findXargsMs, ratio: round(oursMs / findXargsMs) });
  };

  const small = mkdtempSync(path.join(tmpdir(), 'bench-weights-small-'));
  try {
    const n = options.smallFiles ?? 100_000;
    const pool = randomFillSync(Buffer.alloc(1 << 20));
    let total = 0;
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < n; i++) {
      const dir = path.join(small, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`);
      if (i % 1000 === 0) mkdirSync(dir);
      const size = 1000 + (next() % 9001);
      const at = next() % (pool.length - size);
      writeFileSync(
        path.join(dir, `f${String(i % 1000).padStart(4, '0')}.bin`),
        pool.subarray(at, at + size),
      );
      total += size;
    }
    measure('small', small, n, total);
  } finally {
    rmSync(small, { recursive: true, force: true });
  }

  const large = mkdtempSync(path.join(tmpdir(), 'bench-weights-large-'));
  try {
    const n = options.largeFiles ?? 3;
    const bytes = options.largeBytes ?? 2e9;
    const chunk = randomFillSync(Buffer.alloc(16 * 1024 * 1024));
    for (let i = 1; i <= n; i++) {
      const file = path.join(
        large,
        `model-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`,
      );
      if (options.sparse) {
        const fd = openSync(file, 'w');
        ftruncateSync(fd, bytes);
        closeSync(fd);
      } else writeFile(file, bytes, chunk);
    }
    measure('large', large, n, n * bytes);
  } finally {
    rmSync(large, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  if (process.argv[2] === 'trees') {
    // node dist/bench/weights-manifest.js trees [smallFiles] [largeBytes] [runs] [--sparse]
    const num = (i: number) =>
      process.argv[i] && !process.argv[i].startsWith('--') ? Number(process.argv[i]) : undefined;
    const rows = benchWeightsManifestTrees({
      smallFiles: num(3),
      largeBytes: num(4),
      runs: num(5),
      sparse: process.argv.includes('--sparse'),
    });
    console.log(JSON.stringify(rows, null, 2));
  } else {
    const totalBytes = process.argv[2] ? Number(process.argv[2]) : undefined;
    const runs = process.argv[3] ? Number(process.argv[3]) : undefined;
    console.log(JSON.stringify(benchWeightsManifest({ totalBytes, runs }), null, 2));
  }
}
