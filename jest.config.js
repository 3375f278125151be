// Tests are written in TypeScript under test/ and run as the JavaScript that `tsc` emits
// under dist/test/: one type-check for the whole project (npm run build), no transpiler
// inside jest. Snapshots live beside the sources (test/**/__snapshots__), not in dist/.
//
// `npm test` runs everything but the packed-toolkit install (an npm install: `npm run
// test:package`) and keeps the validate ⇔ synth property to a small fixed sample (`npm run
// test:property` runs 2 000 specs). No test may take longer than testTimeout: a slow one gets
// faster (in-process CLI, test/support/cli.ts; examples synthesized once, synthExample in
// test/support/synth.ts) or moves to a lane of its own. docs/testing.md says which runs what.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testEnvironment: 'node',
  // The tests are the CommonJS tsc emits: nothing for babel-jest to do (and nothing to load it for).
  transform: {},
  // Node's own error-stack format in test files (test/stack-format.js says why).
  setupFiles: ['<rootDir>/test/stack-format.js'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  globalSetup: '<rootDir>/test/temp-root-setup.js',
  globalTeardown: '<rootDir>/test/temp-root-teardown.js',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/test/package/'],
  testTimeout: 10000,
};
