// Maps dist/test/a/b.test.js <-> test/a/__snapshots__/b.test.ts.snap so that snapshots are
// kept with the TypeScript sources and survive `rm -rf dist`.
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'test');
const src = path.join(root, 'test');

module.exports = {
  resolveSnapshotPath: (testPath, ext) => {
    const rel = path.relative(dist, testPath).replace(/\.js$/, '.ts');
    return path.join(src, path.dirname(rel), '__snapshots__', path.basename(rel) + ext);
  },
  resolveTestPath: (snapshotPath, ext) => {
    const rel = path.relative(src, snapshotPath);
    const base = path.basename(rel, ext).replace(/\.ts$/, '.js');
    return path.join(dist, path.dirname(path.dirname(rel)), base);
  },
  testPathForConsistencyCheck: path.join(dist, 'example', 'a.test.js'),
};
