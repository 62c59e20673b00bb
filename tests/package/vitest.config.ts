import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

// The package suite (`npm run test:package`, and its own line in `npm test`): `npm pack`, then a
// fresh project outside the repository installs the tarball. Minutes, npm's cache and the repo's
// lockfile versions, so it runs apart from the unit tests.
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: { ...base.test, include: ['tests/package/**/*.test.ts'], exclude: ['node_modules/**'] },
});
