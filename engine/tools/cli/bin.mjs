#!/usr/bin/env node
// `npx nextframe …`: installs npm packages on a fresh clone (the TypeScript loader is one of
// them), registers the loader, then hands over to the CLI in main.ts.
import { ensureNodeModules } from './setup.mjs';

ensureNodeModules();
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
await main(process.argv);
