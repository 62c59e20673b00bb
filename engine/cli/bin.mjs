#!/usr/bin/env node
// `npx nextframe …`: registers the TypeScript loader, then hands over to the CLI in main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv);
