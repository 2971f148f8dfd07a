// ESLint for the JavaScript of the shell, the tests and the bench (`./build.sh test` runs it):
// the recommended rules (undefined names, unused variables, unreachable code, …) plus two that catch
// bugs (loose equality, function-scoped var), with each file's globals (extension pages, content
// scripts, Node). Style is left to the code's own habits: no formatting rules.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['**/node_modules/', 'dist/', 'build/', 'target/', 'crate/', 'docs/bench-raw/', 'tests/artifacts/'] },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-var': 'error',
    },
  },
  {
    // The shell: ES modules in the extension's pages and background.
    files: ['extension/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // Content scripts are classic scripts; content/generated/core.js (written by the build) is loaded first.
    files: ['extension/content/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { PIXELGUARD_CORE: 'readonly' } },
  },
  {
    // Node: the build's scripts, the tests and the bench; functions they run in a page see its globals.
    files: ['**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['tests/e2e/**/*.mjs', 'bench/browser.mjs'],
    languageOptions: { globals: { ...globals.browser, chrome: 'readonly', browser: 'readonly' } },
  },
];
