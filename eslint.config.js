import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const onlyOrtSession = { name: 'onnxruntime-web', message: 'Only worldmodel/OrtSession.ts imports onnxruntime-web.' };
const hostOnly = ['three', 'three/*', '@dimforge/*', 'nipplejs', '**/engine/**', '**/demos/**'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', 'playwright-report/', 'models/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Exactly one module talks to onnxruntime-web.
    files: ['**/*.ts'],
    ignores: ['worldmodel/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [onlyOrtSession] }] },
  },
  {
    // worldmodel/ runs in Node and the browser: no three, no Rapier, no DOM-only libraries.
    files: ['worldmodel/**/*.ts'],
    ignores: ['worldmodel/OrtSession.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [onlyOrtSession], patterns: hostOnly }] },
  },
  {
    files: ['worldmodel/OrtSession.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: hostOnly }] },
  },
);
