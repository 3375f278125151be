import { ALL_RULES } from '../../../policy/rules';
import { ALL_PACK_IDS, ALL_PACKS, PROFILE_PACKS } from '../../../policy/packs';

const ids = (id: string) => ALL_PACKS.find((p) => p.id === id)!.rules.map((r) => r.rule);

describe('packs', () => {
  test('k8s-baseline pins its rules', () =>
    expect(ids('k8s-baseline')).toEqual([
      'K8S-001',
      'K8S-007',
      'K8S-008',
      'K8S-009',
      'K8S-013',
      'K8S-014',
      'K8S-015',
      'K8S-016',
      'K8S-019',
      'K8S-020',
      'K8S-021',
      'K8S-022',
      'K8S-025',
      'K8S-026',
    ]));
  test('k8s-restricted pins its rules (every K8S rule)', () =>
    expect(ids('k8s-restricted')).toEqual(
      Array.from({ length: 26 }, (_, i) => `K8S-${String(i + 1).padStart(3, '0')}`),
    ));
  test('sovereignty pins its rules (every SOV rule, no credential, the licence identity and territory)', () =>
    expect(ids('sovereignty')).toEqual([
      ...Array.from({ length: 18 }, (_, i) => `SOV-${String(i + 1).padStart(3, '0')}`),
      'K8S-026',
      'LIC-001',
      'LIC-006',
    ]));
  test('eu-gdpr pins its rules', () =>
    expect(ids('eu-gdpr')).toEqual([
      'K8S-018',
      'K8S-022',
      'K8S-025',
      'K8S-026',
      'SOV-002',
      'SOV-007',
      'SOV-008',
      'SOV-009',
      'SOV-011',
      'SOV-012',
      'SOV-013',
    ]));
  test('de-bsi-c5 pins its rules', () =>
    expect(ids('de-bsi-c5')).toEqual([
      'K8S-001',
      'K8S-002',
      'K8S-003',
      'K8S-011',
      'K8S-018',
      'K8S-019',
      'K8S-021',
      'K8S-022',
      'K8S-025',
      'K8S-026',
      'LIC-002',
      'LIC-003',
      'SOV-001',
      'SOV-002',
      'SOV-003',
      'SOV-004',
      'SOV-005',
      'SOV-006',
      'SOV-007',
      'SOV-010',
      'SOV-011',
      'SOV-012',
    ]));
  test('fr-secnumcloud pins its rules', () =>
    expect(ids('fr-secnumcloud')).toEqual([
      'K8S-001',
      'K8S-002',
      'K8S-005',
      'K8S-006',
      'K8S-018',
      'K8S-019',
      'K8S-021',
      'K8S-022',
      'K8S-026',
      'LIC-002',
      'LIC-003',
      'SOV-002',
      'SOV-004',
      'SOV-006',
      'SOV-007',
      'SOV-008',
      'SOV-009',
      'SOV-011',
      'SOV-012',
      'SOV-013',
    ]));

  test('every pack names only existing rules, each once, each with a clause', () => {
    const known = new Set(ALL_RULES.map((r) => r.id));
    for (const p of ALL_PACKS) {
      const list = p.rules.map((r) => r.rule);
      expect(list.filter((r) => !known.has(r))).toEqual([]);
      expect(new Set(list).size).toBe(list.length);
      expect(p.rules.every((r) => r.clause.length > 0)).toBe(true);
    }
    expect(ALL_PACKS.map((p) => p.id)).toEqual(ALL_PACK_IDS);
  });

  test('the licence pack holds every LIC rule; profiles select it at warning', () => {
    expect(ids('licence')).toEqual(
      Array.from({ length: 7 }, (_, i) => `LIC-${String(i + 1).padStart(3, '0')}`),
    );
    for (const sel of Object.values(PROFILE_PACKS))
      expect(sel).toContainEqual({ id: 'licence', level: 'warning' });
  });

  test('every profile selects known packs and always sovereignty at error', () => {
    for (const sel of Object.values(PROFILE_PACKS)) {
      expect(sel.every((s) => ALL_PACK_IDS.includes(s.id))).toBe(true);
      expect(sel).toContainEqual({ id: 'sovereignty', level: 'error' });
    }
  });

  test('rule ids are unique and stable in form; residency rules are not suppressible', () => {
    const all = ALL_RULES.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((i) => /^(K8S|SOV|LIC)-\d{3}$/.test(i))).toBe(true);
    const notSuppressible = ALL_RULES.filter((r) => !r.suppressible).map((r) => r.id);
    // Every sovereignty rule: the artifact carries its suppressions and may only tighten.
    expect(notSuppressible).toEqual([
      'K8S-026',
      'LIC-001',
      'LIC-006',
      ...Array.from({ length: 18 }, (_, i) => `SOV-${String(i + 1).padStart(3, '0')}`),
    ]);
  });
});
