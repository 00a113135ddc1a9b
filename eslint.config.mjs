// Flat ESLint config: typescript-eslint's recommended rules over src/ (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['lib/', 'node_modules/', 'src/model/generated/', '.devnet/', '.data/', '.bench/', 'migrations/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // Unused arguments named _x are intentional (callbacks with a fixed signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `any` is sometimes the honest type at library seams (ESM loader, decoded JSON); flag, don't fail.
      '@typescript-eslint/no-explicit-any': 'warn',
      // Amounts are bigint: make sure nobody compares or adds them to numbers by accident.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='Number'] > MemberExpression[property.name=/^(amount|fee|value)$/]",
          message: 'Amounts are bigint: never Number() an amount (STYLE.md rule 4).',
        },
      ],
    },
  },
  {
    // Tests may use non-null assertions and loose typing around fixtures.
    files: ['**/*.test.ts', 'src/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
