import type { ModelManifest } from '../../../worldmodel/index.ts';

/** A scene as the tools know it: its id and content hash (`loadScene`, `sceneFingerprint`). */
export interface SceneIdentity {
  id: string;
  hash?: string;
}

/**
 * Why a model may paint this scene poorly: it learned another scene (or the same scene before it
 * changed), or the page did not say which scene it plays. Null when the manifest's training scene
 * matches, or the manifest does not say which scene it learned.
 * Using a model elsewhere works; this says so instead of leaving a player to wonder.
 */
export function sceneMismatch(manifest: ModelManifest, scene: SceneIdentity | undefined): string | null {
  const trained = manifest.training?.scene;
  if (!trained) return null;
  if (!scene) {
    return `model "${manifest.id}" was trained on scene "${trained.id}" and this page did not say which scene it plays, so nobody can tell whether the model knows it. Pass world: { id, hash } (loadScene gives both); if this is not ${trained.id}, record your scene and train a model of it (README: "Train a world model of your own game").`;
  }
  if (trained.id !== scene.id) {
    return `model "${manifest.id}" was trained on scene "${trained.id}", this is "${scene.id}": expect it to paint ${trained.id} here. Record this scene and train a model of it (README: "Train a world model of your own game").`;
  }
  if (trained.hash && scene.hash && trained.hash !== scene.hash) {
    return `model "${manifest.id}" was trained on an earlier version of scene "${scene.id}" (hash ${trained.hash}, now ${scene.hash}): what changed since will be painted as it was.`;
  }
  return null;
}
