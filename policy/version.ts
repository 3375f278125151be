/** Versions a report records so an auditor knows which rules judged the artifact. */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** Bumped whenever a rule's check, a pack's selection or a rule's level changes. */
export const RULES_VERSION = '1.0.0';

let cached: string | undefined;

/** The sovereign-stack package version (found by walking up from this file to package.json). */
export function toolkitVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'sovereign-stack' && pkg.version) return (cached = pkg.version);
      } catch {
        // keep looking
      }
    }
    dir = dirname(dir);
  }
  return (cached = 'unknown');
}
