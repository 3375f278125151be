/**
 * The licence pack (LIC-001 … LIC-007) over the `"//".sovereign` record, and the same
 * judgement through `sovereign validate`. Each risk class is shown on a licence whose cited
 * clause carries it; the Apache-2.0 and MIT family raise nothing.
 */
import * as fs from 'fs';
import { evaluateStack } from '../../../policy/engine';
import { RISK_CLASSES } from '../../../core/licence-facts';
import { LICENCES, licenceById } from '../../../policy/licences/catalogue';
import { PROFILE_PACKS } from '../../../policy/packs';
import { rule as lic001 } from '../../../policy/rules/lic-001-licence-identified';
import { ALL_RULES } from '../../../policy/rules';
import { gatingLicenceVerdicts, UNSUPPRESSIBLE_LICENCE_RULES } from '../../../policy/licences/judge';
import { PROFILES } from '../../../stacks/profiles';
import { ANNOTATION_MODEL_LICENSE } from '../../../core/annotations';
import { parseSpec } from '../../../stacks/spec/load';
import { ctxOf, exampleStack, metadata, type Any } from '../fixtures';

const TODAY = '2026-12-07';

/** The example stack with its one model under `license`, in a jurisdiction of `territories`. */
function stackWith(
  license: unknown,
  opts: { territories?: string[]; profile?: string; facts?: unknown; extra?: Any } = {},
): Any {
  const profile = opts.profile ?? 'de-bsi-c5';
  const base = metadata({ profile, packs: PROFILE_PACKS[profile] } as Any);
  const model: Any = { ...base.models[0], license };
  delete model.licenseFacts;
  const facts = 'facts' in opts ? opts.facts : typeof license === 'string' ? licenceById(license) : undefined;
  if (facts !== undefined) model.licenseFacts = facts;
  Object.assign(model, opts.extra ?? {});
  return exampleStack({
    ...base,
    ...(opts.territories ? { territories: opts.territories } : {}),
    models: [model],
  } as Any);
}

const lic = (json: Any) =>
  evaluateStack('de', json, { today: TODAY }).findings.filter((f) => f.rule.startsWith('LIC-'));
const failing = (json: Any, rule: string) =>
  lic(json).filter((f) => f.rule === rule && f.status === 'failed');

