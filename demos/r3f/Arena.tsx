// The arena as react-three-fiber children of <NextframeWorld>: its static shapes as one <Proxy>
// (what the model paints and the player collides with), the sky as a proxy without a collider,
// its balls and crates as <Overlay>s. Geometry and materials come from the arena's own builder,
// so the ground-truth start view looks like the recordings the arena model learned from.
import type { ReactNode } from 'react';
import type { Mesh } from 'three';
import type { SceneDescription, ThreeScene } from '../../engine/runtime/index.ts';
import { Overlay, Proxy } from '../../engine/runtime/r3f/index.ts';

export interface ArenaProps {
  /** The arena's plain-data description (`arenaScene(seed)`). */
  desc: SceneDescription;
  /** The same description built with three.js (`buildThreeScene(desc)`): geometry, materials, sky, sun. */
  built: ThreeScene;
}

export function Arena({ desc, built }: ArenaProps): ReactNode {
  const meshOf = (id: string): Mesh => {
    const mesh = built.statics.getObjectByName(id) ?? built.dynamicMeshes.get(id);
    if (!mesh) throw new Error(`Arena: the built arena has no mesh "${id}".`);
    return mesh as Mesh;
  };
  const { lighting } = desc;
  return (
    <>
      <hemisphereLight args={[lighting.ambientColor, 0x8a7a60, lighting.ambientIntensity]} />
      {/* The sun with the shadow camera the recordings used. */}
      <primitive object={built.sun} />
      <primitive object={built.sun.target} />

      <Proxy name="arena-statics">
        {desc.statics.map((shape) => {
          const mesh = meshOf(shape.id);
          return (
            <mesh
              key={shape.id}
              name={shape.id}
              geometry={mesh.geometry}
              material={mesh.material}
              position={shape.position}
              rotation-y={shape.yaw}
              castShadow={shape.id !== 'floor'}
              receiveShadow
            />
          );
        })}
      </Proxy>
      <Proxy name="arena-sky" collider={false}>
        <primitive object={built.sky} />
      </Proxy>

      {desc.dynamics.map((object) => {
        const mesh = meshOf(object.id);
        return (
          <Overlay key={object.id} name={object.id} kind={object.kind} mass={object.mass} position={object.position} rotation-y={object.kind === 'crate' ? object.yaw : 0}>
            <mesh geometry={mesh.geometry} material={mesh.material} castShadow receiveShadow />
          </Overlay>
        );
      })}
    </>
  );
}
