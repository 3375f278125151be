// Error stacks of code running in a test file, formatted as Node formats them outside jest.
//
// Jest puts a source-map-aware formatter in place for every error stack (it copies each call
// site and looks up a source map for its file). Our tests run the JavaScript tsc emits, which
// has no source maps, so the formatter changes nothing in what a failing test prints; but cdktf
// captures a whole stack for every token it creates (cdktf/lib/tokens/private/stack-trace.js,
// Error.stackTraceLimit = MAX_SAFE_INTEGER) and for every construct's metadata, and through
// jest's formatter (which decodes the inline source maps of cdktf and the provider bindings)
// those stacks were a quarter of the CPU time of the tests that build stacks. Node asks the
// realm that created an error for its `Error.prepareStackTrace` first: set in the test file's
// realm, this one is used for errors created there, jest's for jest's own.
//
// The format is Node's default (lib/internal/errors.js, prepareStackTraceCallback): the
// error's toString(), then one `    at <call site>` line per frame.
Error.prepareStackTrace = function prepareStackTrace(error, trace) {
  let head;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = 'Error';
  }
  return trace.length === 0 ? head : `${head}\n    at ${trace.join('\n    at ')}`;
};