describe('the licence catalogue', () => {
  test('lists every licence the brief names, each with a source, a date read and cited clauses', () => {
    const ids = LICENCES.map((l) => l.id);
    for (const id of [
      'Apache-2.0',
      'MIT',
      'llama3.1',
      'llama3.2',
      'llama3.2-multimodal',
      'llama3.3',
      'llama4',
      'gemma',
      'gemma4',
      'qwen',
      'qwen-research',
      'deepseek',
      'mnpl-0.1',
      'gpt-oss',
      'kimi-k2-modified-mit',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const l of LICENCES) {
      expect(l.url).toMatch(/^https:\/\//);
      expect(l.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const c of l.clauses) {
        expect(RISK_CLASSES).toContain(c.class);
        expect(c.section.length).toBeGreaterThan(0);
        expect(c.summary.length).toBeGreaterThan(20);
        if (c.class === 'territorial') expect(c.territories!.length).toBeGreaterThan(0);
      }
    }
    // Gemma 4 is Apache-2.0 (the Gemma Terms of Use exclude it and point to ai.google.dev/gemma/apache_2).
    expect(licenceById('gemma4')).toMatchObject({
      spdx: 'Apache-2.0',
      url: 'https://ai.google.dev/gemma/apache_2',
    });
  });

  test('non-suppressible licence rules are the ones their rule files mark so', () => {
    const marked = ALL_RULES.filter((r) => r.id.startsWith('LIC-') && !r.suppressible).map((r) => r.id);
    expect(marked).toEqual([...UNSUPPRESSIBLE_LICENCE_RULES]);
  });
});

describe('each risk class is flagged with the clause it comes from', () => {
  test.each([
    [
      'LIC-002',
      'unilateral-change',
      'llama3.1',
      /Llama 3\.1 Community License Agreement §1\.b\.iv: .*Acceptable Use Policy/,
    ],
    [
      'LIC-002',
      'unilateral-change',
      'gemma',
      /Gemma Terms of Use §3\.2 with the Gemma Prohibited Use Policy/,
    ],
    [
      'LIC-003',
      'remote-restriction',
      'gemma',
      /Gemma Terms of Use §3\.2: Google reserves the right to restrict, remotely/,
    ],
    ['LIC-003', 'remote-restriction', 'deepseek', /DeepSeek License Agreement 1\.0 §7: /],
    ['LIC-003', 'remote-restriction', 'llama3.1', /§6: Meta may terminate the agreement on any breach/],
    ['LIC-004', 'user-cap', 'llama3.1', /§2: .*700 million monthly active users/],
    [
      'LIC-004',
      'user-cap',
      'kimi-k2-modified-mit',
      /100 million monthly active users or more than 20 million US dollars/,
    ],
    ['LIC-004', 'user-cap', 'qwen', /Qwen LICENSE AGREEMENT §4: .*100 million/],
    ['LIC-005', 'field-of-use', 'mnpl-0.1', /Non-Production License 0\.1 \(MNPL\) §3\.2: .*non-production/],
    ['LIC-005', 'field-of-use', 'qwen-research', /§2\.a, §2\.b: .*non-commercial/],
    ['LIC-007', 'attribution', 'llama3.1', /§1\.b\.i, §1\.b\.iii, §5\.a: .*Built with Llama/],
    ['LIC-007', 'attribution', 'gemma', /§3\.1: .*impose the §3\.2 use restrictions/],
  ])('%s (%s) on %s', (rule, _cls, id, cite) => {
    const f = failing(stackWith(id, { profile: 'eu-gdpr', territories: ['DE'] }), rule);
    expect(f.length).toBeGreaterThan(0);
    expect(f.map((x) => x.message).join('\n')).toMatch(cite);
    expect(f.every((x) => x.address === 'model.llama' && x.level === 'warning')).toBe(true);
  });

  test('the strict profiles fail on remote restriction and unilateral change; eu-gdpr only warns', () => {
    for (const profile of ['de-bsi-c5', 'fr-secnumcloud']) {
      const r = evaluateStack('de', stackWith('gemma', { profile, territories: ['DE'] }), { today: TODAY });
      const levels = r.findings.filter((f) => f.rule.startsWith('LIC-')).map((f) => `${f.rule}:${f.level}`);
      expect(levels).toEqual(expect.arrayContaining(['LIC-002:error', 'LIC-003:error', 'LIC-007:warning']));
      expect(r.totals.errors).toBe(3);
    }
    const gdpr = evaluateStack('de', stackWith('gemma', { profile: 'eu-gdpr', territories: ['DE'] }), {
      today: TODAY,
    });
    expect(gdpr.totals.errors).toBe(0);
    expect(gdpr.totals.warnings).toBe(4);
  });

  test('a suppression with a reason accepts them in a strict profile, and the report keeps the reason', () => {
    const j = stackWith('gemma', { territories: ['DE'] });
    j['//'].sovereign.suppressions.push(
      { rule: 'LIC-002', resource: 'model.llama', reason: 'pinned revision served offline; policy reviewed' },
      { rule: 'LIC-003', resource: '*', reason: 'no remote switch exists: offline, no telemetry' },
    );
    const r = evaluateStack('de', j, { today: TODAY });
    expect(r.totals.errors).toBe(0);
    expect(
      r.findings
        .filter((f) => f.status === 'suppressed' && f.rule.startsWith('LIC'))
        .map((f) => f.suppression!.reason),
    ).toEqual(
      expect.arrayContaining([
        'pinned revision served offline; policy reviewed',
        'no remote switch exists: offline, no telemetry',
      ]),
    );
  });
});

describe('territorial exclusion (LIC-006)', () => {
  test('a Llama 3.2 multimodal licence is refused in an EU jurisdiction and accepted in a non-EU one', () => {
    for (const t of [['DE'], ['FR'], ['EU'], ['CH', 'AT']]) {
      const f = failing(stackWith('llama3.2-multimodal', { profile: 'eu-gdpr', territories: t }), 'LIC-006');
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ level: 'error', path: '"//".sovereign.territories' });
      expect(f[0].message).toMatch(/excludes EU, and the jurisdiction lies in/);
      expect(f[0].message).toMatch(/Llama 3\.2 Acceptable Use Policy/);
    }
    for (const t of [['US'], ['CH'], ['GB', 'NO']]) {
      const r = evaluateStack(
        'ch',
        stackWith('llama3.2-multimodal', { profile: 'eu-gdpr', territories: t }),
        {
          today: TODAY,
        },
      );
      expect(r.findings.filter((f) => f.rule === 'LIC-006')).toEqual([]);
      expect(r.rows.find((x) => x.rule === 'LIC-006')!.status).toBe('passed');
    }
  });

  test('Llama 4 (natively multimodal) is refused in the EU; text-only Llama 3.2 is not', () => {
    expect(failing(stackWith('llama4', { profile: 'none', territories: ['IT'] }), 'LIC-006')).toHaveLength(1);
    expect(failing(stackWith('llama3.2', { profile: 'none', territories: ['IT'] }), 'LIC-006')).toEqual([]);
  });

  test('fails when the jurisdiction declares no territory, and no suppression can accept it', () => {
    const j = stackWith('llama3.2-multimodal', {});
    j['//'].sovereign.suppressions.push({
      rule: 'LIC-006',
      resource: '*',
      reason: 'we would like to run it anyway',
    });
    const r = evaluateStack('de', j, { today: TODAY });
    const f = r.findings.filter((x) => x.rule === 'LIC-006');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ status: 'failed', level: 'error' });
    expect(f[0].message).toMatch(/declares no territories/);
    expect(r.findings.find((x) => x.rule === 'SUP-003')!.message).toMatch(
      /LIC-006 cannot be suppressed.*finding stands/,
    );
  });
});

