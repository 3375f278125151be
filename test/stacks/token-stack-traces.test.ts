import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Lazy } from 'cdktf';
import { synthesize } from '../../bin/lib/synthesize';
import {
  disableTokenStackTraces,
  restoreTokenStackTraces,
  STACK_TRACES_ENV,
} from '../../stacks/token-stack-traces';
import { REPO_ROOT } from '../support/paths';

beforeAll(() => process.chdir(REPO_ROOT));
afterEach(() => restoreTokenStackTraces());

/** Every file under `dir` as bytes, by relative path. */
function tree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

/** The creation stack cdktf records for a new token. */
function creationStack(): readonly string[] {
  return Lazy.anyValue({ produce: () => 'x' }).creationStack;
}

describe('cdktf token stack traces switch', () => {
  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    'synthesized files of %s are byte-identical with and without stack traces',
    async (spec) => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-traces-'));
      try {
        const fast = path.join(tmp, 'fast', 'cdktf.out');
        const traced = path.join(tmp, 'traced', 'cdktf.out');
        const today = '2026-01-01';
        await synthesize({ spec, outdir: fast, today });
        await synthesize({ spec, outdir: traced, today, debug: true });
        const a = tree(fast);
        const b = tree(traced);
        expect(Object.keys(a).length).toBeGreaterThan(1);
        expect(Object.keys(a)).toEqual(Object.keys(b));
        for (const f of Object.keys(a)) expect({ f, same: a[f].equals(b[f]) }).toEqual({ f, same: true });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  test('turns capture off, and back on when restored', () => {
    expect(creationStack().length).toBeGreaterThan(0);
    expect(disableTokenStackTraces(false)).toBe(true);
    expect(creationStack()).toEqual([]);
    restoreTokenStackTraces();
    expect(creationStack().length).toBeGreaterThan(0);
  });

  test(`stays on when asked to keep traces (--debug, ${STACK_TRACES_ENV}=1)`, () => {
    expect(disableTokenStackTraces(true)).toBe(false);
    expect(creationStack().length).toBeGreaterThan(0);
    const before = process.env[STACK_TRACES_ENV];
    process.env[STACK_TRACES_ENV] = '1';
    try {
      expect(disableTokenStackTraces()).toBe(false);
      expect(creationStack().length).toBeGreaterThan(0);
    } finally {
      if (before === undefined) delete process.env[STACK_TRACES_ENV];
      else process.env[STACK_TRACES_ENV] = before;
    }
  });

  test('synth restores capture when it is done', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-traces-'));
    try {
      await synthesize({ spec: 'examples/minimal.yaml', outdir: path.join(tmp, 'out') });
      expect(creationStack().length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
