import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const onlyOrtSession = { name: 'onnxruntime-web', message: 'Only worldmodel/OrtSession.ts imports onnxruntime-web.' };
const hostOnly = ['three', 'three/*', '@dimforge/*', 'nipplejs', '**/engine/**', '**/demos/**'];

// engine/ holds four areas, each with one entry (DESIGN.md "Layout"): another area is reached
// through its index.ts only, and nothing imports the tools.
const AREAS = ['runtime', 'capture', 'sandbox', 'tools'];
// The runtime is what a game bundles: it imports no other area.
const throughEntries = (area) => [
  area === 'runtime'
    ? { regex: '(^|/)(capture|sandbox|tools)/', message: 'engine/runtime is what a game bundles: it imports no other area of engine/ (capture, sandbox, tools).' }
    : {
        regex: `(^|/)(${AREAS.filter((other) => other !== area && other !== 'tools').join('|')})/(?!index\\.ts$)|(^|/)tools/`,
        message: `engine/${area} reaches another area of engine/ only through its entry (engine/<area>/index.ts); the tools are never imported.`,
      },
];
// Demos are written as a user would: package entry points only.
const publicEntries = [
  {
    regex: '(^|/)engine/(?!(runtime|capture|sandbox)/index\\.ts$|runtime/r3f/index\\.tsx?$)|(^|/)worldmodel/(?!index\\.ts$)',
    message: 'Demos use only the public entry points (engine/runtime/index.ts, engine/capture/index.ts, engine/sandbox/index.ts, engine/runtime/r3f/index.tsx, worldmodel/index.ts).',
  },
];

// React and react-three-fiber are optional peers: only the r3f binding imports them, with its demo
// and tests. In flat config a later block's no-restricted-imports replaces an earlier one for the
// same file, so the last blocks below restate each block's rule with React added.
const reactOnlyInBinding = {
  group: ['react', 'react/*', 'react-dom', 'react-dom/*', '@react-three/*'],
  message: 'React and react-three-fiber are optional peers: only the r3f binding (engine/runtime/r3f/), its demo (demos/r3f/) and tests import them.',
};
const reactAllowed = ['engine/runtime/r3f/**', 'demos/r3f/**', 'tests/**'];
const andNoReact = ({ paths = [], patterns = [] }) => [
  'error',
  { paths, patterns: [...patterns.map((pattern) => (typeof pattern === 'string' ? { group: [pattern] } : pattern)), reactOnlyInBinding] },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-demo/', 'test-results/', 'playwright-report/', 'models/', 'public/'] },
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
  ...AREAS.map((area) => ({
    files: [`engine/${area}/**/*.ts`, `engine/${area}/**/*.tsx`],
    rules: { 'no-restricted-imports': ['error', { paths: [onlyOrtSession], patterns: throughEntries(area) }] },
  })),
  {
    files: ['demos/**/*.ts', 'demos/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [onlyOrtSession], patterns: publicEntries }] },
  },
  // React only in the r3f binding: each block above again, React added, the binding left out.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs'],
    ignores: [...reactAllowed, 'worldmodel/**/*.ts', ...AREAS.flatMap((area) => [`engine/${area}/**/*.ts`, `engine/${area}/**/*.tsx`]), 'demos/**/*.ts', 'demos/**/*.tsx'],
    rules: { 'no-restricted-imports': andNoReact({ paths: [onlyOrtSession] }) },
  },
  {
    files: ['worldmodel/**/*.ts'],
    ignores: ['worldmodel/OrtSession.ts'],
    rules: { 'no-restricted-imports': andNoReact({ paths: [onlyOrtSession], patterns: hostOnly }) },
  },
  {
    files: ['worldmodel/OrtSession.ts'],
    rules: { 'no-restricted-imports': andNoReact({ patterns: hostOnly }) },
  },
  ...AREAS.map((area) => ({
    files: [`engine/${area}/**/*.ts`, `engine/${area}/**/*.tsx`],
    ignores: reactAllowed,
    rules: { 'no-restricted-imports': andNoReact({ paths: [onlyOrtSession], patterns: throughEntries(area) }) },
  })),
  {
    files: ['demos/**/*.ts', 'demos/**/*.tsx'],
    ignores: reactAllowed,
    rules: { 'no-restricted-imports': andNoReact({ paths: [onlyOrtSession], patterns: publicEntries }) },
  },
);
