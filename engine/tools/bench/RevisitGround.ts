import RAPIER, { type Cylinder, type Ray } from '@dimforge/rapier3d-compat';
import { buildPhysicsWorld, footprint, type PhysicsWorld, type SceneLayout, standingObstacles, surfaceProbe } from '../../runtime/index.ts';
import { landmarksOf, type Landmark } from '../../capture/index.ts';

// Where a revisit trajectory may stand and walk, and what can be seen from where: on flat ground
// of known height by footprints (the arena, exactly as its pinned trajectories were planned), on
// any other scene by asking its colliders (hills, kerbs, rooms, GLB meshes).

type Point = { x: number; z: number };
type Box = ReturnType<typeof footprint>;

/** Camera height above the feet (the character controller's default), m. */
export const EYE_HEIGHT = 1.6;
/** Highest step the controller climbs (its default), m: a path may rise or drop this much per 0.2 m. */
const STEP = 0.3;
/** Colliders below this height above the feet are ground underfoot, not obstacles, m. */
const KNEE = 0.5;
/** Top of the body kept clear, above the feet, m (a standing player, head included). */
const BODY_TOP = 1.9;
/** Margin around the spawn rectangle that players still walk in (as `layoutFromScene` sets `bounds`), m. */
const SPAWN_MARGIN = 1.5;

/** Where a revisit may stand and walk, and what can be seen from where. */
export interface Ground {
  /** Feet height of a player standing at p with `clearance` metres of room around the body, or null: no place to stand. */
  standAt(p: Point, clearance: number): number | null;
  /** Room to walk from a to b (0.7 m either side of the line). */
  pathClear(a: Point, b: Point): boolean;
  /** Nothing tall between the eye at `from` and the landmark (its last 2 m are the landmark itself). */
  canSee(from: Point, landmark: Landmark): boolean;
  dispose(): void;
}

/** The walkable rectangle: the scene's bounds and the spawn rectangle with its margin, `inset` metres in from their edges. */
function walkableRegion(scene: SceneLayout, inset: number): { minX: number; maxX: number; minZ: number; maxZ: number } {
  const { bounds, spawn } = scene;
  return {
    minX: Math.max(-bounds.halfX, spawn.minX - SPAWN_MARGIN) + inset,
    maxX: Math.min(bounds.halfX, spawn.maxX + SPAWN_MARGIN) - inset,
    minZ: Math.max(-bounds.halfZ, spawn.minZ - SPAWN_MARGIN) + inset,
    maxZ: Math.min(bounds.halfZ, spawn.maxZ + SPAWN_MARGIN) - inset,
  };
}

/**
 * Flat ground of known height (the built-in described worlds, the arena): obstacles are the
 * footprints of everything that stands up from the floor, as the arena's pinned set was made.
 * Stays 1.7 m in from the walkable edge.
 */
export class FlatGround implements Ground {
  private readonly floorY: number;
  private readonly boxes: Box[];
  private readonly tall: Box[];
  private readonly region: ReturnType<typeof walkableRegion>;

  constructor(scene: SceneLayout, floorY: number) {
    this.floorY = floorY;
    this.boxes = standingObstacles([...scene.statics, ...scene.dynamics], floorY);
    this.tall = this.boxes.filter((f) => f.top > floorY + 1);
    this.region = walkableRegion(scene, 1.7);
  }

  standAt(p: Point, clearance: number): number | null {
    return this.isClear(p, clearance) ? this.floorY : null;
  }

  pathClear(a: Point, b: Point): boolean {
    const d = Math.hypot(b.x - a.x, b.z - a.z);
    for (let s = 0; s <= d; s += 0.2) {
      const k = d > 0 ? s / d : 0;
      if (!this.isClear({ x: a.x + k * (b.x - a.x), z: a.z + k * (b.z - a.z) }, 0.7)) return false;
    }
    return true;
  }

  canSee(from: Point, to: Point): boolean {
    const d = Math.hypot(to.x - from.x, to.z - from.z);
    for (let s = 0; s < d - 2; s += 0.2) {
      const x = from.x + (s / d) * (to.x - from.x);
      const z = from.z + (s / d) * (to.z - from.z);
      if (this.tall.some((f) => x > f.minX - 0.1 && x < f.maxX + 0.1 && z > f.minZ - 0.1 && z < f.maxZ + 0.1)) return false;
    }
    return true;
  }

  dispose(): void {}

  private isClear(p: Point, clearance: number): boolean {
    const r = this.region;
    if (p.x < r.minX || p.x > r.maxX || p.z < r.minZ || p.z > r.maxZ) return false;
    return !this.boxes.some((f) => p.x > f.minX - clearance && p.x < f.maxX + clearance && p.z > f.minZ - clearance && p.z < f.maxZ + clearance);
  }
}

