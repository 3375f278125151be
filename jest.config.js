// Tests are written in TypeScript under test/ and run as the JavaScript that `tsc` emits
// under dist/test/: one type-check for the whole project (npm run build), no transpiler
// inside jest. Snapshots live beside the sources (test/**/__snapshots__), not in dist/.
//
// `npm test` (test/npm-test.js: build and lint side by side, then jest) runs everything but the
// packed-toolkit install (an npm install: `npm run test:package`) and keeps the validate ⇔ synth
// property to a small fixed sample (`npm run test:property` runs 2 000 specs). No test may take longer than testTimeout: a slow one gets
// faster (in-process CLI, test/support/cli.ts; examples synthesized once, synthExample in
// test/support/synth.ts) or moves to a lane of its own. docs/testing.md says which runs what.
const os = require('os');

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default is one worker fewer than the cores: on 2 cores, one, and then jest runs every
  // file one after the other in its own process, on one core. Two workers on 2 cores (the
  // default on larger machines); docs/testing.md has the figures.
  maxWorkers: Math.max(2, (os.availableParallelism?.() ?? os.cpus().length) - 1),
  rootDir: __dirname,
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testEnvironment: 'node',
  // The test files are found by crawling dist/test: no watchman process is asked.
  watchman: false,
  // The tests are the CommonJS tsc emits: nothing for babel-jest to do (and nothing to load it for).
  transform: {},
  // Node's own error-stack format in test files (test/stack-format.js says why).
  setupFiles: ['<rootDir>/test/stack-format.js'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  globalSetup: '<rootDir>/test/temp-root-setup.js',
  globalTeardown: '<rootDir>/test/temp-root-teardown.js',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/test/package/'],
  testTimeout: 10000,
  // When the run ends, each worker is told to stop and must exit within this time or is killed
  // with "A worker process has failed to exit gracefully". No handle is left open when it is
  // told (every test file's timers, children, worker threads and pipes have ended then), but
  // a worker's exit frees a heap of several hundred MB, which on 2 loaded cores took longer
  // than jest's 500 ms. A worker that really hangs is still killed, and reported, after this.
  workerGracefulExitTimeout: 5000,
};
