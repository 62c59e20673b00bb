import RAPIER, { type Cylinder, type Ray } from '@dimforge/rapier3d-compat';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import { copyPose, wrapAngle, type Pose } from '../physics/Pose.ts';
import { landmarksOf, type Landmark } from '../players/landmarks.ts';
import { headingTo } from '../players/SegmentPlayer.ts';
import { EpisodeSimulator } from '../recorder/EpisodeSimulator.ts';
import { arenaScene } from '../scene/arenaScene.ts';
import { buildPhysicsWorld } from '../scene/buildPhysicsWorld.ts';
import { footprint, type SceneLayout } from '../scene/SceneDescription.ts';
import { standingObstacles } from '../scene/spawnPose.ts';
import type { Phase, Trajectory } from './parseTrajectories.ts';
import { RevisitPilot, type PilotSegment } from './RevisitPilot.ts';

/**
 * First seed of the built-in set. Training used episode seeds 0–69, held-out sets 100000+ and
 * 900000+; these runs are also flown by their own pilot, never by a training player.
 */
export const REVISIT_SEED = 700_000;

export interface RevisitTrajectory extends Trajectory {
  phases: Phase[];
  seed: number;
  /** The landmark looked at, and its point on the floor. */
  landmark: string;
  target: { x: number; z: number };
  /** `same`: back to the first viewpoint; `side`: to a viewpoint 45–85° around the place. */
  returnFrom: 'same' | 'side';
  /** Camera poses of frames 0 … intents.length as simulated in Node (a recording reproduces them). */
  poses: Pose[];
}

export interface RevisitOptions {
  /**
   * The scene to plan in: its colliders, physics objects and spawn area. Default the arena
   * (`arenaScene(0)`), whose built-in set is pinned; any scene module's layout works
   * (`loadSceneLayout`).
   */
  layout?: SceneLayout;
  /** Seed of the first trajectory; trajectory i uses seed + i. Default REVISIT_SEED. */
  seed?: number;
  /** Default 6: half return to the same viewpoint, half from the side. */
  count?: number;
  /** Least consecutive ticks the place stays out of view between the visits. Default 30. */
  minAwayTicks?: number;
}

/** A place is out of view when it is more than this far (radians) from the view direction. */
export const OUT_OF_VIEW = (60 * Math.PI) / 180;
/** … and in view, for a return frame, within this. */
export const IN_VIEW = (26 * Math.PI) / 180;

/** Horizontal angle from the camera's view direction to the point (x, z), radians, + = left. */
export function bearingTo(pose: Readonly<Pose>, x: number, z: number): number {
  return wrapAngle(headingTo(x - pose.x, z - pose.z) - pose.yaw);
}

/**
 * The built-in revisit trajectories of a scene (default the arena), seeded: each looks at a
 * landmark with a slow pan (the first visit), turns its back and walks 4–8 m away, so the place
 * is out of view for at least `minAwayTicks` ticks (≥ 3·K for any K ≤ 10), then walks back and
 * looks at it again with the same pan, from the first viewpoint (even trajectories) or from a
 * viewpoint 45–85° around the landmark (odd ones). Flown closed loop through the real physics in
 * Node, so the intents replay exactly; 150–260 ticks each.
 *
 * Places are the scene's landmarks (`landmarksOf`: found from the colliders for a scene
 * module). Trajectory i revisits the i-th of them in a seeded order; when none of 300 draws
 * around it works (boxed in, no open floor), the next one in that order is tried.
 */
export async function revisitTrajectories(options: RevisitOptions = {}): Promise<RevisitTrajectory[]> {
  await RAPIER.init();
  const first = options.seed ?? REVISIT_SEED;
  const count = options.count ?? 6;
  const minAway = options.minAwayTicks ?? 30;
  const scene = options.layout ?? arenaScene(0);
  const places = placesOf(scene);
  if (places.length === 0) {
    throw new Error(
      `revisitTrajectories: scene "${scene.id}" has no landmark to revisit. Landmarks are found from the colliders: proxies that rise more than 0.8 m above the ground, ` +
        'narrower than 8 m both ways, standing in or within 1.5 m of the spawn rectangle. Add one (a pillar, a statue, a tree, a kiosk) where players walk, or widen the spawn rectangle to take one in.',
    );
  }
  const order = new SeededRandom(first);
  const shuffled = places.map((p) => ({ p, key: order.nextFloat() })).sort((a, b) => a.key - b.key).map((e) => e.p);
  const ground = scene.spawn.floorY === undefined ? new ColliderGround(scene) : new FlatGround(scene, scene.spawn.floorY);
  const result: RevisitTrajectory[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const seed = first + i;
      const rng = new SeededRandom(seed);
      const returnFrom = i % 2 === 0 ? 'same' : 'side';
      let made: RevisitTrajectory | null = null;
      for (let k = 0; k < shuffled.length && !made; k++) {
        const landmark = shuffled[(i + k) % shuffled.length]!;
        for (let attempt = 0; attempt < 300 && !made; attempt++) made = tryTrajectory(scene, ground, rng, seed, landmark, returnFrom, minAway);
      }
      if (!made) {
        throw new Error(
          `revisitTrajectories: found no revisit for seed ${seed} in scene "${scene.id}" around any of its landmarks (${shuffled.map((l) => l.id).join(', ')}), 300 tries each. ` +
            'A revisit needs open walkable floor around a landmark: a spot 3–5.5 m from it with a clear view, and room to walk 4–8 m away and back. Clear space around a landmark or widen the spawn rectangle.',
        );
      }
      result.push(made);
    }
  } finally {
    ground.dispose();
  }
  return result;
}