/**
 * Any other scene (a scene module: hills, stairs, kerbs, GLB meshes, one mesh for a whole
 * level), asked through its colliders as `findSpawnPoint` does. Footprints would not do there: a
 * mesh's footprint is its bounding box, so a hilly floor or a level merged into one mesh would
 * be one obstacle as big as the scene, and "top above the floor" has no single floor to measure
 * from. Instead, at each spot the ground is what a ray straight down hits first (walkable
 * normals only), and the obstacles are what a cylinder `clearance` m wider than the player
 * touches from knee height (0.5 m above that ground) to above the head: the ground itself,
 * kerbs and gentle slopes (up to ~25° across the cylinder) lie below the knee and never count,
 * whatever shape they are. What is lower than the knee but too high to step onto is caught
 * along paths instead: consecutive spots 0.2 m apart may differ by one step (0.3 m) at most,
 * which also keeps paths off ledges and out of holes. Sight lines are rays at eye height.
 * Owns a physics world: `dispose()`.
 */
export class ColliderGround implements Ground {
  private readonly physics: PhysicsWorld;
  private readonly region: ReturnType<typeof walkableRegion>;
  /** Height of the walkable surface under (x, z), or null (nothing, or too steep to stand on). */
  private readonly surfaceAt: (x: number, z: number) => number | null;
  private readonly sight: Ray;
  private readonly bodies = new Map<number, Cylinder>();
  /** Footprints of each landmark's shapes, by landmark id: what a sight line may end on. */
  private readonly landmarkBoxes = new Map<string, Box[]>();

  constructor(scene: SceneLayout) {
    this.physics = buildPhysicsWorld(scene, RAPIER);
    this.region = walkableRegion(scene, 0);
    this.surfaceAt = surfaceProbe(scene, this.physics, { excludeDynamic: true });
    this.sight = new RAPIER.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
    for (const shape of scene.statics) {
      // The landmark a shape belongs to, by landmarksOf's own grouping of names.
      const id = shape.landmark ? landmarksOf({ ...scene, statics: [shape] })[0]?.id : undefined;
      if (id) this.landmarkBoxes.set(id, [...(this.landmarkBoxes.get(id) ?? []), footprint(shape)]);
    }
  }

  standAt(p: Point, clearance: number): number | null {
    const r = this.region;
    if (p.x < r.minX || p.x > r.maxX || p.z < r.minZ || p.z > r.maxZ) return null;
    const y = this.surfaceAt(p.x, p.z);
    if (y === null) return null;
    let body = this.bodies.get(clearance);
    if (!body) this.bodies.set(clearance, (body = new RAPIER.Cylinder((BODY_TOP - KNEE) / 2, 0.3 + clearance)));
    const centre = { x: p.x, y: y + (KNEE + BODY_TOP) / 2, z: p.z };
    return this.physics.world.intersectionWithShape(centre, { x: 0, y: 0, z: 0, w: 1 }, body) === null ? y : null;
  }

  pathClear(a: Point, b: Point): boolean {
    const d = Math.hypot(b.x - a.x, b.z - a.z);
    let previous: number | null = null;
    for (let s = 0; s <= d; s += 0.2) {
      const k = d > 0 ? s / d : 0;
      const y = this.standAt({ x: a.x + k * (b.x - a.x), z: a.z + k * (b.z - a.z) }, 0.7);
      if (y === null || (previous !== null && Math.abs(y - previous) > STEP)) return false;
      previous = y;
    }
    return true;
  }

  canSee(from: Point, landmark: Landmark): boolean {
    const feet = this.surfaceAt(from.x, from.z);
    if (feet === null) return false;
    // At eye height, or just under the landmark's top when that is lower: the camera looks level.
    const eye = feet + EYE_HEIGHT;
    const aim = Math.min(eye, landmark.top - 0.3);
    const dx = landmark.x - from.x;
    const dy = aim - eye;
    const dz = landmark.z - from.z;
    const d = Math.hypot(dx, dz);
    const length = Math.hypot(dx, dy, dz);
    if (d <= 2) return true;
    const ray = this.sight;
    ray.origin.x = from.x;
    ray.origin.y = eye;
    ray.origin.z = from.z;
    ray.dir.x = dx / length;
    ray.dir.y = dy / length;
    ray.dir.z = dz / length;
    const hit = this.physics.world.castRay(ray, length, true, RAPIER.QueryFilterFlags.EXCLUDE_DYNAMIC);
    if (!hit || hit.timeOfImpact * (d / length) >= d - 2) return true;
    // Hitting the landmark itself is seeing it (a wide one's centre lies more than 2 m inside it).
    const at = { x: ray.origin.x + ray.dir.x * hit.timeOfImpact, y: ray.origin.y + ray.dir.y * hit.timeOfImpact, z: ray.origin.z + ray.dir.z * hit.timeOfImpact };
    return (this.landmarkBoxes.get(landmark.id) ?? []).some((f) => at.x > f.minX - 0.1 && at.x < f.maxX + 0.1 && at.z > f.minZ - 0.1 && at.z < f.maxZ + 0.1 && at.y > f.bottom - 0.1 && at.y < f.top + 0.1);
  }

  dispose(): void {
    this.physics.dispose();
  }
}
