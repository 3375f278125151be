/**
 * A synthesis worker thread has a module loader of its own: it compiles through the main
 * thread's code cache, in a pack of its own (bin/lib/synth-parallel.ts), and writes only there.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const DIST = path.resolve(__dirname, '../../..');
const REPO = path.resolve(DIST, '..');

test('a synthesis worker compiles through the code cache the main thread uses, in its own pack', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-worker-cache-'));
  try {
    const cache = path.join(dir, 'cache');
    const script = `
      require(${JSON.stringify(path.join(DIST, 'bin/lib/compile-cache.js'))}).enableCompileCache(${JSON.stringify(cache)}, 'synth');
      const { loadSpec } = require(${JSON.stringify(path.join(DIST, 'stacks/spec/load.js'))});
      const { synthesizeInWorkers } = require(${JSON.stringify(path.join(DIST, 'bin/lib/synth-parallel.js'))});
      const loaded = loadSpec(${JSON.stringify(path.join(REPO, 'examples/minimal.yaml'))});
      const parent = ${JSON.stringify(path.join(dir, 'out'))};
      require('fs').mkdirSync(parent);
      synthesizeInWorkers(loaded, [Object.keys(loaded.spec.jurisdictions)], parent, parent, false).then((parts) =>
        process.stdout.write(JSON.stringify(parts.map((p) => p.jurisdictions.map((j) => j.name)))));`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, JEST_WORKER_ID: '' },
      cwd: dir,
    }).toString();
    expect(JSON.parse(out)).toEqual([[expect.any(String)]]);
    const packs = fs.readdirSync(path.join(cache, 'pack')).sort();
    // The main thread loaded the spec reader; the worker cdktf, the bindings and the constructs.
    expect(packs).toEqual([
      expect.stringMatching(/^[0-9a-f]{8}-synth$/),
      expect.stringMatching(/^[0-9a-f]{8}-synth-worker$/),
    ]);
    const worker = fs.readFileSync(path.join(cache, 'pack', packs[1]!));
    const index = JSON.parse(worker.subarray(4, 4 + worker.readUInt32LE(0)).toString()) as unknown[];
    expect(index.length).toBeGreaterThan(100);
    // Nothing written outside the cache and the output asked for.
    expect(fs.readdirSync(dir).sort()).toEqual(['cache', 'out']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
