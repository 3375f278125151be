/**
 * The deferred zip library: cdktf starts without loading it, and the stand-in still zips when
 * called. Runs in a plain node process, since jest's module system bypasses Node's loader.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

function node(script: string) {
  return spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const hook = JSON.stringify(path.join(REPO_ROOT, 'dist/stacks/defer-archiver.js'));
const loaded = `Object.keys(require.cache).some((k) => k.includes('/node_modules/archiver/'))`;

describe('deferArchiver', () => {
  test('cdktf loads without archiver once the hook is installed, and with it otherwise', () => {
    const deferred = node(`require(${hook}).deferArchiver(); require('cdktf'); console.log(${loaded});`);
    expect(deferred.stderr).toBe('');
    expect(deferred.stdout.trim()).toBe('false');
    expect(node(`require('cdktf'); console.log(${loaded});`).stdout.trim()).toBe('true');
  });

  test('the stand-in loads the real archiver on first call and returns a working archive', () => {
    const r = node(`
      require(${hook}).deferArchiver();
      const Module = require('module');
      require('cdktf');
      const parent = require.cache[require.resolve('cdktf/lib/private/fs.js')];
      const stub = Module._load('archiver', parent, false);
      const archive = stub('zip', { zlib: { level: 1 } });
      console.log(typeof archive.pipe, typeof archive.directory, ${loaded});
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function function true');
  });
});
