import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import { footprint, type SceneLayout } from './SceneDescription.ts';

/** Surfaces steeper than this (normal · up below it) are not stood on. */
export const WALKABLE_NORMAL_Y = 0.7;

/**
 * Height of the walkable surface under a point, by a ray cast straight down from above every
 * collider of `scene`: null where nothing is hit or the surface is too steep to stand on.
 * `excludeDynamic` leaves balls and crates out. The one place spawning and revisit planning find
 * the ground; one ray object is reused, so calls allocate nothing.
 */
export function surfaceProbe(scene: SceneLayout, physics: PhysicsWorld, options: { excludeDynamic?: boolean } = {}): (x: number, z: number) => number | null {
  const { rapier, world } = physics;
  const boxes = scene.statics.map(footprint);
  const top = Math.max(10, ...boxes.map((f) => f.top)) + 1;
  // Down to below the lowest collider: nothing lies further.
  const depth = top - Math.min(0, ...boxes.map((f) => f.bottom)) + 1;
  const ray = new rapier.Ray({ x: 0, y: top, z: 0 }, { x: 0, y: -1, z: 0 });
  const filter = options.excludeDynamic ? rapier.QueryFilterFlags.EXCLUDE_DYNAMIC : undefined;
  return (x, z) => {
    ray.origin.x = x;
    ray.origin.y = top;
    ray.origin.z = z;
    const hit = world.castRayAndGetNormal(ray, depth, true, filter);
    return hit && hit.normal.y >= WALKABLE_NORMAL_Y ? top - hit.timeOfImpact : null;
  };
}
