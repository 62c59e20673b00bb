import type { Collider, RigidBody } from '@dimforge/rapier3d-compat';
import type { Object3D } from 'three';
import type { WorldModelPlugin } from '../index.ts';

/**
 * What a `<Proxy>` or `<Overlay>` gave a plug-in for its object. The plug-in has no way to take a
 * proxy or an overlay back (no unmark), so when the component unmounts while the world plays,
 * its colliders and body are switched off (`setEnabled(false)`: no collisions, no ray hits) and
 * stay until the world is disposed; when the same object mounts again (StrictMode's second
 * mount, a Suspense boundary showing it again) they are switched back on instead of being marked
 * a second time (a second mark would make a second set of colliders and list the object twice).
 */
export interface Mark {
  plugin: WorldModelPlugin;
  colliders: Collider[];
  body: RigidBody | null;
}

const marks = new WeakMap<Object3D, Mark>();

/** The mark of `object` made with `plugin`, if there is one. */
export function markOf(object: Object3D, plugin: WorldModelPlugin): Mark | null {
  const mark = marks.get(object);
  return mark && mark.plugin === plugin ? mark : null;
}

export function remember(object: Object3D, mark: Mark): void {
  marks.set(object, mark);
}

/** Switch what a mark made on or off, and refresh the ray-cast structures (proxy depth). */
export function setMarkEnabled(mark: Mark, enabled: boolean): void {
  const { plugin } = mark;
  if (plugin.isDisposed || plugin.physics.isDisposed) return;
  for (const collider of mark.colliders) collider.setEnabled(enabled);
  mark.body?.setEnabled(enabled);
  if (mark.colliders.length > 0) plugin.physics.refreshQueries();
}

/**
 * `plugin.markProxy(object, …)`, returning the colliders it created: the plug-in keeps them to
 * itself, so they are found as the colliders that were not in the world before.
 */
export function markProxyColliders(plugin: WorldModelPlugin, object: Object3D, collider: boolean): Collider[] {
  const { world } = plugin.physics;
  const before = new Set<number>();
  world.colliders.forEach((c) => void before.add(c.handle));
  plugin.markProxy(object, { collider });
  const created: Collider[] = [];
  world.colliders.forEach((c) => void (before.has(c.handle) || created.push(c)));
  return created;
}
