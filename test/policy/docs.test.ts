import { readFileSync } from 'fs';
import { join } from 'path';
import { renderRulesMd } from '../../policy/docs';
import { ALL_RULES } from '../../policy/rules';
import { SUPPRESSION_RULES } from '../../policy/suppressions';
import { PROFILE_PACKS, PROFILE_STRICT } from '../../policy/packs';
import { PROFILES } from '../../stacks/profiles';

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
  test('one table of packs per profile: stacks/profiles.ts derives from it, RULES.md shows it', () => {
    for (const [id, p] of Object.entries(PROFILES)) {
      expect([id, p.packs]).toEqual([id, PROFILE_PACKS[id]]);
      expect([id, p.strict]).toEqual([id, PROFILE_STRICT[id]]);
      expect(RULES_MD).toContain(
        `| ${id} | ${p.packs.map((x) => `\`${x.id}\` (${x.level})`).join(', ')} | ${p.strict ? 'yes' : 'sovereignty rules only'} |`,
      );
    }
    expect(Object.keys(PROFILE_PACKS).sort()).toEqual(Object.keys(PROFILES).sort());
    expect(RULES_MD).toContain('## Trust model');
  });
  test('is exactly what the rule metadata renders (regenerate with writeRulesMd)', () => {
    expect(RULES_MD).toBe(renderRulesMd());
  });
});