describe('permissive licences raise no licence finding', () => {
  test.each(['Apache-2.0', 'MIT', 'gpt-oss', 'gemma4'])('%s, in every profile', (id) => {
    for (const profile of ['none', 'eu-gdpr', 'de-bsi-c5', 'fr-secnumcloud']) {
      const j = stackWith(id, { profile, territories: ['DE'] });
      expect(lic(j)).toEqual([]);
      const rows = evaluateStack('de', j, { today: TODAY }).rows.filter((r) => r.rule.startsWith('LIC-'));
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'passed'));
      expect(rows.length).toBe(7);
    }
  });
});

describe('hostile records', () => {
  test.each([
    ['apache-2.0', 'Apache-2.0'],
    ['Apache\u20102.0', 'Apache-2.0'],
    ['Apache-2.0 ', 'Apache-2.0'],
    ['LLAMA3.1', 'llama3.1'],
    ['Llama3.2-Multimodal', 'llama3.2-multimodal'],
  ])('a lookalike identifier %j fails LIC-001 naming the exact one, even with an acceptance', (id, exact) => {
    const j = stackWith(id, {
      territories: ['DE'],
      extra: {
        licenseAcceptance: { reason: 'it is the Apache licence really', url: 'https://example.org/l' },
      },
    });
    const f = failing(j, 'LIC-001');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain(`identifiers are exact: write "${exact}"`);
    expect(f[0].level).toBe('error');
  });

  test.each([
    ['\u0410pache-2.0'], // Cyrillic capital A
    ['llama3.2-multim\u043Edal'], // Cyrillic o
    ['LicenseRef-llama3.2-multimodal'],
    ['LicenseRef-sovereign-llama4'],
    ['Apache-2.0 OR MIT'],
  ])(
    '%j with an acceptance is still refused: unlisted licences are ASCII LicenseRef ids, never a listed one renamed',
    (id) => {
      const j = stackWith(id, {
        territories: ['DE'],
        extra: {
          licenseAcceptance: {
            reason: 'accepted after a careful legal review',
            url: 'https://example.org/l',
          },
        },
      });
      const f = failing(j, 'LIC-001');
      expect(f).toHaveLength(1);
      expect(f[0].message).toMatch(/identifiers are exact: write|is written LicenseRef-/);
    },
  );

  test('an unlisted licence needs a reasoned acceptance with a URL', () => {
    const bare = failing(stackWith('LicenseRef-acme-model-1.0', { territories: ['DE'] }), 'LIC-001');
    expect(bare[0].message).toMatch(
      /not in the licence catalogue and is not accepted: no acceptance is given/,
    );
    const thin = failing(
      stackWith('LicenseRef-acme-model-1.0', {
        territories: ['DE'],
        extra: { licenseAcceptance: { reason: 'ok', url: 'http://x' } },
      }),
      'LIC-001',
    );
    expect(thin[0].message).toMatch(/at least 10 characters; its url must be the https:/);
    const ok = stackWith('LicenseRef-acme-model-1.0', {
      territories: ['DE'],
      extra: {
        licenseAcceptance: {
          reason: 'Reviewed by legal: perpetual, irrevocable, no use restrictions',
          url: 'https://acme.example/licence',
        },
      },
    });
    expect(lic(ok)).toEqual([]);
  });

  test('a record without a licence, or with a non-string one, fails LIC-001', () => {
    expect(failing(stackWith(undefined, { territories: ['DE'] }), 'LIC-001')[0].message).toMatch(
      /no licence is given/,
    );
    expect(failing(stackWith({ id: 'MIT' }, { territories: ['DE'] }), 'LIC-001')[0].message).toMatch(
      /must be a catalogue identifier string/,
    );
  });

  test('dropped or altered licence facts fail LIC-001, and the catalogue is judged, not the record', () => {
    const dropped = failing(stackWith('llama3.1', { territories: ['DE'], facts: undefined }), 'LIC-001');
    expect(dropped[0]).toMatchObject({ path: '"//".sovereign.models[0].licenseFacts' });
    expect(dropped[0].message).toMatch(/carries none of its facts/);

    // The record claims the multimodal Llama licence has no clauses at all.
    const cleaned = { ...licenceById('llama3.2-multimodal')!, clauses: [] };
    const j = stackWith('llama3.2-multimodal', { territories: ['DE'], facts: cleaned });
    expect(failing(j, 'LIC-001')[0].message).toMatch(/differ from the catalogue's/);
    expect(failing(j, 'LIC-006')).toHaveLength(1);
    expect(failing(j, 'LIC-002')).toHaveLength(1);

    // Facts of a permissive licence pasted under a Llama identifier change nothing either.
    const j2 = stackWith('llama3.1', { territories: ['DE'], facts: licenceById('Apache-2.0') });
    expect(failing(j2, 'LIC-001')).toHaveLength(1);
    expect(failing(j2, 'LIC-003').length).toBeGreaterThan(0);

    // The same facts with keys in another order are the same facts.
    const reordered = JSON.parse(
      JSON.stringify(licenceById('llama3.1'), Object.keys(licenceById('llama3.1')!).reverse()),
    );
    expect(
      failing(
        stackWith('llama3.1', {
          territories: ['DE'],
          facts: { ...reordered, clauses: licenceById('llama3.1')!.clauses },
        }),
        'LIC-001',
      ),
    ).toEqual([]);
  });

  test('self-declared flags in the record do not lower the verdict', () => {
    const j = stackWith('gemma', {
      territories: ['DE'],
      extra: {
        riskClasses: [],
        licenseAcceptance: { reason: 'all risks accepted by us', url: 'https://x.example/a' },
      },
    });
    expect(failing(j, 'LIC-002')).toHaveLength(2);
    expect(failing(j, 'LIC-003')).toHaveLength(1);
    // Territories written as something other than a list are none: the exclusion still fails.
    const k = stackWith('llama4', {});
    k['//'].sovereign.territories = 'US';
    expect(failing(k, 'LIC-006')[0].message).toMatch(/declares no territories/);
  });

  test('a serving object naming another licence than the record fails LIC-001', () => {
    const j = stackWith('Apache-2.0', { territories: ['DE'] });
    const dep = Object.values(j.resource.kubernetes_deployment_v1 as Record<string, Any>)[0];
    const meta = dep.spec.template.metadata;
    (Array.isArray(meta) ? meta[0] : meta).annotations[ANNOTATION_MODEL_LICENSE] = 'llama3.2-multimodal';
    const f = lic001.check(ctxOf(j));
    const bad = f.filter((o) => o.status === 'non-compliant');
    expect(bad).toHaveLength(1);
    expect(bad[0].message).toMatch(
      /names licence "llama3\.2-multimodal" for model llama, but the record says "Apache-2\.0"/,
    );
  });
});

describe('validate applies the same judgement to the spec', () => {
  const example = fs.readFileSync('examples/minimal.yaml', 'utf8');
  const withLicence = (license: string, territories?: string, extra = '') =>
    example
      .replace('          license: llama3.1\n', `          license: ${license}\n${extra}`)
      .replace(
        '    profile: eu-gdpr\n',
        `    profile: eu-gdpr\n${territories ? `    territories: ${territories}\n` : ''}`,
      );
  const problems = (text: string): string[] => {
    try {
      parseSpec(text, 'spec.yaml');
      return [];
    } catch (e) {
      if (!Array.isArray((e as Any).problems)) throw e;
      return (e as Any).problems.map((p: Any) => `${p.line}:${p.col} ${p.path}  ${p.message}`);
    }
  };

  test('a Llama 3.2 multimodal model is refused in the EU, located at its licence, and accepted outside it', () => {
    const eu = problems(withLicence('llama3.2-multimodal', '[DE]'));
    expect(eu).toHaveLength(1);
    expect(eu[0]).toMatch(
      /^\d+:20 jurisdictions\.lab\.models\.llama-8b\.weights\.license {2}LIC-006 the licence excludes EU, and the jurisdiction lies in DE/,
    );
    expect(problems(withLicence('llama3.2-multimodal', '[US]'))).toEqual([]);
  });

  test('lookalikes and unknown identifiers are refused; Apache-2.0 and MIT pass', () => {
    expect(problems(withLicence('apache-2.0', '[DE]'))[0]).toMatch(
      /LIC-001 "apache-2.0" is not a catalogue identifier; identifiers are exact: write "Apache-2.0"/,
    );
    expect(problems(withLicence('acme', '[DE]'))[0]).toMatch(
      /LIC-001 "acme" is not in the licence catalogue/,
    );
    expect(problems(withLicence('Apache-2.0', '[DE]'))).toEqual([]);
    expect(problems(withLicence('MIT'))).toEqual([]);
    expect(
      problems(
        withLicence(
          'LicenseRef-acme',
          '[DE]',
          "          licenseAcceptance: { reason: 'reviewed: perpetual and unrestricted', url: 'https://acme.example/l' }\n",
        ),
      ),
    ).toEqual([]);
  });

  test('territories must be ISO 3166 alpha-2 codes or EU', () => {
    expect(problems(withLicence('MIT', '[de]')).join('\n')).toMatch(
      /ISO 3166-1 alpha-2 country code in capitals/,
    );
  });

  test('the strict profile fails remote restriction and unilateral change in validate too, unless suppressed', () => {
    const strict = withLicence('gemma', '[DE]')
      .replace('profile: eu-gdpr', 'profile: de-bsi-c5')
      .replace('        weights:\n', '        apiKeySecret: { name: keys, key: k }\n        weights:\n');
    const got = problems(strict);
    expect(got.map((l) => / (LIC-\d+) /.exec(l)![1])).toEqual(['LIC-002', 'LIC-002', 'LIC-003']);
    const accepted = strict.replace(
      '    pools:\n',
      "    suppressions:\n      - { rule: LIC-002, resource: model.llama-8b, reason: 'pinned revision, offline; reviewed' }\n      - { rule: LIC-003, resource: '*', reason: 'no remote switch: offline, no telemetry' }\n    pools:\n",
    );
    expect(problems(accepted)).toEqual([]);
  });
});

describe('one judgement, two entry points', () => {
  test('validate gates exactly the licence findings the policy gate fails, for every licence, profile and territory', () => {
    for (const l of LICENCES) {
      for (const profile of Object.keys(PROFILES) as (keyof typeof PROFILES)[]) {
        for (const territories of [[], ['DE'], ['US'], ['EU']]) {
          const packs = PROFILES[profile].packs;
          const j = stackWith(l.id, { profile, territories });
          j['//'].sovereign.packs = packs;
          if (territories.length === 0) delete j['//'].sovereign.territories;
          const gate = evaluateStack('de', j, { today: TODAY })
            .findings.filter((f) => f.rule.startsWith('LIC-') && f.status === 'failed' && f.level === 'error')
            .map((f) => `${f.rule} ${f.message}`);
          const validate = gatingLicenceVerdicts(
            'llama',
            { license: l.id, territories },
            packs,
            [],
            TODAY,
          ).map((v) => `${v.rule} ${v.message}`);
          expect({ id: l.id, profile, territories, validate }).toEqual({
            id: l.id,
            profile,
            territories,
            validate: gate,
          });
        }
      }
    }
  });
});
