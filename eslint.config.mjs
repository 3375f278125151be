import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A relative import that reaches into one of our top-level folders (`../../constructs/x`). */
function into(...folders) {
  return `^(\\.\\./)+(${folders.join('|')})(/|$)`;
}

/** `constructs/private/…` from outside constructs/ (the engine flag tables live in core/engines/). */
const INTO_CONSTRUCTS_PRIVATE = '(^|/)constructs/private/';

const CDKTF_INTERNALS = { regex: '^cdktf/lib/', message: 'cdktf internals go through stacks/cdktf-seam.ts' };
const CDKTF_PACKAGES = {
  regex: '^(cdktf|constructs|@cdktf/.*)(/|$)',
  message:
    'core/ and policy/ work on plain data and Terraform JSON: they never load cdktf or the provider bindings',
};

const DIRECTION = [
  {
    files: ['core/**/*.ts'],
    restricted: [
      {
        regex: into('constructs', 'stacks', 'policy', 'bin', 'examples', 'test', 'bench'),
        message: 'core/ imports nothing of ours outside core/: every layer shares it, so it depends on none',
      },
      CDKTF_PACKAGES,
    ],
  },
  {
    files: ['policy/**/*.ts'],
    restricted: [
      {
        regex: into('constructs', 'stacks', 'bin', 'examples', 'test', 'bench'),
        message:
          'policy/ imports only core/: it judges the synthesized JSON, never the code that wrote it (shared vocabulary belongs in core/)',
      },
      CDKTF_PACKAGES,
    ],
  },
  {
    files: ['constructs/**/*.ts'],
    restricted: [
      {
        regex: into('stacks', 'policy', 'bin', 'examples', 'test', 'bench'),
        message:
          'constructs/ imports only core/ (and the provider bindings and cdktf): they know nothing of the spec, the stacks or the policy',
      },
    ],
  },
  {
    files: ['stacks/**/*.ts'],
    restricted: [
      {
        regex: into('bin', 'examples', 'test', 'bench'),
        message: 'stacks/ imports core/, constructs/ and policy/ only',
      },
    ],
  },
  {
    files: ['examples/**/*.ts'],
    restricted: [
      {
        regex: into('core', 'constructs/.+', 'stacks/.+', 'policy/.+', 'bin', 'test', 'bench'),
        message:
          'examples/ use the public entry points only (constructs, stacks, policy), as a user of the package does',
      },
    ],
  },
  { files: ['bin/**/*.ts'], restricted: [] },
  // Benchmarks may measure anything, private helpers included.
  { files: ['bench/**/*.ts'], restricted: [], privateAllowed: true },
];

const PRIVATE = {
  regex: INTO_CONSTRUCTS_PRIVATE,
  message:
    'constructs/private is for constructs/ only: a helper others need belongs in core/ or a public module',
};

/** `policy/…/private/…` from outside policy/: the gate's helpers are the gate's, not the spec's. */
const POLICY_PRIVATE = {
  regex: '(^|/)policy/(.+/)?private/',
  message: 'policy/**/private is for policy/ only: a reader others need belongs in core/',
};

/** The `no-restricted-imports` and `no-restricted-syntax` (require, import()) blocks per folder. */
function importDirection() {
  return DIRECTION.map(({ files, restricted, privateAllowed }) => {
    const patterns = [
      ...restricted,
      ...(privateAllowed || files[0].startsWith('constructs/') ? [] : [PRIVATE]),
      ...(privateAllowed || files[0].startsWith('policy/') ? [] : [POLICY_PRIVATE]),
      CDKTF_INTERNALS,
    ];
    return {
      files,
      // The one module that may reach cdktf's internals.
      ignores: ['stacks/cdktf-seam.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns }],
        'no-restricted-syntax': [
          'error',
          ...patterns.flatMap(({ regex, message }) => {
            const re = regex.replace(/\//g, '\\u002F');
            return [
              { selector: `CallExpression[callee.name='require'] > Literal[value=/${re}/]`, message },
              { selector: `ImportExpression > Literal[value=/${re}/]`, message },
            ];
          }),
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'cdktf.out/**', 'node_modules/**', 'coverage/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The import direction (docs/code-layout.md): core/ → nothing of ours; constructs/ → core/;
  // policy/ → core/; stacks/ → core/, constructs/, policy/; bin/ → everything; examples/ → the
  // public entry points. Each folder's rules repeat the cdktf-internals rule, because a later
  // flat-config block replaces an earlier block's options for the same rule.
  ...importDirection(),
);
