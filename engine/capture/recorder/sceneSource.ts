import { existsSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { NextframeError } from '../../../worldmodel/index.ts';
import { repoRoot } from './recorderServer.ts';

/** The worlds that ship with nextframe, by id: scene modules like any user's. */
export const BUILTIN_WORLDS: Readonly<Record<string, string>> = {
  arena: 'demos/worlds/arena.ts',
  'dusk-street': 'demos/worlds/duskStreet.ts',
  generated: 'demos/worlds/generated.ts',
};

/** A scene module on disk and how the repo's vite server serves it to a page. */
export interface SceneSource {
  /** Scene id when the module gives none: a built-in world's id, or the file name. */
  id: string;
  /** Absolute path of the module. */
  file: string;
  /** URL path a page imports it from. */
  url: string;
  /** Folder the server must be allowed to read (the module's own, for files outside the repo). */
  folder: string;
}

const EXTENSIONS = ['.ts', '.js', '.mjs', '.mts'];

/**
 * `--scene` as given: a built-in world id (`arena`) or a path to a scene module (`.ts`/`.js`),
 * relative to the working directory. Files outside the repository are served through vite's
 * `/@fs/` prefix, their folder allowed explicitly.
 */
export function resolveSceneSource(spec: string, cwd = process.cwd()): SceneSource {
  const builtin = BUILTIN_WORLDS[spec];
  const file = builtin ? resolve(repoRoot, builtin) : resolve(cwd, spec);
  if (builtin && !existsSync(file)) {
    // The built-in worlds are demo code: they ship with the repository, not the npm package.
    throw new NextframeError('bad-scene', `--scene: the built-in world "${spec}" ships with the nextframe repository, not the installed package (no ${file}); pass the path to your own scene module instead.`);
  }
  if (!builtin) {
    const looksLikePath = spec.includes('/') || spec.includes(sep) || EXTENSIONS.includes(extname(spec));
    if (!looksLikePath) throw new NextframeError('bad-scene', `--scene: "${spec}" is neither a built-in world (${Object.keys(BUILTIN_WORLDS).join(', ')}) nor a path to a scene module (.ts or .js file).`);
    if (!existsSync(file) || !statSync(file).isFile()) throw new NextframeError('bad-scene', `--scene: no scene module at ${file}; expected a .ts or .js file whose default export builds the scene (see the README, "Train a world model of your own game").`);
    if (!EXTENSIONS.includes(extname(file))) throw new NextframeError('bad-scene', `--scene: ${file} is not a module; expected a .ts, .js, .mjs or .mts file.`);
  }
  const inside = relative(repoRoot, file);
  const url = !inside.startsWith('..') && !isAbsolute(inside) ? `/${inside.split(sep).join('/')}` : `/@fs${file.split(sep).join('/')}`;
  const id = builtin ? spec : basename(file, extname(file));
  return { id, file, url, folder: resolve(file, '..') };
}