/** The landmarks worth revisiting. */
function placesOf(scene: SceneLayout): Landmark[] {
  const all = landmarksOf(scene);
  // The arena's walls are everywhere and its platform is only seen well from its ramp: not places to revisit.
  return scene.id === 'arena' ? all.filter((l) => !l.id.startsWith('wall-') && l.id !== 'platform') : all;
}

function tryTrajectory(scene: SceneLayout, ground: Ground, rng: SeededRandom, seed: number, landmark: Landmark, returnFrom: 'same' | 'side', minAway: number): RevisitTrajectory | null {
  const u = (a: number, b: number): number => a + (b - a) * rng.nextFloat();
  const int = (a: number, b: number): number => Math.floor(u(a, b + 1));
  const T = { x: landmark.x, z: landmark.z };
  const phi = u(-Math.PI, Math.PI);
  const r = u(3, 5.5);
  const V = { x: T.x + r * Math.cos(phi), z: T.z + r * Math.sin(phi) };
  const feet = ground.standAt(V, 0.9);
  if (feet === null || !ground.canSee(V, landmark)) return null;
  // Away: 4–8 m on, within 85° of straight away from the place, so it stays behind.
  const A = draw(20, () => {
    const angle = phi + u(-1.5, 1.5);
    const d = u(4, 8);
    const p = { x: V.x + d * Math.cos(angle), z: V.z + d * Math.sin(angle) };
    return ground.standAt(p, 0.8) !== null && ground.pathClear(V, p) ? p : null;
  });
  if (!A) return null;
  const R =
    returnFrom === 'same'
      ? ground.pathClear(A, V) ? V : null
      : draw(20, () => {
          const around = phi + (rng.nextFloat() < 0.5 ? -1 : 1) * u(0.8, 1.45);
          const r2 = u(3, 5.5);
          const p = { x: T.x + r2 * Math.cos(around), z: T.z + r2 * Math.sin(around) };
          return ground.standAt(p, 0.9) !== null && ground.canSee(p, landmark) && ground.pathClear(A, p) ? p : null;
        });
  if (!R) return null;

  const pan = (phase: Phase): PilotSegment[] => {
    const rate = u(0.5, 0.7) * (rng.nextFloat() < 0.5 ? -1 : 1);
    const ticks = int(6, 8);
    return [
      { kind: 'hold', phase, ticks: int(3, 5) },
      { kind: 'hold', phase, ticks, yawRate: rate },
      { kind: 'hold', phase, ticks: int(2, 4) },
      { kind: 'hold', phase, ticks: 2 * ticks, yawRate: -rate },
      { kind: 'hold', phase, ticks: int(2, 4) },
      { kind: 'hold', phase, ticks, yawRate: rate },
      { kind: 'hold', phase, ticks: int(3, 5) },
    ];
  };
  const speed = u(0.75, 0.95);
  const segments: PilotSegment[] = [
    { kind: 'hold', phase: 'look', ticks: 4 },
    ...pan('look'),
    { kind: 'face', phase: 'away', x: A.x, z: A.z, maxTicks: 30 },
    { kind: 'walk', phase: 'away', x: A.x, z: A.z, radius: 0.4, speed, maxTicks: 80 },
    { kind: 'hold', phase: 'away', ticks: int(4, 10), yawRate: u(-0.5, 0.5) },
    { kind: 'face', phase: 'away', x: R.x, z: R.z, maxTicks: 30 },
    { kind: 'walk', phase: 'away', x: R.x, z: R.z, radius: 0.35, speed, maxTicks: 90 },
    { kind: 'face', phase: 'away', x: T.x, z: T.z, maxTicks: 30 },
    ...pan('return'),
  ];
  const start: Pose = { x: V.x, y: feet + EYE_HEIGHT, z: V.z, yaw: headingTo(T.x - V.x, T.z - V.z), pitch: 0 };
  const pilot = new RevisitPilot(segments);
  const sim = new EpisodeSimulator({ scene, rapier: RAPIER, seed, policy: 'replay', player: pilot, start });
  const poses: Pose[] = [copyPose(sim.pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 })];
  try {
    for (let t = 0; t < 400; t++) {
      sim.step();
      if (pilot.finished) break;
      poses.push(copyPose(sim.pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }));
    }
  } finally {
    sim.dispose();
  }
  const { intents, phases } = pilot;
  if (!pilot.finished || intents.length > 260) return null;
  const trajectory: RevisitTrajectory = {
    name: `revisit-${seed}-${landmark.id}-${returnFrom}`,
    start,
    intents,
    phases,
    seed,
    landmark: landmark.id,
    target: T,
    returnFrom,
    poses,
  };
  return revisitProblem(trajectory, minAway) === null ? trajectory : null;
}

