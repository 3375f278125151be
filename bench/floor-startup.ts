/**
 * Imported first by bench/cdktf-floor.ts: with SOVEREIGN_FLOOR_STARTUP=1 the floor gets the
 * start-up levers the CLI has (bin/lib/compile-cache-install.ts: V8's later tier-up, modules
 * required on first use, the code cache) before cdktf loads — the "same levers" floor, for
 * what our layers add beyond start-up tricks a plain app could also use.
 */
import * as path from 'path';
import { compileCacheDir, enableCompileCache } from '../bin/lib/compile-cache';
import { lateTierUp } from '../bin/lib/compile-cache-install';
import { lazyRequires } from '../bin/lib/lazy-requires';

if (process.env.SOVEREIGN_FLOOR_STARTUP === '1') {
  lateTierUp();
  lazyRequires();
  enableCompileCache(compileCacheDir(path.join(__dirname, '..', '..')));
}
