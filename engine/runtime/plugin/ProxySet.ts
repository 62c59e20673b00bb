import type { Collider } from '@dimforge/rapier3d-compat';
import type { Mesh, Object3D } from 'three';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { RapierModule } from '../physics/rapierTypes.ts';
import { colliderForMesh } from './proxyColliders.ts';

/**
 * The scene objects the world model paints (proxy geometry): hidden over the painted frame,
 * shown in ground truth, and, unless told otherwise, fixed colliders the player collides with
 * and proxy depth sees. Owns the colliders it created: `dispose()`.
 */
export class ProxySet {
  private readonly physics: PhysicsWorld;
  private readonly rapier: RapierModule;
  private readonly marked: Object3D[] = [];
  private readonly createdColliders: Collider[] = [];

  constructor(physics: PhysicsWorld, rapier: RapierModule) {
    this.physics = physics;
    this.rapier = rapier;
  }

  /** The marked objects, in marking order (the compositor hides them over the world frame). */
  get objects(): readonly Object3D[] {
    return this.marked;
  }

  /**
   * Add `object`; with `collider`, every mesh under it becomes a fixed collider (friction 0.8).
   * Marking it again does nothing.
   */
  mark(object: Object3D, collider: boolean): void {
    // Marked twice, it would get twice the colliders and stay hidden when the pass restores it.
    if (this.marked.includes(object)) return;
    this.marked.push(object);
    if (!collider) return;
    object.traverse((child) => {
      const mesh = child as Mesh;
      if (mesh.isMesh) this.createdColliders.push(this.physics.world.createCollider(colliderForMesh(mesh, this.rapier).setFriction(0.8)));
    });
    this.physics.refreshQueries();
  }

  /** Forget the marked objects; with `removeColliders`, take the colliders it created out of the physics world (unless that is gone). */
  dispose(removeColliders: boolean): void {
    if (removeColliders && !this.physics.isDisposed) {
      for (const collider of this.createdColliders) this.physics.world.removeCollider(collider, false);
    }
    this.createdColliders.length = this.marked.length = 0;
  }
}
