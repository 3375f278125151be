/**
 * zod's translations loaded on first use (bin/lib/lazy-locales.ts): zod loads without them,
 * and what it exports is what it exports without the stand-in.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../../bin/lib/lazy-locales.js');

/** Runs `body` in a fresh process (with the stand-in when `lazy`), returns what it prints. */
function run(lazy: boolean, body: string): unknown {
  const script = `${lazy ? `require(${JSON.stringify(LIB)}).lazyZodLocales();` : ''}
    const loaded = () => Object.keys(require.cache).filter((k) => /[\\\\/]zod[\\\\/]v4[\\\\/]locales[\\\\/]/.test(k)).length;
    const z = require('zod');
    ${body}`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '../../../..'),
    }).toString(),
  );
}

describe('zod translations on first use', () => {
  test('zod loads English only; a translation asked for is the real one', () => {
    const body = `const atLoad = loaded();
      const de = z.locales.de;
      const same = de === require('zod/v4/locales/de.cjs') && de === z.core.locales.de;
      z.config(z.locales.fr());
      const message = z.string().safeParse(1).error.issues[0].message;
      console.log(JSON.stringify({ atLoad, same, keys: Object.keys(z.locales).sort(), message, esm: z.locales.__esModule, after: loaded() }));`;
    const lazy = run(true, body) as Record<string, unknown>;
    const eager = run(false, body) as Record<string, unknown>;
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
    const body = `const s = z.strictObject({ a: z.string().max(2), b: z.array(z.number().int()) });
      const r = [s.safeParse({ a: 'abc', b: [1.5, 'x'], c: 1 }), s.safeParse({ a: 'ab', b: [1] })];
      console.log(JSON.stringify({ r, loaded: loaded() }));`;
    const lazy = run(true, body) as { r: unknown; loaded: number };
    const eager = run(false, body) as { r: unknown; loaded: number };
    expect(lazy.r).toEqual(eager.r);
    expect(lazy.loaded).toBe(1);
  });
});
