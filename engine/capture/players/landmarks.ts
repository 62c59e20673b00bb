import type { SceneLayout } from '../../runtime/index.ts';

export interface Landmark {
  id: string;
  x: number;
  z: number;
  /** Height of the landmark's top, m (players look up at tall ones). */
  top: number;
}

/**
 * Places worth walking to: the scene's landmark shapes, grouped by name (`arch-post-left`,
 * `arch-lintel` → `arch`), each reduced to a point on the floor inside the walls.
 */
export function landmarksOf(scene: SceneLayout, margin = 1.5): Landmark[] {
  const groups = new Map<string, { x: number; z: number; top: number; n: number }>();
  for (const shape of scene.statics) {
    if (!shape.landmark) continue;
    const id = shape.id.replace(/-(post-left|post-right|lintel|trunk|canopy|\d+)$/, '');
    const [x, y, z] = shape.position;
    const top = shape.kind === 'mesh' ? shape.max[1] : y + ('height' in shape ? shape.height / 2 : 'size' in shape ? shape.size[1] / 2 : 0);
    const g = groups.get(id) ?? { x: 0, z: 0, top: 0, n: 0 };
    g.x += x;
    g.z += z;
    g.top = Math.max(g.top, top);
    g.n++;
    groups.set(id, g);
  }
  const { halfX, halfZ } = scene.bounds;
  return [...groups].map(([id, g]) => ({
    id,
    x: Math.max(-halfX + margin, Math.min(halfX - margin, g.x / g.n)),
    z: Math.max(-halfZ + margin, Math.min(halfZ - margin, g.z / g.n)),
    top: g.top,
  }));
}
