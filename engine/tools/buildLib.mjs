// `npm run build:lib`: the publishable library in dist/. tsc compiles worldmodel/ and engine/
// (tsconfig.build.json: ESM .js + .d.ts, `.ts` imports rewritten to `.js`, same folder layout),
// then the files the compiled code reads at run time are copied beside it: the recorder and
// ground-truth pages (their `<script src="….ts">` pointed at the compiled `.js`), the human play
// traces, and the CLI's plain-Node setup module. Plain Node, no dependencies beyond TypeScript.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const SOURCES = ['worldmodel', 'engine'];
// Compiled by tsc, or run from the repository only (the installed bin lives outside dist/).
const NOT_COPIED = new Set(['.ts', '.tsx']);
const REPO_ONLY = new Set(['engine/tools/buildLib.mjs', 'engine/tools/cli/bin.mjs']);

function log(message) {
  process.stderr.write(`[build:lib] ${message}\n`);
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** A page's module scripts point at sources (`./recorderPage.ts`); the copy points at the compiled file. */
function compiledPage(html, file) {
  const rewritten = html.replace(/(<script\b[^>]*\bsrc=["'])(\.{1,2}\/[^"']+)\.tsx?(["'])/g, '$1$2.js$3');
  if (/<script\b[^>]*\bsrc=["'][^"']+\.tsx?["']/.test(rewritten)) throw new Error(`build:lib: ${file} loads a .ts script that is not a relative path; point it at a file next to the page.`);
  return rewritten;
}

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  log('tsc failed; dist/ is incomplete (see the errors above).');
  process.exit(compiled.status ?? 1);
}

let copied = 0;
for (const source of SOURCES) {
  for (const file of walk(join(root, source))) {
    const rel = relative(root, file).split('\\').join('/');
    if (NOT_COPIED.has(extname(file)) || REPO_ONLY.has(rel)) continue;
    const target = join(dist, rel);
    mkdirSync(dirname(target), { recursive: true });
    if (extname(file) === '.html') writeFileSync(target, compiledPage(readFileSync(file, 'utf8'), rel));
    else copyFileSync(file, target);
    copied++;
  }
}
log(`compiled ${SOURCES.join(' and ')} into dist/ and copied ${copied} run-time files beside the .js`);
