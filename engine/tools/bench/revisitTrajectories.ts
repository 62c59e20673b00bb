import RAPIER from '@dimforge/rapier3d-compat';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { copyPose, wrapAngle, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { EpisodeSimulator, type Landmark, landmarksOf } from '../../capture/index.ts';
import { headingTo, NextframeError } from '../../../worldmodel/index.ts';
import { arenaScene, type SceneLayout } from '../../runtime/index.ts';
import type { Phase, Trajectory } from './parseTrajectories.ts';
import { ColliderGround, EYE_HEIGHT, FlatGround, type Ground } from './RevisitGround.ts';
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
    throw new NextframeError(
      'bad-scene',
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
        throw new NextframeError(
          'no-spawn',
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