/**
 * Why a simulated revisit trajectory does not do its job, or null: the place must stay out of
 * view for `minAway` consecutive ticks between the first visit and the return, every return
 * frame must look at it from within 8 m, and a `side` return must stand ≥ 40° around it from
 * the first viewpoint.
 */
export function revisitProblem(t: RevisitTrajectory, minAway: number): string | null {
  const { poses, phases, target } = t;
  const phaseOf = (frame: number): Phase => phases[Math.max(0, frame - 1)]!;
  const frames = poses.map((_, f) => f);
  const lastLook = frames.filter((f) => phaseOf(f) === 'look').pop() ?? -1;
  const returns = frames.filter((f) => phaseOf(f) === 'return');
  if (returns.length === 0) return 'no return frames';
  let run = 0;
  let longest = 0;
  for (let f = lastLook + 1; f < returns[0]!; f++) {
    run = Math.abs(bearingTo(poses[f]!, target.x, target.z)) > OUT_OF_VIEW ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  if (longest < minAway) return `the place is out of view for only ${longest} consecutive ticks (need ${minAway})`;
  for (const f of returns) {
    const p = poses[f]!;
    if (Math.abs(bearingTo(p, target.x, target.z)) > IN_VIEW || Math.hypot(p.x - target.x, p.z - target.z) > 8) return `return frame ${f} does not look at the place`;
  }
  if (t.returnFrom === 'side') {
    const a = poses[0]!;
    const b = poses[returns[0]!]!;
    const turn = Math.abs(wrapAngle(Math.atan2(a.z - target.z, a.x - target.x) - Math.atan2(b.z - target.z, b.x - target.x)));
    if (turn < (40 * Math.PI) / 180) return `the side return is only ${((turn * 180) / Math.PI).toFixed(0)}° around the place`;
  }
  return null;
}

/** The first non-null of up to `tries` draws. */
function draw<T>(tries: number, make: () => T | null): T | null {
  for (let i = 0; i < tries; i++) {
    const made = make();
    if (made) return made;
  }
  return null;
}


type Point = { x: number; z: number };
type Box = ReturnType<typeof footprint>;

/** Camera height above the feet (the character controller's default), m. */
const EYE_HEIGHT = 1.6;
/** Highest step the controller climbs (its default), m: a path may rise or drop this much per 0.2 m. */
const STEP = 0.3;
/** Colliders below this height above the feet are ground underfoot, not obstacles, m. */
const KNEE = 0.5;
/** Top of the body kept clear, above the feet, m (a standing player, head included). */
const BODY_TOP = 1.9;
/** Steeper surfaces (normal · up below this) are not stood on. */
const WALKABLE_NORMAL_Y = 0.7;
/** Margin around the spawn rectangle that players still walk in (as `layoutFromScene` sets `bounds`), m. */
const SPAWN_MARGIN = 1.5;

/** Where a revisit may stand and walk, and what can be seen from where. */
interface Ground {
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
class FlatGround implements Ground {
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
class ColliderGround implements Ground {
  private readonly physics: PhysicsWorld;
  private readonly region: ReturnType<typeof walkableRegion>;
  private readonly top: number;
  private readonly depth: number;
  private readonly down: Ray;
  private readonly sight: Ray;
  private readonly bodies = new Map<number, Cylinder>();
  /** Footprints of each landmark's shapes, by landmark id: what a sight line may end on. */
  private readonly landmarkBoxes = new Map<string, Box[]>();

  constructor(scene: SceneLayout) {
    this.physics = buildPhysicsWorld(scene, RAPIER);
    this.region = walkableRegion(scene, 0);
    const boxes = scene.statics.map(footprint);
    this.top = Math.max(10, ...boxes.map((f) => f.top)) + 1;
    this.depth = this.top - Math.min(0, ...boxes.map((f) => f.bottom)) + 1;
    this.down = new RAPIER.Ray({ x: 0, y: this.top, z: 0 }, { x: 0, y: -1, z: 0 });
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

  /** Height of the walkable surface under (x, z), or null (nothing, or too steep to stand on). */
  private surfaceAt(x: number, z: number): number | null {
    const ray = this.down;
    ray.origin.x = x;
    ray.origin.y = this.top;
    ray.origin.z = z;
    const hit = this.physics.world.castRayAndGetNormal(ray, this.depth, true, RAPIER.QueryFilterFlags.EXCLUDE_DYNAMIC);
    return hit && hit.normal.y >= WALKABLE_NORMAL_Y ? this.top - hit.timeOfImpact : null;
  }
}
