import type { Camera, DirectionalLight, Group, Material, Mesh, Scene, Texture } from 'three';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';

export interface ThreeSceneParts {
  scene: Scene;
  /** The static world (what is recorded). */
  statics: Group;
  /** Meshes of the dynamic objects, by id; drawn as overlays, hidden in recordings. */
  dynamics: Group;
  dynamicMeshes: Map<string, Mesh>;
  sky: Mesh;
  sun: DirectionalLight;
  materials: Material[];
  textures: Texture[];
}

/**
 * A scene description drawn with Three.js: static meshes, overlay meshes for the physics
 * objects, a sky dome that follows the camera, and a shadow-casting sun. Owns its geometries,
 * materials, textures and shadow map: `dispose()` frees them.
 */
export class ThreeScene {
  readonly scene: Scene;
  readonly statics: Group;
  readonly dynamics: Group;
  readonly dynamicMeshes: Map<string, Mesh>;
  readonly sky: Mesh;
  readonly sun: DirectionalLight;
  private readonly materials: Material[];
  private readonly textures: Texture[];
  private disposed = false;

  constructor(parts: ThreeSceneParts) {
    this.scene = parts.scene;
    this.statics = parts.statics;
    this.dynamics = parts.dynamics;
    this.dynamicMeshes = parts.dynamicMeshes;
    this.sky = parts.sky;
    this.sun = parts.sun;
    this.materials = parts.materials;
    this.textures = parts.textures;
  }

  /** Show or hide the physics objects (recordings hide them: they are overlays). */
  set overlaysVisible(visible: boolean) {
    this.dynamics.visible = visible;
  }

  get overlaysVisible(): boolean {
    return this.dynamics.visible;
  }

  /** Keep the sky dome centred on the camera so it is always "at infinity". */
  followCamera(camera: Camera): void {
    this.sky.position.copy(camera.position);
  }

  /** Copy the dynamic bodies' poses from physics onto their meshes. */
  syncDynamics(physics: PhysicsWorld): void {
    for (const { id, body } of physics.dynamics) {
      const mesh = this.dynamicMeshes.get(id);
      if (!mesh) continue;
      const t = body.translation();
      const r = body.rotation();
      mesh.position.set(t.x, t.y, t.z);
      mesh.quaternion.set(r.x, r.y, r.z, r.w);
    }
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scene.traverse((object) => {
      const mesh = object as Mesh;
      if (mesh.isMesh) mesh.geometry.dispose();
    });
    for (const material of this.materials) material.dispose();
    for (const texture of this.textures) texture.dispose();
    this.sun.shadow.dispose();
    this.scene.clear();
  }
}
