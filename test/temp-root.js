// Every temporary file of a test run lives under one directory that the run removes: cdktf's
// Testing helpers, for one, make an output directory in os.tmpdir() per synthesized scope and
// never delete it. Jest runs the setup before it starts its workers, which inherit TMPDIR.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = {
  setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-test-'));
    process.env.SOVEREIGN_TEST_TMP_ROOT = dir;
    process.env.TMPDIR = dir;
  },
  teardown() {
    const dir = process.env.SOVEREIGN_TEST_TMP_ROOT;
    if (dir && path.basename(dir).startsWith('sovereign-test-'))
      fs.rmSync(dir, { recursive: true, force: true });
  },
};
