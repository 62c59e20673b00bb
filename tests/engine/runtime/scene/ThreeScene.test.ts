import RAPIER from '@dimforge/rapier3d-compat';
import type { Mesh } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { buildPhysicsWorld } from '../../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { buildThreeScene } from '../../../../engine/runtime/scene/buildThreeScene.ts';

// The Three.js builder runs without a DOM too (no canvas textures then); pixels are tested in the browser.
describe('buildThreeScene', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('draws every static shape and an overlay mesh per dynamic object', () => {
    const desc = arenaScene(0);
    const three = buildThreeScene(desc, { textures: false });
    expect(three.statics.children.map((m) => m.name)).toEqual(desc.statics.map((s) => s.id));
    expect([...three.dynamicMeshes.keys()]).toEqual(desc.dynamics.map((d) => d.id));
    const pillar = three.statics.getObjectByName('pillar-red') as Mesh;
    expect(pillar.position.toArray()).toEqual([...desc.statics.find((s) => s.id === 'pillar-red')!.position]);
    expect(pillar.castShadow && pillar.receiveShadow).toBe(true);
    expect(three.sun.castShadow).toBe(true);
    three.overlaysVisible = false;
    expect(three.dynamics.visible).toBe(false);
    three.dispose();
  });

  it('syncs overlay meshes from physics and disposes its GPU resources', () => {
    const desc = arenaScene(0);
    const three = buildThreeScene(desc, { textures: false });
    const physics = buildPhysicsWorld(desc, RAPIER);
    physics.dynamics[0]!.body.setTranslation({ x: 1, y: 2, z: 3 }, true);
    three.syncDynamics(physics);
    expect(three.dynamicMeshes.get(desc.dynamics[0]!.id)!.position.toArray()).toEqual([1, 2, 3]);
    let disposed = 0;
    (three.statics.children[0] as Mesh).geometry.addEventListener('dispose', () => disposed++);
    three.dispose();
    expect(disposed).toBe(1);
    expect(three.isDisposed).toBe(true);
    expect(three.scene.children.length).toBe(0);
    physics.dispose();
  });
});
