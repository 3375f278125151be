import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // cdktf's internals are reached through stacks/cdktf-seam.ts only (contract-tested there).
    files: ['**/*.ts'],
    ignores: ['stacks/cdktf-seam.ts', 'test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['cdktf/lib/*'], message: 'cdktf internals go through stacks/cdktf-seam.ts' }],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'] > Literal[value=/^cdktf\\u002Flib\\u002F/]",
          message: 'cdktf internals go through stacks/cdktf-seam.ts',
        },
      ],
    },
  },
);
