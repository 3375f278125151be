// Tests are written in TypeScript under test/ and run as the JavaScript that `tsc` emits
// under dist/test/: one type-check for the whole project (npm run build), no transpiler
// inside jest. Snapshots live beside the sources (test/**/__snapshots__), not in dist/.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/dist/test'],
  testMatch: ['**/*.test.js'],
  testEnvironment: 'node',
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  globalSetup: '<rootDir>/test/temp-root-setup.js',
  globalTeardown: '<rootDir>/test/temp-root-teardown.js',
  testTimeout: 60000,
};
