// ESLint for the TypeScript in lib/ (typed rules: they read tsconfig.json) and for the plain
// JavaScript of the tests, benchmarks, scripts and examples. Layout and spacing are Prettier's
// job (`npm run lint` runs `prettier --check`), so no stylistic rule is set here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'examples/dist/**',
      'native/**',
      'wasm/**',
      'target/**',
      'node_modules/**',
      'docs/api/**',
      '.pack-test/**',
      'test-artifacts/**',
      'npm/**',
      'lib/backends/binding.d.ts',
      'benchmark/peer-pools/**',
      'benchmark/cpp-baseline/build/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['lib/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused names fail `tsc` already (noUnusedLocals); `_`-prefixed parameters are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Worker and child entries `require()` a backend chosen at run time.
      '@typescript-eslint/no-require-imports': 'off',
      // A pool passes on what a task threw, or an AbortSignal's reason, as it is.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
    },
  },
  {
    // The page's code (site/src), checked against its own tsconfig (DOM and the lib/ it bundles).
    files: ['site/src/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './site/tsconfig.json', tsconfigRootDir: import.meta.dirname },
      globals: globals.browser,
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node, ...globals.jest } },
    rules: {
      // Tests match terminal escapes (\x1b) on purpose.
      'no-control-regex': 'off',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Code that `page.evaluate` runs in the browser.
    files: ['__test__/support/browser.js', '__test__/site-browser.test.js', 'benchmark/site.js'],
    languageOptions: { globals: { ...globals.browser, Chart: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
);
