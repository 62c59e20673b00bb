import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, CylinderGeometry, Mesh, type Object3D, PlaneGeometry, Scene, SphereGeometry } from 'three';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearingTo, IN_VIEW, OUT_OF_VIEW, REVISIT_SEED, revisitProblem, revisitTrajectories, type RevisitTrajectory } from '../../../../engine/tools/bench/revisitTrajectories.ts';
import { parseTrajectories } from '../../../../engine/tools/bench/parseTrajectories.ts';
import { wrapAngle, type Pose } from '../../../../worldmodel/geometry/Pose.ts';
import { ReplayPlayer } from '../../../../engine/capture/players/ReplayPlayer.ts';
import { EpisodeSimulator } from '../../../../engine/capture/recorder/EpisodeSimulator.ts';
import { landmarksOf } from '../../../../engine/capture/players/landmarks.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { layoutFromScene } from '../../../../engine/runtime/scene/layoutFromScene.ts';
import { footprint, type SceneLayout } from '../../../../engine/runtime/scene/SceneDescription.ts';

/** K of the arena model; the built-in set must leave the place for ≥ 3·K ticks. */
const K = 4;
let set: RevisitTrajectory[];

describe('revisitTrajectories', () => {
  beforeAll(async () => {
    await RAPIER.init();
    set = await revisitTrajectories();
  });

  it('makes six seeded trajectories outside the training seeds, half returning from the side', async () => {
    expect(set.map((t) => t.seed)).toEqual([0, 1, 2, 3, 4, 5].map((i) => REVISIT_SEED + i));
    expect(REVISIT_SEED).toBeGreaterThanOrEqual(700_000);
    expect(set.map((t) => t.returnFrom)).toEqual(['same', 'side', 'same', 'side', 'same', 'side']);
    expect(new Set(set.map((t) => t.landmark)).size).toBe(6);
    // Same seed, same trajectories; another seed, other ones.
    const again = await revisitTrajectories({ count: 2 });
    expect(again).toEqual(set.slice(0, 2));
    const other = await revisitTrajectories({ seed: REVISIT_SEED + 50, count: 1 });
    expect(other[0]!.intents).not.toEqual(set[0]!.intents);
    for (const t of set) {
      expect(t.intents.length).toBeGreaterThanOrEqual(150);
      expect(t.intents.length).toBeLessThanOrEqual(260);
      expect(t.phases).toHaveLength(t.intents.length);
      expect(t.poses).toHaveLength(t.intents.length + 1);
      // Valid as a trajectories file.
      expect(parseTrajectories([{ name: t.name, start: t.start, intents: t.intents, phases: t.phases }])).toHaveLength(1);
    }
  });

  it('look, leave the place out of view for ≥ 3·K ticks, and come back looking at it', () => {
    for (const t of set) {
      expect(revisitProblem(t, 3 * K), t.name).toBeNull();
      const phase = (f: number) => t.phases[Math.max(0, f - 1)];
      const frames = t.poses.map((_, f) => f);
      const looks = frames.filter((f) => phase(f) === 'look');
      const returns = frames.filter((f) => phase(f) === 'return');
      // Phases in order: look, then away, then return.
      expect(Math.max(...looks)).toBeLessThan(Math.min(...returns));
      expect(looks.length).toBeGreaterThan(3 * K);
      expect(returns.length).toBeGreaterThan(3 * K);
      // The first visit looks at the place …
      for (const f of looks) expect(Math.abs(bearingTo(t.poses[f]!, t.target.x, t.target.z)), t.name).toBeLessThan(IN_VIEW);
      // … which is then out of view for at least 30 ticks in a row (≥ 3·K for K ≤ 10) …
      let run = 0;
      let longest = 0;
      for (let f = Math.max(...looks) + 1; f < returns[0]!; f++) {
        run = Math.abs(bearingTo(t.poses[f]!, t.target.x, t.target.z)) > OUT_OF_VIEW ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(longest, t.name).toBeGreaterThanOrEqual(30);
      // … and every return frame looks at it again from within 8 m.
      for (const f of returns) {
        const p = t.poses[f]!;
        expect(Math.abs(bearingTo(p, t.target.x, t.target.z)), `${t.name} frame ${f}`).toBeLessThan(IN_VIEW);
        expect(Math.hypot(p.x - t.target.x, p.z - t.target.z)).toBeLessThan(8);
      }
      // Same-viewpoint returns come back to where the first visit stood; side returns stand ≥ 40° around the place.
      const a = t.poses[0]!;
      const b = t.poses[returns[0]!]!;
      const around = Math.abs(wrapAngle(Math.atan2(a.z - t.target.z, a.x - t.target.x) - Math.atan2(b.z - t.target.z, b.x - t.target.x)));
      if (t.returnFrom === 'same') expect(Math.hypot(a.x - b.x, a.z - b.z), t.name).toBeLessThan(0.8);
      else expect(around, t.name).toBeGreaterThan((40 * Math.PI) / 180);
    }
  });

  it('replay exactly: the intents from the start pose give the planned poses', () => {
    for (const t of set.slice(0, 2)) expect(replayPoses(arenaScene(0), t)).toEqual(t.poses);
  });
});

/** Rolling ground: ±0.6 m over a few metres (slopes up to ~11°). */
const hill = (x: number, z: number): number => 0.6 * Math.sin(x / 3) * Math.cos(z / 4);

/**
 * A scene module's layout, built the way a module builds it (three.js meshes through
 * layoutFromScene, no browser): a rolling floor that is one mesh as big as the scene (its
 * footprint covers everything and its top is 0.6 m up), two towers standing on it (found as
 * landmarks), a kerb to step over and a ball. No `floorY`: heights come from the colliders.
 */
function rollingScene(): SceneLayout {
  const scene = new Scene();
  const ground = new PlaneGeometry(26, 26, 26, 26).rotateX(-Math.PI / 2);
  const p = ground.getAttribute('position');
  for (let i = 0; i < p.count; i++) p.setY(i, hill(p.getX(i), p.getZ(i)));
  const proxies: Object3D[] = [new Mesh(ground)];
  for (const [x, z] of [[-4, -3], [5, 2]] as const) {
    const tower = new Mesh(new CylinderGeometry(0.5, 0.5, 3));
    tower.position.set(x, hill(x, z) + 1.4, z);
    tower.name = x < 0 ? 'west-tower' : 'east-tower';
    proxies.push(tower);
  }
  const kerb = new Mesh(new BoxGeometry(6, 0.15, 0.5));
  kerb.position.set(0, hill(0, 6) + 0.05, 6);
  proxies.push(kerb);
  const ball = new Mesh(new SphereGeometry(0.3));
  ball.position.set(1, hill(1, -1) + 0.3, -1);
  scene.add(...proxies, ball);
  return layoutFromScene({ scene, proxies, spawn: { min: [-8, -8], max: [8, 8] }, overlays: [ball] }, 'rolling', 0);
}

/** Longest run of consecutive frames between the first visit and the return with the place out of view. */
function longestAway(t: RevisitTrajectory): number {
  const phase = (f: number) => t.phases[Math.max(0, f - 1)];
  const frames = t.poses.map((_, f) => f);
  const lastLook = Math.max(...frames.filter((f) => phase(f) === 'look'));
  const firstReturn = Math.min(...frames.filter((f) => phase(f) === 'return'));
  let run = 0;
  let longest = 0;
  for (let f = lastLook + 1; f < firstReturn; f++) {
    run = Math.abs(bearingTo(t.poses[f]!, t.target.x, t.target.z)) > OUT_OF_VIEW ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('revisitTrajectories on a scene module', () => {
  let layout: SceneLayout;
  let rolling: RevisitTrajectory[];

  beforeAll(async () => {
    await RAPIER.init();
    layout = rollingScene();
    rolling = await revisitTrajectories({ layout, count: 2, minAwayTicks: 40 });
  });

  it('revisits the landmarks found from the colliders, standing on the rolling ground', () => {
    expect(layout.spawn.floorY).toBeUndefined();
    const floor = layout.statics.find((s) => !s.landmark && footprint(s).maxX - footprint(s).minX > 20)!;
    expect(footprint(floor).top).toBeGreaterThan(0.5); // as an obstacle footprint, the floor would block the whole scene
    expect(landmarksOf(layout).map((l) => l.id).sort()).toEqual(['east-tower', 'west-tower']);
    expect(rolling.map((t) => t.returnFrom)).toEqual(['same', 'side']);
    for (const t of rolling) {
      expect(['east-tower', 'west-tower']).toContain(t.landmark);
      expect(t.name).toBe(`revisit-${t.seed}-${t.landmark}-${t.returnFrom}`);
      expect(t.intents.length).toBeLessThanOrEqual(260);
      expect(t.poses).toHaveLength(t.intents.length + 1);
      // The start stands on the ground under it (eye 1.6 m up), not on a floor height the scene never gave.
      expect(t.start.y - 1.6).toBeCloseTo(hill(t.start.x, t.start.z), 1);
      expect(t.poses[0]!.y).toBeCloseTo(t.start.y, 1);
      // The walk goes up and down the hills.
      const heights = t.poses.map((p) => p.y);
      expect(Math.max(...heights) - Math.min(...heights)).toBeGreaterThan(0.1);
    }
  });

  it('keeps the place out of view for ≥ minAwayTicks, and comes back looking at it', () => {
    for (const t of rolling) {
      expect(revisitProblem(t, 40), t.name).toBeNull();
      expect(longestAway(t), t.name).toBeGreaterThanOrEqual(40);
      const returns = t.poses.filter((_, f) => t.phases[Math.max(0, f - 1)] === 'return');
      expect(returns.length).toBeGreaterThan(12);
      for (const p of returns) expect(Math.abs(bearingTo(p, t.target.x, t.target.z))).toBeLessThan(IN_VIEW);
    }
  });

  it('replays exactly: the intents from the start pose give the planned poses', () => {
    for (const t of rolling) expect(replayPoses(layout, t)).toEqual(t.poses);
  });

  it('says so when the scene has no landmark to revisit', async () => {
    const scene = new Scene();
    const floor = new Mesh(new BoxGeometry(20, 0.5, 20));
    floor.position.y = -0.25;
    scene.add(floor);
    const flat = layoutFromScene({ scene, proxies: [floor], spawn: { min: [-8, -8], max: [8, 8] } }, 'flat', 0);
    await expect(revisitTrajectories({ layout: flat })).rejects.toThrow(/scene "flat" has no landmark to revisit.*Add one/);
  });
});

/** The camera poses a trajectory's intents give when replayed from its start pose. */
function replayPoses(scene: SceneLayout, t: RevisitTrajectory): Pose[] {
  const sim = new EpisodeSimulator({ scene, rapier: RAPIER, seed: t.seed, policy: 'replay', player: new ReplayPlayer(t.intents), start: t.start });
  const poses: Pose[] = [{ ...sim.pose }];
  for (let i = 0; i < t.intents.length; i++) {
    sim.step();
    poses.push({ ...sim.pose });
  }
  sim.dispose();
  return poses;
}
