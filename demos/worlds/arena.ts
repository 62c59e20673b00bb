// The default world as a scene module: a walled courtyard with bold landmarks, built from the
// project's plain-data description (engine/runtime/scene/arenaScene.ts). Its layout is given exactly,
// so the colliders, spawn points and landmarks are those the arena model was trained with.
import type { Camera } from 'three';
import { arenaScene, buildThreeScene, type SceneModuleResult, type SceneOptions } from '../../engine/runtime/index.ts';

export default function createScene({ seed }: SceneOptions): SceneModuleResult {
  const desc = arenaScene(seed);
  const three = buildThreeScene(desc);
  const { spawn } = desc;
  return {
    id: 'arena',
    scene: three.scene,
    proxies: [three.statics],
    overlays: [...three.dynamicMeshes.values()],
    spawn: { min: [spawn.minX, spawn.minZ], max: [spawn.maxX, spawn.maxZ] },
    layout: desc,
    beforeRender: (camera: Camera) => three.followCamera(camera),
    dispose: () => three.dispose(),
  };
}
