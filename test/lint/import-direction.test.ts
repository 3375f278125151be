/**
 * The import direction of docs/code-layout.md is enforced by ESLint (eslint.config.mjs), not by
 * reminders: each fixture under test/fixtures/import-direction is linted, through ESLint's Node
 * API and the project's own config, as if it sat in the folder it names.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintTexts, type LintMessage } from '../support/lint-texts';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'import-direction');

type Message = Omit<LintMessage, 'severity'>;

/** Each fixture and the path it is linted as. */
const CASES: readonly (readonly [string, string])[] = [
  ['policy-imports-constructs.ts', 'policy/rules/fixture.ts'],
  ['policy-imports-core.ts', 'policy/rules/fixture.ts'],
  ['policy-dynamic-import-stacks.ts', 'policy/fixture.ts'],
  ['stacks-imports-constructs-private.ts', 'stacks/spec/fixture.ts'],
  ['stacks-imports-policy-private.ts', 'stacks/spec/fixture.ts'],
  ['stacks-imports-policy-private.ts', 'policy/report/fixture.ts'],
  ['constructs-imports-own-private.ts', 'constructs/fixture.ts'],
  ['stacks-imports-constructs.ts', 'stacks/spec/fixture.ts'],
  ['core-imports-policy.ts', 'core/fixture.ts'],
  ['constructs-imports-policy.ts', 'constructs/fixture.ts'],
  ['policy-imports-core.ts', 'bin/commands/fixture.ts'],
  ['constructs-imports-policy.ts', 'bin/fixture.ts'],
];

let results: Map<string, Message[]>;

/** One ESLint process for every case (test/support/lint-texts.ts). */
beforeAll(() => {
  const messages = lintTexts(
    CASES.map(([fixture, as]) => ({ text: fs.readFileSync(path.join(FIXTURES, fixture), 'utf8'), file: as })),
  );
  // The assertions compare rule, message and line.
  results = new Map(
    CASES.map(([fixture, as], i) => [
      `${fixture} as ${as}`,
      messages[i].map(({ ruleId, message, line }) => ({ ruleId, message, line })),
    ]),
  );
});

function lintAs(fixture: string, filePath: string): Message[] {
  const m = results.get(`${fixture} as ${filePath}`);
  if (m === undefined) throw new Error(`no lint case ${fixture} as ${filePath}`);
  return m;
}

describe('import direction (lint)', () => {
  test('fails when policy/ imports constructs/, with the rule message', () => {
    expect(lintAs('policy-imports-constructs.ts', 'policy/rules/fixture.ts')).toEqual([
      {
        ruleId: 'no-restricted-imports',
        line: 2,
        message:
          "'../../constructs/vllm-server' import is restricted from being used by a pattern. policy/ imports only core/: it judges the synthesized JSON, never the code that wrote it (shared vocabulary belongs in core/)",
      },
    ]);
  });

  test('passes when policy/ takes the same fact from core/', () => {
    expect(lintAs('policy-imports-core.ts', 'policy/rules/fixture.ts')).toEqual([]);
  });

  test('fails when policy/ hides the wrong-way import in a dynamic import()', () => {
    const messages = lintAs('policy-dynamic-import-stacks.ts', 'policy/fixture.ts');
    expect(messages).toContainEqual({
      ruleId: 'no-restricted-syntax',
      line: 2,
      message:
        'policy/ imports only core/: it judges the synthesized JSON, never the code that wrote it (shared vocabulary belongs in core/)',
    });
  });

  test('fails when code outside constructs/ imports constructs/private', () => {
    expect(lintAs('stacks-imports-constructs-private.ts', 'stacks/spec/fixture.ts')).toEqual([
      {
        ruleId: 'no-restricted-imports',
        line: 2,
        message:
          "'../../constructs/private/validate' import is restricted from being used by a pattern. constructs/private is for constructs/ only: a helper others need belongs in core/ or a public module",
      },
    ]);
  });

  test('fails when code outside policy/ imports a policy private helper', () => {
    expect(lintAs('stacks-imports-policy-private.ts', 'stacks/spec/fixture.ts')).toEqual([
      {
        ruleId: 'no-restricted-imports',
        line: 2,
        message:
          "'../../policy/rules/private/endpoint' import is restricted from being used by a pattern. policy/**/private is for policy/ only: a reader others need belongs in core/",
      },
    ]);
  });

  test('passes when policy/ imports its own private helper', () => {
    // Linted as policy/report/<name>.ts the same text reaches policy/rules/private by `../../policy/`,
    // which resolves to policy/ itself: allowed inside policy/.
    expect(lintAs('stacks-imports-policy-private.ts', 'policy/report/fixture.ts')).toEqual([]);
  });

  test('passes when constructs/ imports its own private helper (the same kind of import, from inside)', () => {
    expect(lintAs('constructs-imports-own-private.ts', 'constructs/fixture.ts')).toEqual([]);
  });

  test('passes when stacks/ composes public constructs and core/', () => {
    expect(lintAs('stacks-imports-constructs.ts', 'stacks/spec/fixture.ts')).toEqual([]);
  });

  test('fails when core/ imports a layer above it, type-only imports included', () => {
    expect(lintAs('core-imports-policy.ts', 'core/fixture.ts')).toEqual([
      {
        ruleId: 'no-restricted-imports',
        line: 2,
        message:
          "'../policy/types' import is restricted from being used by a pattern. core/ imports nothing of ours outside core/: every layer shares it, so it depends on none",
      },
    ]);
  });

  test('fails when constructs/ import the policy', () => {
    expect(lintAs('constructs-imports-policy.ts', 'constructs/fixture.ts').map((m) => m.message)).toEqual([
      "'../policy/boundary' import is restricted from being used by a pattern. constructs/ imports only core/ (and the provider bindings and cdktf): they know nothing of the spec, the stacks or the policy",
    ]);
  });

  test('the same wrong-way import is allowed in bin/, which may import everything', () => {
    expect(lintAs('policy-imports-core.ts', 'bin/commands/fixture.ts')).toEqual([]);
    expect(lintAs('constructs-imports-policy.ts', 'bin/fixture.ts')).toEqual([]);
  });
});
