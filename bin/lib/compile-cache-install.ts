/**
 * Imported first by the CLI entry (bin/sovereign.ts): turns on the code cache
 * (compile-cache.ts) and zod's translations loaded on first use (lazy-locales.ts) before
 * anything else loads, and only when the CLI runs as a program, never when a test or a library
 * imports it.
 */
import * as path from 'path';
import { compileCacheDir, enableCompileCache } from './compile-cache';
import { lazyZodLocales } from './lazy-locales';

const entry = path.join(__dirname, '..', 'sovereign.js');
if (require.main?.filename === entry) {
  lazyZodLocales();
  enableCompileCache(compileCacheDir(path.join(__dirname, '..', '..', '..')));
}
