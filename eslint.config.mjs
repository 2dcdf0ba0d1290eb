// Flat config: typescript-eslint recommended + the import boundaries of STYLE.md section 2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'Only src/ui and src/extension.ts may import vscode.', allowTypeImports: true }],
      patterns: [{ group: ['**/ui/**', '**/src/ui/*'], message: 'Core layers never import src/ui.' }],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**', 'dist/**', 'media/dist/**', 'out/**', '.cache/**', '.artifacts/**',
      'test/fixtures/**', 'examples/**', 'bench/**/cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/*.ts', 'server/**/*.ts'],
    ignores: ['src/ui/**', 'src/extension.ts'],
    rules: { ...noVscode, 'no-console': 'error' },
  },
  { files: ['src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    files: ['media/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './media/tsconfig.json', tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
