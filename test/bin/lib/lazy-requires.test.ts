/**
 * Modules required on first use in the CLI (bin/lib/lazy-requires.ts): zod loads without its
 * translations and commander without child_process, and what they export is what they export
 * without the stand-ins.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../../bin/lib/lazy-requires.js');
const REPO = path.resolve(__dirname, '../../../..');

/** Runs `body` in a fresh process (with the stand-ins when `lazy`), returns what it prints. */
function run(lazy: boolean, body: string): Record<string, unknown> {
  const script = `${lazy ? `require(${JSON.stringify(LIB)}).lazyRequires();` : ''}
    const loaded = () => Object.keys(require.cache).filter((k) => /[\\\\/]zod[\\\\/]v4[\\\\/]locales[\\\\/]/.test(k)).length;
    ${body}`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO }).toString()) as Record<
    string,
    unknown
  >;
}

describe('zod translations on first use', () => {
  test('zod loads English only; a translation asked for is the real one', () => {
    const body = `const z = require('zod');
      const atLoad = loaded();
      const de = z.locales.de;
      const same = de === require('zod/v4/locales/de.cjs') && de === z.core.locales.de;
      z.config(z.locales.fr());
      const message = z.string().safeParse(1).error.issues[0].message;
      console.log(JSON.stringify({ atLoad, same, keys: Object.keys(z.locales).sort(), message, esm: z.locales.__esModule, after: loaded() }));`;
    const lazy = run(true, body);
    const eager = run(false, body);
    expect(lazy.atLoad).toBe(1); // en.cjs, required by zod directly
    expect(eager.atLoad).toBeGreaterThan(50);
    expect(lazy.same).toBe(true);
    expect(lazy.keys).toEqual(eager.keys);
    expect((lazy.keys as string[]).length).toBeGreaterThan(50);
    expect(lazy.message).toBe(eager.message);
    expect(lazy.message).toMatch(/chaîne/);
    expect(lazy.esm).toBe(true);
    expect(lazy.after).toBe(eager.after);
  });

  test('parse results and English messages are the same with and without the stand-in', () => {
    const body = `const z = require('zod');
      const s = z.strictObject({ a: z.string().max(2), b: z.array(z.number().int()) });
      const r = [s.safeParse({ a: 'abc', b: [1.5, 'x'], c: 1 }), s.safeParse({ a: 'ab', b: [1] })];
      console.log(JSON.stringify({ r, loaded: loaded() }));`;
    const lazy = run(true, body);
    const eager = run(false, body);
    expect(lazy.r).toEqual(eager.r);
    expect(lazy.loaded).toBe(1);
  });
});

describe("commander's child_process on first use", () => {
  test('commander loads without it; what commander gets answers with the real module', () => {
    const body = `const has = () => process.moduleLoadList.includes('NativeModule child_process');
      const { Command } = require('commander');
      const program = new Command('x').option('--y').exitOverride();
      program.parse(['--y'], { from: 'user' });
      const atLoad = has();
      // What commander/lib/command.js gets when it requires child_process.
      const parent = require.cache[require('path').join(require('path').dirname(require.resolve('commander')), 'lib', 'command.js')];
      const cp = require('module')._load('node:child_process', parent, false);
      const same = cp.spawn === require('child_process').spawn && cp.execFileSync === require('child_process').execFileSync;
      console.log(JSON.stringify({ atLoad, y: program.opts().y, same, keys: Object.keys(cp).sort().join(), real: Object.keys(require('child_process')).sort().join() }));`;
    const lazy = run(true, body);
    const eager = run(false, body);
    expect(lazy.atLoad).toBe(false);
    expect(eager.atLoad).toBe(true);
    expect(lazy.y).toBe(true);
    expect(lazy.same).toBe(true);
    expect(lazy.keys).toBe(lazy.real);
  });
});
