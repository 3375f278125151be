// Jest's node environment, with V8's code cache for the modules the test files load.
//
// Jest gives every test file a module registry of its own and compiles each module it loads
// with vm.compileFunction. Node compiles a function given an `importModuleDynamically`
// callback (jest always gives one) without V8's in-memory compilation cache, so each of the
// ~40 files that load cdktf and the provider bindings compiled the same 16.7 MB of JavaScript
// again: 0.4 s of CPU per file. Here each jest worker keeps V8's code cache (`cachedData`, a
// documented vm option) of every module it compiled, by file name and source text, and hands
// it to V8 when another test file in the worker compiles the same source. V8 checks the cache
// against the source and its own version and flags, and compiles as before when it does not
// match (`cachedDataRejected`). What runs is unchanged: the same source, compiled by the same
// V8, in the test file's own context, with jest's callback. docs/testing.md has the figures.
const vm = require('vm');
const { TestEnvironment } = require('jest-environment-node');

const PATCHED = Symbol.for('sovereign-stack.test.compileFunctionCodeCache');

if (!vm.compileFunction[PATCHED]) {
  const compileFunction = vm.compileFunction;
  /** @type {Map<string, { code: string, cachedData: Buffer }>} */
  const cache = new Map();
  const cached = function (code, params, options) {
    const filename = options?.filename;
    if (typeof filename !== 'string' || options.cachedData !== undefined || options.produceCachedData)
      return compileFunction.call(this, code, params, options);
    const entry = cache.get(filename);
    if (entry !== undefined && entry.code === code) {
      return compileFunction.call(this, code, params, { ...options, cachedData: entry.cachedData });
    }
    const fn = compileFunction.call(this, code, params, { ...options, produceCachedData: true });
    if (fn.cachedData !== undefined) cache.set(filename, { code, cachedData: fn.cachedData });
    return fn;
  };
  cached[PATCHED] = true;
  vm.compileFunction = cached;
}

module.exports = TestEnvironment;
