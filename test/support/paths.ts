/** Paths the tests use, resolved from the repository root (tests run from dist/test). */
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const CLI = path.join(REPO_ROOT, 'dist', 'bin', 'sovereign.js');

/** A fixture path relative to the repository root, as a user would type it. */
export function fixture(...parts: string[]): string {
  return path.join('test', 'fixtures', ...parts);
}
