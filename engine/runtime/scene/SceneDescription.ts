/**
 * A scene as plain data: what the Three.js builder draws, what the Rapier builder turns into
 * colliders (the proxy geometry), and where players may spawn. No three, no Rapier here, so
 * Node code (tests, CLI, policy evaluation) can read it anywhere.
 *
 * Units are metres and radians; +y is up; `yaw` rotates about +y (counter-clockwise seen from
 * above, Three.js `rotation.y`).
 */

export type Vec3 = readonly [number, number, number];

/** Surface look, by id into `SceneDescription.materials`. */
export interface SceneMaterial {
  /** sRGB colour, e.g. 0xd0508c. */
  color: number;
  /** Procedural texture drawn over the colour by the browser builder. */
  pattern: 'plain' | 'tiles' | 'bricks' | 'planks' | 'stripes' | 'bark' | 'leaves' | 'stone';
  /** Metres per texture repeat. */
  textureSize?: number;
  roughness?: number;
}

interface ShapeBase {
  /** Stable name, e.g. `pillar-red`. */
  id: string;
  /** Key into `materials`. */
  material: string;
  /** Rotation about +y, radians. */
  yaw: number;
  /** Landmarks are places a player may walk to and come back to. */
  landmark?: boolean;
}

/** A box; `position` is its centre, `size` its full extents (x, y, z) before yaw. */
export interface BoxShape extends ShapeBase {
  kind: 'box';
  position: Vec3;
  size: Vec3;
}

/** An upright cylinder; `position` is its centre. */
export interface CylinderShape extends ShapeBase {
  kind: 'cylinder';
  position: Vec3;
  radius: number;
  height: number;
}

/** An upright cone, apex up; `position` is its centre (half way up). */
export interface ConeShape extends ShapeBase {
  kind: 'cone';
  position: Vec3;
  radius: number;
  height: number;
}

export interface SphereShape extends ShapeBase {
  kind: 'sphere';
  position: Vec3;
  radius: number;
}

/**
 * A wedge: footprint `size[0]` (local x) by `size[2]` (local z), rising from 0 at local +z to
 * `size[1]` at local −z. `position` is the centre of its bottom face.
 */
export interface RampShape extends ShapeBase {
  kind: 'ramp';
  position: Vec3;
  size: Vec3;
}

/**
 * Any proxy geometry as world-space triangles (what a scene module's proxies become): `vertices`
 * x, y, z in metres, `indices` three per triangle. `position` is the centre of its bounds and
 * `yaw` is 0 (the vertices are already placed). Becomes a Rapier triangle mesh.
 */
export interface MeshShape extends ShapeBase {
  kind: 'mesh';
  position: Vec3;
  vertices: readonly number[];
  indices: readonly number[];
  /** Axis-aligned bounds of the vertices. */
  min: Vec3;
  max: Vec3;
}

export type StaticShape = BoxShape | CylinderShape | ConeShape | SphereShape | RampShape | MeshShape;

/** A physics object the player can push; drawn as an overlay, never in the recorded world. */
export type DynamicObject =
  | { id: string; kind: 'ball'; position: Vec3; radius: number; mass: number; material: string }
  | { id: string; kind: 'crate'; position: Vec3; size: Vec3; yaw: number; mass: number; material: string };

/**
 * Rectangle (x, z) where a player may start, if the spot is clear. Without `floorY` the height
 * of a spot is the walkable surface under it, found by casting a ray down the colliders.
 */
export interface SpawnRect {
  minX: number;
  maxX: number;
  minZ: number;
  maxZ: number;
  /** Floor height everywhere in the rectangle, when the scene knows it (flat ground). */
  floorY?: number;
}

/** A spawn rectangle on flat ground of known height. */
export interface SpawnArea extends SpawnRect {
  floorY: number;
}

export interface SceneLighting {
  /** Sky colours (sRGB) at the zenith and at the horizon. */
  skyTop: number;
  skyHorizon: number;
  /** Direction the sunlight comes from (towards the sun), not normalised. */
  sunDirection: Vec3;
  sunColor: number;
  sunIntensity: number;
  ambientColor: number;
  ambientIntensity: number;
}

/**
 * What physics, players and spawning need of a scene, as plain data: colliders, physics
 * objects and where players start. A scene module's proxies and overlays become one
 * (`layoutFromScene`); a `SceneDescription` is one with looks added.
 */
export interface SceneLayout {
  /** Scene id, e.g. `arena`. */
  id: string;
  seed: number;
  /** Half extents (x, z) of the walkable interior, metres, about the origin. */
  bounds: { halfX: number; halfZ: number };
  statics: readonly StaticShape[];
  dynamics: readonly DynamicObject[];
  spawn: SpawnRect;
}

/** A scene as plain data, looks included: the built-in worlds' form (`buildThreeScene` draws it). */
export interface SceneDescription extends SceneLayout {
  materials: Readonly<Record<string, SceneMaterial>>;
  spawn: SpawnArea;
  lighting: SceneLighting;
}

/** Horizontal footprint of a shape as an axis-aligned rectangle (conservative under yaw). */
export function footprint(shape: StaticShape | DynamicObject): { minX: number; maxX: number; minZ: number; maxZ: number; top: number; bottom: number } {
  const [x, y, z] = shape.position;
  if (shape.kind === 'mesh') return { minX: shape.min[0], maxX: shape.max[0], minZ: shape.min[2], maxZ: shape.max[2], top: shape.max[1], bottom: shape.min[1] };
  let hx: number;
  let hz: number;
  let hy: number;
  switch (shape.kind) {
    case 'box':
    case 'ramp':
    case 'crate': {
      const [sx, sy, sz] = shape.size;
      const c = Math.abs(Math.cos(shape.yaw));
      const s = Math.abs(Math.sin(shape.yaw));
      hx = (c * sx + s * sz) / 2;
      hz = (s * sx + c * sz) / 2;
      hy = sy / 2;
      break;
    }
    case 'cylinder':
    case 'cone':
      hx = hz = shape.radius;
      hy = shape.height / 2;
      break;
    case 'sphere':
    case 'ball':
      hx = hz = hy = shape.radius;
      break;
  }
  // Ramps sit on their position (bottom face centre); everything else is centred on it.
  const bottom = shape.kind === 'ramp' ? y : y - hy;
  const top = shape.kind === 'ramp' ? y + 2 * hy : y + hy;
  return { minX: x - hx, maxX: x + hx, minZ: z - hz, maxZ: z + hz, top, bottom };
}
