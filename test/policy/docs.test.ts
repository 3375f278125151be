import { readFileSync } from 'fs';
import { join } from 'path';
import { renderRulesMd } from '../../policy/docs';
import { ALL_RULES } from '../../policy/rules';
import { SUPPRESSION_RULES } from '../../policy/suppressions';

const RULES_MD = readFileSync(join(__dirname, '..', '..', '..', 'policy', 'RULES.md'), 'utf8');

describe('policy/RULES.md', () => {
  test('lists every rule id with its title, severity and suppressibility', () => {
    for (const r of ALL_RULES) {
      expect(RULES_MD).toContain(
        `| ${r.id} | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.suppressible ? 'yes' : '**no**'} |`,
      );
    }
    for (const r of SUPPRESSION_RULES) expect(RULES_MD).toContain(`| ${r.id} | ${r.title} | ${r.level} |`);
  });
  test('is exactly what the rule metadata renders (regenerate with writeRulesMd)', () => {
    expect(RULES_MD).toBe(renderRulesMd());
  });
});
