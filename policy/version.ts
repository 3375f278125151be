/** Versions a report records so an auditor knows which toolkit and rules judged the artifact. */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { TOOLKIT_VERSION } from '../core/version';

/** Bumped whenever a rule's check, a pack's selection or a rule's level changes. */
export const RULES_VERSION = '1.0.0';

/**
 * Written next to the compiled code by `npm run build` (the commit the toolkit was built from);
 * absent in a build that is not from a git checkout.
 */
export const BUILD_INFO_FILE = 'build-info.json';

let cachedCommit: { commit?: string } | undefined;

/** The commit of this build: `gitHead` of a package packed from git, or dist/build-info.json of a checkout build. */
function buildCommit(): string | undefined {
  if (cachedCommit !== undefined) return cachedCommit.commit;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; gitHead?: string };
        if (pkg.name === 'sovereign-stack') {
          // npm records the commit of a package packed from git as `gitHead`; a build from a
          // checkout records it in dist/build-info.json.
          let commit = typeof pkg.gitHead === 'string' ? pkg.gitHead : undefined;
          const info = join(dir, 'dist', BUILD_INFO_FILE);
          if (commit === undefined && existsSync(info)) {
            const c = (JSON.parse(readFileSync(info, 'utf8')) as { commit?: unknown }).commit;
            if (typeof c === 'string' && /^[0-9a-f]{40}$/.test(c)) commit = c;
          }
          return (cachedCommit = { commit }).commit;
        }
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir);
  }
  cachedCommit = {};
  return undefined;
}

/** The sovereign-stack package version (core/version.ts, the one constant). */
export function toolkitVersion(): string {
  return TOOLKIT_VERSION;
}

/** The commit the toolkit was built from, when known (never a path). */
export function toolkitCommit(): string | undefined {
  return buildCommit();
}

/**
 * The audit time: `SOURCE_DATE_EPOCH` (seconds since 1970, reproducible builds) when set,
 * the clock otherwise; UTC ISO 8601 to the second.
 */
export function auditTime(env: NodeJS.ProcessEnv = process.env, clock: () => number = Date.now): string {
  const raw = env.SOURCE_DATE_EPOCH;
  const ms = raw !== undefined && /^\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) * 1000 : clock();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
