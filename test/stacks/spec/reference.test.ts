import * as fs from 'fs';
import * as path from 'path';
import { specReferenceMarkdown, withReference } from '../../../stacks/spec/reference';
import { REPO_ROOT } from '../../support/paths';

describe('the spec reference in docs/spec.md', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'spec.md'), 'utf8');

  test('is the one rendered from the schema (run npm run docs to refresh)', () => {
    expect(doc).toBe(withReference(doc));
  });

  test('has a row for the fields users set most', () => {
    const table = specReferenceMarkdown();
    for (const field of [
      'jurisdictions.<name>.backend.endpoint',
      'jurisdictions.<name>.pools.<name>.gpusPerNode',
      'jurisdictions.<name>.models.<name>.weights.files',
      'jurisdictions.<name>.suppressions[].reason',
    ]) {
      expect(table).toContain(`| \`${field}\` |`);
    }
  });

  test('fails when the README has lost its markers', () => {
    expect(() => withReference('# no markers')).toThrow('README.md has no spec-reference markers');
  });
});
