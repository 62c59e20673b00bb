// `npm ci` / `npm install` in a clone run this (the `prepare` script): npm links the bins of the
// packages a project installs into node_modules/.bin, but not the project's own, so without it
// `npx nextframe …` in a clone finds nothing locally and asks the registry for a package of that
// name. It links node_modules/.bin/nextframe to this repository's bin.mjs. Plain Node, no imports
// beyond node:.
import { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'nextframe');
const target = relative(binDir, fileURLToPath(new URL('./bin.mjs', import.meta.url)));

if (existsSync(join(root, 'node_modules'))) {
  mkdirSync(binDir, { recursive: true });
  if (lstatSync(link, { throwIfNoEntry: false })) unlinkSync(link);
  symlinkSync(target, link);
  process.stdout.write(`linked ${relative(root, link)} -> ${target} (npx nextframe)\n`);
} else {
  process.stdout.write(`no node_modules in ${dirname(binDir)}; nothing to link\n`);
}
