// `npm test`: the build (`npm run build`) and the lint (`npm run lint`: eslint, then prettier
// --check) start together, and jest starts as soon as the build passed, while the lint may
// still run. Lint reads the sources and writes nothing the build or the tests read, so nothing
// waits for it: one after the other, each of the three left a core idle on 2 cores (the build
// and the lint use one each; docs/testing.md has the figures).
//
// The output of the build and of the lint is printed whole when each ends, or after jest's
// when jest is running then, so it never interleaves with jest's. Arguments go to jest (`npm
// test -- dist/test/bin`). The exit code is the build's when it failed (jest does not run),
// else the lint's when it failed, else jest's.
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const npm = process.env.npm_execpath;

/** Runs `npm run -s <script>` with its output captured: resolves to its exit code and output. */
function npmRun(script) {
  const [cmd, args] = npm ? [process.execPath, [npm, 'run', '-s', script]] : ['npm', ['run', '-s', script]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (d) => (text += d));
    }
    child.on('error', (e) => resolve({ code: 1, text: `${text}npm run ${script}: ${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), text }));
  }).then(({ code, text }) => ({
    code,
    text: `> npm run ${script}${code === 0 ? '' : ` (exit ${code})`}\n${text}${text === '' || text.endsWith('\n') ? '' : '\n'}`,
  }));
}

/** Jest with this process's arguments, its output straight through; resolves to its exit code. */
function jest() {
  const bin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  let jestRunning = false;
  const lint = npmRun('lint').then((r) => {
    if (!jestRunning) process.stdout.write(r.text);
    return r;
  });
  const build = await npmRun('build');
  process.stdout.write(build.text);
  if (build.code !== 0) {
    await lint;
    return build.code;
  }
  const lintEnded = await Promise.race([lint, Promise.resolve(undefined)]);
  jestRunning = lintEnded === undefined;
  const jestCode = await jest();
  const { code: lintCode, text } = await lint;
  if (jestRunning) process.stdout.write(text);
  return lintCode !== 0 ? lintCode : jestCode;
}

main().then((code) => {
  process.exitCode = code;
});
