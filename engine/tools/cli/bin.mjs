#!/usr/bin/env node
// `npx nextframe …`. In a clone of the repository: installs npm packages (the TypeScript loader
// is one of them), registers the loader, then hands over to the CLI's sources in main.ts.
// Installed from npm (no sources next to this file): runs the compiled CLI in dist/, once the
// packages it needs beyond the library are there. They are optional peers, so a game that only
// imports nextframe/engine never installs them; this says which ones to add.
import { existsSync, readFileSync } from 'node:fs';

/** What the CLI imports that the library entries do not. */
const CLI_PACKAGES = ['vite', 'playwright-core', 'commander', 'cli-progress', 'pngjs'];

const sources = new URL('./main.ts', import.meta.url);

if (existsSync(sources)) {
  const { ensureNodeModules } = await import('./setup.mjs');
  ensureNodeModules();
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(sources.href);
  await main(process.argv);
} else {
  const missing = CLI_PACKAGES.filter((name) => !resolves(name));
  if (missing.length > 0) {
    const peers = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).peerDependencies ?? {};
    const specs = missing.map((name) => (peers[name] ? `"${name}@${peers[name]}"` : name));
    process.stderr.write(
      `[nextframe] the command line needs packages this project does not have: ${missing.join(', ')}.\n` +
        `  Add them with:\n    npm install -D ${specs.join(' ')}\n` +
        '  (The library entries, nextframe/worldmodel, nextframe/engine and the others, do not need them.)\n',
    );
    process.exit(1);
  }
  const { main } = await import(new URL('../../../dist/engine/tools/cli/main.js', import.meta.url).href);
  await main(process.argv);
}

function resolves(name) {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}
