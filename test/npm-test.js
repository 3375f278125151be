// `npm test`: the build (`npm run build`) and the lint (`npm run lint`: eslint, then prettier
// --check) side by side, then jest when both passed. Neither of the first two reads what the
// other writes (lint reads the sources, the build writes dist/), and each keeps one core busy:
// on 2 cores, one after the other left a core idle for as long as both took (docs/testing.md).
// Each one's output is printed whole when it ends, so the two never interleave. Arguments go to
// jest (`npm test -- dist/test/bin`). The exit code is the first failure's, else jest's.
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const npm = process.env.npm_execpath;

/** Runs `npm run -s <script>` with its output captured; resolves to its exit code. */
function npmRun(script) {
  const [cmd, args] = npm ? [process.execPath, [npm, 'run', '-s', script]] : ['npm', ['run', '-s', script]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (d) => (text += d));
    }
    child.on('error', (e) => {
      text += `npm run ${script}: ${e.message}\n`;
      resolve(1);
    });
    child.on('close', (code, signal) => {
      process.stdout.write(`> npm run ${script}\n${text}${text === '' || text.endsWith('\n') ? '' : '\n'}`);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const codes = await Promise.all([npmRun('build'), npmRun('lint')]);
  const failed = codes.find((c) => c !== 0);
  if (failed !== undefined) return failed;
  const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [jest, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then((code) => {
  process.exitCode = code;
});
