import type { SceneLayout } from '../../runtime/index.ts';
import { withRecorderPage } from './recordEpisodes.ts';
import { resolveSceneSource } from './sceneSource.ts';

/** A scene as Node tools see it: its id, content hash (`sceneFingerprint`) and colliders. */
export interface SceneLayoutInfo {
  id: string;
  hash: string;
  layout: SceneLayout;
}

/**
 * The colliders of a scene module, for Node tools that plan on them (revisit paths, spawn
 * spots): `spec` is a built-in world id (`arena`, `dusk-street`) or a path to a module, as
 * `--scene` takes it. A module only runs in a browser (it draws canvas textures, loads GLBs), so
 * this builds it in the recorder page, exactly as recording does (scene seed 0), and returns
 * what the page took from it; the server and Chromium are up for a few seconds. Module errors
 * come back as the page's own message, prefixed `loadSceneLayout:`.
 */
export async function loadSceneLayout(spec: string, cwd = process.cwd()): Promise<SceneLayoutInfo> {
  const source = resolveSceneSource(spec, cwd);
  // The smallest view: nothing is rendered, but the page builds its renderer on open.
  return withRecorderPage(source, { width: 16, height: 16, supersample: 1 }, 'loadSceneLayout', async (_page, opened) => opened.scene);
}
