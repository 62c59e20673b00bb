import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneDescription, StaticShape } from '../../runtime/index.ts';
import type { TaskTarget } from './PolicyTask.ts';

/** A landmark as tasks use it: its shapes (for distances), a centre and a colour to look for. */
export interface LandmarkTarget extends TaskTarget {
  /** Words for instructions, e.g. "red pillar". */
  name: string;
  x: number;
  z: number;
  /** The landmark's shapes a player can walk into (bottom below 1 m): distances are to these. */
  shapes: readonly StaticShape[];
}

/** The default targets: four tall pillars, one colour each, visible from anywhere in the arena. */
export const PILLARS = ['pillar-red', 'pillar-blue', 'pillar-yellow', 'pillar-green'] as const;

/**
 * The landmark `id` of a scene: a shape id (`pillar-red`) or a group prefix (`arch` for
 * `arch-post-left`, `arch-post-right`, `arch-lintel`). Its colour is its first shape's material.
 */
export function landmarkTarget(scene: SceneDescription, id: string): LandmarkTarget {
  const all = scene.statics.filter((s) => s.landmark && (s.id === id || s.id.startsWith(`${id}-`)));
  if (all.length === 0) {
    const known = [...new Set(scene.statics.filter((s) => s.landmark).map((s) => s.id.replace(/-(post-left|post-right|lintel|trunk|canopy|\d+)$/, '')))];
    throw new NextframeError('bad-task', `landmarkTarget: scene "${scene.id}" has no landmark "${id}"; known: ${known.join(', ')}.`);
  }
  const low = all.filter((s) => s.position[1] - halfHeight(s) < 1);
  const shapes = low.length > 0 ? low : all;
  const material = scene.materials[all[0]!.material];
  const x = shapes.reduce((a, s) => a + s.position[0], 0) / shapes.length;
  const z = shapes.reduce((a, s) => a + s.position[2], 0) / shapes.length;
  return { id, name: id.split('-').reverse().join(' '), color: material?.color ?? 0, x, z, shapes };
}

/** Horizontal distance (m) from (x, z) to the nearest surface of the landmark's shapes; 0 inside. */
export function distanceToLandmark(target: LandmarkTarget, x: number, z: number): number {
  let best = Infinity;
  for (const s of target.shapes) best = Math.min(best, distanceToShape(s, x, z));
  return best;
}

function distanceToShape(shape: StaticShape, x: number, z: number): number {
  const dx = x - shape.position[0];
  const dz = z - shape.position[2];
  switch (shape.kind) {
    case 'cylinder':
    case 'cone':
    case 'sphere':
      return Math.max(0, Math.hypot(dx, dz) - shape.radius);
    case 'box':
    case 'ramp': {
      // Into the shape's frame (undo its yaw), then distance to the axis-aligned rectangle.
      const c = Math.cos(shape.yaw);
      const s = Math.sin(shape.yaw);
      const lx = c * dx - s * dz;
      const lz = s * dx + c * dz;
      const ox = Math.max(0, Math.abs(lx) - shape.size[0] / 2);
      const oz = Math.max(0, Math.abs(lz) - shape.size[2] / 2);
      return Math.hypot(ox, oz);
    }
    case 'mesh': {
      const ox = Math.max(0, shape.min[0] - x, x - shape.max[0]);
      const oz = Math.max(0, shape.min[2] - z, z - shape.max[2]);
      return Math.hypot(ox, oz);
    }
  }
}

function halfHeight(shape: StaticShape): number {
  switch (shape.kind) {
    case 'cylinder':
    case 'cone':
      return shape.height / 2;
    case 'sphere':
      return shape.radius;
    case 'box':
      return shape.size[1] / 2;
    case 'ramp':
      return 0; // position is the bottom face
    case 'mesh':
      return (shape.max[1] - shape.min[1]) / 2;
  }
}
