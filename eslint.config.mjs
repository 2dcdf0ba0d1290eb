// Flat config: typescript-eslint recommended + the rules CONTRIBUTING.md states, enforced here:
// the layer table (Architecture), files of at most 300 lines, tests that wait on events (Tests),
// and comments that cite the repository, never a file outside it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Imports a layer may not make (CONTRIBUTING.md "Architecture"), as regexes on the import path:
 * `vscode` of any kind (type imports too), and relative paths into the layers it may not see.
 */
const VSCODE = { name: 'vscode', message: 'Only src/ui and src/extension.ts may import vscode (CONTRIBUTING.md).' };
const up = '^(\\.\\./)+';
const NO_SLEEP = 'No fixed sleeps in tests: wait on an event or a fact (test/waitFor.ts).';
const TIMER_PROMISES = { name: 'node:timers/promises', message: NO_SLEEP };
function layer(message, ...forbidden) {
  return layerWith([VSCODE], message, ...forbidden);
}
function layerWith(paths, message, ...forbidden) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths,
        patterns: forbidden.map((regex) => ({ regex, message: `${message} (CONTRIBUTING.md)` })),
      },
    ],
  };
}
/** The hosts: no engine or data layer imports them. */
const HOSTS = `${up}(src/)?(cli|debug|ui|extension)(/|$)`;
const SERVER_HOST = `${up}server/src/(server|settings|handlers|fixes)(/|\\.|$)`;

/** A fixed sleep: a promise resolved by a timer with a delay (not a deadline, not a 0 ms turn). */
const SLEEP =
  "NewExpression[callee.name='Promise'] CallExpression[callee.name='setTimeout'][arguments.0.type='Identifier']:not([arguments.1.value=0])";

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
    // Comments cite CONTRIBUTING.md, docs/ or the code: never a guide outside the repository.
    files: ['**/*.ts', '**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { 'no-warning-comments': ['error', { terms: ['STYLE.md'], location: 'anywhere' }] },
  },
  {
    // Source files (tests, benchmarks and generated files aside) stay small; split by concern.
    files: ['src/**/*.ts', 'server/src/**/*.ts', 'media/src/**/*.ts', 'scripts/**/*.mjs', '*.mjs'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  // The layer table of CONTRIBUTING.md.
  { files: ['src/shared/**/*.ts'], rules: layer('src/shared imports no other layer', `${up}(common|runtime|cli|debug|ui|extension)(/|$)`, `${up}server/`) },
  { files: ['src/common/**/*.ts'], rules: layer('src/common imports src/shared only', `${up}(runtime|cli|debug|ui|extension)(/|$)`, `${up}server/`) },
  { files: ['server/src/analysis/**/*.ts'], rules: layer('The static engine never imports a host', `${up}src/(runtime|cli|debug|ui|extension)`, `${up}(server|settings|handlers|fixes)(/|\\.|$)`) },
  { files: ['server/src/**/*.ts'], ignores: ['server/src/analysis/**'], rules: layer('The language server never imports the runtime or its hosts', `${up}src/(runtime|cli|debug|ui|extension)`) },
  { files: ['src/runtime/**/*.ts'], rules: layer('The runtime engine never imports a host', HOSTS, SERVER_HOST) },
  { files: ['src/cli/**/*.ts'], rules: layer('The CLI imports the engines, not the other hosts', `${up}(debug|ui|extension)(/|$)`, SERVER_HOST) },
  { files: ['src/debug/**/*.ts'], rules: layer('The debug adapter imports the runtime, not the other hosts', `${up}(cli|ui|extension)(/|$)`, SERVER_HOST) },
  {
    files: ['media/**/*.ts'],
    rules: layer('The webview imports src/shared/protocol only', `${up}(src/(?!shared/protocol/)|server/)`, '^node:'),
  },
  {
    files: ['test/unit/**/*.ts', 'test/runtime/**/*.ts', 'test/lsp/**/*.ts', 'test/dap/**/*.ts', 'bench/**/*.ts'],
    rules: layerWith([VSCODE, TIMER_PROMISES], 'Tests outside test/vscode and test/e2e never import vscode'),
  },
  { files: ['src/**/*.ts', 'server/**/*.ts'], ignores: ['src/ui/**', 'src/extension.ts'], rules: { 'no-console': 'error' } },
  { files: ['src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
  {
    // Tests wait on events, never on fixed sleeps (CONTRIBUTING.md "Tests"): test/waitFor.ts.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: SLEEP, message: NO_SLEEP }],
    },
  },
  { files: ['test/vscode/**/*.ts', 'test/e2e/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [TIMER_PROMISES] }] } },
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
    rules: { '@typescript-eslint/no-restricted-imports': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
