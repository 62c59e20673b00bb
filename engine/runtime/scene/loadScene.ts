import { type Camera, DefaultLoadingManager, type Material, type Mesh, type Object3D, type Scene, type Texture } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import { layoutFromScene } from './layoutFromScene.ts';
import type { SceneLayout } from './SceneDescription.ts';
import { sceneFingerprint } from './sceneFingerprint.ts';
import { checkSceneResult, sceneFactory } from './SceneModule.ts';

/** A scene module, built, with its assets loaded and its colliders as data. Owns it all: `dispose()`. */
export interface LoadedScene {
  id: string;
  /** Content hash (`sceneFingerprint`): models record the scene they learned by it. */
  hash: string;
  seed: number;
  scene: Scene;
  layout: SceneLayout;
  /** The module's proxies (hidden by the plug-in while the model paints). */
  proxies: Object3D[];
  overlays: Object3D[];
  beforeRender: (camera: Camera) => void;
  dispose: () => void;
}

export interface LoadSceneOptions {
  seed?: number;
  /** Scene id when the module gives none (e.g. its file name). */
  id?: string;
  /** Where the module came from, for errors. */
  source?: string;
  /** Longest wait for the scene's assets after `createScene` returns, ms. Default 60 000. */
  assetTimeoutMs?: number;
}

/**
 * Build a scene module: check its default export, run it, wait until every asset three's loaders
 * started (GLTF/GLB, textures) has arrived — a failed one is an error naming it — then take its
 * colliders as a layout and its content hash. Every tool goes through here, so the recorder, the
 * demo and the benchmarks see the same scene.
 */
export async function loadScene(module: unknown, options: LoadSceneOptions = {}): Promise<LoadedScene> {
  const source = options.source ?? 'the scene module';
  const seed = options.seed ?? 0;
  const create = sceneFactory(module, source);
  const result = await trackAssets(source, options.assetTimeoutMs ?? 60_000, async () => {
    try {
      return await create({ seed });
    } catch (error) {
      throw new NextframeError('bad-scene', `SceneModule: createScene in ${source} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
    }
  });
  const checked = checkSceneResult(result, source);
  const id = checked.id ?? options.id ?? 'scene';
  const layout = layoutFromScene(checked, id, seed);
  if (layout.statics.length === 0) throw new NextframeError('bad-scene', `SceneModule: the proxies of ${source} hold no mesh with vertices; the player needs something to stand on. Add a mesh with geometry (at least the floor) to proxies.`);
  const overlays = checked.overlays ?? [];
  return {
    id,
    hash: sceneFingerprint(checked.scene, layout),
    seed,
    scene: checked.scene,
    layout,
    proxies: checked.proxies,
    overlays,
    beforeRender: checked.beforeRender ?? (() => {}),
    dispose: () => {
      checked.dispose?.();
      disposeScene(checked.scene);
    },
  };
}

/**
 * Run `build` while counting what three's default loading manager starts and finishes (GLTFLoader,
 * TextureLoader and friends use it), then wait for the rest: a scene whose module returned before
 * its textures arrived would be recorded without them.
 */
async function trackAssets<T>(source: string, timeoutMs: number, build: () => Promise<T>): Promise<T> {
  const manager = DefaultLoadingManager;
  const { itemStart, itemEnd, itemError } = manager;
  const pending = new Set<string>();
  const failed: string[] = [];
  let settle: (() => void) | null = null;
  manager.itemStart = (url: string) => {
    pending.add(url);
    itemStart.call(manager, url);
  };
  manager.itemEnd = (url: string) => {
    pending.delete(url);
    itemEnd.call(manager, url);
    if (pending.size === 0) settle?.();
  };
  manager.itemError = (url: string) => {
    failed.push(url);
    itemError.call(manager, url);
  };
  try {
    const result = await build();
    if (pending.size > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new NextframeError('asset-failed', `SceneModule: ${source} still waits for ${[...pending].join(', ')} after ${timeoutMs / 1000} s; check that the files exist and load.`)), timeoutMs);
        settle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (failed.length) throw new NextframeError('asset-failed', `SceneModule: ${source} could not load ${failed.join(', ')}; check the path (relative to the page, or new URL('./file.glb', import.meta.url)) and that the file is a valid asset.`);
    return result;
  } finally {
    Object.assign(manager, { itemStart, itemEnd, itemError });
  }
}

function disposeScene(scene: Scene): void {
  const materials = new Set<Material>();
  const textures = new Set<Texture>();
  scene.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    mesh.geometry.dispose();
    for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) materials.add(material);
  });
  for (const material of materials) {
    for (const value of Object.values(material)) if ((value as Texture | null)?.isTexture) textures.add(value as Texture);
    material.dispose();
  }
  for (const texture of textures) texture.dispose();
  if ((scene.background as Texture | null)?.isTexture) (scene.background as Texture).dispose();
  scene.clear();
}
